import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lastValueFrom, toArray } from 'rxjs';
import { paced, pacedBatches, parseSpeed } from './pace.ts';

const items = (n: number, stepMicros: number) => Array.from({ length: n }, (_, i) => ({ i, ts: i * stepMicros }));

describe('pacing a tape', () => {
  test('parseSpeed reads max, realtime and multiples, and names a bad value', () => {
    assert.equal(parseSpeed('max'), 'max');
    assert.equal(parseSpeed('realtime'), 1);
    assert.equal(parseSpeed('10x'), 10);
    assert.equal(parseSpeed('2.5'), 2.5);
    assert.throws(() => parseSpeed('fast'), /speed: expected "max", "realtime" or a positive multiple like "10x", got "fast"/);
    assert.throws(() => parseSpeed('-1x'), /got "-1x"/);
  });

  test('flat out, every item comes once, in order, in batches of at most maxBatch', async () => {
    const sizes: number[] = [];
    const seen: number[] = [];
    for await (const b of pacedBatches(items(10_000, 1_000_000), { speed: 'max', time: (x) => x.ts, maxBatch: 4096 })) {
      sizes.push(b.length);
      seen.push(...b.map((x) => x.i));
    }
    assert.deepEqual(sizes, [4096, 4096, 1808]);
    assert.deepEqual(seen, Array.from({ length: 10_000 }, (_, i) => i));
  });

  test('paced by event time: items due together go out together; an async tape works the same', async () => {
    // 1,000x real time: 0 and 1 ms of event time are due at once, then 1 s of event time waits 1 ms.
    const tape = [{ i: 0, ts: 0 }, { i: 1, ts: 1000 }, { i: 2, ts: 1_000_000 }, { i: 3, ts: 1_000_500 }];
    async function* asyncTape() {
      yield* tape;
    }
    for (const source of [tape, asyncTape()]) {
      const batches: number[][] = [];
      for await (const b of pacedBatches(source, { speed: 1000, time: (x) => x.ts })) batches.push(b.map((x) => x.i));
      assert.deepEqual(batches, [[0, 1], [2, 3]]);
    }
  });

  test('a flat-out tape read by a consumer that never waits still lets timers run', async () => {
    let timerRanAt = -1;
    let consumed = 0;
    setTimeout(() => (timerRanAt = consumed), 0);
    // Enough work for well over the busy limit, with a consumer that takes each batch without awaiting anything.
    function* tape() {
      for (let i = 0; i < 2_000_000; i++) yield { ts: i };
    }
    for await (const b of pacedBatches(tape(), { speed: 'max', time: (x) => x.ts, maxBatch: 1000 })) consumed += b.length;
    assert.equal(consumed, 2_000_000);
    assert.ok(timerRanAt >= 0 && timerRanAt < consumed, `the timer ran only after the tape ended (at ${timerRanAt})`);
  });

  test('a closed market is skipped, not slept through: a night between two sessions takes no wall time', { timeout: 20_000 }, async () => {
    const s = 1e6;
    const tape = [0, 1 * s, 86_400 * s, 86_401 * s].map((ts) => ({ ts }));
    const got: number[][] = [];
    for await (const b of pacedBatches(tape, { speed: 10, time: (x) => x.ts })) got.push(b.map((x) => x.ts / s));
    assert.deepEqual(got.flat(), [0, 1, 86_400, 86_401]);
    await assert.rejects(pacedBatches(tape, { speed: 1, time: (x) => x.ts, maxGapSeconds: -1 }).next(), /maxGapSeconds/);
  });

  test('aborting stops the tape, and the iterator is closed', async () => {
    let closed = false;
    function* endless() {
      try {
        for (let i = 0; ; i++) yield { i, ts: i };
      } finally {
        closed = true;
      }
    }
    const ac = new AbortController();
    let n = 0;
    for await (const b of pacedBatches(endless(), { speed: 'max', time: (x) => x.ts, maxBatch: 100, signal: ac.signal })) {
      n += b.length;
      if (n >= 300) ac.abort();
    }
    assert.equal(n, 300);
    assert.ok(closed);
  });

  test('the Observable form emits the same items and completes', async () => {
    const out = await lastValueFrom(paced(items(5000, 1), { speed: 'max', time: (x) => x.ts }).pipe(toArray()));
    assert.deepEqual(out.map((x) => x.i), Array.from({ length: 5000 }, (_, i) => i));
  });
});
