import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedStepReturn, isPowerOfTwo, simulateHedgePaths } from './hedge-lsmc-paths.ts';
import { mcMean } from './mc-stats.ts';

describe('paths for quadratic hedging', () => {
  const params = { v0: 0.04, kappa: 2, theta: 0.04, sigma: 0.5, rho: -0.7 };
  const market = { S0: 100, r: 0.02, q: 0.01, T: 0.5, steps: 8 };

  test('constant premium: E[S_T] = S0 e^{(mu - q) T} and discounted X_0 = S0', () => {
    const mu = 0.1;
    const p = simulateHedgePaths({ params, market, premium: { kind: 'constant', mu }, paths: 2 ** 14, seed: 5 });
    const ST = Float64Array.from({ length: p.paths }, (_, i) => p.S[i * 9 + 8]);
    const e = mcMean(ST, false);
    const expected = 100 * Math.exp((mu - market.q) * market.T);
    assert.ok(Math.abs(e.mean - expected) < 4 * e.stdError, `${e.mean} +- ${e.stdError} vs ${expected}`);
    assert.equal(p.X[0], 100);
    assert.ok(Math.abs(p.X[8] - p.S[8] * Math.exp(-(market.r - market.q) * market.T)) < 1e-12 * p.S[8]);
  });

  test('premium proportional to v: the mean step return matches the model value E[R | v] (first order)', () => {
    const lambdaS = 2;
    const p = simulateHedgePaths({ params, market, premium: { kind: 'variance', lambdaS }, paths: 2 ** 15, seed: 9 });
    // mean over all paths of R_0 (common v0): its model value, within MC error
    const R = Float64Array.from({ length: p.paths }, (_, i) => p.X[i * 9 + 1] / p.X[i * 9] - 1);
    const e = mcMean(R, false);
    const m = expectedStepReturn(p.premium, p.physicalVariance, market.r, p.dt, params.v0);
    assert.ok(m > 0 && Math.abs(e.mean - m) < 4 * e.stdError, `${e.mean} +- ${e.stdError} vs ${m}`);
  });

  test('power-of-two path counts only; same seed, same paths', () => {
    assert.ok(isPowerOfTwo(1) && isPowerOfTwo(1024) && !isPowerOfTwo(1000) && !isPowerOfTwo(0));
    const o = { params, market, premium: { kind: 'constant' as const, mu: 0.05 }, paths: 64, seed: 3 };
    assert.deepEqual(simulateHedgePaths(o).S, simulateHedgePaths(o).S);
    assert.throws(() => simulateHedgePaths({ ...o, premium: { kind: 'constant', mu: NaN } }), /premium.mu/);
  });
});
