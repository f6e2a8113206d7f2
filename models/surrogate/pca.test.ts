import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomStream } from '../../src/quant/mc-random.ts';
import { explainedVariance, fitPca, pcaProject, pcaReconstruct, symmetricEigen } from './pca.ts';

test('symmetricEigen: eigenpairs of a known matrix', () => {
  // [[2,1],[1,2]] has eigenvalues 3 and 1 with eigenvectors (1,1)/sqrt2 and (1,-1)/sqrt2
  const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
  assert.ok(Math.abs(values[0] - 3) < 1e-14 && Math.abs(values[1] - 1) < 1e-14);
  assert.ok(Math.abs(Math.abs(vectors[0]) - Math.SQRT1_2) < 1e-14 && Math.abs(vectors[0] - vectors[1]) < 1e-14);
});

test('symmetricEigen: A v = lambda v on a random symmetric 20 x 20 matrix', () => {
  const n = 20, rng = randomStream(4), a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  const { values, vectors } = symmetricEigen(a, n);
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * vectors[c * n + j];
      assert.ok(Math.abs(s - values[c] * vectors[c * n + i]) < 1e-10);
    }
  }
});

test('PCA reconstructs rank-3 data exactly with 3 components', () => {
  const dim = 12, m = 200, rng = randomStream(8);
  const basis = Array.from({ length: 3 }, () => Array.from({ length: dim }, () => rng.normal()));
  const x = new Float64Array(m * dim);
  for (let r = 0; r < m; r++) {
    const c = [rng.normal(), rng.normal(), rng.normal()];
    for (let d = 0; d < dim; d++) x[r * dim + d] = 0.2 + c[0] * basis[0][d] + c[1] * basis[1][d] + c[2] * basis[2][d];
  }
  const rows = Array.from({ length: m }, (_, i) => i);
  const p = fitPca(x, dim, rows, 3);
  assert.ok(1 - explainedVariance(p) < 1e-12);
  for (const r of [0, 57, 199]) {
    const back = pcaReconstruct(p, pcaProject(p, x, r * dim));
    for (let d = 0; d < dim; d++) assert.ok(Math.abs(back[d] - x[r * dim + d]) < 1e-10);
  }
  assert.ok(explainedVariance(fitPca(x, dim, rows, 2)) < 0.99);
  assert.throws(() => fitPca(x, dim, rows, 0), /nComp/);
});
