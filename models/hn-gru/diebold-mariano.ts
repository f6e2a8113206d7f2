/**
 * Diebold-Mariano test of equal predictive accuracy (Diebold and Mariano 1995, "Comparing
 * predictive accuracy", JBES 13(3)) with the small-sample correction of Harvey, Leybourne and
 * Newbold (1997, IJF 13), as R's forecast::dm.test computes it: loss differential
 * d_t = L_A,t - L_B,t, long-run variance from its autocovariances (1/n denominators) up to lag
 * h - 1 with unit weights, DM = mean(d) / sqrt(LRV / n), times
 * sqrt((n + 1 - 2h + h (h - 1) / n) / n). Negative DM: model A has the smaller loss. The p-value
 * is two-sided from the standard normal (forecast::dm.test uses Student t with n - 1 degrees of
 * freedom; the two agree to 3 decimals beyond n = 500). Where the unit-weight variance comes out
 * <= 0 (possible for h > 1), Bartlett weights 1 - k / h are used instead (Newey-West; always
 * positive) and `bartlett` says so. Hand-written.
 */
import { normCdf } from '../../src/quant/normal.ts';

/** Outcome of a Diebold-Mariano test. */
export interface DmResult {
  /** HLN-corrected DM statistic. */
  stat: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Mean loss differential, A minus B. */
  meanDiff: number;
  n: number;
  h: number;
  bartlett: boolean;
}

/** DM test of losses A against losses B (equal length, finite) at forecast horizon h >= 1. */
export function dieboldMariano(lossA: ArrayLike<number>, lossB: ArrayLike<number>, h = 1): DmResult {
  const n = lossA.length;
  if (lossB.length !== n) throw new RangeError(`loss series differ in length: ${n} vs ${lossB.length}`);
  if (!(Number.isInteger(h) && h >= 1)) throw new RangeError(`h must be an integer >= 1, got ${h}`);
  if (n < 2 * h + 1) throw new RangeError(`need more than 2h = ${2 * h} losses, got ${n}`);
  const d = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    d[i] = lossA[i] - lossB[i];
    if (!Number.isFinite(d[i])) throw new RangeError(`loss differential at ${i} is not finite`);
    m += d[i];
  }
  m /= n;
  const acov = (k: number): number => {
    let s = 0;
    for (let i = k; i < n; i++) s += (d[i] - m) * (d[i - k] - m);
    return s / n;
  };
  const g = Array.from({ length: h }, (_, k) => acov(k));
  let lrv = g[0];
  for (let k = 1; k < h; k++) lrv += 2 * g[k];
  let bartlett = false;
  if (!(lrv > 0)) {
    bartlett = true;
    lrv = g[0];
    for (let k = 1; k < h; k++) lrv += 2 * (1 - k / h) * g[k];
  }
  const hln = Math.sqrt((n + 1 - 2 * h + (h * (h - 1)) / n) / n);
  const stat = lrv > 0 ? (m / Math.sqrt(lrv / n)) * hln : NaN;
  return { stat, pValue: 2 * normCdf(-Math.abs(stat)), meanDiff: m, n, h, bartlett };
}
