import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GRID_T, GRID_Z, N_GRID, N_K, N_T, gridPoints, isShortMaturity, kRow, moneynessBucket } from './grid.ts';

test('grid covers one week to two years, deep OTM puts to OTM calls, ATM at k = 0', () => {
  assert.equal(N_GRID, N_K * N_T);
  assert.ok(Math.abs(GRID_T[0] - 7 / 365) < 1e-15 && GRID_T[N_T - 1] === 2);
  for (let j = 1; j < N_T; j++) assert.ok(GRID_T[j] > GRID_T[j - 1]);
  for (let j = 0; j < N_T; j++) {
    const k = kRow(j);
    for (let i = 1; i < N_K; i++) assert.ok(k[i] > k[i - 1]);
    assert.equal(k[GRID_Z.indexOf(0)], 0);
    assert.ok(k[0] < 0 && k[N_K - 1] > 0);
  }
  // one-week row stays within SPX weekly strikes (+-15% of the forward), the two-year row reaches K/F < 0.4
  assert.ok(kRow(0)[0] > Math.log(0.85) && kRow(0)[N_K - 1] < Math.log(1.15));
  assert.ok(Math.exp(kRow(N_T - 1)[0]) < 0.4);
  assert.throws(() => kRow(N_T), /maturity row/);
});

test('gridPoints lays rows out by maturity; buckets split the grid', () => {
  const { k, T } = gridPoints();
  assert.equal(T[N_K], GRID_T[1]);
  assert.equal(k[N_K + 3], kRow(1)[3]);
  const counts = { atm: 0, otmPut: 0, otmCall: 0 };
  for (let i = 0; i < N_K; i++) counts[moneynessBucket(i)]++;
  assert.deepEqual(counts, { atm: 3, otmPut: 6, otmCall: 3 });
  assert.equal(GRID_T.filter((_, j) => isShortMaturity(j)).length, 5);
});
