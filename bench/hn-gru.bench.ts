/**
 * HN-GRU speed. (1) The whole fit (GARCH(1,1) and HN-GARCH MLEs, then the VI-HN-GRU's joint MLE
 * with its committed settings) on the 10,207 SPX days 1983-07 .. 2023-12 (validation: the last
 * 1,000), or on 10,000 simulated HN days without ../shared/data; baseline: the same epochs with
 * central-difference gradients (the per-gradient cost of (2) times the epochs). (2) One gradient
 * of the joint likelihood: the hand-derived adjoint against central differences (2 x 25 forward
 * passes) on the same days. (3) One live filter step (three models, 1-day and 21-day forecasts)
 * against the quant core's bare HN variance step.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { opsPerSecond, type Bench, type BenchRow } from './harness.ts';
import { hnFit } from '../src/quant/hn-mle.ts';
import { hnNextVariance } from '../src/quant/hn-params.ts';
import { hnSimulateReturns } from '../src/quant/hn-simulate.ts';
import { defaultDataDir, loadDailySeries } from '../models/hn-gru/data.ts';
import { fitVi, DEFAULT_VI_FIT } from '../models/hn-gru/fit-vi-gru.ts';
import { garchFit } from '../models/hn-gru/garch11.ts';
import { createVarianceFilter } from '../models/hn-gru/filter.ts';
import { adjointWork, viNll, viNllGrad } from '../models/hn-gru/vi-gru-adjoint.ts';
import { hnToPercent, VI_N, viInitialTheta } from '../models/hn-gru/vi-gru-params.ts';
import { loadHnGru } from '../models/hn-gru/weights.ts';
import { randomStream } from '../src/quant/mc-random.ts';

function days(): { ret: Float64Array; rv: Float64Array; what: string } {
  if (existsSync(resolve(defaultDataDir(), 'spx/spx-daily.csv'))) {
    const d = loadDailySeries();
    return { ret: d.ret, rv: d.rv, what: `${d.ret.length} SPX days` };
  }
  const s = hnSimulateReturns({ omega: 2.3e-6, alpha: 2.9e-6, beta: 0.85, gamma: 184.25, lambda: 2 }, 10000, { seed: 1 });
  return { ret: s.returns, rv: s.returns.map((r) => r * r), what: '10000 simulated HN days' };
}

const bench: Bench = async ({ quick }) => {
  const rows: BenchRow[] = [];
  const { ret, rv, what } = days();
  const n = ret.length;
  const nTrain = n - 1000;
  const y = ret.map((r) => 100 * r);
  const rvp = rv.map((v) => 1e4 * v);

  const t0 = performance.now();
  const trainRet = ret.subarray(0, nTrain);
  garchFit(trainRet);
  const hn = hnFit(trainRet);
  const v = hn.h1 * 1e4;
  const st0 = { s: 0, eta: v, h: v };
  const theta0 = viInitialTheta(hnToPercent(hn.params), v, 20240501);
  const cfg = quick ? { ...DEFAULT_VI_FIT, maxEpochs: 300 } : DEFAULT_VI_FIT;
  const fit = await fitVi(theta0, y, rvp, [0, nTrain], [nTrain, n], st0, cfg);
  const fitS = (performance.now() - t0) / 1000;

  // one gradient: adjoint vs central differences, same objective and days
  const g = new Float64Array(VI_N);
  const work = adjointWork(nTrain);
  const adjPerS = opsPerSecond(() => {
    viNllGrad(fit.theta, y, rvp, 0, nTrain, st0, g, work);
    return 1;
  }, quick ? 300 : 1500);
  const fdPerS = opsPerSecond(() => {
    const x = Float64Array.from(fit.theta);
    for (let i = 0; i < VI_N; i++) {
      const e = 1e-5 * (1 + Math.abs(x[i]));
      x[i] += e;
      const a = viNll(x, y, rvp, 0, nTrain, st0);
      x[i] -= 2 * e;
      const b = viNll(x, y, rvp, 0, nTrain, st0);
      x[i] += e;
      g[i] = (a - b) / (2 * e);
    }
    return 1;
  }, quick ? 300 : 1500);
  rows.push({
    name: `HN-GRU full fit (GARCH + HN MLE + joint VI-HN-GRU MLE, ${fit.epochs} epochs) on ${what}`,
    unit: 's',
    value: fitS,
    baseline: 'same epochs with central-difference gradients (epochs x measured gradient time)',
    baselineValue: fit.epochs / fdPerS,
    goal: '< 60 s',
    note: `best epoch ${fit.bestEpoch}${quick ? ' (quick: 300-epoch cap)' : ''}`,
  });
  rows.push({
    name: `HN-GRU likelihood gradient, adjoint (BPTT), ${nTrain} days x 25 weights`,
    unit: 'ms',
    value: 1000 / adjPerS,
    baseline: 'central differences (50 forward passes)',
    baselineValue: 1000 / fdPerS,
  });

  // one live filter step
  const weights = loadHnGru();
  const rng = randomStream(5);
  const N = 1 << 16;
  const closes = new Float64Array(N);
  let c = 4000;
  for (let i = 0; i < N; i++) closes[i] = c *= Math.exp(0.01 * rng.normal());
  const dates = Array.from({ length: N }, (_, i) => `d${String(i).padStart(7, '0')}`);
  const bars = Array.from({ length: N }, (_, i) => ({ date: dates[i], close: closes[i], rv: 1e-4 }));
  let f = createVarianceFilter(weights, { prevClose: 4000 });
  let k = 0;
  let sink = 0;
  const stepPerS = opsPerSecond(() => {
    for (let j = 0; j < 1000; j++) {
      if (k === N) {
        f = createVarianceFilter(weights, { prevClose: 4000 });
        k = 0;
      }
      sink += f.step(bars[k++]).gru;
    }
    return 1000;
  }, quick ? 300 : 1500);
  let h = weights.end.hnH;
  let kk = 0;
  const hnPerS = opsPerSecond(() => {
    for (let j = 0; j < 1000; j++) {
      h = hnNextVariance(weights.hn, h, Math.log(closes[(kk + 1) & (N - 1)] / closes[kk & (N - 1)]));
      kk++;
    }
    return 1000;
  }, quick ? 300 : 1500);
  rows.push({
    name: 'HN-GRU live filter step (GARCH + HN + VI-HN-GRU, 1-day and 21-day forecasts)',
    unit: 'µs',
    value: 1e6 / stepPerS,
    baseline: 'quant core hnNextVariance alone',
    baselineValue: 1e6 / hnPerS,
    goal: '< 10 µs',
    note: Number.isFinite(sink + h) ? '' : 'non-finite state',
  });
  return rows;
};

export default bench;
