/**
 * Nadaraya-Watson kernel regression of implied vol on (k, T), as the seed's KernelVolSurface:
 *   iv(k, T) = sum_i K_h(k - k_i, T - T_i) w_i iv_i / sum_i K_h(k - k_i, T - T_i) w_i,
 * with a Gaussian product kernel and, by default, Silverman's rule-of-thumb bandwidth per
 * dimension, h_d = 1.06 sd_d n^(-1/5) (Silverman, Density Estimation, 1986, eq. 3.28; the
 * seed's choice). A prediction is a weighted mean of the quotes, so it stays within their range.
 */
import { checkPoints, gridByPoints, predictArgs, type SurfaceFitter, type SurfaceGrid, type SurfacePoints, type VolSurface } from './surface-types.ts';

/** Options of the kernel surface. */
export interface KernelOptions {
  /** Bandwidths [h_k, h_T]; default Silverman's rule per dimension. */
  bandwidth?: readonly [number, number];
}

/** Silverman's rule-of-thumb bandwidth 1.06 sd n^(-1/5) of a sample (weighted sd when weights given). */
export function silvermanBandwidth(x: ArrayLike<number>, weight?: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) throw new RangeError('silvermanBandwidth: empty sample');
  let sw = 0, m = 0;
  for (let i = 0; i < n; i++) { const w = weight ? weight[i] : 1; sw += w; m += w * x[i]; }
  m /= sw;
  let v = 0;
  for (let i = 0; i < n; i++) { const w = weight ? weight[i] : 1; v += w * (x[i] - m) * (x[i] - m); }
  return 1.06 * Math.sqrt(v / sw) * Math.pow(n, -0.2);
}

/** A fitted kernel surface: the quotes and bandwidths. */
export class KernelSurface implements VolSurface {
  readonly method = 'kernel';

  constructor(readonly k: Float64Array, readonly T: Float64Array, readonly iv: Float64Array, readonly weight: Float64Array, readonly bandwidth: readonly [number, number]) {}

  /** Kernel-weighted means at the points. */
  predict(k: ArrayLike<number>, T: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = predictArgs(k, T, out);
    const ik = 1 / this.bandwidth[0], it = 1 / this.bandwidth[1];
    const n = this.k.length;
    for (let j = 0; j < k.length; j++) {
      // Shift the exponent by its largest value so far-off points do not underflow to 0/0
      let emin = Infinity;
      for (let i = 0; i < n; i++) {
        const a = (k[j] - this.k[i]) * ik, b = (T[j] - this.T[i]) * it;
        emin = Math.min(emin, 0.5 * (a * a + b * b));
      }
      let num = 0, den = 0;
      for (let i = 0; i < n; i++) {
        const a = (k[j] - this.k[i]) * ik, b = (T[j] - this.T[i]) * it;
        const g = this.weight[i] * Math.exp(emin - 0.5 * (a * a + b * b));
        num += g * this.iv[i];
        den += g;
      }
      o[j] = num / den;
    }
    return o;
  }

  /** Kernel-weighted means on the grid k x T. */
  predictGrid(k: ArrayLike<number>, T: ArrayLike<number>): SurfaceGrid {
    return gridByPoints(this, k, T);
  }
}

/** Fits a KernelSurface (NaN vols and zero weights are dropped). */
export function fitKernel(points: SurfacePoints, opts: KernelOptions = {}): KernelSurface {
  const p = checkPoints(points);
  const keep: number[] = [];
  for (let i = 0; i < p.n; i++) if (!Number.isNaN(p.iv[i]) && p.weight[i] > 0) keep.push(i);
  if (keep.length === 0) throw new RangeError('points: no finite vol with a positive weight to fit');
  const k = Float64Array.from(keep, (i) => p.k[i]), T = Float64Array.from(keep, (i) => p.T[i]);
  const iv = Float64Array.from(keep, (i) => p.iv[i]), w = Float64Array.from(keep, (i) => p.weight[i]);
  let h: [number, number];
  if (opts.bandwidth) {
    h = [opts.bandwidth[0], opts.bandwidth[1]];
    h.forEach((v, d) => { if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`bandwidth[${d}] must be a finite number > 0, got ${v}`); });
  } else {
    // A dimension with no spread (one expiry) gets a bandwidth that leaves it out of the weights;
    // a floor keeps the scaled distances finite when quotes nearly coincide
    const rule = (x: Float64Array) => { const b = silvermanBandwidth(x, w); return b > 0 ? Math.max(b, 1e-8) : 1; };
    h = [rule(k), rule(T)];
  }
  return new KernelSurface(k, T, iv, w, h);
}

/** The kernel fitter behind the common interface. */
export function kernelFitter(opts: KernelOptions = {}): SurfaceFitter<KernelSurface> {
  return { fit: (points) => fitKernel(points, opts) };
}
