import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussLegendre } from './hn-quadrature.ts';

test('n-point Gauss-Legendre integrates x^k exactly for k <= 2n - 1 (Abramowitz & Stegun 25.4.29)', () => {
  for (const n of [1, 2, 5, 16, 40]) {
    const { x, w } = gaussLegendre(n);
    for (let k = 0; k <= 2 * n - 1; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i] * x[i] ** k;
      const exact = k % 2 === 1 ? 0 : 2 / (k + 1);
      assert.ok(Math.abs(s - exact) < 1e-14, `n=${n} k=${k}: ${s} vs ${exact}`);
    }
  }
});

test('the 2-point rule is +-1/sqrt(3) with unit weights', () => {
  const { x, w } = gaussLegendre(2);
  assert.ok(Math.abs(x[1] - 1 / Math.sqrt(3)) < 1e-15 && Math.abs(x[0] + 1 / Math.sqrt(3)) < 1e-15);
  assert.ok(Math.abs(w[0] - 1) < 1e-15 && Math.abs(w[1] - 1) < 1e-15);
});

test('bad n is a clear error', () => {
  assert.throws(() => gaussLegendre(0), /n must be an integer in 1\.\.512/);
});
