import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fitted, weightedLeastSquares } from './hedge-lsmc-regress.ts';

describe('weighted least squares by pivoted Cholesky', () => {
  test('recovers an exact polynomial, drops a collinear column with coefficient 0', () => {
    const n = 200, p = 4;
    const A = new Float64Array(n * p), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = i / n;
      A.set([1, x, x * x, 2 * x - 1], i * p); // column 3 = 2 col1 - col0
      y[i] = 1 + 2 * x + 3 * x * x;
    }
    const s = weightedLeastSquares(A, n, p, [y]);
    assert.equal(s.rank, 3);
    const c = s.coef[0];
    const full = fitted(A, n, p, c);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(full[i] - y[i]) < 1e-10);
    assert.equal(c.filter((x) => x === 0).length, 1);
  });

  test('a raw cubic in S near 3,000 (1e10 apart from the constant) is solved to full accuracy', () => {
    const n = 500, p = 4;
    const A = new Float64Array(n * p), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const S = 2500 + i * 2;
      A.set([1, S, S * S, S * S * S], i * p);
      const u = (S - 3000) / 500;
      y[i] = 5 - 3 * u + 2 * u * u * u;
    }
    const f = fitted(A, n, p, weightedLeastSquares(A, n, p, [y]).coef[0]);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(f[i] - y[i]) < 1e-6, `row ${i}: ${f[i]} vs ${y[i]}`);
  });

  test('property: weighted residuals are orthogonal to the kept columns; column scaling changes nothing fitted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 60, maxLength: 60 }),
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.05, max: 2, noNaN: true })), { minLength: 30, maxLength: 30 }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        (p, xs, ws, scale) => {
          const n = 30;
          const A = new Float64Array(n * p), B = new Float64Array(n * p), y = new Float64Array(n), w = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < p; j++) {
              A[i * p + j] = xs[i] ** j + 0.1 * xs[i + n] * j;
              B[i * p + j] = A[i * p + j] * (j === 1 ? scale : 1);
            }
            y[i] = Math.sin(xs[i]) + xs[i + n];
            w[i] = ws[i];
          }
          const sa = weightedLeastSquares(A, n, p, [y], w);
          const fa = fitted(A, n, p, sa.coef[0]);
          let ySize = 0;
          for (let i = 0; i < n; i++) ySize += w[i] * y[i] * y[i];
          for (let j = 0; j < p; j++) {
            if (sa.kept[j] === 0) continue;
            let g = 0, norm = 0;
            for (let i = 0; i < n; i++) {
              g += w[i] * A[i * p + j] * (y[i] - fa[i]);
              norm += w[i] * A[i * p + j] ** 2;
            }
            assert.ok(Math.abs(g) <= 1e-7 * Math.sqrt(norm * ySize) + 1e-12, `column ${j}: ${g}`);
          }
          if (sa.rank === p) {
            const fb = fitted(B, n, p, weightedLeastSquares(B, n, p, [y], w).coef[0]);
            for (let i = 0; i < n; i++) assert.ok(Math.abs(fa[i] - fb[i]) <= 1e-6 * (1 + Math.abs(fa[i])));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('bad sizes are named', () => {
    assert.throws(() => weightedLeastSquares(new Float64Array(3), 2, 2, [new Float64Array(2)]), /design has 3 entries/);
    assert.throws(() => weightedLeastSquares(new Float64Array(4), 2, 2, [new Float64Array(1)]), /target has 1 entries/);
    assert.throws(() => weightedLeastSquares(new Float64Array(4).fill(NaN), 2, 2, [new Float64Array(2)]), /not finite/);
  });
});
