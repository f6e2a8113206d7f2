/**
 * Evaluation of fitted weights on the data: the live filter (filter.ts) is run from the start of
 * the history, so evaluation and the live engine share every line of the recursions. Test-period
 * measures: NLL per day, QLIKE and MSE of the 1-day and 21-day variance forecasts against
 * realized variance (data.ts), Diebold-Mariano tests between the three models, and the models'
 * 30-day vol and the HN option-implied ATM vol against VIX.
 */
import type { DailySeries } from './data.ts';
import { dieboldMariano } from './diebold-mariano.ts';
import { createVarianceFilter } from './filter.ts';
import { hnImpliedAtmVol30d } from './implied-atm-vol.ts';
import { correlation, meanOf, mseLoss, qlikeLoss } from './losses.ts';
import { splitIndex, type SplitIndex } from './splits.ts';
import { DAYS_PER_YEAR, HORIZON_DAYS, VARIANCE_SCALE } from './units.ts';
import type { HnGruWeights } from './weights.ts';

/** The three models, and VIX as a fourth forecast where a row compares forecasts. */
export const MODELS = ['garch', 'hn', 'gru'] as const;
export type ModelName = (typeof MODELS)[number];
type Row<T> = Record<ModelName, T>;

/** Per-day series of a filter run over the whole history. */
export interface FilterTrace {
  /** f1[m][t]: model m's variance for day t, made at the close of day t - 1 (natural units). */
  f1: Row<Float64Array>;
  /** f21[m][t]: model m's expected variance of days t .. t + 20, made at the close of t - 1. */
  f21: Row<Float64Array>;
  /** nll[m][t]: NLL of day t's return (natural units). */
  nll: Row<Float64Array>;
  /** gruEta[t]: the VI-HN-GRU's eta after day t (percent units), for the reproduction test. */
  gruEta: Float64Array;
  /** vol21[m][t] after day t (annualised) and the HN option-implied 30-day ATM vol (test days only, else NaN). */
  vol21: Row<Float64Array>;
  hnIv: Float64Array;
}

const row = (n: number): Row<Float64Array> => ({ garch: new Float64Array(n), hn: new Float64Array(n), gru: new Float64Array(n) });

/** Runs the filter from the start of the history over every day of `data`. */
export function traceFilter(weights: HnGruWeights, data: DailySeries, ivFrom = Infinity): FilterTrace {
  const n = data.dates.length;
  const f = createVarianceFilter(weights, { from: 'start' });
  const tr: FilterTrace = { f1: row(n), f21: row(n), nll: row(n), gruEta: new Float64Array(n), vol21: row(n), hnIv: new Float64Array(n).fill(NaN) };
  let prev = f.current();
  for (let t = 0; t < n; t++) {
    for (const m of MODELS) {
      tr.f1[m][t] = prev[m];
      tr.f21[m][t] = prev.forecasts[m].var21d;
    }
    const st = f.step({ date: data.dates[t], close: data.close[t], rv: data.rv[t] }, data.vix[t]);
    for (const m of MODELS) {
      tr.nll[m][t] = st.nll![m];
      tr.vol21[m][t] = st.forecasts[m].vol21d;
    }
    tr.gruEta[t] = st.gru * VARIANCE_SCALE;
    if (t >= ivFrom) tr.hnIv[t] = hnImpliedAtmVol30d(weights.hn, st.hn);
    prev = st;
  }
  return tr;
}

/** A Diebold-Mariano comparison as stored in metrics.json. */
export interface DmRow {
  a: ModelName;
  b: ModelName;
  horizon: 1 | 21;
  loss: 'qlike' | 'mse';
  stat: number;
  pValue: number;
}

/** Test-period measures (metrics.json's "test"). */
export interface TestMetrics {
  period: { from: string; to: string; nDays: number; n21: number };
  nllPerDay: Row<number>;
  /** Mean losses; MSE in percent units ((%^2)^2) so the numbers are readable. */
  oneDay: { qlike: Row<number> & { vix: number }; mse: Row<number> & { vix: number } };
  twentyOneDay: { qlike: Row<number> & { vix: number }; mse: Row<number> & { vix: number } };
  dm: DmRow[];
  vix: {
    nDays: number;
    meanVixVol: number;
    /** Mean ex-post realized vol of the next 21 days (annualised), where the window fits. */
    meanRealizedVol21d: number;
    models: Row<{ meanVol21d: number; corrWithVix: number; meanVrp: number }>;
    hnImpliedAtm30d: { meanVol: number; corrWithVix: number };
  };
}

/** NLL per day of each model over each split (natural units). */
export type SplitNll = Record<'train' | 'valid' | 'test', Row<number>>;

const r6 = (x: number): number => Number(x.toPrecision(10));

function sliceMean(x: Float64Array, [a, b]: [number, number]): number {
  return r6(meanOf(x.subarray(a, b)));
}

/** Evaluates weights on data: NLL per split, and the test-period measures. */
export function evaluate(weights: HnGruWeights, data: DailySeries, splits: SplitIndex = splitIndex(data, weights.splits)): { nll: SplitNll; test: TestMetrics } {
  const [a, b] = splits.test;
  const tr = traceFilter(weights, data, a);
  const nll = {} as SplitNll;
  for (const s of ['train', 'valid', 'test'] as const) {
    nll[s] = { garch: sliceMean(tr.nll.garch, splits[s]), hn: sliceMean(tr.nll.hn, splits[s]), gru: sliceMean(tr.nll.gru, splits[s]) };
  }
  const V = VARIANCE_SCALE;
  const vixVar = (t: number, days: number): number => ((data.vix[t] / 100) ** 2 / DAYS_PER_YEAR) * days;
  // 1-day: forecasts for days a..b-1 (made the close before); VIX of the close before
  const l1: Record<string, { q: Float64Array; m: Float64Array }> = {};
  const n1 = b - a;
  for (const m of [...MODELS, 'vix'] as const) {
    const q = new Float64Array(n1);
    const e = new Float64Array(n1);
    for (let t = a; t < b; t++) {
      const fc = m === 'vix' ? vixVar(t - 1, 1) : tr.f1[m][t];
      if (!(fc > 0)) throw new RangeError(`no ${m} forecast for ${data.dates[t]}`);
      q[t - a] = qlikeLoss(data.rv[t] * V, fc * V);
      e[t - a] = mseLoss(data.rv[t] * V, fc * V);
    }
    l1[m] = { q, m: e };
  }
  // 21-day: origins whose 21 days lie inside the test period
  const n21 = b - a - (HORIZON_DAYS - 1);
  const l21: Record<string, { q: Float64Array; m: Float64Array }> = {};
  const target = new Float64Array(n21);
  for (let i = 0; i < n21; i++) for (let k = 0; k < HORIZON_DAYS; k++) target[i] += data.rv[a + i + k];
  for (const m of [...MODELS, 'vix'] as const) {
    const q = new Float64Array(n21);
    const e = new Float64Array(n21);
    for (let i = 0; i < n21; i++) {
      const t = a + i;
      const fc = m === 'vix' ? vixVar(t - 1, HORIZON_DAYS) : tr.f21[m][t];
      q[i] = qlikeLoss(target[i] * V, fc * V);
      e[i] = mseLoss(target[i] * V, fc * V);
    }
    l21[m] = { q, m: e };
  }
  const means = (l: typeof l1, k: 'q' | 'm'): Row<number> & { vix: number } => ({
    garch: r6(meanOf(l.garch[k])), hn: r6(meanOf(l.hn[k])), gru: r6(meanOf(l.gru[k])), vix: r6(meanOf(l.vix[k])),
  });
  const dm: DmRow[] = [];
  const pairs: Array<[ModelName, ModelName]> = [['gru', 'hn'], ['gru', 'garch'], ['hn', 'garch']];
  for (const [horizon, l] of [[1, l1], [21, l21]] as const) {
    for (const [loss, k] of [['qlike', 'q'], ['mse', 'm']] as const) {
      for (const [x, y] of pairs) {
        const r = dieboldMariano(l[x][k], l[y][k], horizon);
        dm.push({ a: x, b: y, horizon, loss, stat: r6(r.stat), pValue: r6(r.pValue) });
      }
    }
  }
  // VIX against the models' 21-day vols at the same close
  const idx: number[] = [];
  for (let t = a; t < b; t++) if (Number.isFinite(data.vix[t])) idx.push(t);
  const vixVol = idx.map((t) => data.vix[t] / 100);
  const realized: number[] = [];
  for (const t of idx) {
    if (t + HORIZON_DAYS >= b) continue;
    let s = 0;
    for (let k = 1; k <= HORIZON_DAYS; k++) s += data.rv[t + k];
    realized.push(Math.sqrt((s * DAYS_PER_YEAR) / HORIZON_DAYS));
  }
  const models = {} as TestMetrics['vix']['models'];
  for (const m of MODELS) {
    const vol = idx.map((t) => tr.vol21[m][t]);
    models[m] = {
      meanVol21d: r6(meanOf(vol)),
      corrWithVix: r6(correlation(vol, vixVol)),
      meanVrp: r6(meanOf(idx.map((_, i) => vixVol[i] ** 2 - vol[i] ** 2))),
    };
  }
  const iv = idx.map((t) => tr.hnIv[t]);
  return {
    nll,
    test: {
      period: { from: data.dates[a], to: data.dates[b - 1], nDays: n1, n21 },
      nllPerDay: nll.test,
      oneDay: { qlike: means(l1, 'q'), mse: means(l1, 'm') },
      twentyOneDay: { qlike: means(l21, 'q'), mse: means(l21, 'm') },
      dm,
      vix: {
        nDays: idx.length,
        meanVixVol: r6(meanOf(vixVol)),
        meanRealizedVol21d: r6(meanOf(realized)),
        models,
        hnImpliedAtm30d: { meanVol: r6(meanOf(iv)), corrWithVix: r6(correlation(iv, vixVol)) },
      },
    },
  };
}
