import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { acf, pooledAcf } from './autocorrelation.ts';
import { randomStream } from './mc-random.ts';

/** An AR(1) series x_t = phi x_{t-1} + e_t, started from its stationary law. */
function ar1(n: number, phi: number, seed: number): Float64Array {
  const rng = randomStream(seed);
  const x = new Float64Array(n);
  x[0] = rng.normal() / Math.sqrt(1 - phi * phi);
  for (let t = 1; t < n; t++) x[t] = phi * x[t - 1] + rng.normal();
  return x;
}

describe('acf', () => {
  test('1, 2, 3, 4, 5 has autocorrelations 1, 0.4, -0.1, -0.4, -0.4 (as R: acf(1:5))', () => {
    // by hand: deviations -2..2, denominator 10; lag sums 4, -1, -4, -4
    const r = acf([1, 2, 3, 4, 5], 4);
    const expected = [1, 0.4, -0.1, -0.4, -0.4];
    for (let k = 0; k <= 4; k++) assert.ok(Math.abs(r[k] - expected[k]) < 1e-15, `lag ${k}: ${r[k]}`);
  });

  for (const phi of [0.7, -0.5, 0.95]) {
    test(`AR(1) with phi = ${phi} has ACF phi^k within 4 Bartlett standard errors`, () => {
      const n = 100_000;
      const r = acf(ar1(n, phi, 3), 10);
      for (let k = 1; k <= 10; k++) {
        // Bartlett's formula for an AR(1): n Var(r_k) = (1 + phi^2)(1 - phi^2k)/(1 - phi^2) - 2k phi^2k
        const p2k = phi ** (2 * k);
        const se = Math.sqrt(((1 + phi * phi) * (1 - p2k)) / (1 - phi * phi) / n - (2 * k * p2k) / n);
        // the estimator's own bias, about -(1 + phi)/(n(1 - phi)) at lag 1, is far below se here
        assert.ok(Math.abs(r[k] - phi ** k) < 4 * se, `lag ${k}: ${r[k]} vs ${phi ** k} (se ${se})`);
      }
    });
  }

  test('constant series, bad lags and non-finite values', () => {
    const r = acf([2, 2, 2, 2], 2);
    assert.equal(r[0], 1);
    assert.ok(Number.isNaN(r[1]));
    assert.throws(() => acf([1, 2, 3], 3), /longer than 3 values/);
    assert.throws(() => acf([1, 2, 3], 0), /positive integer/);
    assert.throws(() => acf([1, NaN, 3, 4], 1), /index 1/);
  });
});

describe('pooledAcf', () => {
  test('one path is the plain acf', () => {
    const x = ar1(500, 0.6, 5);
    const a = acf(x, 5);
    const b = pooledAcf(x, 1, 500, 5);
    for (let k = 0; k <= 5; k++) assert.ok(Math.abs(a[k] - b[k]) < 1e-14);
  });

  test('long AR(1) segments recover phi; short ones share the per-segment downward bias', () => {
    const phi = 0.7;
    const long = pooledAcf(ar1(100_000, phi, 9), 50, 2000, 3);
    for (let k = 1; k <= 3; k++) assert.ok(Math.abs(long[k] - phi ** k) < 0.02, `lag ${k}: ${long[k]}`);
    // the same series cut into 20-step segments: centring each on its own mean lowers r_1
    const short = pooledAcf(ar1(100_000, phi, 9), 5000, 20, 1);
    assert.ok(short[1] < long[1] - 0.05 && short[1] > 0.4, `short-segment r_1 ${short[1]}`);
  });

  test('refuses bad shapes', () => {
    assert.throws(() => pooledAcf([1, 2, 3], 2, 2, 1), /nPaths x nSteps = 4/);
    assert.throws(() => pooledAcf([1, 2, 3, 4], 2, 2, 2), /longer than 2 values/);
  });
});
