import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hestonPrices, type HestonParams } from './heston.ts';
import { mcEuropean } from './mc-european.ts';
import { log1pSmall, simulateHeston } from './mc-heston-qe.ts';
import fc from 'fast-check';
import { simulateHestonEuler } from './mc-heston-euler.ts';
import { mcMean } from './mc-stats.ts';

/** |mc - exact| <= 3 standard errors. */
function within3Se(mc: number, se: number, exact: number, label: string): void {
  assert.ok(se > 0, `${label}: standard error ${se}`);
  assert.ok(Math.abs(mc - exact) <= 3 * se, `${label}: MC ${mc} vs ${exact}, ${((mc - exact) / se).toFixed(2)} SE (SE ${se})`);
}

/** CIR mean E[v_t] = theta + (v0 - theta) e^{-kappa t}. */
function cirMean(v0: number, kappa: number, theta: number, t: number): number {
  return theta + (v0 - theta) * Math.exp(-kappa * t);
}

// Andersen (2008), "Simple and efficient simulation of the Heston stochastic volatility model",
// test cases I-III (S0 = 100, r = q = 0): all violate the Feller condition 2 kappa theta >= sigma^2.
const caseI: HestonParams = { v0: 0.04, kappa: 0.5, theta: 0.04, sigma: 1, rho: -0.9 }; // T = 10
const caseII: HestonParams = { v0: 0.04, kappa: 0.3, theta: 0.04, sigma: 0.9, rho: -0.5 }; // T = 15
const caseIII: HestonParams = { v0: 0.09, kappa: 1, theta: 0.09, sigma: 1, rho: -0.3 }; // T = 5
// Fang & Oosterlee (2008), COS paper, Heston test: Feller violated, small v0
const fangOosterlee: HestonParams = { v0: 0.0175, kappa: 1.5768, theta: 0.0398, sigma: 0.5751, rho: -0.5711 };
// a plain equity-index set that satisfies Feller
const equity: HestonParams = { v0: 0.04, kappa: 2, theta: 0.04, sigma: 0.3, rho: -0.7 };

describe('QE Monte Carlo converges to the closed form', () => {
  test("Andersen's case I: the closed form reproduces his exact prices", () => {
    // Andersen (2008) case I exact call prices at K = 60, 100, 140, to his 3 decimals
    // (as quoted in PyFENG's HestonMcAndersen2008 docstring: 44.330, 13.085, 0.296)
    const exact = hestonPrices(caseI, 100, 10, 0, 0, [60, 100, 140], true);
    assert.ok(Math.abs(exact[0] - 44.33) <= 5e-4, `${exact[0]}`);
    assert.ok(Math.abs(exact[1] - 13.085) <= 5e-4, `${exact[1]}`);
    assert.ok(Math.abs(exact[2] - 0.296) <= 5e-4, `${exact[2]}`);
  });

  test("Andersen's case I and Fang-Oosterlee's Heston test: MC within 3 SE of the published prices", () => {
    // Andersen (2008) case I exact call prices at K = 60, 100, 140 (3 decimals, so 5e-4 is added)
    const andersen = [44.33, 13.085, 0.296];
    const strikes = [60, 100, 140];
    const mc = mcEuropean({ params: caseI, S0: 100, r: 0, T: 10, steps: 80, paths: 40_000, seed: 11, antithetic: true }, strikes, true);
    for (let k = 0; k < 3; k++) {
      assert.ok(Math.abs(mc.price[k] - andersen[k]) <= 3 * mc.stdError[k] + 5e-4, `K=${strikes[k]}: ${mc.price[k]} +- ${mc.stdError[k]}`);
    }
    // Fang & Oosterlee (2008), SIAM J. Sci. Comput. 31(2), Heston test: S0 = K = 100, T = 1, r = q = 0,
    // reference call price 5.785155450
    const fo = mcEuropean({ params: fangOosterlee, S0: 100, r: 0, T: 1, steps: 32, paths: 40_000, seed: 12, antithetic: true }, [100], true);
    within3Se(fo.price[0], fo.stdError[0], 5.78515545, 'Fang-Oosterlee K=100');
  });

  test("Andersen's cases I-III at dt = 1/8, strikes 60..140, within 3 SE of the closed form", () => {
    const strikes = [60, 100, 140];
    const cases: Array<[string, HestonParams, number]> = [
      ['I', caseI, 10],
      ['II', caseII, 15],
      ['III', caseIII, 5],
    ];
    for (const [name, params, T] of cases) {
      const exact = hestonPrices(params, 100, T, 0, 0, strikes, true);
      const mc = mcEuropean({ params, S0: 100, r: 0, T, steps: 8 * T, paths: 40_000, seed: 2008, antithetic: true }, strikes, true);
      for (let k = 0; k < strikes.length; k++) within3Se(mc.price[k], mc.stdError[k], exact[k], `case ${name} K=${strikes[k]}`);
    }
  });

  test('Feller-violating and Feller-satisfying sets with rates and dividends, calls and puts, several maturities', () => {
    const strikes = [80, 90, 100, 110, 120];
    const isCall = [false, false, true, true, true];
    for (const [name, params] of [['Fang-Oosterlee', fangOosterlee], ['equity', equity]] as const) {
      for (const T of [0.25, 1, 3]) {
        const steps = Math.max(8, Math.round(24 * T));
        const exact = hestonPrices(params, 100, T, 0.03, 0.01, strikes, isCall);
        const mc = mcEuropean({ params, S0: 100, r: 0.03, q: 0.01, T, steps, paths: 40_000, seed: 77, antithetic: true }, strikes, isCall);
        for (let k = 0; k < strikes.length; k++) within3Se(mc.price[k], mc.stdError[k], exact[k], `${name} T=${T} K=${strikes[k]}`);
      }
    }
  });

  test('vol of vol 0: the simulation reproduces the deterministic-variance (Black-Scholes) price', () => {
    const params = { v0: 0.09, kappa: 1.2, theta: 0.03, sigma: 0, rho: -0.5 };
    const strikes = [85, 100, 115];
    const exact = hestonPrices(params, 100, 2, 0.02, 0, strikes, true);
    // enough steps that the trapezoid rule for the integrated variance (gamma1 = gamma2 = 1/2) is exact to well under 1 SE
    const mc = mcEuropean({ params, S0: 100, r: 0.02, T: 2, steps: 64, paths: 40_000, seed: 3, antithetic: true }, strikes, true);
    for (let k = 0; k < strikes.length; k++) within3Se(mc.price[k], mc.stdError[k], exact[k], `sigma=0 K=${strikes[k]}`);
  });

  test('at coarse steps the QE bias is smaller than full-truncation Euler', () => {
    // Andersen (2008) compares the schemes on case I: with one step a year Euler's error is many times QE's
    const T = 10;
    const steps = 10;
    const exact = hestonPrices(caseI, 100, T, 0, 0, [100], true)[0];
    const qe = mcEuropean({ params: caseI, S0: 100, r: 0, T, steps, paths: 20_000, seed: 1, antithetic: true }, [100], true);
    const eu = mcEuropean({ params: caseI, S0: 100, r: 0, T, steps, paths: 20_000, seed: 1, antithetic: true, scheme: 'euler' }, [100], true);
    const qeErr = Math.abs(qe.price[0] - exact) + 3 * qe.stdError[0];
    const euErr = Math.abs(eu.price[0] - exact) - 3 * eu.stdError[0];
    assert.ok(qeErr < euErr, `QE error bound ${qeErr} not below Euler's ${euErr}`);
  });
});

describe('QE moments and martingale property', () => {
  test('E[v_T] matches the CIR mean within 3 SE, at T and halfway', () => {
    for (const [params, T] of [[caseI, 10], [fangOosterlee, 1], [equity, 2]] as const) {
      const steps = 20;
      const sim = simulateHeston({ params, S0: 100, r: 0, T, steps, paths: 20_000, seed: 21, antithetic: true, keepPaths: true });
      for (const j of [steps / 2, steps]) {
        const vt = new Float64Array(sim.paths);
        for (let i = 0; i < sim.paths; i++) vt[i] = sim.v[i * (steps + 1) + j];
        const e = mcMean(vt, true);
        within3Se(e.mean, e.stdError, cirMean(params.v0, params.kappa, params.theta, j * sim.dt), `E[v] t=${j * sim.dt}`);
      }
    }
  });

  test('discounted forward is a martingale: E[S_T] e^{-(r-q)T} = S0 within 3 SE, even with very coarse steps', () => {
    const runs: Array<[HestonParams, number, number]> = [
      [caseI, 10, 2], // 5-year steps: the martingale correction holds exactly per step
      [caseII, 15, 15],
      [fangOosterlee, 1, 4],
      [{ v0: 0.04, kappa: 1, theta: 0.05, sigma: 0.6, rho: 0.6 }, 2, 40], // positive correlation
    ];
    for (const [params, T, steps] of runs) {
      const sim = simulateHeston({ params, S0: 50, r: 0.04, q: 0.01, T, steps, paths: 40_000, seed: 8, antithetic: true });
      const e = mcMean(sim.S, true);
      const g = Math.exp(-(0.04 - 0.01) * T);
      within3Se(e.mean * g, e.stdError * g, 50, `martingale rho=${params.rho} T=${T} steps=${steps}`);
    }
  });

  test('antithetic pairs at least halve the variance of a linear payoff', () => {
    const o = { params: equity, S0: 100, r: 0.02, T: 1, steps: 12, paths: 20_000, seed: 4 };
    const plain = mcMean(simulateHeston({ ...o, antithetic: false }).S, false);
    const anti = mcMean(simulateHeston({ ...o, antithetic: true }).S, true);
    const ratio = (anti.stdError / plain.stdError) ** 2;
    assert.ok(ratio < 0.5, `variance ratio ${ratio}`);
  });
});

describe('QE paths: determinism, layout, measures, validation', () => {
  const base = { params: fangOosterlee, S0: 100, r: 0.01, T: 1, steps: 12, paths: 300, seed: 99, antithetic: true };

  test('same seed and stream give the same paths; another stream or seed does not', () => {
    const a = simulateHeston({ ...base, keepPaths: true });
    const b = simulateHeston({ ...base, keepPaths: true });
    assert.deepEqual(a.S, b.S);
    assert.deepEqual(a.v, b.v);
    assert.notDeepEqual(simulateHeston({ ...base, stream: 1 }).S, simulateHeston(base).S);
    assert.notDeepEqual(simulateHeston({ ...base, seed: 100 }).S, simulateHeston(base).S);
  });

  test('kept paths start at (S0, v0) and end where the terminal-only run ends', () => {
    const full = simulateHeston({ ...base, keepPaths: true });
    const end = simulateHeston(base);
    const w = base.steps + 1;
    assert.equal(full.S.length, base.paths * w);
    assert.equal(end.S.length, base.paths);
    for (let i = 0; i < base.paths; i++) {
      assert.equal(full.S[i * w], 100);
      assert.equal(full.v[i * w], fangOosterlee.v0);
      assert.equal(full.S[i * w + base.steps], end.S[i]);
      assert.equal(full.v[i * w + base.steps], end.v[i]);
    }
    for (const x of full.v) assert.ok(x >= 0, 'QE variances are never negative');
  });

  test('the physical measure with mu = r and the Q variance drift is the risk-neutral simulation', () => {
    const q = simulateHeston(base);
    const p = simulateHeston({ ...base, measure: 'P', physical: { mu: 0.01, kappa: fangOosterlee.kappa, theta: fangOosterlee.theta } });
    assert.deepEqual(p.S, q.S);
  });

  test('under P: E[S_T] = S0 e^{(mu - q)T} and E[v_T] follows the P mean reversion, within 3 SE', () => {
    const physical = { mu: 0.09, kappa: 3, theta: 0.025 };
    const T = 2;
    const sim = simulateHeston({ ...base, q: 0.015, T, steps: 24, paths: 40_000, measure: 'P', physical });
    const s = mcMean(sim.S, true);
    within3Se(s.mean, s.stdError, 100 * Math.exp((0.09 - 0.015) * T), 'E_P[S_T]');
    const v = mcMean(sim.v, true);
    within3Se(v.mean, v.stdError, cirMean(fangOosterlee.v0, 3, 0.025, T), 'E_P[v_T]');
  });

  test('full-truncation Euler shares options, layout and draws-per-seed determinism', () => {
    const a = simulateHestonEuler({ ...base, keepPaths: true });
    const b = simulateHestonEuler({ ...base, keepPaths: true });
    assert.deepEqual(a.S, b.S);
    assert.equal(a.S.length, base.paths * (base.steps + 1));
  });

  test('bad inputs are rejected with the name of the input', () => {
    assert.throws(() => simulateHeston({ ...base, paths: 301 }), /paths must be even when antithetic/);
    assert.throws(() => simulateHeston({ ...base, measure: 'P' }), /physical must be given/);
    assert.throws(() => simulateHeston({ ...base, T: -1 }), /T must be a finite number > 0/);
    assert.throws(() => simulateHeston({ ...base, steps: 0 }), /steps must be an integer/);
    assert.throws(() => simulateHeston({ ...base, S0: NaN }), /S0 must be a finite number > 0/);
    assert.throws(() => simulateHeston({ ...base, params: { ...fangOosterlee, rho: 2 } }), /params.rho/);
    assert.throws(() => simulateHeston({ ...base, measure: 'P', physical: { mu: 0.05, kappa: -1, theta: 0.04 } }), /physical.kappa/);
    assert.throws(() => simulateHeston({ ...base, seed: 0.5 }), /seed must be an integer/);
    assert.throws(() => simulateHeston({ ...base, paths: 10_000_000, keepPaths: true }), /with keepPaths/);
  });
});

test('log1pSmall agrees with Math.log1p to a few ulps over every branch', () => {
  fc.assert(
    fc.property(fc.double({ min: -0.9, max: 10, noNaN: true }), (u) => {
      const want = Math.log1p(u);
      const got = log1pSmall(u);
      // A dense sweep of [-1/8, 1/8] (2 million points) measured at most 6.5e-16 relative (3 ulps).
      return Math.abs(got - want) <= 8e-16 * Math.max(Math.abs(want), 1e-300) || Math.abs(got - want) < 1e-300;
    }),
    { numRuns: 20_000 },
  );
  assert.equal(log1pSmall(0), 0);
});
