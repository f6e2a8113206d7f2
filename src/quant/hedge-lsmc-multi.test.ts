import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateHedgePaths } from './hedge-lsmc-paths.ts';
import { fitQuadraticHedge } from './hedge-lsmc.ts';
import { fitQuadraticRatios, MULTI_BASIS } from './hedge-lsmc-multi.ts';

describe('LRM and MVH ratios for many strikes at once', () => {
  const params = { v0: 0.0225, kappa: 2.5, theta: 0.04, sigma: 0.6, rho: -0.75 };
  const premium = { kind: 'variance' as const, lambdaS: 1 };

  test('equal fitQuadraticHedge strike by strike with the same basis (same normal equations)', () => {
    const market = { S0: 100, r: 0.03, q: 0.01, T: 0.2, steps: 6 };
    const p = simulateHedgePaths({ params, market, premium, paths: 512, seed: 4, antithetic: true });
    const strikes = [90, 97, 100, 104, 112];
    const r = fitQuadraticRatios(p, strikes, params);
    strikes.forEach((K, j) => {
      const lrm = fitQuadraticHedge(p, { K, call: true }, params, 'LRM', { basis: MULTI_BASIS });
      const mvh = fitQuadraticHedge(p, { K, call: true }, params, 'MVH', { basis: MULTI_BASIS });
      const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `K ${K} ${what}: ${a} vs ${b}`);
      close(r.lrm[j], lrm.ratio0, 'LRM ratio');
      close(r.mvh[j], mvh.ratio0, 'MVH ratio');
      close(r.lrmValue[j], lrm.V0, 'LRM value');
      close(r.mvhValue[j], mvh.V0, 'MVH value');
    });
    // a call's ratio rises with moneyness (a check the estimator can fail)
    for (let j = 1; j < strikes.length; j++) assert.ok(r.lrm[j] < r.lrm[j - 1] && r.mvh[j] < r.mvh[j - 1], `not decreasing in K: ${r.lrm} / ${r.mvh}`);
  });

  test('put-call parity of the ratios on the same paths, through the spot column', () => {
    const market = { S0: 100, r: 0.04, q: 0.02, T: 0.25, steps: 5 };
    const p = simulateHedgePaths({ params, market, premium, paths: 512, seed: 8, antithetic: true });
    const dq = Math.exp(-market.q * market.T);
    // Exact in exact arithmetic (a forward lies in the span, every regression is linear in its
    // target). Numerically: where one step's cross section is narrow, S is collinear with 1, u and
    // He2(u) to O(sdU^3) and the pivoted Cholesky drops it (DROP_TOL), leaving about 1e-5; a
    // degree-1 basis keeps S and is exact to rounding.
    const cases = [[MULTI_BASIS, 1e-4], [{ degree: 2, spot: true }, 1e-4], [{ degree: 1, bsFeatures: false, spot: true }, 1e-10]] as const;
    for (const [basis, tol] of cases) {
      for (const m of ['LRM', 'MVH'] as const) {
        const c = fitQuadraticHedge(p, { K: 103, call: true }, params, m, { basis });
        const put = fitQuadraticHedge(p, { K: 103, call: false }, params, m, { basis });
        assert.ok(Math.abs(c.ratio0 - put.ratio0 - dq) < tol, `${m} ${JSON.stringify(basis)}: call ${c.ratio0} - put ${put.ratio0} vs e^-qT ${dq}`);
      }
    }
  });

  test('bad inputs are named', () => {
    const market = { S0: 1, r: 0, q: 0, T: 0.1, steps: 2 };
    const p = simulateHedgePaths({ params, market, premium, paths: 64, seed: 1 });
    assert.throws(() => fitQuadraticRatios(p, [1], params, { basis: { degree: 2 } }), /bsFeatures must be false/);
    assert.throws(() => fitQuadraticRatios(p, [], params), /strikes must not be empty/);
    assert.throws(() => fitQuadraticRatios(p, [1, -2], params), /strikes\[1\]/);
    assert.throws(() => fitQuadraticRatios(p, [1], params, { varianceDegree: 9 }), /varianceDegree/);
  });
});
