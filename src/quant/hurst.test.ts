import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FgnSampler } from './fbm.ts';
import { hurstMomentScaling, hurstMomentScalingPaths } from './hurst.ts';
import { randomStream } from './mc-random.ts';
import { REAL_DATA_DIR, skipWithoutRealData } from '../ticks/real-data.ts';

/** An fBm path on the integer grid: n + 1 points, partial sums of exact fractional Gaussian noise. */
function fbm(n: number, H: number, seed: number): Float64Array {
  const z = new FgnSampler(n, H).sample(randomStream(seed));
  const x = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) x[k + 1] = x[k] + z[k];
  return x;
}

describe('Hurst exponent by moment scaling (Gatheral, Jaisson and Rosenbaum 2018)', () => {
  // Tolerances: the estimator's standard deviation over 40 seeds at n = 8192 with the default
  // lags 1..30 and q = 0.5..3 was 0.006 (H 0.1), 0.011 (0.3), 0.013 (0.5), 0.016 (0.7), with
  // means within 0.002 of H (E|B_{t+D} - B_t|^q is exactly c_q D^{qH}, so the method has no
  // bias beyond Jensen's on log m); each tolerance is 4 of those deviations.
  const cases: Array<[number, number]> = [
    [0.1, 0.025],
    [0.3, 0.045],
    [0.5, 0.055],
    [0.7, 0.065],
  ];
  for (const [H, tol] of cases) {
    test(`recovers H = ${H} from exact fractional Brownian motion (n = 8192) within ${tol}`, () => {
      const f = hurstMomentScaling(fbm(8192, H, 100 + Math.round(10 * H)));
      assert.ok(Math.abs(f.H - H) < tol, `H ${f.H}`);
      // monofractal: zeta_q / q is the same H for every q, and each log-log fit is a line
      for (let a = 0; a < f.qs.length; a++) {
        assert.ok(Math.abs(f.zeta[a] / f.qs[a] - H) < 1.5 * tol, `zeta_${f.qs[a]} / q = ${f.zeta[a] / f.qs[a]}`);
        assert.ok(f.r2[a] > 0.98, `R^2 at q ${f.qs[a]}: ${f.r2[a]}`);
      }
      assert.ok(Math.abs(f.hFree - f.H) < tol && Math.abs(f.hFreeIntercept) < 0.05);
    });
  }

  test('Brownian motion (a random walk of normal steps) gives H = 1/2', () => {
    const rng = randomStream(4);
    const x = new Float64Array(8193);
    for (let k = 1; k < x.length; k++) x[k] = x[k - 1] + rng.normal();
    const f = hurstMomentScaling(x);
    assert.ok(Math.abs(f.H - 0.5) < 0.055, `H ${f.H}`);
  });

  test('scale and shift invariant: log variance instead of log vol gives the same H', () => {
    const x = fbm(2048, 0.2, 8);
    const a = hurstMomentScaling(x);
    const b = hurstMomentScaling(x.map((v) => 2 * v + 3));
    assert.ok(Math.abs(a.H - b.H) < 1e-12);
  });

  test('many short paths (2,000 x 20 steps, as the neural SDE diagnostics use) recover H', () => {
    // pooled over 2,000 paths the estimate's deviation over seeds was 0.003 (H 0.1) and
    // 0.004 (H 0.5) with the default lags 1..5
    for (const [H, tol] of [
      [0.1, 0.012],
      [0.5, 0.016],
    ]) {
      const s = new FgnSampler(19, H);
      const rng = randomStream(31);
      const P = new Float64Array(2000 * 20);
      const z = new Float64Array(19);
      for (let p = 0; p < 2000; p++) {
        s.sample(rng, z);
        for (let k = 0; k < 19; k++) P[p * 20 + k + 1] = P[p * 20 + k] + z[k];
      }
      const f = hurstMomentScalingPaths(P, 2000, 20);
      assert.deepEqual(Array.from(f.lags), [1, 2, 3, 4, 5]);
      assert.equal(f.counts[0], 2000 * 19, 'increments never cross from one path into the next');
      assert.ok(Math.abs(f.H - H) < tol, `H ${f.H} vs ${H}`);
    }
  });

  test('bad input is refused with the reason', () => {
    assert.throws(() => hurstMomentScaling([1, 2]), /at least 3 values/);
    assert.throws(() => hurstMomentScaling([1, 2, NaN, 4, 5]), /index 2 is not finite/);
    assert.throws(() => hurstMomentScaling([1, 1, 1, 1, 1, 1, 1, 1]), /does not move/);
    assert.throws(() => hurstMomentScaling(fbm(100, 0.3, 1), { lags: [1, 200] }), /lags must be integers in \[1, 100\]/);
    assert.throws(() => hurstMomentScaling(fbm(100, 0.3, 1), { lags: [3] }), /at least 2 lags/);
    assert.throws(() => hurstMomentScaling(fbm(100, 0.3, 1), { qs: [0, 1] }), /qs must be positive/);
    assert.throws(() => hurstMomentScalingPaths([1, 2, 3, 4, 5, 6], 2, 4), /nPaths x nSteps = 8/);
  });

  const vix = 'vix/vix-daily.csv';
  test('real VIX closes 1990-2026: rough (H < 1/2) but smoother than realized volatility', { skip: skipWithoutRealData(vix) }, () => {
    // GJR find H of about 0.14 for log realized S&P 500 volatility. VIX is not realized vol: it is
    // the square root of a 30-day risk-neutral average of forward variance, and averaging over
    // 30 days smooths the path, so its H must come out above the realized-vol value; still it
    // stays well below 1/2 at daily to monthly lags. Measured when written: H = 0.357
    // (lags 1..30), zeta_q / q from 0.37 (q = 0.5) to 0.35 (q = 3). The band below is the
    // expectation, not the measurement: above 0.2, below 0.45, and close to monofractal.
    const rows = readFileSync(resolve(REAL_DATA_DIR, vix), 'utf8').trim().split('\n').slice(1);
    const logVix = Float64Array.from(rows, (l) => Math.log(Number(l.split(',')[4])));
    assert.ok(logVix.length > 9000);
    const f = hurstMomentScaling(logVix);
    assert.ok(f.H > 0.2 && f.H < 0.45, `H of log VIX ${f.H}`);
    for (let a = 0; a < f.qs.length; a++) {
      assert.ok(Math.abs(f.zeta[a] / f.qs[a] - f.H) < 0.04, `zeta_${f.qs[a]} / q = ${f.zeta[a] / f.qs[a]}`);
      assert.ok(f.r2[a] > 0.99);
    }
  });
});
