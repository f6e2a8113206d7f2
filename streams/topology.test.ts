/**
 * The topology's two schedules on the embedded bus: in lockstep a stage with two inputs (ticks
 * and the bars made from them) sees one fixed order of its inputs whatever the batching of the
 * tape, and `finish` carries what the bars stage flushes at the end of the tape on to it; the
 * live schedule's `finish` flushes every stage in flow order too.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Observable } from 'rxjs';
import { createEmbeddedBus } from '../src/bus/embedded.ts';
import type { Message, Output } from '../src/bus/message.ts';
import { ALL_TOPICS, TOPICS } from '../src/bus/topics.ts';
import type { Tick } from '../src/ticks/schema.ts';
import { barsStage } from './bars.ts';
import type { Stage } from './stage.ts';
import { startTopology } from './topology.ts';

const T0 = Date.parse('2024-01-02T15:00:00Z') * 1000;

/** SPX prints every 15 s for 10 minutes. */
function ticks(): Message<Tick>[] {
  return Array.from({ length: 40 }, (_, i) => {
    const ts = T0 + i * 15_000_000;
    return { topic: TOPICS.ticksRaw, key: 'SPX', seq: i + 1, ts, run: 't', payload: { kind: 'index', symbol: 'SPX', price: 4700 + ((i * 7) % 11), ts } as Tick };
  });
}

/** Emits, for every input message, which topic and sequence it saw, in the order it saw them. */
const witness: Stage = {
  name: 'witness',
  inputs: [TOPICS.ticksRaw, TOPICS.bars],
  output: TOPICS.risk,
  operator: () => (source) =>
    new Observable<Output>((sub) =>
      source.subscribe({
        next: (m) => sub.next({ key: 'order', ts: m.ts, payload: `${m.topic}/${m.key}/${m.seq}` }),
        error: (e) => sub.error(e),
        complete: () => sub.complete(),
      }),
    ),
};

async function run(batch: number, lockstep: boolean): Promise<string[]> {
  const bus = createEmbeddedBus();
  await bus.ensureTopics(ALL_TOPICS.map((topic) => ({ topic })));
  const seen: string[] = [];
  const tap = bus.watch(TOPICS.risk).subscribe((m) => seen.push(m.payload as string));
  const topology = await startTopology(bus, [barsStage as Stage, witness], { run: 't', lockstep });
  const all = ticks();
  for (let i = 0; i < all.length; i += batch) {
    await bus.publish(TOPICS.ticksRaw, all.slice(i, i + batch));
    // Let consumers run between batches, as a paced tape would.
    await new Promise((r) => setTimeout(r, 1));
  }
  await topology.finish();
  tap.unsubscribe();
  await topology.stop();
  await bus.close();
  return seen;
}

describe('topology', () => {
  test('lockstep: a two-input stage sees the same order of its inputs whatever the batching', async () => {
    const one = await run(1, true);
    const all = await run(40, true);
    const sevens = await run(7, true);
    assert.deepEqual(all, one);
    assert.deepEqual(sevens, one);
    // Depth first in stage order: the print that closes a minute goes through the bars stage
    // first, whose bar reaches the witness before the print itself does; and the bars flushed at
    // the end of the tape (the last minute, 5 minutes and day) reach the witness too.
    assert.equal(one.filter((x) => x.startsWith('ticks.raw/')).length, 40);
    assert.ok(one.indexOf('bars/SPX:1m/1') === one.indexOf('ticks.raw/SPX/5') - 1, one.slice(0, 8).join(' '));
    assert.ok(one.includes('bars/SPX:1d/1'), 'the daily bar flushed at the end');
  });

  test('live schedule: finish flushes the stages in flow order, so the flushed bars reach the next stage', async () => {
    const seen = await run(40, false);
    assert.equal(seen.filter((x) => x.startsWith('ticks.raw/')).length, 40);
    assert.ok(seen.includes('bars/SPX:1d/1'));
    assert.ok(seen.includes('bars/SPX:5m/2'));
  });
});
