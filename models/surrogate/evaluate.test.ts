import { test } from 'node:test';
import assert from 'node:assert/strict';
import { N_GRID, N_K } from './grid.ts';
import { exactSurfaceArray } from './exact-surface.ts';
import { evaluateSurfaces, gridArbitrage } from './evaluate.ts';

const { iv } = exactSurfaceArray({ v0: 0.04, kappa: 2, theta: 0.05, sigma: 0.6, rho: -0.7 });

test('an exact Heston surface passes the grid arbitrage checks; broken ones are flagged', () => {
  assert.deepEqual(gridArbitrage(iv), { butterfly: false, calendar: false });
  const cal = Float64Array.from(iv);
  for (let i = 0; i < N_K; i++) cal[6 * N_K + i] = 0.5 * iv[5 * N_K + i]; // 1y row far below 6m: total variance falls
  assert.equal(gridArbitrage(cal).calendar, true);
  const fly = Float64Array.from(iv);
  fly[3 * N_K + 6] += 0.08; // a spike in one smile: concave total variance beside it
  assert.equal(gridArbitrage(fly).butterfly, true);
});

test('error statistics of a known perturbation', () => {
  const pred = Float64Array.from(iv, (v, g) => v + (g % 2 === 0 ? 0.001 : -0.001));
  const m = evaluateSurfaces(pred, iv, 1);
  assert.equal(m.all.n, N_GRID);
  assert.ok(Math.abs(m.all.rmse - 0.001) < 1e-12 && Math.abs(m.all.p99Abs - 0.001) < 1e-12);
  assert.ok(Math.abs(m.buckets.otmPut.meanAbs - 0.001) < 1e-12);
  assert.throws(() => evaluateSurfaces(pred, iv, 2), /need 2 surfaces/);
});
