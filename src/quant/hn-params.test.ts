import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkHnParams,
  hnExpectedTotalVariance,
  hnExpectedVariances,
  hnFilter,
  hnNextVariance,
  hnPersistence,
  hnRiskNeutral,
  hnStationaryVariance,
  type HnParams,
} from './hn-params.ts';
import { hnSimulateReturns } from './hn-simulate.ts';

const P: HnParams = { omega: 2e-6, alpha: 3e-6, beta: 0.85, gamma: 150, lambda: 2 };

describe('Heston-Nandi parameters', () => {
  test('persistence and stationary variance (fOptions example: sigma.daily = 0.01004)', () => {
    // R fOptions HestonNandiOptions example: sigma.daily = sqrt((omega + alpha) /
    // (1 - beta - alpha gamma^2)) for omega 2.3e-6, alpha 2.9e-6, beta 0.85, gamma 184.25
    const f = { lambda: -0.5, omega: 2.3e-6, alpha: 2.9e-6, beta: 0.85, gamma: 184.25 };
    assert.ok(Math.abs(hnPersistence(f) - (0.85 + 2.9e-6 * 184.25 ** 2)) < 1e-15);
    assert.ok(Math.abs(Math.sqrt(hnStationaryVariance(f)) - 0.01004) < 5e-6);
    assert.throws(() => hnStationaryVariance({ ...f, beta: 0.95 }), /not stationary: persistence/);
  });

  test('expected variances converge geometrically to the stationary variance', () => {
    const v = hnStationaryVariance(P);
    const e = hnExpectedVariances(P, 5 * v, 400);
    const pers = hnPersistence(P);
    for (const k of [0, 1, 10, 100, 399]) {
      const exact = v + pers ** k * (5 * v - v);
      assert.ok(Math.abs(e[k] - exact) <= 1e-12 * v, `k=${k}`);
    }
    let s = 0;
    for (const x of e) s += x;
    assert.ok(Math.abs(hnExpectedTotalVariance(P, 5 * v, 400) - s) <= 1e-12 * s);
  });

  test('the long-run mean of simulated h is the stationary variance', () => {
    const s = hnSimulateReturns(P, 200_000, { seed: 4, burnIn: 1000 });
    let m = 0;
    for (let t = 0; t < s.returns.length; t++) m += s.h[t];
    m /= s.returns.length;
    // h is strongly autocorrelated (persistence 0.92): allow 3% rather than an iid standard error
    const v = hnStationaryVariance(P);
    assert.ok(Math.abs(m / v - 1) < 0.03, `mean h ${m} vs stationary ${v}`);
  });

  test('risk-neutral mapping: lambda* = -1/2, gamma* = gamma + lambda + 1/2, idempotent', () => {
    const q = hnRiskNeutral(P);
    assert.deepEqual(q, { omega: P.omega, alpha: P.alpha, beta: P.beta, gamma: 152.5, lambda: -0.5 });
    assert.deepEqual(hnRiskNeutral(q), q);
  });

  test('P and Q parameters filter the same variance path from the same returns (HN 2000 Prop. 1)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-7, max: 1e-5, noNaN: true }),
        fc.double({ min: 1e-7, max: 1e-5, noNaN: true }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.double({ min: -300, max: 400, noNaN: true }),
        fc.double({ min: -5, max: 10, noNaN: true }),
        fc.integer({ min: 0, max: 1000 }),
        (omega, alpha, beta, gamma, lambda, seed) => {
          const p = { omega, alpha, beta, gamma, lambda };
          const base = { omega: 2e-6, alpha: 3e-6, beta: 0.8, gamma: 100, lambda: 1 };
          const R = hnSimulateReturns(base, 300, { seed }).returns;
          const hp = hnFilter(p, R, 1e-4, 1e-4);
          const hq = hnFilter(hnRiskNeutral(p), R, 1e-4, 1e-4);
          for (let t = 0; t < hp.length; t++) assert.ok(Math.abs(hp[t] - hq[t]) <= 1e-9 * hp[t], `t=${t}: ${hp[t]} vs ${hq[t]}`);
        },
      ),
      { numRuns: 40, seed: 9 },
    );
  });

  test('hnNextVariance is the recursion hnFilter runs and hnSimulateReturns generates', () => {
    const s = hnSimulateReturns(P, 500, { seed: 2, rDaily: 1e-4 });
    const h = hnFilter(P, s.returns, s.h[0], 1e-4);
    for (let t = 0; t < 500; t++) {
      assert.ok(Math.abs(h[t + 1] - s.h[t + 1]) <= 1e-12 * s.h[t + 1], `t=${t}`);
      assert.equal(hnNextVariance(P, h[t], s.returns[t], 1e-4), h[t + 1]);
    }
  });

  test('bad parameters are clear errors', () => {
    assert.throws(() => checkHnParams({ ...P, omega: -1 }), /params\.omega must be >= 0/);
    assert.throws(() => checkHnParams({ ...P, lambda: NaN }), /params\.lambda must be a finite number/);
    assert.throws(() => checkHnParams({ omega: 1, alpha: 1, beta: 0, gamma: 0 } as unknown as HnParams), /params\.lambda/);
    assert.throws(() => hnFilter(P, [0.01], 0), /h1 must be/);
  });
});
