/**
 * The exact Heston surface on the surrogate's grid: the quant core's Fourier pricer (forward 1,
 * no discounting: the IV at k = ln(K/F) does not depend on spot, r or q), out-of-the-money side
 * (puts for k < 0, calls for k >= 0), inverted to Black-76 implied vols. A point is flagged
 * where the inversion fails or the price is so small that the pricer's absolute error (relTol
 * times the forward) is more than 1e-3 of it, i.e. where the IV itself is not reliable.
 */
import { hestonPrices, type HestonParams } from '../../src/quant/heston.ts';
import { IV_OK, impliedVolsBlack76 } from '../../src/quant/implied-vol.ts';
import { GRID_T, N_GRID, N_K, kRow } from './grid.ts';

/** Absolute price accuracy of the pricer, relative to the forward. */
export const PRICE_REL_TOL = 1e-12;
/** Smallest OTM price (forward 1) whose IV is trusted: relative price error at most 1e-3. */
export const MIN_PRICE = PRICE_REL_TOL * 1e3;

const strikeRows = GRID_T.map((_, j) => Float64Array.from(kRow(j), Math.exp));
const callRows = GRID_T.map((_, j) => Uint8Array.from(kRow(j), (k) => (k >= 0 ? 1 : 0)));
const callBool = callRows.map((c) => Array.from(c, (x) => x === 1));

/** Exact IV surface: fills `iv` (N_GRID, NaN where flagged) and returns the number of flagged points. */
export function exactSurface(p: HestonParams, iv: Float64Array | Float32Array, ivOffset = 0): number {
  const price = new Float64Array(N_K);
  let bad = 0;
  for (let j = 0; j < GRID_T.length; j++) {
    const T = GRID_T[j];
    hestonPrices(p, 1, T, 0, 0, strikeRows[j], callBool[j], price, { relTol: PRICE_REL_TOL });
    const res = impliedVolsBlack76(price, 1, strikeRows[j], T, 1, callRows[j]);
    for (let i = 0; i < N_K; i++) {
      const ok = res.status[i] === IV_OK && price[i] >= MIN_PRICE && Number.isFinite(res.iv[i]);
      iv[ivOffset + j * N_K + i] = ok ? res.iv[i] : NaN;
      if (!ok) bad++;
    }
  }
  return bad;
}

/** The exact surface as a new array (see exactSurface). */
export function exactSurfaceArray(p: HestonParams): { iv: Float64Array; flagged: number } {
  const iv = new Float64Array(N_GRID);
  const flagged = exactSurface(p, iv);
  return { iv, flagged };
}
