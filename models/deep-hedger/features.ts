/**
 * The policy's four inputs at a rebalancing date, in the order the network reads them:
 * normalised price S_t/S_0, time to maturity (T - t)/T, the last log return ln(S_t/S_{t-1})
 * (0 at inception) and the annualised 1-day volatility forecast of the live variance model.
 */

/** Inputs per date. */
export const N_FEATURES = 4;

/** What the live adapter knows about a position at a rebalancing date. */
export interface HedgeFeatures {
  /** S_t / S_0; for a position struck at K the adapter passes S_t / K (the policy was trained at the money, S_0 = K). */
  price: number;
  /** (T - t)/T in [0, 1]. */
  timeToMaturity: number;
  /** ln(S_t / S_{t-1}) since the previous rebalancing date (0 at the first). */
  logReturn: number;
  /** Annualised volatility forecast (e.g. 0.18). */
  vol: number;
}

/** The features as the network's input row; throws naming a non-finite field. */
export function featureRow(f: HedgeFeatures, out: Float64Array = new Float64Array(N_FEATURES), at = 0): Float64Array {
  const v = [f.price, f.timeToMaturity, f.logReturn, f.vol];
  const names = ['price', 'timeToMaturity', 'logReturn', 'vol'];
  for (let k = 0; k < N_FEATURES; k++) {
    if (!Number.isFinite(v[k])) throw new RangeError(`features.${names[k]} must be a finite number, got ${String(v[k])}`);
    out[at + k] = v[k];
  }
  return out;
}
