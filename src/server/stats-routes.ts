/**
 * `GET /api/stats`: the engine's health as one small JSON document for the dashboard, read from
 * the same prom-client registry that `/metrics` exposes (EngineMetrics), so the page and
 * Prometheus never disagree. Rates (ticks/s, messages/s) and stage latency quantiles are taken
 * over a sliding window of the samples this route itself keeps (one per call, the last 30), so
 * the figures describe the last several seconds, not the whole uptime; one 50 ms timer probes the event loop.
 *
 * Latency quantiles are interpolated linearly inside the histogram bucket that holds them, as
 * Prometheus' histogram_quantile does; they can be no finer than the bucket bounds.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { EngineMetrics } from './metrics.ts';

const StageStats = Type.Object({
  stage: Type.String(),
  batches: Type.Number({ description: 'batches in the window' }),
  p50Ms: Type.Union([Type.Number(), Type.Null()], { description: 'median batch time in the window, ms (null: no batch)' }),
  p99Ms: Type.Union([Type.Number(), Type.Null()]),
  errors: Type.Number({ description: 'stage failures since start' }),
});

export const EngineStats = Type.Object({
  instance: Type.String({ description: 'id of this server instance: changes when the engine restarts (sequences restart with it)' }),
  startedAt: Type.Number({ description: 'when this server instance was built, epoch ms' }),
  at: Type.Number({ description: 'when these figures were read, epoch ms' }),
  windowS: Type.Number({ description: 'seconds the rates and quantiles are taken over' }),
  ticksPerSecond: Type.Number(),
  ticksTotal: Type.Number(),
  ticksByKind: Type.Record(Type.String(), Type.Number()),
  rejectsTotal: Type.Number(),
  rejectsByReason: Type.Record(Type.String(), Type.Number()),
  messagesPerSecond: Type.Number({ description: 'messages published by stages per second' }),
  wsSentPerSecond: Type.Number(),
  stages: Type.Array(StageStats),
  latencyCapMs: Type.Union([Type.Number(), Type.Null()], { description: 'highest finite latency bucket, ms: a quantile equal to it means at least that much' }),
  busLag: Type.Record(Type.String(), Type.Number(), { description: 'messages published but not yet handled, per consumer group/topic' }),
  busLagTotal: Type.Number(),
  sinkQueue: Type.Record(Type.String(), Type.Number(), { description: 'rows waiting in the store sink' }),
  clients: Type.Number({ description: 'connected WebSocket clients' }),
  rssBytes: Type.Number(),
  eventLoopLagP99Ms: Type.Union([Type.Number(), Type.Null()], { description: 'p99 event-loop delay since the previous call (up to 30 s), ms: how late a 50 ms timer fired' }),
});
export type EngineStats = Static<typeof EngineStats>;

interface Sample {
  t: number;
  ticks: number;
  msgs: number;
  wsSent: number;
  /** Cumulative bucket counts per stage (same order as the bounds), and the +Inf count. */
  buckets: Map<string, number[]>;
}

type MetricValue = { value: number; labels: Partial<Record<string, string | number>>; metricName?: string };

const byLabel = (values: readonly MetricValue[], label: string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const v of values) {
    const k = String(v.labels[label] ?? '');
    out[k] = (out[k] ?? 0) + v.value;
  }
  return out;
};
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/**
 * The q-quantile of a histogram given as cumulative counts per upper bound (the last bound
 * +Infinity), interpolating linearly inside the bucket (Prometheus' histogram_quantile); null for
 * an empty histogram. A quantile in the +Inf bucket is reported as the highest finite bound.
 */
export function histogramQuantile(q: number, bounds: readonly number[], cumulative: readonly number[]): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`histogramQuantile: q must lie in [0, 1], got ${q}`);
  if (bounds.length !== cumulative.length || bounds.length === 0) throw new RangeError(`histogramQuantile: ${bounds.length} bounds but ${cumulative.length} counts`);
  const total = cumulative[cumulative.length - 1];
  if (!(total > 0)) return null;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (cumulative[i] >= rank) {
      if (!Number.isFinite(bounds[i])) return i > 0 ? bounds[i - 1] : null;
      const lo = i === 0 ? 0 : bounds[i - 1];
      const below = i === 0 ? 0 : cumulative[i - 1];
      const inBucket = cumulative[i] - below;
      return inBucket > 0 ? lo + ((bounds[i] - lo) * (rank - below)) / inBucket : bounds[i];
    }
  }
  return bounds[bounds.length - 2] ?? null;
}

const WINDOW_MS = 10_000;
const PROBE_MS = 50;
const MAX_SAMPLES = 30;

/** The `/api/stats` route over an engine's metrics. */
export function statsRoutes(metrics: EngineMetrics): FastifyPluginAsync {
  const instance = randomUUID();
  const startedAt = Date.now();
  const samples: Sample[] = [];
  // Event-loop delay by our own probe: a 50 ms timer's lateness. (prom-client's gauge is reset by
  // every scrape, /metrics' included, and Node's monitorEventLoopDelay misses long blocks.)
  const lags: number[] = [];
  let probe: ReturnType<typeof setInterval> | undefined;
  let expected = 0;
  const single = async (name: string): Promise<MetricValue[]> => {
    const m = metrics.registry.getSingleMetric(name);
    return m ? ((await m.get()).values as MetricValue[]) : [];
  };

  const read = async (): Promise<EngineStats> => {
    const now = Date.now();
    const ticksByKind = byLabel((await metrics.ticksIn.get()).values, 'kind');
    const rejectsByReason = byLabel((await metrics.rejects.get()).values, 'reason');
    const msgs = sum(byLabel((await metrics.messagesOut.get()).values, 'topic'));
    const wsSent = sum(byLabel((await metrics.wsSent.get()).values, ''));
    const errors = byLabel((await metrics.stageErrors.get()).values, 'stage');
    const hist = (await metrics.stageLatency.get()).values as MetricValue[];
    const pairs = new Map<string, Array<[number, number]>>();
    for (const v of hist) {
      if (!v.metricName?.endsWith('_bucket')) continue;
      const stage = String(v.labels.stage);
      let b = pairs.get(stage);
      if (!b) pairs.set(stage, (b = []));
      b.push([v.labels.le === '+Inf' ? Infinity : Number(v.labels.le), v.value]);
    }
    const buckets = new Map<string, number[]>();
    let bounds: number[] = [];
    for (const [stage, b] of pairs) {
      b.sort((x, y) => x[0] - y[0]);
      bounds = b.map((x) => x[0]);
      buckets.set(stage, b.map((x) => x[1]));
    }
    const sample: Sample = { t: now, ticks: sum(ticksByKind), msgs, wsSent, buckets };
    samples.push(sample);
    if (samples.length > MAX_SAMPLES) samples.shift();
    // Baseline: the oldest sample at least half a second old still inside the window, else the
    // newest older one, so two callers a few ms apart do not get rates over a few ms.
    const older = samples.filter((s) => s !== sample && now - s.t >= 500);
    const base = older.find((s) => now - s.t <= WINDOW_MS) ?? older[older.length - 1] ?? (samples.length > 1 ? samples[0] : undefined);
    const dt = base ? (now - base.t) / 1000 : 0;
    const rate = (x: number, x0: number | undefined) => (dt > 0 && x0 !== undefined ? Math.max(0, (x - x0) / dt) : 0);
    const stages = [...buckets.entries()].map(([stage, cum]) => {
      const prev = base?.buckets.get(stage);
      const w = prev && prev.length === cum.length ? cum.map((c, i) => c - prev[i]) : cum;
      const ms = (q: number) => {
        const s = histogramQuantile(q, bounds, w);
        return s === null ? null : s * 1000;
      };
      return { stage, batches: w[w.length - 1] ?? 0, p50Ms: ms(0.5), p99Ms: ms(0.99), errors: errors[stage] ?? 0 };
    });
    for (const [stage, n] of Object.entries(errors)) if (!buckets.has(stage)) stages.push({ stage, batches: 0, p50Ms: null, p99Ms: null, errors: n });
    const busLag = byLabel(await single('volrisk_bus_lag_messages'), 'consumer');
    const sorted = lags.splice(0).sort((a, b) => a - b);
    const loopP99 = sorted.length > 0 ? sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] : null;
    return {
      instance,
      startedAt,
      at: now,
      windowS: dt,
      ticksPerSecond: rate(sample.ticks, base?.ticks),
      ticksTotal: sample.ticks,
      ticksByKind,
      rejectsTotal: sum(rejectsByReason),
      rejectsByReason,
      messagesPerSecond: rate(msgs, base?.msgs),
      wsSentPerSecond: rate(wsSent, base?.wsSent),
      stages,
      latencyCapMs: bounds.length > 1 ? bounds[bounds.length - 2] * 1000 : null,
      busLag,
      busLagTotal: sum(busLag),
      sinkQueue: byLabel(await single('volrisk_sink_queue_rows'), 'table'),
      clients: sum(byLabel(await single('volrisk_ws_clients'), '')),
      rssBytes: process.memoryUsage().rss,
      eventLoopLagP99Ms: loopP99,
    };
  };

  return async (app) => {
    expected = performance.now() + PROBE_MS;
    probe = setInterval(() => {
      const now = performance.now();
      lags.push(Math.max(0, now - expected));
      if (lags.length > 600) lags.shift();
      expected = now + PROBE_MS;
    }, PROBE_MS);
    probe.unref();
    app.addHook('onClose', async () => clearInterval(probe));
    app.get('/api/stats', { schema: { description: 'Engine health for the dashboard: rates and stage latency quantiles over the last few seconds, bus lag, sink queue, clients.', response: { 200: EngineStats } } }, read);
  };
}
