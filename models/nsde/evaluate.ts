/**
 * Diagnostics on the test years (2020 on): generated paths from every test window's start (its
 * history seeding the signature) against the real windows, with the log-OU baseline (MLE on the
 * training years) from the same starts and the same normals: mean and median V, per-time-step
 * marginal kurtosis of V, the Hurst exponent of X (quant core, moment scaling, lags 1..5 within
 * windows), the pooled ACF(1) of V within windows, and an MMD two-sample test on the windows'
 * signatures (non-overlapping real windows, one generated path each, so that the samples are
 * independent draws).
 */
import { pooledAcf } from '../../src/quant/autocorrelation.ts';
import { hurstMomentScalingPaths } from '../../src/quant/hurst.ts';
import { perStepKurtosis } from '../../src/quant/moments.ts';
import { simulateLogOu } from './calibrate.ts';
import { mmdTest, type MmdResult } from './mmd.ts';
import type { NsdeData } from './prepare.ts';
import { PURE_TIME, SIG_LEN } from './signature-step.ts';
import { normals, runningLossSignatures, simulatePaths, type NsdeModel, type Starts } from './simulate.ts';

/** Statistics of an ensemble of paths. */
export interface PathStats {
  paths: number;
  meanV: number;
  medianV: number;
  /** Per-step marginal kurtosis of V (plain), averaged over the simulated steps, and at the last step. */
  kurtosisMean: number;
  kurtosisLast: number;
  hurst: number;
  acf1: number;
  /** sd of daily changes of X. */
  sdDx: number;
}

/** The evaluation written into metrics.json. */
export interface NsdeEvaluation {
  real: PathStats;
  nsde: PathStats;
  logOu: PathStats;
  mmd: { nsde: MmdResult; logOu: MmdResult; realWindows: number; features: string };
  /** Errors against the real statistics; `met` is null where the issue sets no goal. */
  goals: Record<string, { goal: string; nsde: number; logOu: number; met: boolean | null; beatsBaseline: boolean }>;
  /** Per-step kurtosis of V (steps 1..20): real, nsde, log-OU. */
  kurtosisBySteps: { real: number[]; nsde: number[]; logOu: number[] };
}

/** Statistics of path-major X paths (n x len, the common start in column 0 excluded from the level statistics). */
export function pathStats(x: Float64Array, n: number, len: number): PathStats {
  const steps = len - 1;
  const v = new Float64Array(n * steps);
  let dxs = 0;
  let dxs2 = 0;
  for (let p = 0; p < n; p++) {
    for (let k = 1; k < len; k++) {
      v[p * steps + k - 1] = Math.exp(x[p * len + k]);
      const d = x[p * len + k] - x[p * len + k - 1];
      dxs += d;
      dxs2 += d * d;
    }
  }
  const sorted = Float64Array.from(v).sort();
  const kurt = perStepKurtosis(v, n, steps);
  const vFull = Float64Array.from(x, Math.exp);
  const m = n * steps;
  return {
    paths: n,
    meanV: v.reduce((a, b) => a + b, 0) / v.length,
    medianV: sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : 0.5 * (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]),
    kurtosisMean: kurt.reduce((a, b) => a + b, 0) / steps,
    kurtosisLast: kurt[steps - 1],
    hurst: hurstMomentScalingPaths(x, n, len, { lags: [1, 2, 3, 4, 5] }).H,
    acf1: pooledAcf(vFull, n, len, 1)[1],
    sdDx: Math.sqrt(Math.max(0, dxs2 / m - (dxs / m) ** 2)),
  };
}

/** Each start repeated `times` times (row-major copies). */
export function repeatStarts(s: Starts, times: number): Starts {
  const n = s.n * times;
  const x0 = new Float64Array(n);
  const sig0 = new Float64Array(n * SIG_LEN);
  for (let t = 0; t < times; t++) {
    x0.set(s.x0, t * s.n);
    sig0.set(s.sig0, t * s.n * SIG_LEN);
  }
  return { n, x0, sig0 };
}

/** Simulates in chunks (large single batches strain the WASM backend's memory). */
export function simulateChunked(m: NsdeModel, starts: Starts, steps: number, z: Float32Array, chunk = 2048): Float64Array {
  const n = starts.n;
  const out = new Float64Array(n * (steps + 1));
  for (let a = 0; a < n; a += chunk) {
    const b = Math.min(n, a + chunk);
    const zc = new Float32Array(steps * (b - a));
    for (let k = 0; k < steps; k++) zc.set(z.subarray(k * n + a, k * n + b), k * (b - a));
    const part = simulatePaths(m, { n: b - a, x0: starts.x0.subarray(a, b), sig0: starts.sig0.subarray(a * SIG_LEN, b * SIG_LEN) }, steps, zc);
    out.set(part, a * (steps + 1));
  }
  return out;
}

/** Final signatures of windows, standardised by the real sample's sd, pure-time words dropped. */
function sigFeatures(x: Float64Array, rows: number[], len: number, dt: number, sd: Float64Array): Float64Array {
  const steps = len - 1;
  const keep = Array.from({ length: SIG_LEN }, (_, i) => i).filter((i) => !(PURE_TIME as readonly number[]).includes(i));
  const out = new Float64Array(rows.length * keep.length);
  const sub = new Float64Array(rows.length * len);
  rows.forEach((r, i) => sub.set(x.subarray(r * len, (r + 1) * len), i * len));
  const sigs = runningLossSignatures(sub, rows.length, len, 0, steps, dt);
  rows.forEach((_, i) => keep.forEach((c, j) => (out[i * keep.length + j] = sigs[(i * steps + steps - 1) * SIG_LEN + c] / (sd[c] || 1))));
  return out;
}

/** Runs the diagnostics of a model on the prepared data's test windows. */
export function evaluateNsde(m: NsdeModel, data: NsdeData, opts: { seed: number; pathsPerWindow: number; signal?: AbortSignal }): NsdeEvaluation {
  const { warm, steps, dt } = data;
  const len = steps + 1;
  const test = data.test;
  const real = new Float64Array(test.seg.n * len);
  for (let r = 0; r < test.seg.n; r++) real.set(test.seg.x.subarray(r * (warm + len) + warm, (r + 1) * (warm + len)), r * len);
  const starts = repeatStarts(test.starts, opts.pathsPerWindow);
  const z = normals(opts.seed, 77, steps, starts.n);
  if (opts.signal?.aborted) throw new Error('evaluateNsde: aborted');
  const gen = simulateChunked(m, starts, steps, z);
  const base = simulateLogOu(data.baseline, starts.x0, steps, dt, z);
  const sReal = pathStats(real, test.seg.n, len);
  const sGen = pathStats(gen, starts.n, len);
  const sBase = pathStats(base, starts.n, len);

  // MMD on independent draws: non-overlapping real windows, the first generated path of each.
  const rows: number[] = [];
  for (let r = 0; r < test.seg.n; r += steps) rows.push(r);
  const realSigs = runningLossSignatures(real, test.seg.n, len, 0, steps, dt);
  const sd = new Float64Array(SIG_LEN);
  for (let c = 0; c < SIG_LEN; c++) {
    let s1 = 0;
    let s2 = 0;
    for (const r of rows) {
      const v = realSigs[(r * steps + steps - 1) * SIG_LEN + c];
      s1 += v;
      s2 += v * v;
    }
    sd[c] = Math.sqrt(Math.max(0, s2 / rows.length - (s1 / rows.length) ** 2));
  }
  const fr = sigFeatures(real, rows, len, dt, sd);
  const dim = fr.length / rows.length;
  const mmdN = mmdTest(fr, sigFeatures(gen, rows, len, dt, sd), dim, { seed: opts.seed, permutations: 1000 });
  const mmdB = mmdTest(fr, sigFeatures(base, rows, len, dt, sd), dim, { seed: opts.seed, permutations: 1000, bandwidth: mmdN.bandwidth });

  const rel = (a: number, b: number): number => Math.abs(a / b - 1);
  const goal = (name: string, g: string, f: (s: PathStats) => number, tol: number, relative: boolean) => {
    const e = (s: PathStats) => (relative ? rel(f(s), f(sReal)) : Math.abs(f(s) - f(sReal)));
    return [name, { goal: g, nsde: e(sGen), logOu: e(sBase), met: Number.isFinite(tol) ? e(sGen) <= tol : null, beatsBaseline: e(sGen) < e(sBase) }] as const;
  };
  const kReal = perStepKurtosis(Float64Array.from(real, Math.exp), test.seg.n, len);
  const kGen = perStepKurtosis(Float64Array.from(gen, Math.exp), starts.n, len);
  const kBase = perStepKurtosis(Float64Array.from(base, Math.exp), starts.n, len);
  return {
    real: sReal,
    nsde: sGen,
    logOu: sBase,
    mmd: { nsde: mmdN, logOu: mmdB, realWindows: rows.length, features: 'final signature of the simulated 20 days, 11 non-pure-time words, each divided by its real sd' },
    goals: Object.fromEntries([
      goal('meanV', 'relative error <= 1%', (s) => s.meanV, 0.01, true),
      goal('medianV', 'relative error (no goal set)', (s) => s.medianV, Infinity, true),
      goal('hurst', 'abs error <= 0.02', (s) => s.hurst, 0.02, false),
      goal('acf1', 'abs error <= 0.05', (s) => s.acf1, 0.05, false),
      goal('kurtosisMean', 'abs error (no goal set)', (s) => s.kurtosisMean, Infinity, false),
    ]),
    kurtosisBySteps: { real: Array.from(kReal.subarray(1)), nsde: Array.from(kGen.subarray(1)), logOu: Array.from(kBase.subarray(1)) },
  };
}
