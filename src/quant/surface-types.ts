/**
 * The one interface every implied-volatility surface fitter stands behind: fit on points
 * (log-moneyness k = ln(K/F), maturity T in years, implied vol, optional weight), predict at
 * points, predict on a grid. Units: T in years, vols annualised, total variance w = iv^2 T.
 */

/** Quotes to fit: k = ln(K/F) log-moneyness, T years, iv annualised, weight >= 0 (default 1). */
export interface SurfacePoints {
  k: ArrayLike<number>;
  T: ArrayLike<number>;
  iv: ArrayLike<number>;
  weight?: ArrayLike<number>;
}

/** IVs on a grid: iv[j * k.length + i] is the vol at (k[i], T[j]), one row per maturity. */
export interface SurfaceGrid {
  k: Float64Array;
  T: Float64Array;
  iv: Float64Array;
}

/** A fitted surface. */
export interface VolSurface {
  /** Which fitter made it, e.g. 'grid', 'kernel', 'svi', 'ssvi'. */
  readonly method: string;
  /** Implied vols at the points (k[i], T[i]); writes into `out` when given. */
  predict(k: ArrayLike<number>, T: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** Implied vols on the grid k x T (layout of SurfaceGrid). */
  predictGrid(k: ArrayLike<number>, T: ArrayLike<number>): SurfaceGrid;
  /**
   * Total variance and its first two k-derivatives at (k, T), where the surface has them in
   * closed form (SVI, SSVI); the arbitrage checks use finite differences otherwise.
   */
  totalVarianceDerivs?(k: number, T: number): [w: number, dw: number, d2w: number];
}

/** A method that turns points into a surface. */
export interface SurfaceFitter<S extends VolSurface = VolSurface> {
  fit(points: SurfacePoints): S;
}

/** Validated copies of fit points, NaN vols kept (fitters decide what a missing vol means). */
export interface CheckedPoints {
  n: number;
  k: Float64Array;
  T: Float64Array;
  iv: Float64Array;
  weight: Float64Array;
}

/**
 * Checks fit points: equal lengths, finite k, finite T > 0, iv finite and > 0 or NaN (missing),
 * weights finite and >= 0. Throws a RangeError naming the array and index.
 */
export function checkPoints(p: SurfacePoints, allowNaNIv = true): CheckedPoints {
  if (p === null || typeof p !== 'object') throw new TypeError('points must be an object {k, T, iv, weight?}');
  const n = p.k?.length;
  if (typeof n !== 'number') throw new TypeError('points.k must be an array of log-moneyness values');
  for (const name of ['T', 'iv', 'weight'] as const) {
    const a = p[name];
    if (a === undefined && name === 'weight') continue;
    if (a === undefined || a.length !== n) {
      throw new RangeError(`points.${name} has ${a === undefined ? 'no' : a.length} entries, points.k has ${n}`);
    }
  }
  const k = Float64Array.from(p.k), T = Float64Array.from(p.T), iv = Float64Array.from(p.iv);
  const weight = p.weight ? Float64Array.from(p.weight) : new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(k[i])) throw new RangeError(`points.k[${i}] must be finite, got ${k[i]}`);
    if (!(Number.isFinite(T[i]) && T[i] > 0)) throw new RangeError(`points.T[${i}] must be a finite number of years > 0, got ${T[i]}`);
    const v = iv[i];
    if (!(Number.isNaN(v) && allowNaNIv) && !(Number.isFinite(v) && v > 0)) {
      throw new RangeError(`points.iv[${i}] must be a finite vol > 0${allowNaNIv ? ' or NaN (missing)' : ''}, got ${v}`);
    }
    if (!(Number.isFinite(weight[i]) && weight[i] >= 0)) throw new RangeError(`points.weight[${i}] must be finite and >= 0, got ${weight[i]}`);
  }
  return { n, k, T, iv, weight };
}

/** Log-moneyness k = ln(K/F) per point from strikes and forwards (one forward or one per point). */
export function logMoneyness(K: ArrayLike<number>, F: ArrayLike<number> | number): Float64Array {
  const n = K.length;
  if (typeof F !== 'number' && F.length !== n) throw new RangeError(`F has ${F.length} entries, K has ${n}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = typeof F === 'number' ? F : F[i];
    if (!(K[i] > 0 && Number.isFinite(K[i]))) throw new RangeError(`K[${i}] must be a finite strike > 0, got ${K[i]}`);
    if (!(f > 0 && Number.isFinite(f))) throw new RangeError(`F${typeof F === 'number' ? '' : `[${i}]`} must be a finite forward > 0, got ${f}`);
    out[i] = Math.log(K[i] / f);
  }
  return out;
}

/** Checks prediction inputs and allocates the output. */
export function predictArgs(k: ArrayLike<number>, T: ArrayLike<number>, out?: Float64Array): Float64Array {
  if (k.length !== T.length) throw new RangeError(`predict: k has ${k.length} entries, T has ${T.length}`);
  const o = out ?? new Float64Array(k.length);
  if (o.length < k.length) throw new RangeError(`predict: out has ${o.length} entries, need ${k.length}`);
  return o;
}

/** predictGrid for any surface: expands the grid into points and predicts them. */
export function gridByPoints(s: Pick<VolSurface, 'predict'>, k: ArrayLike<number>, T: ArrayLike<number>): SurfaceGrid {
  const nk = k.length, nt = T.length;
  const kk = new Float64Array(nk * nt), tt = new Float64Array(nk * nt);
  for (let j = 0; j < nt; j++) {
    for (let i = 0; i < nk; i++) {
      kk[j * nk + i] = k[i];
      tt[j * nk + i] = T[j];
    }
  }
  return { k: Float64Array.from(k), T: Float64Array.from(T), iv: s.predict(kk, tt) };
}

/** Distinct maturities of the points, ascending, and each point's maturity index. */
export function groupByMaturity(T: Float64Array): { expiries: Float64Array; index: Int32Array } {
  const expiries = Float64Array.from(new Set(T)).sort();
  const pos = new Map<number, number>();
  expiries.forEach((t, j) => pos.set(t, j));
  const index = new Int32Array(T.length);
  for (let i = 0; i < T.length; i++) index[i] = pos.get(T[i])!;
  return { expiries, index };
}
