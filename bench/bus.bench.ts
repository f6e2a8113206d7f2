/**
 * Embedded bus throughput: messages/s from `publish` (batches of 1,000, each awaited) to a
 * consumer group's handler, against a bare RxJS Subject `next()` loop over the same messages
 * (the floor any RxJS fan-out pays). A second row adds a `watch` subscriber and a second group.
 */
import { Subject } from 'rxjs';
import { createEmbeddedBus } from '../src/bus/embedded.ts';
import type { Message } from '../src/bus/message.ts';
import type { Bench, BenchRow } from './harness.ts';

const BATCH = 1_000;

function batches(topic: string, count: number): Message[][] {
  const out: Message[][] = [];
  let seq = 0;
  for (let b = 0; b < count; b++) {
    const batch: Message[] = [];
    for (let i = 0; i < BATCH; i++) {
      seq++;
      batch.push({ topic, key: `K${i % 16}`, seq, ts: 1_700_000_000_000_000 + seq, run: 'bench', payload: { px: 4500 + (i % 100) / 4 } });
    }
    out.push(batch);
  }
  return out;
}

/** Messages/s through a bare Subject: next() per message into one counting subscriber. */
function subjectRate(data: Message[][], rounds: number): number {
  const s = new Subject<Message>();
  let n = 0;
  s.subscribe(() => n++);
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const b of data) for (const m of b) s.next(m);
  const dt = performance.now() - t0;
  if (n !== rounds * data.length * BATCH) throw new Error('subject baseline lost messages');
  return (n / dt) * 1000;
}

/** Messages/s from publish to `groups` consumer groups (all handled), plus `watchers` watch taps. */
async function busRate(data: Message[][], rounds: number, groups: number, watchers: number): Promise<number> {
  const bus = createEmbeddedBus();
  const total = rounds * data.length * BATCH;
  let handled = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  for (let g = 0; g < groups; g++) {
    await bus.consume('bench', `g${g}`, async (batch) => {
      handled += batch.length;
      if (handled === total * groups) done();
    }, { maxBatch: BATCH });
  }
  let seen = 0;
  for (let w = 0; w < watchers; w++) bus.watch('bench').subscribe(() => seen++);
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const b of data) await bus.publish('bench', b);
  await finished;
  const dt = performance.now() - t0;
  await bus.close();
  if (seen !== total * watchers) throw new Error('watch lost messages');
  return (total / dt) * 1000;
}

const bench: Bench = async ({ quick }) => {
  const data = batches('bench', 100);
  const rounds = quick ? 5 : 30;
  // Warm both paths so the JIT has compiled them before measuring.
  subjectRate(data, 2);
  await busRate(data, 2, 1, 0);
  const best = async (f: () => number | Promise<number>): Promise<number> => {
    let b = 0;
    for (let i = 0; i < 3; i++) b = Math.max(b, await f());
    return b;
  };
  const baseline = await best(() => subjectRate(data, rounds));
  const one = await best(() => busRate(data, rounds, 1, 0));
  const fan = await best(() => busRate(data, rounds, 2, 1));
  const rows: BenchRow[] = [
    {
      name: 'embedded bus publish->consume, batches of 1,000',
      unit: 'msg/s',
      value: one,
      baseline: 'bare RxJS Subject.next loop',
      baselineValue: baseline,
      goal: '>= 500000',
      note: `${(rounds * data.length * BATCH).toLocaleString('en-US')} messages, best of 3`,
    },
    {
      name: 'embedded bus publish->2 groups + 1 watch, batches of 1,000',
      unit: 'msg/s',
      value: fan,
      baseline: 'bare RxJS Subject.next loop',
      baselineValue: baseline,
      note: 'messages published per second; each handled twice and watched once',
    },
  ];
  return rows;
};

export default bench;
