/**
 * Forecast losses for variance forecasts F against a realized-variance proxy RV, both robust to
 * noise in the proxy in the sense of Patton (2011, "Volatility forecast comparison using
 * imperfect volatility proxies", J. Econometrics 160): MSE = (RV - F)^2 and
 * QLIKE = RV / F + ln F (Patton's QLIKE up to a term free of F, which keeps it finite when RV = 0).
 */

/** Squared error (RV - F)^2. */
export function mseLoss(rv: number, f: number): number {
  return (rv - f) * (rv - f);
}

/** QLIKE loss RV / F + ln F (F > 0). */
export function qlikeLoss(rv: number, f: number): number {
  return rv / f + Math.log(f);
}

/** Mean of a series. */
export function meanOf(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Pearson correlation of two equal-length series. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`series differ in length: ${a.length} vs ${b.length}`);
  const ma = meanOf(a);
  const mb = meanOf(b);
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
