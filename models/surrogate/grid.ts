/**
 * The surrogate's fixed grid: 8 maturities from one week to two years, and at each maturity 12
 * log-moneyness points k = ln(K/F) placed at fixed standardised moneyness z = k / (SIGMA_REF sqrt T),
 * from z = -3.5 (deep OTM puts) to z = +2 (OTM calls). Scaling by sqrt T keeps every maturity's
 * points inside the range where SPX actually quotes (a one-week chain spans a few percent of spot,
 * a two-year chain tens of percent), and k relative to the forward makes the grid independent of
 * spot, rates and dividends: under Heston the implied vol at (ln(K/F), T) depends on neither r nor q.
 * Layout: surface[j * N_K + i] is the vol at (z[i], T[j]), one row per maturity.
 */

/** Reference vol of the standardisation z = k / (SIGMA_REF sqrt T). */
export const SIGMA_REF = 0.2;

/** Standardised moneyness points, deep OTM puts to OTM calls. */
export const GRID_Z: readonly number[] = [-3.5, -3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2];

/** Maturities in years: 1w, 2w, 1m, 2m, 3m, 6m, 1y, 2y. */
export const GRID_T: readonly number[] = [7 / 365, 14 / 365, 1 / 12, 2 / 12, 0.25, 0.5, 1, 2];

export const N_K = GRID_Z.length;
export const N_T = GRID_T.length;
/** Points per surface. */
export const N_GRID = N_K * N_T;

/** Log-moneyness ln(K/F) of the grid point z at maturity T. */
export function gridK(z: number, T: number): number {
  return z * SIGMA_REF * Math.sqrt(T);
}

/** The k points of maturity row j. */
export function kRow(j: number): Float64Array {
  if (!(Number.isInteger(j) && j >= 0 && j < N_T)) throw new RangeError(`maturity row must be an integer in [0, ${N_T}), got ${j}`);
  return Float64Array.from(GRID_Z, (z) => gridK(z, GRID_T[j]));
}

/** Every grid point's (k, T), in surface layout. */
export function gridPoints(): { k: Float64Array; T: Float64Array } {
  const k = new Float64Array(N_GRID), T = new Float64Array(N_GRID);
  for (let j = 0; j < N_T; j++) {
    for (let i = 0; i < N_K; i++) {
      k[j * N_K + i] = gridK(GRID_Z[i], GRID_T[j]);
      T[j * N_K + i] = GRID_T[j];
    }
  }
  return { k, T };
}

/** Evaluation buckets of a grid point. */
export type Bucket = 'atm' | 'otmPut' | 'otmCall';

/** The moneyness bucket of point i of a row: ATM within half a standardised unit of the forward. */
export function moneynessBucket(i: number): Bucket {
  const z = GRID_Z[i];
  return Math.abs(z) <= 0.5 ? 'atm' : z < 0 ? 'otmPut' : 'otmCall';
}

/** Short maturities are up to three months, long ones beyond. */
export function isShortMaturity(j: number): boolean {
  return GRID_T[j] <= 0.25;
}
