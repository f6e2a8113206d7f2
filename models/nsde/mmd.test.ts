import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomStream } from '../../src/quant/mc-random.ts';
import { mmdTest } from './mmd.ts';

test('MMD^2_u of two tiny samples matches the estimator written out by hand', () => {
  // Gretton et al. 2012, eq. 3, with a = {0, 1}, b = {2, 3} and k(x, y) = exp(-(x - y)^2 / 2):
  // MMD^2_u = k(0,1) + k(2,3) - (k(0,2) + k(0,3) + k(1,2) + k(1,3)) / 2.
  const k = (d: number) => Math.exp(-(d * d) / 2);
  const expected = k(1) + k(1) - (k(2) + k(3) + k(1) + k(2)) / 2;
  const r = mmdTest([0, 1], [2, 3], 1, { bandwidth: 1, permutations: 10 });
  assert.ok(Math.abs(r.mmd2 - expected) < 1e-15, `${r.mmd2} vs ${expected}`);
});

test('the median heuristic is the median pairwise distance of the pooled sample', () => {
  // distances of {0, 1, 3}: 1, 2, 3 -> median 2
  assert.equal(mmdTest([0, 1], [3, 3], 1, { permutations: 1 }).bandwidth, 2);
});

test('samples from one law are not rejected, and a shifted law is', () => {
  const draw = (seed: number, shift: number) => {
    const z = new Float64Array(2 * 80);
    randomStream(seed, 0).fillNormals(z);
    return z.map((v, i) => v + (i % 2 === 0 ? shift : 0));
  };
  const same = mmdTest(draw(1, 0), draw(2, 0), 2, { seed: 3, permutations: 300 });
  const shifted = mmdTest(draw(1, 0), draw(2, 1), 2, { seed: 3, permutations: 300 });
  assert.ok(same.pValue > 0.05, `same law p = ${same.pValue}`);
  assert.ok(shifted.pValue < 0.01, `shifted law p = ${shifted.pValue}`);
  assert.ok(shifted.mmd2 > same.mmd2);
});

test('bad samples are rejected by name', () => {
  assert.throws(() => mmdTest([1, 2, 3], [1, 2], 2), /whole rows of 2/);
  assert.throws(() => mmdTest([1], [1, 2], 1), /at least 2 rows/);
  assert.throws(() => mmdTest([1, NaN], [1, 2], 1), /sample a, row 1 is not finite/);
});
