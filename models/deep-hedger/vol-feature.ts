/**
 * The volatility feature, from the variance model the live engine runs (models/hn-gru: the
 * VI-HN-GRU variance filter, streams/variance.ts): each simulated path gets its own filter,
 * started from the fitted end state, fed the path's daily closes, and the feature at date t is
 * its annualised next-day vol forecast after the close of t (at t = 0, the starting state's).
 */
import { createVarianceFilter, loadHnGru, type HnGruWeights } from '../hn-gru/index.ts';

/** The fitted variance model the features come from. */
export type VolFeatureSource = HnGruWeights;

/** The committed HN-GRU weights (models/hn-gru/weights.json). */
export function defaultVolSource(): VolFeatureSource {
  return loadHnGru();
}

/** n consecutive calendar dates (YYYY-MM-DD) after `after`: the filter only needs them increasing. */
function datesAfter(after: string, n: number): string[] {
  const t0 = Date.parse(`${after}T00:00:00Z`);
  if (!Number.isFinite(t0)) throw new RangeError(`variance filter end date must be YYYY-MM-DD, got "${after}"`);
  return Array.from({ length: n }, (_, k) => new Date(t0 + (k + 1) * 86_400_000).toISOString().slice(0, 10));
}

/**
 * Vol features of n paths (prices path-major, n x (steps + 1)): returns n x steps annualised vols.
 */
export function volFeatures(S: Float64Array, n: number, steps: number, w: VolFeatureSource, signal?: AbortSignal): Float32Array {
  const out = new Float32Array(n * steps);
  const dates = datesAfter(w.end.date, steps);
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 0 && signal?.aborted) throw new Error('deep-hedger: aborted');
    const o = i * (steps + 1);
    const f = createVarianceFilter(w, { from: 'end', prevClose: S[o] });
    out[i * steps] = f.current().forecasts.gru.vol1d;
    for (let t = 1; t < steps; t++) out[i * steps + t] = f.step({ date: dates[t], close: S[o + t] }).forecasts.gru.vol1d;
  }
  return out;
}
