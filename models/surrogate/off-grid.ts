/**
 * Off-grid accuracy of mapping quotes onto the grid (grid-interp.ts): exact IVs at random
 * (k, T) inside the grid's span against the interpolated exact grid surface, over random box
 * points, i.e. the error the mapping adds before any network error.
 */
import { hestonPrices } from '../../src/quant/heston.ts';
import { impliedVolsBlack76 } from '../../src/quant/implied-vol.ts';
import { randomStream } from '../../src/quant/mc-random.ts';
import { GRID_T, GRID_Z, N_GRID, N_T, SIGMA_REF } from './grid.ts';
import { N_PARAMS, latinHypercube, vectorToParams } from './param-box.ts';
import { exactSurface, MIN_PRICE, PRICE_REL_TOL } from './exact-surface.ts';
import { gridIv } from './grid-interp.ts';

/** Absolute IV errors of the interpolation: RMSE, mean, 99th percentile, count. */
export function offGridError(nSurfaces: number, pointsPerSurface: number, seed: number): { rmse: number; meanAbs: number; p99Abs: number; n: number } {
  const params = latinHypercube(nSurfaces, seed), rng = randomStream(seed + 1);
  const grid = new Float64Array(N_GRID), errs: number[] = [];
  const lnT0 = Math.log(GRID_T[0]), lnT1 = Math.log(GRID_T[N_T - 1]);
  for (let s = 0; s < nSurfaces; s++) {
    const p = vectorToParams(params, s * N_PARAMS);
    if (exactSurface(p, grid) > 0) continue;
    for (let q = 0; q < pointsPerSurface; q++) {
      const T = Math.exp(lnT0 + rng.uniform() * (lnT1 - lnT0));
      const z = GRID_Z[0] + rng.uniform() * (GRID_Z[GRID_Z.length - 1] - GRID_Z[0]);
      const k = z * SIGMA_REF * Math.sqrt(T), K = Math.exp(k);
      const price = hestonPrices(p, 1, T, 0, 0, [K], k >= 0, undefined, { relTol: PRICE_REL_TOL });
      if (price[0] < MIN_PRICE) continue;
      const ex = impliedVolsBlack76(price, 1, K, T, 1, k >= 0).iv[0];
      if (Number.isFinite(ex)) errs.push(Math.abs(gridIv(grid, k, T) - ex));
    }
  }
  const a = Float64Array.from(errs).sort();
  return { rmse: Math.sqrt(a.reduce((x, e) => x + e * e, 0) / a.length), meanAbs: a.reduce((x, e) => x + e, 0) / a.length, p99Abs: a[Math.ceil(0.99 * a.length) - 1], n: a.length };
}
