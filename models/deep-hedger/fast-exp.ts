/**
 * A table-driven exponential for the deep hedger's live gates (fast-step.ts), hand-written:
 * JavaScript offers only Math.exp, which V8 runs as a call into its fdlibm port (about 10 ns here),
 * and a GRU step for 1,000 positions needs 192,000 of them per tick.
 *
 * Method: Tang's table-driven scheme (P. T. P. Tang, "Table-driven implementation of the
 * exponential function in IEEE floating-point arithmetic", ACM TOMS 15(2), 1989, pp. 144-157;
 * J.-M. Muller, "Elementary Functions: Algorithms and Implementation", 3rd ed., 2016, ch. 6),
 * in base 2 with the argument already scaled: exp2k(t) = 2^(t/1024). The caller folds the scale
 * 1024/ln 2 into its weights (so e^x = exp2k(x * EXP_SCALE)), which makes the range reduction
 * exact: k = floor(t), f = t - k in [0, 1) without rounding, and
 *   2^(t/1024) = 2^(k >> 10) * 2^((k & 1023)/1024) * e^(f d),  d = ln2/1024,
 * the first two factors from tables (256 powers of two, 1,024 fractional powers, both exact to
 * half an ulp from Math.pow) and the last by a cubic in f: with u = (f - 1/2) d, |u| <= d/2 =
 * 3.4e-4, e^(f d) = e^(d/2) e^u and e^u by the degree-4 Taylor polynomial with u^4 replaced by its
 * Chebyshev economization (d/2)^2 u^2 - (d/2)^4/8 (Muller, ch. 3), error at most (d/2)^4/192 +
 * (d/2)^5/120 = 7e-17 relative; the cubic is expanded into powers of f once, here. A quartic would
 * cost 13% of the whole live step for nothing (measured), and Math.floor (one rounding
 * instruction) beats a truncation through int32 by as much. The result is within a few ulps of
 * Math.pow(2, t/1024) for |t| < EXP_LIMIT (the tests hold it to 1e-15).
 *
 * Range: |t| < EXP_LIMIT (e^{+-80}), where 2^(k >> 10) stays inside its table. Outside it the
 * index is wrapped (no out-of-bounds read, which would deoptimise the caller) and the value is
 * wrong: callers bound their arguments first and take another path where they cannot.
 */

/** e^x = exp2k(x * EXP_SCALE). */
export const EXP_SCALE = 1024 / Math.LN2;

/** |t| bound of exp2k: 80 * EXP_SCALE (e^80 = 5.5e34; a sigmoid there is 1 to double precision). */
export const EXP_LIMIT = 80 * EXP_SCALE;

/** Packed-double JS arrays: V8 reads them without the detach check every typed-array access pays. */
const packed = (n: number, f: (i: number) => number): number[] => {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(0.5);
  for (let i = 0; i < n; i++) a[i] = f(i);
  return a;
};

/** 2^(m - 128), m = 0..255. */
const POW2 = packed(256, (m) => Math.pow(2, m - 128));
/** 2^(j/1024), j = 0..1023. */
const FRAC = packed(1024, (j) => Math.pow(2, j / 1024));

/** The cubic in f (see the module header), expanded from u = (f - 1/2) D. */
const [Q0, Q1, Q2, Q3] = ((): number[] => {
  const D = Math.LN2 / 1024, h = D / 2, E = Math.pow(2, 1 / 2048);
  const p0 = 1 - h ** 4 / 192, p1 = 1, p2 = 0.5 + (h * h) / 24, p3 = 1 / 6;
  const a = D, b = -h;
  return [E * (p0 + b * (p1 + b * (p2 + b * p3))), E * a * (p1 + b * (2 * p2 + 3 * b * p3)), E * a * a * (p2 + 3 * b * p3), E * p3 * a ** 3];
})();

/** 2^(t/1024) for |t| < EXP_LIMIT (see the module header); wrong, not throwing, outside it. */
export function exp2k(t: number): number {
  const kd = Math.floor(t);
  const f = t - kd;
  const k = kd | 0;
  return POW2[((k >> 10) + 128) & 255] * FRAC[k & 1023] * (Q0 + f * (Q1 + f * (Q2 + f * Q3)));
}

/** e^x for |x| < 80 through exp2k (x * EXP_SCALE rounds once, so add |x| ulps to exp2k's error). */
export function fastExp(x: number): number {
  return exp2k(x * EXP_SCALE);
}
