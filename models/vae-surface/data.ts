/**
 * Training surfaces of the VAE on the surrogate's fixed grid (models/surrogate/grid.ts: 8
 * maturities x 12 standardised moneyness points): three families, so the latent space covers
 * more shapes than one model's:
 *  - Heston, the surrogate's exact surfaces of its seeded Latin hypercube (generateDataset);
 *  - Bates, Heston from the same box plus lognormal jumps, priced by the quant core's Fourier
 *    pricer and inverted to Black-76 vols exactly as the surrogate's exactSurface does;
 *  - SVI, SSVI-shaped raw SVI slices (Gatheral and Jacquier 2014, eq. 4.1, rewritten as raw SVI)
 *    on a random ATM term structure, evaluated with sviW.
 * Surfaces with any unreliable point are dropped, so every kept surface is complete.
 */
import { hestonPrices, type BatesParams } from '../../src/quant/heston.ts';
import { IV_OK, impliedVolsBlack76 } from '../../src/quant/implied-vol.ts';
import { randomStream } from '../../src/quant/mc-random.ts';
import { sviW, type SviRaw } from '../../src/quant/svi-raw.ts';
import { GRID_T, N_GRID, N_K, kRow } from '../surrogate/grid.ts';
import { MIN_PRICE, PRICE_REL_TOL } from '../surrogate/exact-surface.ts';
import { generateDataset } from '../surrogate/generate.ts';
import { N_PARAMS, latinHypercube, vectorToParams } from '../surrogate/param-box.ts';

/** Family codes of VaeData.family. */
export const FAMILIES = ['heston', 'bates', 'svi'] as const;
export type Family = (typeof FAMILIES)[number];

/** Complete surfaces: iv[s * N_GRID + g] in the surrogate grid's layout; family[s] indexes FAMILIES. */
export interface VaeData {
  n: number;
  iv: Float32Array;
  family: Uint8Array;
}

/** Sizes of each family and the seed. */
export interface VaeDataOptions {
  seed: number;
  nHeston: number;
  nBates: number;
  nSvi: number;
  /** Worker threads for the Heston set (0: this thread); cache file as generateDataset's (null: none). */
  workers?: number;
  cachePath?: string | null;
  signal?: AbortSignal;
}

const strikeRows = GRID_T.map((_, j) => Float64Array.from(kRow(j), Math.exp));
const callRows = GRID_T.map((_, j) => Uint8Array.from(kRow(j), (k) => (k >= 0 ? 1 : 0)));
const callBool = callRows.map((c) => Array.from(c, (x) => x === 1));

/** One Bates surface on the grid into iv at offset; false when a point is unreliable. */
function batesSurface(p: BatesParams, iv: Float32Array, off: number): boolean {
  const price = new Float64Array(N_K);
  for (let j = 0; j < GRID_T.length; j++) {
    hestonPrices(p, 1, GRID_T[j], 0, 0, strikeRows[j], callBool[j], price, { relTol: PRICE_REL_TOL });
    const res = impliedVolsBlack76(price, 1, strikeRows[j], GRID_T[j], 1, callRows[j]);
    for (let i = 0; i < N_K; i++) {
      if (!(res.status[i] === IV_OK && price[i] >= MIN_PRICE && Number.isFinite(res.iv[i]))) return false;
      iv[off + j * N_K + i] = res.iv[i];
    }
  }
  return true;
}

/**
 * n Bates surfaces (fewer when some are dropped): Heston parameters from the surrogate's Latin
 * hypercube (seed + 1), jump intensity in [0, 2] per year, mean log jump in [-0.25, 0.05], its
 * sd in [0.02, 0.3].
 */
export function batesSurfaces(n: number, seed: number): Float32Array {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`nBates must be an integer >= 0, got ${n}`);
  if (n === 0) return new Float32Array(0);
  const hp = latinHypercube(n, seed + 1);
  const rng = randomStream(seed, 2);
  const out = new Float32Array(n * N_GRID);
  let kept = 0;
  for (let s = 0; s < n; s++) {
    const p: BatesParams = { ...vectorToParams(hp, s * N_PARAMS), lambda: 2 * rng.uniform(), muJ: -0.25 + 0.3 * rng.uniform(), sigmaJ: 0.02 + 0.28 * rng.uniform() };
    if (batesSurface(p, out, kept * N_GRID)) kept++;
  }
  return out.slice(0, kept * N_GRID);
}

/**
 * n SVI surfaces: ATM vol sigma(T) = l + (s - l) exp(-T / tau) (s in [8%, 60%], l in [12%, 40%],
 * tau in [0.05, 1]), ATM total variance theta = sigma^2 T, and each slice the SSVI smile
 * w = theta/2 (1 + rho phi k + sqrt((phi k + rho)^2 + 1 - rho^2)) with the power-law
 * phi = eta / (theta^gamma (1 + theta)^(1 - gamma)) (rho in [-0.9, 0], eta in [0.3, 2.5],
 * gamma in [0.2, 0.5]), written as raw SVI a = theta (1 - rho^2)/2, b = theta phi / 2,
 * m = -rho / phi, sigma = sqrt(1 - rho^2) / phi.
 */
export function sviSurfaces(n: number, seed: number): Float32Array {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`nSvi must be an integer >= 0, got ${n}`);
  const rng = randomStream(seed, 3);
  const u = (lo: number, hi: number): number => lo + (hi - lo) * rng.uniform();
  const out = new Float32Array(n * N_GRID);
  for (let s = 0; s < n; s++) {
    const sh = u(0.08, 0.6), lg = u(0.12, 0.4), tau = u(0.05, 1);
    const rho = u(-0.9, 0), eta = u(0.3, 2.5), gamma = u(0.2, 0.5);
    for (let j = 0; j < GRID_T.length; j++) {
      const T = GRID_T[j];
      const atm = lg + (sh - lg) * Math.exp(-T / tau);
      const theta = atm * atm * T;
      const phi = eta / (theta ** gamma * (1 + theta) ** (1 - gamma));
      const p: SviRaw = { a: (theta * (1 - rho * rho)) / 2, b: (theta * phi) / 2, rho, m: -rho / phi, sigma: Math.sqrt(1 - rho * rho) / phi };
      const ks = kRow(j);
      for (let i = 0; i < N_K; i++) out[s * N_GRID + j * N_K + i] = Math.sqrt(sviW(p, ks[i]) / T);
    }
  }
  return out;
}

/** The full training set: Heston (complete surfaces only), Bates and SVI, in that order. */
export async function generateVaeData(o: VaeDataOptions): Promise<VaeData> {
  const parts: Array<[Float32Array, number]> = [];
  if (o.nHeston > 0) {
    const h = await generateDataset({ n: o.nHeston, seed: o.seed, workers: o.workers, cachePath: o.cachePath, signal: o.signal });
    const keep: number[] = [];
    for (let s = 0; s < h.n; s++) if (h.flagged[s] === 0) keep.push(s);
    const iv = new Float32Array(keep.length * N_GRID);
    keep.forEach((s, i) => iv.set(h.iv.subarray(s * N_GRID, (s + 1) * N_GRID), i * N_GRID));
    parts.push([iv, 0]);
  }
  parts.push([batesSurfaces(o.nBates, o.seed), 1], [sviSurfaces(o.nSvi, o.seed), 2]);
  const n = parts.reduce((a, [iv]) => a + iv.length / N_GRID, 0);
  const iv = new Float32Array(n * N_GRID), family = new Uint8Array(n);
  let at = 0;
  for (const [p, f] of parts) {
    iv.set(p, at * N_GRID);
    family.fill(f, at, at + p.length / N_GRID);
    at += p.length / N_GRID;
  }
  return { n, iv, family };
}
