/**
 * A surface of raw SVI slices, one per expiry, behind the common surface interface. Between
 * expiries total variance is interpolated linearly in T at fixed k; before the first expiry it
 * scales as T/T1 (w -> 0 as T -> 0) and after the last as T/Tn (constant implied vol per k).
 * Each slice is fitted by the quasi-explicit method (svi-fit.ts) on total variance.
 */
import { fitSviSlice, type SviFitOptions } from './svi-fit.ts';
import { sviDerivs, type SviRaw } from './svi-raw.ts';
import { checkPoints, gridByPoints, groupByMaturity, predictArgs, type SurfaceFitter, type SurfaceGrid, type SurfacePoints, type VolSurface } from './surface-types.ts';

/** One fitted expiry. */
export interface SviSlice {
  T: number;
  params: SviRaw;
  /** Quotes fitted and the fit's weighted RMSE in implied vol. */
  n: number;
  rmseIv: number;
}

/** The two slices around T and the weight of the upper one (or a scale outside the range). */
export function bracket(expiries: ArrayLike<number>, T: number): { lo: number; hi: number; u: number; scale: number } {
  const n = expiries.length;
  if (T <= expiries[0]) return { lo: 0, hi: 0, u: 0, scale: T / expiries[0] };
  if (T >= expiries[n - 1]) return { lo: n - 1, hi: n - 1, u: 0, scale: T / expiries[n - 1] };
  let lo = 0;
  while (expiries[lo + 1] < T) lo++;
  return { lo, hi: lo + 1, u: (T - expiries[lo]) / (expiries[lo + 1] - expiries[lo]), scale: 1 };
}

/** A fitted SVI surface. */
export class SviSurface implements VolSurface {
  readonly method = 'svi';
  private readonly expiries: Float64Array;

  /** Slices in increasing T; `skipped` lists expiries with too few quotes to fit. */
  constructor(readonly slices: SviSlice[], readonly skipped: number[] = []) {
    if (slices.length === 0) throw new RangeError('SviSurface needs at least one slice');
    this.expiries = Float64Array.from(slices, (s) => s.T);
    for (let j = 1; j < slices.length; j++) {
      if (!(this.expiries[j] > this.expiries[j - 1])) throw new RangeError(`SviSurface slices must have increasing T (slice ${j})`);
    }
  }

  /** [w, dw/dk, d2w/dk2] at (k, T). */
  totalVarianceDerivs(k: number, T: number): [number, number, number] {
    const { lo, hi, u, scale } = bracket(this.expiries, T);
    const a = sviDerivs(this.slices[lo].params, k);
    if (lo === hi) return [a[0] * scale, a[1] * scale, a[2] * scale];
    const b = sviDerivs(this.slices[hi].params, k);
    return [a[0] + u * (b[0] - a[0]), a[1] + u * (b[1] - a[1]), a[2] + u * (b[2] - a[2])];
  }

  /** Implied vols sqrt(w/T) at the points (NaN where the total variance is negative). */
  predict(k: ArrayLike<number>, T: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = predictArgs(k, T, out);
    for (let i = 0; i < k.length; i++) {
      const w = this.totalVarianceDerivs(k[i], T[i])[0];
      o[i] = w >= 0 ? Math.sqrt(w / T[i]) : NaN;
    }
    return o;
  }

  /** Implied vols on the grid k x T. */
  predictGrid(k: ArrayLike<number>, T: ArrayLike<number>): SurfaceGrid {
    return gridByPoints(this, k, T);
  }
}

/** Weighted RMSE in implied vol of a slice's fit. */
export function sliceRmseIv(p: SviRaw, T: number, k: ArrayLike<number>, iv: ArrayLike<number>, W: ArrayLike<number>): number {
  let s = 0, sw = 0;
  for (let i = 0; i < k.length; i++) {
    const e = Math.sqrt(Math.max(sviDerivs(p, k[i])[0], 0) / T) - iv[i];
    s += W[i] * e * e;
    sw += W[i];
  }
  return Math.sqrt(s / sw);
}

/**
 * Fits an SVI slice to every expiry (points grouped by exact T) with at least 5 quotes; NaN
 * vols are ignored. Throws when no expiry can be fitted.
 */
export function fitSviSurface(points: SurfacePoints, opts: SviFitOptions = {}): SviSurface {
  const p = checkPoints(points);
  const { expiries, index } = groupByMaturity(p.T);
  const slices: SviSlice[] = [];
  const skipped: number[] = [];
  expiries.forEach((T, j) => {
    const k: number[] = [], w: number[] = [], iv: number[] = [], W: number[] = [];
    for (let i = 0; i < p.n; i++) {
      if (index[i] !== j || Number.isNaN(p.iv[i]) || p.weight[i] === 0) continue;
      k.push(p.k[i]); iv.push(p.iv[i]); w.push(p.iv[i] * p.iv[i] * T); W.push(p.weight[i]);
    }
    if (k.length < 5 || new Set(k).size < 3) { skipped.push(T); return; }
    const fit = fitSviSlice(k, w, W, opts);
    slices.push({ T, params: fit.params, n: k.length, rmseIv: sliceRmseIv(fit.params, T, k, iv, W) });
  });
  if (slices.length === 0) throw new RangeError(`points: no expiry has the 5 quotes at 3 distinct k an SVI fit needs (expiries ${Array.from(expiries).join(', ')})`);
  return new SviSurface(slices, skipped);
}

/** The SVI fitter behind the common interface. */
export function sviFitter(opts: SviFitOptions = {}): SurfaceFitter<SviSurface> {
  return { fit: (points) => fitSviSurface(points, opts) };
}
