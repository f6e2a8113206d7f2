import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { GRID_T, GRID_Z, N_GRID, N_K } from '../surrogate/grid.ts';
import { batesSurfaces, generateVaeData, sviSurfaces } from './data.ts';

describe('VAE training data', () => {
  test('same seed gives the same surfaces bit for bit, another seed others', async () => {
    const o = { seed: 5, nHeston: 6, nBates: 4, nSvi: 5, workers: 0, cachePath: null };
    const a = await generateVaeData(o), b = await generateVaeData(o);
    assert.deepEqual(a.iv, b.iv);
    assert.deepEqual(a.family, b.family);
    const c = await generateVaeData({ ...o, seed: 6 });
    assert.notDeepEqual(a.iv.slice(0, N_GRID), c.iv.slice(0, N_GRID));
    assert.equal(a.iv.length, a.n * N_GRID);
    assert.equal(a.family.filter((f) => f === 2).length, 5);
  });

  test('every kept surface is complete and in a sane vol range', () => {
    for (const iv of [batesSurfaces(8, 3), sviSurfaces(50, 3)]) {
      for (const v of iv) assert.ok(v > 0.01 && v < 3, `vol ${v}`);
    }
  });

  test('SVI surfaces are SSVI: the ATM point is the term structure vol, the skew is downward', () => {
    // SSVI (Gatheral and Jacquier 2014, eq. 4.1) gives w(0) = theta, so the z = 0 point is the ATM vol
    const iv = sviSurfaces(30, 11);
    const atm = GRID_Z.indexOf(0);
    for (let s = 0; s < 30; s++) {
      for (let j = 0; j < GRID_T.length; j++) {
        const row = iv.subarray(s * N_GRID + j * N_K, s * N_GRID + (j + 1) * N_K);
        // rho <= 0: the left wing is at least as high as the right
        assert.ok(row[0] >= row[N_K - 1] - 1e-6);
        assert.ok(row[atm] > 0.07 && row[atm] < 0.61);
      }
    }
  });

  test('bad sizes are rejected with the name of the input', () => {
    assert.throws(() => batesSurfaces(-1, 1), /nBates/);
    assert.throws(() => sviSurfaces(1.5, 1), /nSvi/);
  });
});
