/**
 * Everything training and evaluation read from the real data, computed once: the split windows,
 * their starting states and running signatures, the loss's per-step standard deviations, the
 * network's input standardisation, and the market anchors (kappa from the futures curve, the
 * historical level of X) and the log-OU baseline, all from the training years only.
 */
import { REAL_DATA_DIR } from '../../src/ticks/real-data.ts';
import { chenUpdate } from '../../src/quant/signature.ts';
import { fitLogOu, futuresMeanReversion, spotVarianceCorrelation, type LogOu } from './calibrate.ts';
import { buildSegments, loadFuturesCurves, loadSpxDaily, loadVixDaily, SPLITS, vixToX, type Segments } from './data.ts';
import { N_IN } from './network.ts';
import { SIG_LEN } from './signature-step.ts';
import { runningLossSignatures, windowStarts, type Starts } from './simulate.ts';

/** One split's windows with what the loss needs. */
export interface SplitData {
  seg: Segments;
  starts: Starts;
  /** n x steps x 14 running signatures of the real windows' simulated parts. */
  lossSigs: Float64Array;
}

/** The prepared data. */
export interface NsdeData {
  warm: number;
  steps: number;
  dt: number;
  train: SplitData;
  valid: SplitData;
  test: SplitData;
  /** steps x 14 sd of the real training running signatures. */
  sigSd: Float64Array;
  inMean: Float32Array;
  inStd: Float32Array;
  anchors: { kappaMarket: number; thetaQX: number; futuresFitRmse: number; thetaHistory: number };
  baseline: LogOu & { logLik: number; n: number };
  rho: number;
  /** The whole daily history (for pricing and the live stage's tests). */
  vix: { dates: string[]; values: Float64Array };
}

function split(dates: string[], x: Float64Array, warm: number, steps: number, dt: number, range: { from?: string; to?: string }): SplitData {
  const seg = buildSegments(dates, x, { warm, steps, ...range });
  if (seg.n < 2) throw new Error(`real data: only ${seg.n} windows in ${range.from ?? 'start'}..${range.to ?? 'end'}`);
  return { seg, starts: windowStarts(seg.x, seg.n, warm, steps, dt), lossSigs: runningLossSignatures(seg.x, seg.n, warm + steps + 1, warm, steps, dt) };
}

/** Reads ../shared/data (or dataDir) and prepares the windows for a model shape. */
export function prepareData(opts: { warm: number; steps: number; dt: number; dataDir?: string }): NsdeData {
  const { warm, steps, dt } = opts;
  const dir = opts.dataDir ?? REAL_DATA_DIR;
  const vix = loadVixDaily(dir);
  const x = vixToX(vix.values);
  const train = split(vix.dates, x, warm, steps, dt, SPLITS.train);
  const valid = split(vix.dates, x, warm, steps, dt, SPLITS.valid);
  const test = split(vix.dates, x, warm, steps, dt, SPLITS.test);

  const sigSd = new Float64Array(steps * SIG_LEN);
  const m1 = new Float64Array(steps * SIG_LEN);
  const n = train.seg.n;
  for (let r = 0; r < n; r++) for (let j = 0; j < steps * SIG_LEN; j++) m1[j] += train.lossSigs[r * steps * SIG_LEN + j] / n;
  for (let r = 0; r < n; r++) for (let j = 0; j < steps * SIG_LEN; j++) sigSd[j] += (train.lossSigs[r * steps * SIG_LEN + j] - m1[j]) ** 2 / (n - 1);
  for (let j = 0; j < sigSd.length; j++) sigSd[j] = Math.sqrt(sigSd[j]);

  // The network's inputs along the real training windows: the signature from the history's start and X.
  const len = warm + steps + 1;
  const s1 = new Float64Array(N_IN);
  const s2 = new Float64Array(N_IN);
  const s = new Float64Array(SIG_LEN);
  const dx = [dt, 0];
  let cnt = 0;
  for (let r = 0; r < n; r++) {
    s.set(train.starts.sig0.subarray(r * SIG_LEN, (r + 1) * SIG_LEN));
    for (let k = 0; k < steps; k++) {
      const xk = train.seg.x[r * len + warm + k];
      for (let i = 0; i < SIG_LEN; i++) {
        s1[i] += s[i];
        s2[i] += s[i] * s[i];
      }
      s1[SIG_LEN] += xk;
      s2[SIG_LEN] += xk * xk;
      cnt++;
      dx[1] = train.seg.x[r * len + warm + k + 1] - xk;
      chenUpdate(s, 0, dx, 0, 2);
    }
  }
  const inMean = Float32Array.from(s1, (v) => v / cnt);
  const inStd = Float32Array.from(s2, (v, i) => Math.max(1e-6, Math.sqrt(Math.max(0, v / cnt - (s1[i] / cnt) ** 2))));

  const trainX = x.filter((_, i) => vix.dates[i] <= SPLITS.train.to);
  const baseline = fitLogOu(trainX, dt);
  const fut = futuresMeanReversion(loadFuturesCurves(dir), '0000', SPLITS.train.to);
  const spx = loadSpxDaily(dir);
  const rho = spotVarianceCorrelation(spx.dates, spx.values, vix.dates, x, '0000', SPLITS.train.to).rho;
  return {
    warm, steps, dt, train, valid, test, sigSd, inMean, inStd,
    anchors: { kappaMarket: fut.kappa, thetaQX: fut.thetaQX, futuresFitRmse: fut.rmse, thetaHistory: trainX.reduce((a, v) => a + v, 0) / trainX.length },
    baseline, rho, vix: { dates: vix.dates, values: vix.values },
  };
}
