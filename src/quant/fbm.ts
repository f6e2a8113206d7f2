/**
 * Exact fractional Gaussian noise and fractional Brownian motion by circulant embedding
 * (Davies and Harte 1987; the algorithm as in Dieker, "Simulation of fractional Brownian motion",
 * 2004, section 2.1.3), hand-written. Used to test the Hurst estimator on paths of known H.
 *
 * Fractional Gaussian noise with Hurst exponent H is the stationary Gaussian sequence with
 * autocovariance gamma(k) = (|k+1|^2H - 2|k|^2H + |k-1|^2H) / 2 (unit variance); its partial sums
 * are fractional Brownian motion on the integer grid. The covariance is embedded in a circulant
 * of size 2N (N >= n a power of two) whose eigenvalues are nonnegative for every H in (0, 1)
 * (Craigmile 2003), so the method is exact, in O(N log N) per sample.
 */
import { fft } from './fft.ts';
import type { RandomStream } from './mc-random.ts';

/** Autocovariance of unit-variance fractional Gaussian noise at lag k. */
export function fgnAutocovariance(k: number, hurst: number): number {
  const h2 = 2 * hurst;
  const a = Math.abs(k);
  return 0.5 * (Math.abs(a + 1) ** h2 - 2 * a ** h2 + Math.abs(a - 1) ** h2);
}

/** A sampler of n-point fractional Gaussian noise for one H (the eigenvalues are computed once). */
export class FgnSampler {
  readonly n: number;
  readonly hurst: number;
  private readonly m: number;
  /** sqrt(eigenvalue / (2m)) or sqrt(eigenvalue / (4m)), per frequency, as the algorithm scales them. */
  private readonly scale: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  /** Prepares samples of n >= 1 values of fractional Gaussian noise with Hurst exponent in (0, 1). */
  constructor(n: number, hurst: number) {
    if (!(Number.isInteger(n) && n >= 1 && n <= 1 << 24)) throw new RangeError(`n must be an integer in [1, 2^24], got ${String(n)}`);
    if (!(hurst > 0 && hurst < 1)) throw new RangeError(`hurst must be in (0, 1), got ${hurst}`);
    this.n = n;
    this.hurst = hurst;
    let m = 1;
    while (m < n) m <<= 1;
    this.m = m;
    const size = 2 * m;
    const re = new Float64Array(size);
    const im = new Float64Array(size);
    for (let k = 0; k <= m; k++) re[k] = fgnAutocovariance(k, hurst);
    for (let k = m + 1; k < size; k++) re[k] = re[size - k];
    fft(re, im);
    this.scale = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      let lam = re[k];
      if (lam < 0) {
        // nonnegative in exact arithmetic; only rounding can make one slightly negative
        if (lam < -1e-9 * re[0]) throw new Error(`circulant embedding failed: eigenvalue ${lam} at frequency ${k} (n ${n}, H ${hurst})`);
        lam = 0;
      }
      this.scale[k] = Math.sqrt(lam / (k === 0 || k === m ? 2 * m : 4 * m));
    }
    this.re = new Float64Array(size);
    this.im = new Float64Array(size);
  }

  /** Fills `out` (length n) with one sample of unit-variance fractional Gaussian noise; returns it. */
  sample(rng: RandomStream, out = new Float64Array(this.n)): Float64Array {
    if (out.length !== this.n) throw new RangeError(`out must have length ${this.n}, got ${out.length}`);
    const { m, re, im, scale } = this;
    const size = 2 * m;
    re[0] = scale[0] * rng.normal();
    im[0] = 0;
    re[m] = scale[m] * rng.normal();
    im[m] = 0;
    for (let k = 1; k < m; k++) {
      re[k] = scale[k] * rng.normal();
      im[k] = scale[k] * rng.normal();
      re[size - k] = re[k];
      im[size - k] = -im[k];
    }
    fft(re, im);
    for (let k = 0; k < this.n; k++) out[k] = re[k];
    return out;
  }
}

/**
 * One path of fractional Brownian motion B_H on [0, T] at n + 1 equally spaced times
 * (B_H(0) = 0, Var B_H(t) = t^2H): the cumulative sum of fractional Gaussian noise scaled by
 * (T / n)^H.
 */
export function fractionalBrownianMotion(n: number, hurst: number, rng: RandomStream, T = 1): Float64Array {
  if (!(T > 0 && Number.isFinite(T))) throw new RangeError(`T must be positive and finite, got ${T}`);
  const noise = new FgnSampler(n, hurst).sample(rng);
  const s = (T / n) ** hurst;
  const path = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) path[k + 1] = path[k] + s * noise[k];
  return path;
}
