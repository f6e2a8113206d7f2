/**
 * Replays through the live topology into embedded ClickHouse: determinism (two replays of one
 * tape store identical rows, per-topic hashes and row by row), resume after a cancel equals an
 * uninterrupted run, a tape read back from the store, refusals with clear errors, and a real CBOE
 * chain snapshot that must publish a surface with a Heston calibration when the tape ends.
 * libchdb binds one data folder per process, so the whole file shares one.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TOPICS } from '../bus/topics.ts';
import { openStore, type Store } from '../store/client.ts';
import { compareRuns, topicValues } from '../store/analyst-queries.ts';
import { REAL_DATA_DIR, skipWithoutRealData } from '../ticks/real-data.ts';
import type { SurfacePayload } from '../../streams/surface.ts';
import { readCheckpoint } from './checkpoint.ts';
import { runDigest } from './digest.ts';
import type { ReplayProgress } from './progress.ts';
import { runReplay } from './run-replay.ts';
import { writeSimTape } from './sim-tape-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'volrisk-replay-'));
const tapeA = join(dir, 'a.ndjson');
const tapeB = join(dir, 'b.ndjson');
let store: Store;
const N = 12_000;

before(async () => {
  // 12 s of market time before the close (New York): the minute, 5-minute and daily bars close
  // when the tape ends, so every stage has output.
  await writeSimTape(tapeA, { seed: 11, maxTicks: N, start: '2024-01-02T15:59:30' });
  await writeSimTape(tapeB, { seed: 12, maxTicks: N, start: '2024-01-02T15:59:30' });
  store = await openStore({ dataDir: join(dir, 'data') });
});
after(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const files = (f: string) => ({ kind: 'files' as const, files: [f] });

describe('replay', () => {
  test('two replays of one tape store identical rows on every topic', { timeout: 120_000 }, async () => {
    const progress: ReplayProgress[] = [];
    const r1 = await runReplay({ run: 'det-1', tape: files(tapeA), checkpointEvery: 2_000 }, { store, onProgress: (p) => progress.push(p) });
    const r2 = await runReplay({ run: 'det-2', tape: files(tapeA), speed: '1000x' }, { store });
    assert.equal(r1.status, 'done');
    assert.equal(r2.status, 'done');
    assert.equal(r1.counts.accepted, N);
    const [d1, d2] = [await runDigest(store, 'det-1'), await runDigest(store, 'det-2')];
    assert.deepEqual(d1, d2);
    // Every stage of the live topology wrote something, so the equality above covers them.
    for (const t of [TOPICS.ticksRaw, TOPICS.bars, TOPICS.variance, TOPICS.surface]) assert.ok(d1[t].rows > 0, `${t} has rows`);
    assert.equal(d1[TOPICS.ticksRaw].rows, N);
    for (const t of [TOPICS.bars, TOPICS.surface]) assert.equal((await compareRuns(store, { topic: t, a: 'det-1', b: 'det-2' })).identical, true, t);
    // Checkpoints were taken on the way, and progress ended with `done` at the tape's end.
    const cp = await readCheckpoint(store, 'det-1');
    assert.equal(cp?.status, 'done');
    assert.ok(cp!.version >= 4, `checkpoints: ${cp!.version}`);
    assert.equal(progress.at(-1)?.status, 'done');
    assert.equal(progress.at(-1)?.position, N);
    // A finished run is not replayed again.
    const again = await runReplay({ run: 'det-1', tape: files(tapeA) }, { store });
    assert.equal(again.alreadyDone, true);
  });

  test('another tape gives other rows, and the comparison says where', { timeout: 60_000 }, async () => {
    await runReplay({ run: 'other', tape: files(tapeB) }, { store });
    const c = await compareRuns(store, { topic: TOPICS.bars, a: 'det-1', b: 'other', details: 3 });
    assert.equal(c.identical, false);
    assert.ok(c.keys.some((k) => k.different > 0));
    assert.equal(c.differences.length, 3);
    assert.notDeepEqual(c.differences[0].payloadA, c.differences[0].payloadB);
  });

  test('a replay cancelled after a checkpoint resumes with the same run id to the same rows', { timeout: 120_000 }, async () => {
    const ac = new AbortController();
    const first = await runReplay(
      { run: 'resume', tape: files(tapeA), checkpointEvery: 2_000 },
      { store, signal: ac.signal, onCheckpoint: (c) => c.position >= 4_000 && ac.abort() },
    );
    assert.equal(first.status, 'cancelled');
    assert.ok(first.position < N);
    const cp = await readCheckpoint(store, 'resume');
    assert.equal(cp?.status, 'cancelled');
    // Nothing of the flush at the tape's end is stored yet.
    assert.ok((await runDigest(store, 'resume', [TOPICS.ticksRaw]))[TOPICS.ticksRaw].rows < N);
    const second = await runReplay({ run: 'resume', tape: files(tapeA), checkpointEvery: 2_000 }, { store });
    assert.equal(second.status, 'done');
    assert.equal(second.resumedFrom, cp!.position);
    assert.deepEqual(await runDigest(store, 'resume'), await runDigest(store, 'det-1'));
  });

  test('a tape read back from the store between two times replays the ticks in that range', { timeout: 60_000 }, async () => {
    const ticks = await topicValues(store, { run: 'det-1', topic: TOPICS.ticksRaw, limit: 1_000_000 });
    const from = ticks[2_000].ts;
    const to = ticks[8_000].ts;
    const inRange = ticks.filter((t) => t.ts >= from && t.ts < to).length;
    const r = await runReplay({ run: 'from-store', tape: { kind: 'store', run: 'det-1', from, to } }, { store });
    assert.equal(r.status, 'done');
    assert.equal(r.counts.accepted, inRange);
    const d = await runDigest(store, 'from-store');
    assert.equal(d[TOPICS.ticksRaw].rows, inRange);
    assert.ok(d[TOPICS.bars].rows > 0);
  });

  test('refusals name what is wrong', async () => {
    await assert.rejects(runReplay({ run: 'det-1', tape: files(tapeB) }, { store }), /already holds a replay of another tape/);
    await assert.rejects(runReplay({ run: 'live', tape: files(tapeA) }, { store }), /"live" is the live engine/);
    await assert.rejects(runReplay({ run: 'bad id', tape: files(tapeA) }, { store }), /run: "bad id" is not a run id/);
    await assert.rejects(runReplay({ run: 'x', tape: files(join(dir, 'missing.ndjson')) }, { store }), /missing\.ndjson: not a readable file/);
    await assert.rejects(runReplay({ run: 'x', tape: files(tapeA), speed: 'fast' }, { store }), /speed/);
    await assert.rejects(runReplay({ run: 'x', tape: { kind: 'store', run: 'det-1', from: 10, to: 5 } }, { store }), /from \(10\) and to \(5\)/);
  });

  test(
    'a single real CBOE chain snapshot publishes a surface with a Heston calibration at the end of the tape',
    { skip: skipWithoutRealData('spx-options/2024-01-05/spx_quotedata.csv'), timeout: 120_000 },
    async () => {
      const chain = resolve(REAL_DATA_DIR, 'spx-options/2024-01-05/spx_quotedata.csv');
      const r = await runReplay({ run: 'chain-2024-01-05', tape: files(chain) }, { store });
      assert.equal(r.status, 'done');
      assert.ok(r.counts.accepted > 10_000, `accepted ${r.counts.accepted}`);
      const rows = await topicValues(store, { run: 'chain-2024-01-05', topic: TOPICS.surface });
      // Every quote of a snapshot carries the same time, so no check point comes before the
      // end: the one surface is the flush when the tape completes.
      assert.equal(rows.length, 1);
      const s = rows[0].payload as SurfacePayload;
      assert.ok(s.heston, `a Heston calibration (${JSON.stringify((s as { hestonError?: unknown }).hestonError)})`);
      const p = s.heston.params;
      // A calibration to an equity index smile: negative spot-vol correlation, v0 near the
      // short-dated ATM variance (VIX closed at 13.35 on 2024-01-05, CBOE VIX history).
      assert.ok(p.rho < 0, `rho ${p.rho}`);
      assert.ok(p.v0 > 0.05 ** 2 && p.v0 < 0.3 ** 2, `v0 ${p.v0}`);
      assert.ok(s.heston.rmseExact < 0.02, `exact IV RMSE ${s.heston.rmseExact}`);
      assert.equal((s.heston as unknown as { ms?: number }).ms, undefined, 'no wall-clock duration in a stored row');
    },
  );
});
