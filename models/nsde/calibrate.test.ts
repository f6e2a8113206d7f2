import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { randomStream } from '../../src/quant/mc-random.ts';
import { fitLogOu, futuresMeanReversion, futuresTau, simulateLogOu, spotVarianceCorrelation } from './calibrate.ts';
import type { FuturesCurves } from './data.ts';

test('log-OU MLE recovers the parameters of a simulated series within its asymptotic standard errors', () => {
  // Asymptotic sd of the OU MLE over a span of T years: kappa sqrt(2 kappa / T), theta
  // sigma / (kappa sqrt(T)), sigma sigma / sqrt(2 n) (Tang and Chen, "Parameter estimation and
  // bias correction for diffusion processes", J. Econometrics 149, 2009, section 2).
  const p = { kappa: 5, theta: -3.3, sigma: 2 };
  const dt = 1 / 252;
  const n = 20000;
  const z = new Float64Array(n);
  randomStream(11, 0).fillNormals(z);
  const x = simulateLogOu(p, [p.theta], n, dt, z);
  const f = fitLogOu(x, dt);
  const T = n * dt;
  assert.ok(Math.abs(f.kappa - p.kappa) < 4 * Math.sqrt((2 * p.kappa) / T), `kappa ${f.kappa}`);
  assert.ok(Math.abs(f.theta - p.theta) < 4 * (p.sigma / (p.kappa * Math.sqrt(T))), `theta ${f.theta}`);
  assert.ok(Math.abs(f.sigma - p.sigma) < 4 * (p.sigma / Math.sqrt(2 * n)), `sigma ${f.sigma}`);
});

test('log-OU MLE refuses a series that does not mean-revert', () => {
  assert.throws(() => fitLogOu([1, 2, 3, 4, 5, 6], 1 / 252), /does not mean-revert/);
});

test('the futures term-structure fit recovers kappa and the level of curves made by its own formula', () => {
  fc.assert(
    fc.property(fc.double({ min: 0.3, max: 8, noNaN: true }), fc.double({ min: 12, max: 35, noNaN: true }), (kappa, level) => {
      const spots = [12, 18, 25, 40, 15];
      const futures = new Float64Array(spots.length * 8);
      spots.forEach((v, d) => {
        for (let n = 1; n <= 8; n++) futures[d * 8 + n - 1] = Math.exp(Math.log(level) + (Math.log(v) - Math.log(level)) * Math.exp(-kappa * futuresTau(n)));
      });
      const c: FuturesCurves = { dates: spots.map((_, d) => `2010-01-0${d + 1}`), vix: Float64Array.from(spots), futures, spx: new Float64Array(spots.length) };
      const f = futuresMeanReversion(c);
      assert.ok(Math.abs(f.kappa / kappa - 1) < 1e-5, `kappa ${f.kappa} vs ${kappa}`);
      assert.ok(Math.abs(f.thetaQX - 2 * Math.log(level / 100)) < 1e-5);
      assert.ok(f.rmse < 1e-6);
    }),
    { numRuns: 25 },
  );
});

test('the spot-variance correlation of perfectly anti-correlated moves is -1, on common consecutive days only', () => {
  const dates = ['2020-01-02', '2020-01-03', '2020-01-06', '2020-01-07', '2020-01-08', '2020-01-09', '2020-01-10', '2020-01-13', '2020-01-14', '2020-01-15', '2020-01-16', '2020-01-17'];
  const r = [0.01, -0.02, 0.005, 0.03, -0.01, 0.002, -0.004, 0.012, -0.03, 0.02, 0.001];
  const spx = [100];
  const x = [-3];
  r.forEach((v, i) => {
    spx.push(spx[i] * Math.exp(v));
    x.push(x[i] - 3 * v);
  });
  const c = spotVarianceCorrelation(dates, spx, dates, x);
  assert.ok(Math.abs(c.rho + 1) < 1e-12);
  assert.equal(c.n, 11);
});
