/**
 * The analyst report's numbers, pure (stored payloads in, tables out): the variance models'
 * forecast accuracy against the realized variance that followed (QLIKE and RMSE, by year), and
 * the neural SDE's VIX band coverage (how often the real VIX h trading days later fell inside
 * the day's 5-95% band). The losses are models/hn-gru/losses.ts's (Patton 2011).
 */
import { mseLoss, qlikeLoss } from '../models/hn-gru/losses.ts';

/** The variance forecasters compared: the three filters and the VIX-implied variance. */
export const VARIANCE_MODELS = ['garch', 'hn', 'gru', 'vix'] as const;
export type VarianceModel = (typeof VARIANCE_MODELS)[number];

/** One daily close of the variance topic, reduced to what the accuracy needs (daily natural units). */
export interface VarianceDay {
  date: string;
  /** The day's realized variance (the filter's measure of the day just closed). */
  realized: number;
  /** Each model's variance forecast of the next day. */
  next: Record<VarianceModel, number | null>;
  /** Each model's expected mean daily variance of the next 21 trading days. */
  mean21: Record<VarianceModel, number | null>;
}

/** Losses of one model over a set of forecast days. */
export interface Accuracy {
  n: number;
  qlike: number;
  /** Root mean squared error, in the units of the inputs. */
  rmse: number;
}

/** Mean QLIKE and RMSE of forecasts `f` against outcomes `rv` (equal lengths, f > 0). */
export function accuracy(rv: readonly number[], f: readonly number[]): Accuracy {
  if (rv.length !== f.length) throw new RangeError(`accuracy: ${rv.length} outcomes but ${f.length} forecasts`);
  let q = 0;
  let se = 0;
  for (let i = 0; i < rv.length; i++) {
    if (!(f[i] > 0)) throw new RangeError(`accuracy: forecast ${i} is ${f[i]}; a variance forecast must be > 0`);
    q += qlikeLoss(rv[i], f[i]);
    se += mseLoss(rv[i], f[i]);
  }
  const n = rv.length;
  return { n, qlike: n ? q / n : NaN, rmse: n ? Math.sqrt(se / n) : NaN };
}

/**
 * Forecast/outcome pairs at horizon 1 (the next day's realized variance) or 21 (the mean realized
 * variance of the next 21 days), each tagged with the forecast day's year. `days` must be in
 * date order, one per trading day.
 */
export function forecastPairs(days: readonly VarianceDay[], model: VarianceModel, horizon: 1 | 21): Array<{ year: string; f: number; rv: number }> {
  const out: Array<{ year: string; f: number; rv: number }> = [];
  for (let i = 0; i + horizon < days.length; i++) {
    const f = horizon === 1 ? days[i].next[model] : days[i].mean21[model];
    if (f === null || !(f > 0)) continue;
    let s = 0;
    for (let k = 1; k <= horizon; k++) s += days[i + k].realized;
    out.push({ year: days[i].date.slice(0, 4), f, rv: s / horizon });
  }
  return out;
}

/** Accuracy by year (and 'all'), from forecastPairs. */
export function accuracyByYear(pairs: ReadonlyArray<{ year: string; f: number; rv: number }>): Map<string, Accuracy> {
  const groups = new Map<string, { rv: number[]; f: number[] }>();
  for (const p of pairs) {
    for (const k of [p.year, 'all']) {
      const g = groups.get(k) ?? { rv: [], f: [] };
      g.rv.push(p.rv);
      g.f.push(p.f);
      groups.set(k, g);
    }
  }
  return new Map([...groups].map(([k, g]) => [k, accuracy(g.rv, g.f)]));
}

/** One day's VIX band per horizon (trading days ahead) and the VIX that day. */
export interface BandDay {
  date: string;
  vix: number;
  bands: Map<number, { q05: number; q95: number }>;
}

/** Coverage counts: days whose band held the realized VIX, out of days with an outcome. */
export interface Coverage {
  inside: number;
  n: number;
  /** Realized above the band (VIX rose more than the 95% quantile) and below it. */
  above: number;
  below: number;
}

/**
 * Coverage of the h-day band by year (and 'all'): on day i, whether `days[i + h].vix` lay in
 * [q05, q95] of day i's h-day band. `days` must be in date order, one per trading day.
 */
export function bandCoverage(days: readonly BandDay[], h: number): Map<string, Coverage> {
  const out = new Map<string, Coverage>();
  for (let i = 0; i + h < days.length; i++) {
    const b = days[i].bands.get(h);
    if (!b) continue;
    const v = days[i + h].vix;
    for (const k of [days[i].date.slice(0, 4), 'all']) {
      const c = out.get(k) ?? { inside: 0, n: 0, above: 0, below: 0 };
      c.n++;
      if (v > b.q95) c.above++;
      else if (v < b.q05) c.below++;
      else c.inside++;
      out.set(k, c);
    }
  }
  return out;
}
