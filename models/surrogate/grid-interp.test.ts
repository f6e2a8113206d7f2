import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GRID_T, N_K, kRow } from './grid.ts';
import { exactSurfaceArray } from './exact-surface.ts';
import { gridIv } from './grid-interp.ts';
import { offGridError } from './off-grid.ts';

const { iv } = exactSurfaceArray({ v0: 0.04, kappa: 2, theta: 0.05, sigma: 0.6, rho: -0.7 });

test('grid interpolation returns the grid values at the nodes', () => {
  for (const j of [0, 3, 7]) {
    const k = kRow(j);
    for (let i = 0; i < N_K; i++) assert.ok(Math.abs(gridIv(iv, k[i], GRID_T[j]) - iv[j * N_K + i]) < 1e-12);
  }
  assert.throws(() => gridIv(iv, 0, 0), /T must be/);
});

test('between maturities, implied variance is linear in ln T at the ATM point', () => {
  const T0 = GRID_T[5], T1 = GRID_T[6], T = Math.sqrt(T0 * T1);
  const v = (t: number): number => gridIv(iv, 0, t) ** 2;
  assert.ok(Math.abs(v(T) - 0.5 * (v(T0) + v(T1))) < 1e-12);
});

test('off-grid mapping error of exact surfaces is within the surrogate goal (RMSE 0.002)', () => {
  const e = offGridError(20, 20, 4);
  assert.ok(e.n > 300 && e.rmse < 0.002, `rmse ${e.rmse} over ${e.n}`);
});
