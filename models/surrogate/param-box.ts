/**
 * The Heston parameter box the surrogate is trained on, and a seeded Latin hypercube over it.
 * v0 and theta are sampled uniformly in vol (sqrt of variance), so low-vol regimes are as dense
 * as high-vol ones; the box contains Feller-violating points (2 kappa theta < sigma^2) on purpose:
 * fitted SPX parameters usually violate Feller.
 * The rate r is not an input: the grid is in k = ln(K/F) and Heston IVs there do not depend on r
 * (grid.ts; checked in the tests).
 */
import { randomStream } from '../../src/quant/mc-random.ts';
import type { HestonParams } from '../../src/quant/heston.ts';

/** Parameter names in input order. */
export const PARAM_NAMES = ['v0', 'kappa', 'theta', 'sigma', 'rho'] as const;
export const N_PARAMS = PARAM_NAMES.length;

/** One coordinate of the box: sampled uniformly in sqrt(x) when `sqrt`, else in x. */
export interface BoxRange {
  lo: number;
  hi: number;
  sqrt: boolean;
}

/** The box: vols sqrt(v0), sqrt(theta) in [5%, 60%], kappa in [0.2, 8], sigma in [0.05, 1.5], rho in [-0.95, 0.3]. */
export const PARAM_BOX: Readonly<Record<(typeof PARAM_NAMES)[number], BoxRange>> = {
  v0: { lo: 0.05 ** 2, hi: 0.6 ** 2, sqrt: true },
  kappa: { lo: 0.2, hi: 8, sqrt: false },
  theta: { lo: 0.05 ** 2, hi: 0.6 ** 2, sqrt: true },
  sigma: { lo: 0.05, hi: 1.5, sqrt: false },
  rho: { lo: -0.95, hi: 0.3, sqrt: false },
};

const ranges = PARAM_NAMES.map((n) => PARAM_BOX[n]);
const tr = (r: BoxRange, x: number): number => (r.sqrt ? Math.sqrt(x) : x);

/** Parameters as a vector in PARAM_NAMES order. */
export function paramsToVector(p: HestonParams, out = new Float64Array(N_PARAMS)): Float64Array {
  for (let d = 0; d < N_PARAMS; d++) out[d] = p[PARAM_NAMES[d]];
  return out;
}

/** The vector at `offset` of a flat array as Heston parameters. */
export function vectorToParams(x: ArrayLike<number>, offset = 0): HestonParams {
  return { v0: x[offset], kappa: x[offset + 1], theta: x[offset + 2], sigma: x[offset + 3], rho: x[offset + 4] };
}

/** Maps a parameter vector to [-1, 1]^5 (the network input); outside the box maps outside. */
export function normaliseParams(x: ArrayLike<number>, out = new Float64Array(N_PARAMS), offset = 0, outOffset = 0): Float64Array {
  for (let d = 0; d < N_PARAMS; d++) {
    const r = ranges[d];
    const lo = tr(r, r.lo), hi = tr(r, r.hi);
    out[outOffset + d] = (2 * (tr(r, x[offset + d]) - lo)) / (hi - lo) - 1;
  }
  return out;
}

/** Inverse of normaliseParams. */
export function denormaliseParams(u: ArrayLike<number>, out = new Float64Array(N_PARAMS), offset = 0, outOffset = 0): Float64Array {
  for (let d = 0; d < N_PARAMS; d++) {
    const r = ranges[d];
    const lo = tr(r, r.lo), hi = tr(r, r.hi);
    const y = lo + ((u[offset + d] + 1) / 2) * (hi - lo);
    out[outOffset + d] = r.sqrt ? y * y : y;
  }
  return out;
}

/** True when the vector lies inside the box (bounds included). */
export function inBox(x: ArrayLike<number>, offset = 0): boolean {
  for (let d = 0; d < N_PARAMS; d++) if (!(x[offset + d] >= ranges[d].lo && x[offset + d] <= ranges[d].hi)) return false;
  return true;
}

/** True when 2 kappa theta >= sigma^2 (the variance never reaches zero). */
export function feller(p: HestonParams): boolean {
  return 2 * p.kappa * p.theta >= p.sigma * p.sigma;
}

/**
 * n parameter vectors (flat, PARAM_NAMES order) from a Latin hypercube over the box: each
 * coordinate's n strata hold exactly one point, in a seeded random order, jittered uniformly
 * inside its stratum (in the sampled scale, see BoxRange).
 */
export function latinHypercube(n: number, seed: number): Float64Array {
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`n must be a positive integer, got ${n}`);
  const rng = randomStream(seed);
  const out = new Float64Array(n * N_PARAMS);
  const perm = new Int32Array(n);
  for (let d = 0; d < N_PARAMS; d++) {
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      const t = perm[i]; perm[i] = perm[j]; perm[j] = t;
    }
    for (let i = 0; i < n; i++) {
      const v = (perm[i] + rng.uniform()) / n;
      out[i * N_PARAMS + d] = 2 * v - 1;
    }
  }
  for (let i = 0; i < n; i++) denormaliseParams(out, out, i * N_PARAMS, i * N_PARAMS);
  return out;
}
