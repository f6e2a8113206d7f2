/**
 * The delivery contract of bus.ts as a test suite, run unchanged against every Bus
 * implementation (embedded.test.ts, kafka.test.ts). Each test uses fresh topics and groups, so
 * the suite can run concurrently against one cluster. Waits poll for an outcome and give up
 * after `timeoutMs` with a message saying what never happened; nothing asserts on time.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Bus, Consumer } from './bus.ts';
import { messageId, type Message } from './message.ts';

export interface ContractOptions {
  /** Creates a topic before a test uses it (the Kafka mock cannot create topics through the admin API). */
  createTopic?: (bus: Bus, topic: string, partitions: number) => Promise<void>;
  /** How long to wait for an expected delivery before failing (default 5,000 ms). */
  timeoutMs?: number;
  /** Runs the tests concurrently (Kafka group joins take seconds each). */
  concurrent?: boolean;
  /** Partitions per test topic (default 3). */
  partitions?: number;
}

/** Builds a fresh bus per test; it should retry rejected batches after a short backoff (<= 50 ms). */
export type MakeBus = () => Bus | Promise<Bus>;

/** Messages `from`..`from + n - 1` over `keys` keys, seq strictly increasing per key from `seq0 + 1`. */
export function makeMessages(topic: string, n: number, keys: number, from = 0, seq0 = 0): Message[] {
  const out: Message[] = [];
  for (let i = from; i < from + n; i++) {
    out.push({
      topic,
      key: `k${i % keys}`,
      seq: seq0 + Math.floor(i / keys) + 1,
      ts: 1_700_000_000_000_000 + i,
      run: 'contract',
      payload: { i, label: `m${i}`, nested: { x: i / 7, tags: ['a', 'ü'] } },
    });
  }
  return out;
}

/** Records every batch a handler receives; `fail` decides per call whether to reject it. */
export class Recorder {
  readonly batches: Message[][] = [];
  readonly handled: Message[] = [];
  calls = 0;
  constructor(private readonly behaviour: (call: number, batch: readonly Message[]) => Promise<void> | void = () => {}) {}

  readonly handle = async (batch: readonly Message[]): Promise<void> => {
    const call = ++this.calls;
    this.batches.push([...batch]);
    await this.behaviour(call, batch);
    for (const m of batch) this.handled.push(m);
  };

  /** Ids handled (by successful calls), as a set. */
  ids(): Set<string> {
    return new Set(this.handled.map(messageId));
  }
}

/** Polls `cond` every 10 ms; fails with `what` if it has not held within `timeoutMs`. */
export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) assert.fail(`gave up waiting after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A promise with its resolve, to hold a handler until the test releases it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

const sameIds = (got: Iterable<string>, want: readonly Message[]): void =>
  assert.deepEqual([...got].sort(), want.map(messageId).sort());

/** Registers the contract tests for one Bus implementation under `describe(name)`. */
export function runBusContract(name: string, makeBus: MakeBus, opts: ContractOptions = {}): void {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const partitions = opts.partitions ?? 3;
  const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  let n = 0;

  /** A fresh bus and fresh, created topics for one test; closes the bus afterwards. */
  async function withBus(topicCount: number, body: (bus: Bus, topics: string[]) => Promise<void>): Promise<void> {
    const bus = await makeBus();
    try {
      const topics = Array.from({ length: topicCount }, () => `contract.${runId}.${++n}`);
      for (const t of topics) {
        if (opts.createTopic) await opts.createTopic(bus, t, partitions);
        else await bus.ensureTopics([{ topic: t, partitions }]);
      }
      await body(bus, topics);
    } finally {
      await bus.close();
    }
  }

  describe(`Bus contract: ${name}`, { concurrency: opts.concurrent ?? false }, () => {
    test('round trip: messages published before a group joins reach it whole, envelope intact', () =>
      withBus(1, async (bus, [topic]) => {
        const sent = makeMessages(topic, 50, 5);
        await bus.publish(topic, sent);
        const rec = new Recorder();
        await bus.consume(topic, `g-${runId}-rt`, rec.handle);
        await waitFor(() => rec.handled.length >= sent.length, timeoutMs, 'all 50 messages consumed');
        const byId = (a: Message, b: Message): number => (messageId(a) < messageId(b) ? -1 : 1);
        assert.deepEqual([...rec.handled].sort(byId), [...sent].sort(byId));
      }));

    test('per-key order holds and batches respect maxBatch', () =>
      withBus(1, async (bus, [topic]) => {
        const rec = new Recorder();
        await bus.consume(topic, `g-${runId}-order`, rec.handle, { maxBatch: 64 });
        const sent = makeMessages(topic, 1000, 7);
        for (let i = 0; i < 1000; i += 100) await bus.publish(topic, sent.slice(i, i + 100));
        await waitFor(() => rec.handled.length >= 1000, timeoutMs, '1000 messages consumed');
        assert.equal(rec.handled.length, 1000, 'no duplicates without failures');
        assert.ok(rec.batches.every((b) => b.length >= 1 && b.length <= 64), 'every batch has 1..64 messages');
        const seqs = new Map<string, number[]>();
        for (const m of rec.handled) seqs.set(m.key, [...(seqs.get(m.key) ?? []), m.seq]);
        assert.equal(seqs.size, 7);
        for (const [key, s] of seqs) {
          assert.deepEqual(s, s.map((_, i) => i + 1), `key ${key} in order`);
        }
      }));

    test('each group gets every message once, independently of another group', () =>
      withBus(1, async (bus, [topic]) => {
        const a = new Recorder();
        const b = new Recorder();
        await bus.consume(topic, `g-${runId}-a`, a.handle);
        await bus.consume(topic, `g-${runId}-b`, b.handle);
        const sent = makeMessages(topic, 300, 11);
        await bus.publish(topic, sent);
        await waitFor(() => a.handled.length >= 300 && b.handled.length >= 300, timeoutMs, 'both groups got 300');
        assert.equal(a.handled.length, 300, 'group a: no duplicates');
        assert.equal(b.handled.length, 300, 'group b: no duplicates');
        sameIds(a.ids(), sent);
        sameIds(b.ids(), sent);
      }));

    test('one group name on two topics keeps a separate position per topic', () =>
      withBus(2, async (bus, [ta, tb]) => {
        const group = `g-${runId}-two-topics`;
        const a = new Recorder();
        const b = new Recorder();
        await bus.consume(ta, group, a.handle);
        await bus.consume(tb, group, b.handle);
        const sa = makeMessages(ta, 120, 6);
        const sb = makeMessages(tb, 80, 4);
        await bus.publish(ta, sa);
        await bus.publish(tb, sb);
        await waitFor(() => a.ids().size >= 120 && b.ids().size >= 80, timeoutMs, 'both topics fully delivered');
        sameIds(a.ids(), sa);
        sameIds(b.ids(), sb);
        await waitFor(
          () => bus.lag()[`${group}/${ta}`] === 0 && bus.lag()[`${group}/${tb}`] === 0,
          timeoutMs,
          'lag 0 on both topics',
        );
      }));

    test('two members of one group split the keys and together see everything', () =>
      withBus(1, async (bus, [topic]) => {
        const group = `g-${runId}-split`;
        const m1 = new Recorder();
        const m2 = new Recorder();
        await bus.consume(topic, group, m1.handle, { maxBatch: 50 });
        await bus.consume(topic, group, m2.handle, { maxBatch: 50 });
        const sent = makeMessages(topic, 600, 30);
        await bus.publish(topic, sent);
        await waitFor(() => new Set([...m1.ids(), ...m2.ids()]).size >= 600, timeoutMs, 'the two members saw all 600');
        sameIds(new Set([...m1.ids(), ...m2.ids()]), sent);
        assert.ok(m1.handled.length > 0 && m2.handled.length > 0, 'both members got a share');
        const keys1 = new Set(m1.handled.map((m) => m.key));
        const shared = m2.handled.filter((m) => keys1.has(m.key)).map((m) => m.key);
        assert.deepEqual([...new Set(shared)], [], 'no key went to both members');
      }));

    test('at-least-once: a rejected batch is redelivered whole and nothing is skipped', () =>
      withBus(1, async (bus, [topic]) => {
        const rec = new Recorder((call) => {
          if (call === 1) throw new Error('handler fails once (expected in this test)');
        });
        const group = `g-${runId}-retry`;
        await bus.consume(topic, group, rec.handle, { maxBatch: 40 });
        const sent = makeMessages(topic, 100, 3);
        await bus.publish(topic, sent);
        await waitFor(() => rec.ids().size >= 100, timeoutMs, 'all 100 handled after the failure');
        assert.ok(rec.batches.length >= 2);
        assert.deepEqual(rec.batches[1].map(messageId), rec.batches[0].map(messageId), 'second call = the same batch');
        sameIds(rec.ids(), sent);
        assert.equal(rec.handled.length, 100, 'handled once each after the retry');
        await waitFor(() => bus.lag()[`${group}/${topic}`] === 0, timeoutMs, 'lag back to 0');
      }));

    test('a new member of a stopped group resumes after the handled position', () =>
      withBus(1, async (bus, [topic]) => {
        const group = `g-${runId}-resume`;
        const first = makeMessages(topic, 100, 4);
        const second = makeMessages(topic, 100, 4, 100);
        const a = new Recorder();
        const ca = await bus.consume(topic, group, a.handle);
        await bus.publish(topic, first);
        await waitFor(() => a.handled.length >= 100, timeoutMs, 'member A handled the first 100');
        await ca.stop();
        await bus.publish(topic, second);
        const b = new Recorder();
        await bus.consume(topic, group, b.handle);
        await waitFor(() => b.ids().size >= 100, timeoutMs, 'member B handled the second 100');
        sameIds(b.ids(), second);
        assert.equal(b.handled.length, 100, 'nothing handled twice');
      }));

    test('stop() waits for the batch in flight and keeps its position', () =>
      withBus(1, async (bus, [topic]) => {
        const group = `g-${runId}-stop`;
        const hold = gate();
        const a = new Recorder(async (call) => {
          if (call === 1) await hold.promise;
        });
        const ca: Consumer = await bus.consume(topic, group, a.handle);
        await bus.publish(topic, makeMessages(topic, 60, 3));
        await waitFor(() => a.calls >= 1, timeoutMs, 'member A received a batch');
        let stopped = false;
        const stopping = ca.stop().then(() => (stopped = true));
        try {
          await new Promise((r) => setTimeout(r, 50));
          assert.equal(stopped, false, 'stop() must wait for the batch in flight');
        } finally {
          hold.open();
        }
        await stopping;
        const handledByA = a.ids();
        assert.ok(handledByA.size > 0);
        const rest = makeMessages(topic, 60, 3).filter((m) => !handledByA.has(messageId(m)));
        const later = makeMessages(topic, 30, 3, 60);
        await bus.publish(topic, later);
        const b = new Recorder();
        await bus.consume(topic, group, b.handle);
        const want = [...rest, ...later];
        await waitFor(() => b.ids().size >= want.length, timeoutMs, 'member B handled what A had not');
        sameIds(b.ids(), want);
      }));

    test('watch sees messages published after it subscribes, in key order, and none from before', () =>
      withBus(1, async (bus, [topic]) => {
        await bus.publish(topic, makeMessages(topic, 20, 2).map((m) => ({ ...m, run: 'old' })));
        const seen: Message[] = [];
        const sub = bus.watch(topic).subscribe((m) => seen.push(m));
        try {
          let probes = 0;
          // A Kafka watch becomes live only after its group join: probe until one arrives.
          await waitFor(
            () => {
              if (seen.some((m) => m.run === 'probe')) return true;
              if (probes++ % 20 === 0) void bus.publish(topic, [{ ...makeMessages(topic, 1, 1)[0], run: 'probe', seq: probes }]);
              return false;
            },
            timeoutMs,
            'watch received a probe',
          );
          const sent = makeMessages(topic, 50, 5);
          await bus.publish(topic, sent);
          await waitFor(() => seen.filter((m) => m.run === 'contract').length >= 50, timeoutMs, 'watch got all 50');
          assert.equal(seen.filter((m) => m.run === 'old').length, 0, 'nothing published before subscribing');
          const got = seen.filter((m) => m.run === 'contract');
          sameIds(got.map(messageId), sent);
          for (const k of ['k0', 'k1', 'k2', 'k3', 'k4']) {
            const s = got.filter((m) => m.key === k).map((m) => m.seq);
            assert.deepEqual(s, [...s].sort((x, y) => x - y), `watch keeps key ${k} in order`);
          }
          assert.deepEqual(bus.lag(), {}, 'watching joins no consumer group of the bus');
        } finally {
          sub.unsubscribe();
        }
      }));

    test('lag counts unhandled messages, then returns to 0', () =>
      withBus(1, async (bus, [topic]) => {
        const group = `g-${runId}-lag`;
        const hold = gate();
        const rec = new Recorder(async (call) => {
          if (call === 1) await hold.promise;
        });
        await bus.consume(topic, group, rec.handle, { maxBatch: 10 });
        await bus.publish(topic, makeMessages(topic, 100, 5));
        await waitFor(() => rec.calls >= 1, timeoutMs, 'handler called');
        const during = bus.lag()[`${group}/${topic}`];
        hold.open();
        assert.ok(during > 0 && during <= 100, `lag while held is in (0, 100], got ${during}`);
        await waitFor(() => rec.handled.length >= 100, timeoutMs, 'all 100 handled');
        await waitFor(() => bus.lag()[`${group}/${topic}`] === 0, timeoutMs, 'lag back to 0');
      }));

    test('bad input is refused with an error naming it', () =>
      withBus(1, async (bus, [topic]) => {
        await assert.rejects(bus.publish('no spaces allowed', []), /bad topic name "no spaces allowed"/);
        const wrong = makeMessages('elsewhere', 1, 1);
        await assert.rejects(bus.publish(topic, wrong), /message 0 has topic "elsewhere", expected/);
        await assert.rejects(bus.consume(topic, `g-${runId}-bad`, rec0, { maxBatch: 0 }), /maxBatch must be a positive integer/);
      }));
  });
}

const rec0 = async (): Promise<void> => {};
