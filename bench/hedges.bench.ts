/**
 * Hedging speed (issue 6):
 * (a) SPX tick -> `hedges` messages for a book of 1,000 option positions on the simulator's
 *     contracts: the hedges operator (streams/hedges.ts) driven directly, synchronously, with the
 *     engine's methods (classical, the quadratic lrm and mvh, deep-gru: streams/topology.ts), one SPX print per second of event time, a new
 *     surface every 10 s and a new Heston calibration every 60 s (the surface stage's defaults)
 *     and a new variance nowcast every 5 minutes, as the live engine sees them; p50/p99 of the
 *     operator's time per SPX print (each emits 1,001 messages). Baseline: the same with the
 *     direct pricers (`exact`), and the same stage for one position.
 * (b) deep-hedger inference for 1,000 positions: one live step (a preview from each position's
 *     committed state), plain JS through the folded step (models/deep-hedger/fast-step.ts: the
 *     recurrent projection, vol and time terms folded per committed state, table exponentials),
 *     with the time feature as folded and moved since the fold, the live method's `ratios` over
 *     1,000 hedge contexts, and as one tfjs batch on the fastest local backend, against the
 *     reference step one position at a time (DeepHedger.ratio).
 * Fixed seeds throughout.
 */
import { Subject } from 'rxjs';
import { percentile, type Bench, type BenchRow } from './harness.ts';
import type { Message } from '../src/bus/message.ts';
import type { Tick } from '../src/ticks/schema.ts';
import type { SurfaceFit } from '../src/surface/surface-assemble.ts';
import { createSimulator } from '../src/tape/simulator.ts';
import { randomStream } from '../src/quant/mc-random.ts';
import { loadSimulatorParams } from '../src/tape/simulator-params.ts';
import { PositionsBook } from '../src/positions/book.ts';
import type { Position } from '../src/positions/schema.ts';
import { yearsToExpiry } from '../src/hedging/context.ts';
import type { HedgeMethod } from '../src/hedging/method.ts';
import { CLASSICAL_NAMES, classicalMethods, DEFAULT_REBUILD_WORK } from '../src/hedging/ratios.ts';
import { QUADRATIC_NAMES, quadraticMethods } from '../src/hedging/quadratic.ts';
import { loadHnGru } from '../models/hn-gru/index.ts';
import { deepHedgerMethod, loadDeepHedger, DEEP_METHOD, type DeepHedger } from '../models/deep-hedger/index.ts';
import { DeepHedgerBatch, previewRatiosTf, previewRatiosTfCached, recurrentProjectionTf } from '../models/deep-hedger/batch.ts';
import { disposeTfPolicy, toTfPolicy } from '../models/deep-hedger/network.ts';
import { initTensorBackend, tf } from '../src/tensor/backend.ts';
import { hedges, type PositionHedgePayload } from '../streams/hedges.ts';

const SEED = 42;
const SEC = 1e6;
/** 2024-01-03 10:00 New York: a session the simulator's contracts (listed 2024-01-02) are live in. */
const T0 = Date.UTC(2024, 0, 3, 15, 0) * 1000;
const N_POSITIONS = 1000;

/** 1,000 option positions drawn (seeded) from the contracts the simulator quotes from its default start. */
export function simulatorBook(n: number, methods: readonly string[]): Position[] {
  const contracts = new Map<string, Position['instrument']>();
  for (const t of createSimulator({ seed: SEED, ticksPerSecond: 500, start: '2024-01-02T15:58', end: '2024-01-02T15:59', indexEverySteps: 1 })) {
    if (t.kind !== 'option' || t.expiry <= '2024-01-03' || (t.root !== 'SPX' && t.root !== 'SPXW')) continue;
    contracts.set(`${t.root}|${t.expiry}|${t.strike}|${t.right}`, { kind: 'option', underlying: 'SPX', root: t.root, strike: t.strike, expiry: t.expiry, right: t.right });
  }
  const all = [...contracts.values()];
  const rng = randomStream(SEED, 1);
  return Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    instrument: all[Math.floor(rng.uniform() * all.length)],
    quantity: (rng.uniform() < 0.5 ? -1 : 1) * (1 + Math.floor(rng.uniform() * 20)),
    method: methods[i % methods.length],
  }));
}

const params = loadSimulatorParams();

/**
 * A surface message: one skewed SVI slice per expiry of the book, and the Heston calibration made
 * at `calibratedTs`, the simulator's parameters with v0 moved by the relative `shift`.
 */
function surfaceMsg(book: readonly Position[], ts: number, spot: number, shift: number, calibratedTs: number): Message<SurfaceFit> {
  const expiries = new Map<string, { root: 'SPX' | 'SPXW'; expiry: string }>();
  for (const p of book) if (p.instrument.kind === 'option') expiries.set(`${p.instrument.root}|${p.instrument.expiry}`, { root: p.instrument.root ?? 'SPX', expiry: p.instrument.expiry });
  const r = params.rate, q = params.dividendYield;
  const slices = [...expiries.values()].map(({ root, expiry }) => {
    const T = yearsToExpiry({ kind: 'option', underlying: 'SPX', root, strike: 1, expiry, right: 'C' }, ts);
    const v = 0.02 + 0.01 * Math.sqrt(T);
    return { status: 'fitted', key: `${root}:${expiry}`, root, expiry, ts, T, forward: spot * Math.exp((r - q) * T), discount: Math.exp(-r * T), r, q, svi: { a: v * T, b: 0.1 * T, rho: -0.7, m: 0, sigma: 0.1 } };
  });
  const h = params.heston.q;
  const heston = { v0: h.v0 * (1 + shift), kappa: h.kappa, theta: h.theta, sigma: h.sigma, rho: h.rho };
  const payload = { underlying: 'SPX', ts, spot, expiries: slices, heston: { params: heston, ts: calibratedTs } } as unknown as SurfaceFit;
  return { topic: 'surface', key: 'SPX', seq: 0, ts, run: 'bench', payload };
}

type AnyMsg = Message<never>;

/**
 * Per-SPX-print time (ms) of the hedges operator over `ticks` prints, after a warm-up, wall and
 * process CPU (the latter less disturbed by other work on a shared machine); also the surface
 * rounds' times, and the share of position messages whose ratios used an older model state's
 * curves while the current one's were being built (`lagging`).
 */
export function timeStage(
  book: readonly Position[],
  methods: HedgeMethod[],
  ticks: number,
  warm: number,
): { tick: number[]; cpu: number[]; surface: number[]; out: number; lagging: number; laggingBy: Record<string, number>; maxAge: Record<string, number> } {
  const hn = loadHnGru().hn;
  const src = new Subject<AnyMsg>();
  let out = 0;
  let positions = 0;
  let lagging = 0;
  const laggingBy: Record<string, number> = {};
  const maxAge: Record<string, number> = {};
  const names = methods.map((m) => m.name);
  // A position whose method is not run here is hedged by the first one.
  const held = book.map((p) => (names.includes(p.method ?? 'bs') ? p : { ...p, method: names[0] }));
  const sub = src.pipe(hedges({ book: new PositionsBook(held, { methods: names }), hnParams: hn, methods })).subscribe((m) => {
    out++;
    if (m.key === 'book') return;
    positions++;
    const lag = (m.payload as PositionHedgePayload).lagging;
    if (!lag) return;
    lagging++;
    // Per method: share of position messages on an older state, and the oldest stand-in's age behind the current model state (event seconds).
    const inputs = (m.payload as PositionHedgePayload).inputs;
    for (const [k, ts] of Object.entries(lag)) {
      laggingBy[k] = (laggingBy[k] ?? 0) + 1;
      const current = k === 'hn' ? inputs.variance : inputs.heston;
      if (current !== null) maxAge[k] = Math.max(maxAge[k] ?? 0, (current - ts) / 1e6);
    }
  });
  const rng = randomStream(SEED, 2);
  let spot = params.spot;
  const tickTimes: number[] = [], cpuTimes: number[] = [], surfTimes: number[] = [];
  const send = (m: Message<unknown>) => src.next(m as AnyMsg);
  const variance = (ts: number, k: number) => send({ topic: 'variance', key: 'SPX', seq: 0, ts, run: 'bench', payload: { index: 'SPX', hn: (1 + 0.05 * k) * 1e-4, gru: (1 + 0.05 * k) * 1e-4, garch: 1e-4 } });
  variance(T0 - SEC, 0);
  send(surfaceMsg(book, T0 - SEC, spot, 0, T0 - SEC));
  let calibrated = T0 - SEC, shift = 0;
  for (let i = 0; i < warm + ticks; i++) {
    const ts = T0 + i * SEC;
    if (i > 0 && i % 10 === 0) {
      // The surface stage refits every 10 s and recalibrates Heston every 60 s (streams/surface.ts defaults).
      if (i % 60 === 0) {
        calibrated = ts - 1;
        shift = 0.01 * ((i / 60) % 7);
      }
      const t = performance.now();
      send(surfaceMsg(book, ts - 1, spot, shift, calibrated));
      if (i >= warm) surfTimes.push(performance.now() - t);
    }
    if (i > 0 && i % 300 === 0) variance(ts - 1, i / 300);
    spot *= Math.exp(0.0002 * rng.normal());
    const tick: Message<Tick> = { topic: 'ticks.raw', key: 'SPX', seq: 0, ts, run: 'bench', payload: { kind: 'index', symbol: 'SPX', price: spot, ts } as Tick };
    const c = process.cpuUsage();
    const t = performance.now();
    send(tick);
    const dt = performance.now() - t;
    const dc = process.cpuUsage(c);
    if (i >= warm) {
      tickTimes.push(dt);
      cpuTimes.push((dc.user + dc.system) / 1000);
    }
  }
  sub.unsubscribe();
  for (const k of Object.keys(laggingBy)) laggingBy[k] /= Math.max(1, positions);
  return { tick: tickTimes, cpu: cpuTimes, surface: surfTimes, out, lagging: lagging / Math.max(1, positions), laggingBy, maxAge };
}

/** What the engine runs (streams/topology.ts defaultStages), in its order; `exact` for the classical ones' direct pricers. */
const engineMethods = (deep: DeepHedger, exact = false): HedgeMethod[] => [...classicalMethods({ exact }), ...quadraticMethods(), deepHedgerMethod(deep)];

/** Deep-hedger features and committed states for n positions (seeded), as the live method would hold them. */
function deepInputs(deep: DeepHedger, n: number) {
  const rng = randomStream(SEED, 3);
  const feats = Array.from({ length: n }, () => ({ price: 1 + 0.05 * rng.normal(), timeToMaturity: rng.uniform(), logReturn: 0.01 * rng.normal(), vol: 0.1 + 0.1 * rng.uniform() }));
  const states = feats.map((f) => deep.ratio(deep.ratio(deep.initialState(), f).next, f).next);
  return { feats, states };
}

/** Fastest run (ms) of the last medianMs call: on a shared machine the median carries the neighbours' load, the minimum much less. */
let lastMinMs = NaN;

/** Median time (ms) of `fn` over repeated runs for about `ms` milliseconds (the minimum goes to lastMinMs). */
function medianMs(fn: () => void, ms: number): number {
  const times: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < ms || times.length < 5) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  lastMinMs = Math.min(...times);
  return percentile(times, 50);
}

const bench: Bench = async ({ quick }) => {
  const rows: BenchRow[] = [];
  const deep = await loadDeepHedger('heston');
  const names = [...CLASSICAL_NAMES, ...QUADRATIC_NAMES, DEEP_METHOD];
  const book = simulatorBook(N_POSITIONS, names);

  // (a) the stage, per SPX print.
  const ticks = quick ? 600 : 3000;
  const warm = 60;
  const live = timeStage(book, engineMethods(deep), ticks, warm);
  const exact = timeStage(book, engineMethods(deep, true), quick ? 10 : 40, 2);
  const one = timeStage(book.slice(0, 1), engineMethods(deep), ticks, warm);
  const classical = timeStage(book, classicalMethods(), ticks, warm);
  const note = `${N_POSITIONS} option positions (${new Set(book.map((p) => p.instrument.kind === 'option' && p.instrument.expiry)).size} expiries) from the simulator's contracts, methods ${names.join(', ')} round-robin; ${ticks} prints, a new surface every 10 prints and a Heston calibration every 60 (the surface's own round p99 ${percentile(live.surface, 99).toFixed(2)} ms), a variance nowcast every 300; new model states' curves built within ${DEFAULT_REBUILD_WORK} work units (~1 ms) per print, ${(100 * live.lagging).toFixed(0)}% of position messages on an older state's curves meanwhile (by method: ${Object.entries(live.laggingBy).map(([k, v]) => `${k} ${(100 * v).toFixed(0)}%, oldest ${live.maxAge[k]?.toFixed(0) ?? '?'} s behind`).join('; ')}); process CPU per print p50 ${percentile(live.cpu, 50).toFixed(2)} / p99 ${percentile(live.cpu, 99).toFixed(2)} ms; classical methods only: p50 ${percentile(classical.tick, 50).toFixed(2)} / p99 ${percentile(classical.tick, 99).toFixed(2)} ms (CPU ${percentile(classical.cpu, 50).toFixed(2)} / ${percentile(classical.cpu, 99).toFixed(2)})`;
  rows.push({
    name: 'hedges stage: SPX print -> 1,001 hedges messages, p99 (1,000 positions, engine methods)',
    unit: 'ms', value: percentile(live.tick, 99), baseline: 'same with the direct pricers (exact: true), p99', baselineValue: percentile(exact.tick, 99), goal: '<= 5', note,
  });
  rows.push({
    name: 'hedges stage: SPX print -> 1,001 hedges messages, p50 (1,000 positions, engine methods)',
    unit: 'ms', value: percentile(live.tick, 50), baseline: 'same stage, 1 position, p50', baselineValue: percentile(one.tick, 50), note: `1 position p99 ${percentile(one.tick, 99).toFixed(3)} ms; exact pricers p50 ${percentile(exact.tick, 50).toFixed(1)} ms`,
  });

  // (b) deep-hedger inference, 1,000 positions, one live step.
  const { feats, states } = deepInputs(deep, N_POSITIONS);
  const ms = quick ? 300 : 2000;
  const perPosition = medianMs(() => {
    for (let i = 0; i < N_POSITIONS; i++) deep.ratio(states[i], feats[i]);
  }, ms);
  const batch = new DeepHedgerBatch(deep.policy, N_POSITIONS);
  states.forEach((s, i) => batch.setState(i, s.h));
  const x = new Float64Array(N_POSITIONS * 4);
  feats.forEach((f, i) => x.set([f.price, f.timeToMaturity, f.logReturn, f.vol], i * 4));
  const out = new Float64Array(N_POSITIONS);
  // The first preview folds each position's vol and time (as the live method does once per variance nowcast).
  batch.preview(x, N_POSITIONS, out);
  const folded = medianMs(() => batch.preview(x, N_POSITIONS, out), ms);
  const foldedMin = lastMinMs;
  // Same answers as the per-position path (batch.test.ts and fast-step.test.ts hold them equal); checked here too.
  const maxDiff = Math.max(...states.map((s, i) => Math.abs(deep.ratio(s, feats[i]).ratio - out[i])));
  rows.push({
    name: 'deep-hedger inference, 1,000 positions, one live step (plain JS, folded step, time feature as folded)',
    unit: 'ms', value: folded, baseline: 'one position at a time (DeepHedger.ratio: a full step, nothing folded)', baselineValue: perPosition, goal: '< 1',
    note: `median of repeated runs (fastest ${foldedMin.toFixed(3)} ms); max |difference| from the per-position path ${maxDiff.toExponential(1)}; the case of positions beyond the training horizon (time feature clipped at 1)`,
  });
  // Time to maturity moved since the fold, as for positions within the training horizon on every tick.
  const xMoved = Float64Array.from(x, (v, k) => (k % 4 === 1 ? v - 1e-4 : v));
  const movedMs = medianMs(() => batch.preview(xMoved, N_POSITIONS, out), ms);
  const movedMin = lastMinMs;
  const movedDiff = Math.max(...states.map((s, i) => Math.abs(deep.ratio(s, { ...feats[i], timeToMaturity: feats[i].timeToMaturity - 1e-4 }).ratio - out[i])));
  rows.push({
    name: 'deep-hedger inference, 1,000 positions, one live step (plain JS, folded step, time feature moved since the fold)',
    unit: 'ms', value: movedMs, baseline: 'one position at a time (DeepHedger.ratio)', baselineValue: perPosition, goal: '< 1',
    note: `median of repeated runs (fastest ${movedMin.toFixed(3)} ms); max |difference| from the per-position path ${movedDiff.toExponential(1)}; the case of positions within the training horizon, every tick`,
  });
  // The live method as the hedges stage calls it: 1,000 contexts a round, event time 1 s later each round (one session).
  const method = deepHedgerMethod(deep);
  const options = book.filter((p) => p.instrument.kind === 'option');
  const memories = options.map(() => ({}) as Record<string, unknown>);
  let round = 0, answered = 0;
  const methodRound = () => {
    const ts = T0 + round++ * SEC;
    const spot = params.spot * (1 + 0.001 * Math.sin(round));
    const variance = { hn: 1e-4, gru: 1e-4, garch: 1e-4, hnParams: null, ts: T0 };
    const ctxs = options.map((p, i) => ({ position: p, ts, spot, T: yearsToExpiry(p.instrument, ts), r: params.rate, q: params.dividendYield, surface: null, heston: null, variance, memory: memories[i] }));
    answered = method.ratios!(ctxs).filter((r) => r !== null).length;
  };
  methodRound();
  const methodMs = medianMs(methodRound, ms);
  const methodMin = lastMinMs;
  rows.push({
    name: `deep-hedger live method: ratios for ${options.length.toLocaleString('en-US')} option positions, one round (deep-gru, as the hedges stage calls it)`,
    unit: 'ms', value: methodMs, baseline: 'one position at a time (DeepHedger.ratio)', baselineValue: perPosition,
    note: `median of repeated rounds (fastest ${methodMin.toFixed(3)} ms), 1 s of event time apart in one session; includes building the contexts; ${answered} answered (the rest outside the policy's price range)`,
  });
  const backend = await initTensorBackend();
  const tp = toTfPolicy(deep.policy);
  const H = deep.policy.hidden;
  const hT = tf.tensor2d(Float32Array.from(states.flatMap((s) => [...s.h])), [N_POSITIONS, H]);
  const xT = tf.tensor2d(Float32Array.from(x), [N_POSITIONS, 4]);
  const tfRun = () => {
    const r = previewRatiosTf(tp, hT, xT);
    r.dataSync();
    r.dispose();
  };
  tfRun();
  const tfMs = medianMs(tfRun, ms);
  const ghT = recurrentProjectionTf(tp, hT);
  const tfCachedRun = () => {
    const r = previewRatiosTfCached(tp, ghT, hT, xT);
    r.dataSync();
    r.dispose();
  };
  tfCachedRun();
  const tfCachedMs = medianMs(tfCachedRun, ms);
  const tfCachedMin = lastMinMs;
  ghT.dispose();
  hT.dispose();
  xT.dispose();
  disposeTfPolicy(tp);
  rows.push({
    name: `deep-hedger inference, 1,000 positions, one full GRU step as one tfjs batch (${backend.backend})`,
    unit: 'ms', value: tfMs, baseline: 'one position at a time (DeepHedger.ratio)', baselineValue: perPosition, goal: '< 1',
    note: `tensor backend ${backend.package}; includes reading the ratios back`,
  });
  rows.push({
    name: `deep-hedger inference, 1,000 positions, one live step as one tfjs batch, cached recurrent projection (${backend.backend})`,
    unit: 'ms', value: tfCachedMs, baseline: 'one position at a time (DeepHedger.ratio)', baselineValue: perPosition, goal: '< 1',
    note: `tensor backend ${backend.package}; includes reading the ratios back; fastest run ${tfCachedMin.toFixed(3)} ms`,
  });
  return rows;
};
export default bench;
