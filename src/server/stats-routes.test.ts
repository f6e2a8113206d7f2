/**
 * `/api/stats` over a real EngineMetrics registry behind the real server (auth included), and
 * the histogram quantile it reports, against Prometheus' own algorithm (promql/quantile.go,
 * bucketQuantile: linear interpolation inside the bucket holding the rank, the first bucket
 * starting at 0, a rank in the +Inf bucket answered with the highest finite bound).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildServer } from './app.ts';
import { parseApiKeys } from './auth.ts';
import { TopicHub } from './hub.ts';
import { EngineMetrics } from './metrics.ts';
import { histogramQuantile, statsRoutes, type EngineStats } from './stats-routes.ts';

describe('histogramQuantile', () => {
  const bounds = [0.1, 0.5, 1, Infinity];
  test('interpolates inside the bucket holding the rank, as Prometheus does', () => {
    // 10 observations <= 0.1, 20 in (0.1, 0.5], 10 in (0.5, 1]. Median: rank 20, 10 into the
    // second bucket of 20 -> 0.1 + 0.4 * 10/20 = 0.3 (bucketQuantile's formula, by hand).
    const cum = [10, 30, 40, 40];
    assert.ok(Math.abs(histogramQuantile(0.5, bounds, cum)! - 0.3) < 1e-12);
    // q = 0.9: rank 36, 6 of 10 into (0.5, 1] -> 0.8.
    assert.ok(Math.abs(histogramQuantile(0.9, bounds, cum)! - 0.8) < 1e-12);
    // First bucket starts at 0: q = 0.1, rank 4 of 10 in [0, 0.1] -> 0.04.
    assert.ok(Math.abs(histogramQuantile(0.1, bounds, cum)! - 0.04) < 1e-12);
  });

  test('a rank in the +Inf bucket is the highest finite bound; an empty histogram has none', () => {
    assert.equal(histogramQuantile(0.99, bounds, [0, 0, 1, 10]), 1);
    assert.equal(histogramQuantile(0.5, bounds, [0, 0, 0, 0]), null);
  });

  test('bad input is refused with what was wrong', () => {
    assert.throws(() => histogramQuantile(1.5, bounds, [1, 1, 1, 1]), /q must lie in \[0, 1\], got 1.5/);
    assert.throws(() => histogramQuantile(0.5, bounds, [1, 1]), /4 bounds but 2 counts/);
  });

  test('properties: monotone in q, inside [0, top finite bound]; uniform data in one bucket gives a + (b - a) q', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { minLength: 4, maxLength: 4 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (counts, q1, q2) => {
        const cum = counts.map((_, i) => counts.slice(0, i + 1).reduce((a, b) => a + b, 0));
        const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
        const a = histogramQuantile(lo, bounds, cum), b = histogramQuantile(hi, bounds, cum);
        if (cum[3] === 0) return a === null && b === null;
        return a !== null && b !== null && a <= b + 1e-12 && a >= 0 && b <= 1;
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.001, max: 1, noNaN: true }), (n, q) => {
        // Every observation in (0.1, 0.5]: the quantile is 0.1 + 0.4 q.
        const v = histogramQuantile(q, bounds, [0, n, n, n])!;
        return Math.abs(v - (0.1 + 0.4 * q)) < 1e-12;
      }),
    );
  });
});

describe('GET /api/stats', () => {
  const KEY = 'dashboard-key-0123456789';
  let app: FastifyInstance;
  let metrics: EngineMetrics;
  let clients = 3;
  const get = async (key?: string) => app.inject({ method: 'GET', url: '/api/stats', headers: key ? { authorization: `Bearer ${key}` } : {} });

  before(async () => {
    metrics = new EngineMetrics({ busLag: () => ({ 'stage.bars/ticks.raw': 7, 'store/bars': 2 }), sinkQueue: () => ({ all: 42 }), wsClients: () => clients });
    app = await buildServer({
      hub: new TopicHub(['bars'], 10),
      metrics,
      auth: parseApiKeys(`${KEY}:dashboard`),
      logger: pino({ level: 'silent' }),
      notReady: () => undefined,
      info: () => ({}),
      maxBufferedBytes: 1 << 20,
      plugins: [statsRoutes(metrics)],
    });
  });

  after(async () => {
    await app?.close();
  });

  test('needs a key when the engine is not open', async () => {
    assert.equal((await get()).statusCode, 401);
    assert.equal((await get('wrong-key-wrong-key-1')).statusCode, 401);
  });

  test('reports counts, rejects by reason, bus lag, sink queue, clients and stage quantiles from the registry', async () => {
    metrics.ticksIn.inc({ kind: 'index' }, 30);
    metrics.ticksIn.inc({ kind: 'option' }, 70);
    metrics.rejects.inc({ reason: 'crossed' }, 2);
    metrics.rejects.inc({ reason: 'duplicate' }, 1);
    metrics.stageErrors.inc({ stage: 'surface' });
    // bars: 10 batches of 0.2 ms and 10 of 3 ms -> p50 at the top of the 0.2 ms bucket (0.0001, 0.0005].
    for (let i = 0; i < 10; i++) metrics.stageLatency.observe({ stage: 'bars' }, 0.0002);
    for (let i = 0; i < 10; i++) metrics.stageLatency.observe({ stage: 'bars' }, 0.003);
    const res = await get(KEY);
    assert.equal(res.statusCode, 200);
    const s = res.json() as EngineStats;
    assert.equal(s.ticksTotal, 100);
    assert.deepEqual(s.ticksByKind, { index: 30, option: 70 });
    assert.equal(s.rejectsTotal, 3);
    assert.deepEqual(s.rejectsByReason, { crossed: 2, duplicate: 1 });
    assert.deepEqual(s.busLag, { 'stage.bars/ticks.raw': 7, 'store/bars': 2 });
    assert.equal(s.busLagTotal, 9);
    assert.deepEqual(s.sinkQueue, { all: 42 });
    assert.equal(s.clients, 3);
    assert.equal(s.latencyCapMs, 1000);
    const bars = s.stages.find((x) => x.stage === 'bars')!;
    assert.equal(bars.batches, 20);
    // Rank 10 of 20 is the last of the (0.1 ms, 0.5 ms] bucket: its top, 0.5 ms.
    assert.ok(Math.abs(bars.p50Ms! - 0.5) < 1e-9, `p50 ${bars.p50Ms}`);
    // Rank 19.8: 9.8 of 10 into (2.5 ms, 5 ms] -> 2.5 + 2.5 * 0.98 = 4.95 ms.
    assert.ok(Math.abs(bars.p99Ms! - 4.95) < 1e-9, `p99 ${bars.p99Ms}`);
    assert.deepEqual(s.stages.find((x) => x.stage === 'surface'), { stage: 'surface', batches: 0, p50Ms: null, p99Ms: null, errors: 1 });
    assert.ok(s.instance.length > 0 && s.rssBytes > 0);
  });

  test('rates and quantiles are over the window since an earlier sample, not since start', async () => {
    const first = (await get(KEY)).json() as EngineStats;
    await new Promise((r) => setTimeout(r, 600));
    metrics.ticksIn.inc({ kind: 'future' }, 50);
    for (let i = 0; i < 4; i++) metrics.stageLatency.observe({ stage: 'bars' }, 0.02);
    clients = 5;
    const s = (await get(KEY)).json() as EngineStats;
    assert.equal(s.instance, first.instance, 'one server, one instance id');
    assert.ok(s.windowS >= 0.5, `window ${s.windowS}`);
    assert.ok(Math.abs(s.ticksPerSecond - 50 / s.windowS) < 1e-6 * s.ticksPerSecond, `${s.ticksPerSecond} vs ${50 / s.windowS}`);
    const bars = s.stages.find((x) => x.stage === 'bars')!;
    assert.equal(bars.batches, 4, 'only the batches inside the window');
    // All 4 in (10 ms, 25 ms]: the median is 10 + 15 * 0.5 = 17.5 ms.
    assert.ok(Math.abs(bars.p50Ms! - 17.5) < 1e-9, `p50 ${bars.p50Ms}`);
    assert.equal(s.clients, 5);
  });
});
