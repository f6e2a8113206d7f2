import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classicalRatios, kamalDermanStd } from './benchmarks.ts';
import { shortfallJs, shortfallStats } from './loss.ts';
import { premium, simulatePathSet } from './paths.ts';
import { makeSetup } from './setup.ts';
import { defaultVolSource } from './vol-feature.ts';

const vol = defaultVolSource();

test('Black-Scholes delta hedging, daily: P&L deviation within 10% of Kamal and Derman', () => {
  // E. Derman and M. Kamal, "When You Cannot Hedge Continuously: The Corrections of
  // Black-Scholes", Risk 12(1), 1999: sd ~ sqrt(pi/4) sigma vega / sqrt(N) at the money.
  for (const steps of [21, 63]) {
    const s = makeSetup('bs', { steps });
    const ps = simulatePathSet(s, 4000, 11, 0, vol);
    const { delta } = classicalRatios(s, ps);
    const st = shortfallStats(shortfallJs(delta, ps.S, ps.n, steps, s.K, premium(s), 0));
    const theory = kamalDermanStd(s.S0, s.K, s.T, s.sigma, steps);
    assert.ok(Math.abs(st.std / theory - 1) < 0.1, `N = ${steps}: sd ${st.std} vs theory ${theory}`);
    // the hedge is fair: the mean P&L is within 3 standard errors of 0
    assert.ok(Math.abs(st.mean) < (3 * st.std) / Math.sqrt(ps.n), `mean ${st.mean}`);
  }
});

test('Kamal-Derman formula: at the money, sqrt(pi/4) sigma vega / sqrt(N), vega = S phi(d1) sqrt(T)', () => {
  // S = K = 100, sigma = 0.2, T = 1, r = 0: d1 = 0.1, vega = 100 phi(0.1) = 39.695
  const vega = 100 * Math.exp(-0.005) / Math.sqrt(2 * Math.PI);
  assert.ok(Math.abs(kamalDermanStd(100, 100, 1, 0.2, 252) - Math.sqrt(Math.PI / 4) * 0.2 * vega / Math.sqrt(252)) < 1e-10);
});

test('under Heston, the minimum-variance delta hedges with less variance than the model delta', () => {
  // the minimum-variance delta minimises the local variance of the hedged P&L (Bakshi, Cao and
  // Chen 1997; Alexander and Nogueira 2007), so with rho = -0.7 it beats the model delta
  const s = makeSetup('heston', { steps: 10 });
  const ps = simulatePathSet(s, 600, 12, 0, vol);
  const { delta, mvDelta } = classicalRatios(s, ps);
  const p = premium(s);
  const a = shortfallStats(shortfallJs(delta, ps.S, ps.n, 10, s.K, p, 0));
  const b = shortfallStats(shortfallJs(mvDelta!, ps.S, ps.n, 10, s.K, p, 0));
  assert.ok(b.mse < a.mse, `mv ${b.mse} vs delta ${a.mse}`);
  // and the min-variance delta is below the model delta for a call when rho < 0 (dC/dv0 > 0)
  for (let k = 0; k < delta.length; k++) assert.ok(mvDelta![k] <= delta[k] + 1e-12);
});
