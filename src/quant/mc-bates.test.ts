import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hestonPrices, type BatesParams } from './heston.ts';
import { mcEuropean } from './mc-european.ts';
import { simulateHeston } from './mc-heston-qe.ts';
import { jumpLogSum, jumpStep, poissonCount } from './mc-jumps.ts';
import { randomStream } from './mc-random.ts';
import { mcMean } from './mc-stats.ts';

function within3Se(mc: number, se: number, exact: number, label: string): void {
  assert.ok(se > 0, `${label}: standard error ${se}`);
  assert.ok(Math.abs(mc - exact) <= 3 * se, `${label}: MC ${mc} vs ${exact}, ${((mc - exact) / se).toFixed(2)} SE (SE ${se})`);
}

/** Poisson cdf P(N <= n) by summing the pmf directly. */
function poissonCdf(n: number, mean: number): number {
  let p = Math.exp(-mean);
  let c = p;
  for (let k = 1; k <= n; k++) {
    p *= mean / k;
    c += p;
  }
  return c;
}

// Bates parameter sets: equity-like crash jumps, and a Feller-violating set with frequent small jumps
const crash: BatesParams = { v0: 0.04, kappa: 1.5, theta: 0.04, sigma: 0.6, rho: -0.6, lambda: 0.5, muJ: -0.15, sigmaJ: 0.1 };
const frequent: BatesParams = { v0: 0.02, kappa: 1, theta: 0.05, sigma: 0.8, rho: -0.7, lambda: 3, muJ: -0.05, sigmaJ: 0.08 };

describe('jump counts and sizes', () => {
  test('poissonCount inverts the Poisson cdf: the smallest n with P(N <= n) >= u', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), fc.double({ min: 1e-4, max: 20, noNaN: true }), (u, mean) => {
        const n = poissonCount(u, mean, Math.exp(-mean));
        const above = poissonCdf(n, mean) >= u * (1 - 1e-12);
        const below = n === 0 || poissonCdf(n - 1, mean) < u * (1 + 1e-12);
        return above && below;
      }),
    );
  });

  test('counts from uniforms have the Poisson frequencies', () => {
    const mean = 2.5;
    const n = 200_000;
    const u = randomStream(31).fillUniforms(new Float64Array(n));
    const counts = new Float64Array(12);
    for (const x of u) counts[Math.min(11, poissonCount(x, mean, Math.exp(-mean)))]++;
    // chi-square over 0..10 and the tail >= 11 (11 degrees of freedom; 0.1% critical value 31.26)
    let chi2 = 0;
    for (let k = 0; k < 12; k++) {
      const p = k < 11 ? poissonCdf(k, mean) - (k > 0 ? poissonCdf(k - 1, mean) : 0) : 1 - poissonCdf(10, mean);
      chi2 += (counts[k] - n * p) ** 2 / (n * p);
    }
    assert.ok(chi2 < 31.26, `chi-square ${chi2}`);
  });

  test('the log jump sum is n muJ + sqrt(n) sigmaJ z, and zero below P(N = 0)', () => {
    const j = jumpStep(2, 0.5, -0.1, 0.2);
    assert.equal(jumpLogSum(j, j.p0 * 0.999, 1.3), 0);
    const u = 0.95;
    const n = poissonCount(u, 1, Math.exp(-1));
    assert.ok(n >= 2);
    assert.ok(Math.abs(jumpLogSum(j, u, 0.7) - (n * -0.1 + Math.sqrt(n) * 0.2 * 0.7)) < 1e-15);
  });
});

describe('Bates QE Monte Carlo', () => {
  test('prices converge to the closed form within 3 SE (calls and puts, two parameter sets)', () => {
    const strikes = [70, 85, 100, 115, 130];
    const isCall = [false, false, true, true, true];
    for (const [name, params, T] of [['crash', crash, 1], ['crash', crash, 0.25], ['frequent', frequent, 2]] as const) {
      const exact = hestonPrices(params, 100, T, 0.03, 0.01, strikes, isCall);
      const steps = Math.max(8, Math.round(24 * T));
      const mc = mcEuropean({ params, S0: 100, r: 0.03, q: 0.01, T, steps, paths: 40_000, seed: 96, antithetic: true }, strikes, isCall);
      for (let k = 0; k < strikes.length; k++) within3Se(mc.price[k], mc.stdError[k], exact[k], `${name} T=${T} K=${strikes[k]}`);
    }
  });

  test('the jump compensator keeps the discounted forward a martingale, under Q and P', () => {
    for (const params of [crash, frequent]) {
      const o = { params, S0: 100, r: 0.05, q: 0.02, T: 3, steps: 12, paths: 40_000, seed: 5, antithetic: true };
      const q = mcMean(simulateHeston(o).S, true);
      within3Se(q.mean, q.stdError, 100 * Math.exp(0.03 * 3), `E_Q[S_T] lambda=${params.lambda}`);
      const p = mcMean(simulateHeston({ ...o, measure: 'P', physical: { mu: 0.1, kappa: 2, theta: 0.03 } }).S, true);
      within3Se(p.mean, p.stdError, 100 * Math.exp(0.08 * 3), `E_P[S_T] lambda=${params.lambda}`);
    }
  });

  test('jumps fatten the left tail: Bates OTM puts cost more than Heston ones on the same draws', () => {
    const heston = { v0: crash.v0, kappa: crash.kappa, theta: crash.theta, sigma: crash.sigma, rho: crash.rho };
    const o = { S0: 100, r: 0.03, T: 1, steps: 12, paths: 20_000, seed: 6, antithetic: true };
    const withJumps = mcEuropean({ ...o, params: crash }, [70], false);
    const without = mcEuropean({ ...o, params: heston }, [70], false);
    assert.ok(withJumps.price[0] - without.price[0] > 3 * Math.hypot(withJumps.stdError[0], without.stdError[0]));
  });

  test('too many expected jumps per step is rejected', () => {
    assert.throws(
      () => simulateHeston({ params: { ...crash, lambda: 1000 }, S0: 100, r: 0, T: 1, steps: 10, paths: 2, seed: 1 }),
      /params.lambda x dt must be <= 30/,
    );
  });
});
