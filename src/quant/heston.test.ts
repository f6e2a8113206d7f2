import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bsPrice } from './black-scholes.ts';
import { hestonPrices, setupMaturity } from './heston.ts';
import { buildGrid, strikeSum, weightInto } from './lewis-grid.ts';
import type { BatesParams, HestonParams } from './heston-cf.ts';

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} +- ${tol} (off by ${actual - expected})`);
}

/**
 * Independent brute-force reference: the same Lewis integral by a plain trapezoid rule with a
 * fixed step of 0.01 (about 50 times finer than the pricer needs) and a tail cut at 1e-17.
 */
function reference(p: HestonParams | BatesParams, S: number, T: number, r: number, q: number, K: number): number {
  const ms = setupMaturity(p, S, T, r, q);
  const g = buildGrid(ms.m, T, ms.w, 0.01, 1e-17, 2, false, 3_000_000);
  const [aRe, aIm] = weightInto(g, 2, 'd', 5);
  const x = Math.log(ms.F / K);
  const integral = strikeSum(aRe, aIm, g.n, g.h, x, new Float64Array(1));
  const bs = bsPrice(ms.F, K, 1, 0, 0, Math.sqrt(ms.w), 'C');
  return ms.disc * (bs + (Math.sqrt(ms.F * K) / Math.PI) * integral);
}

describe('hestonPrices: published reference values', () => {
  test('Alan Lewis reference prices, QuantLib hestonmodel.cpp testAllIntegrations (tol 1e-12)', () => {
    // Lewis, "Option Valuation under Stochastic Volatility" reference prices as cached in QuantLib's
    // test suite (https://financepress.com/2019/02/15/heston-model-reference-prices/):
    // S = 100, T = 1, r = 0.01, q = 0.02, v0 = 0.04, kappa = 4, theta = 0.25, sigma = 1, rho = -0.5.
    const p = { v0: 0.04, kappa: 4, theta: 0.25, sigma: 1, rho: -0.5 };
    const K = [80, 90, 100, 110, 120];
    // (the published 50-digit values, rounded to the nearest double)
    const puts = [7.958878113256768, 12.017966707346304, 17.05527096127011, 23.0178258984428, 29.81102620268247];
    const calls = [26.774758743998856, 20.93334900059671, 16.070154917028834, 12.132211516709845, 9.024913483457835];
    const c = hestonPrices(p, 100, 1, 0.01, 0.02, K, true, undefined, { relTol: 1e-13 });
    const pp = hestonPrices(p, 100, 1, 0.01, 0.02, K, false, undefined, { relTol: 1e-13 });
    for (let i = 0; i < K.length; i++) {
      near(c[i], calls[i], 1e-12, `call K=${K[i]}`);
      near(pp[i], puts[i], 1e-12, `put K=${K[i]}`);
    }
    // at the default tolerance (1e-11 of the forward) the same prices are good to 1e-9
    const cd = hestonPrices(p, 100, 1, 0.01, 0.02, K, true);
    for (let i = 0; i < K.length; i++) near(cd[i], calls[i], 1e-9, `default-tolerance call K=${K[i]}`);
  });

  test('Fang & Oosterlee (2008) COS paper, Heston eq. (53), Feller condition violated', () => {
    // S = K = 100, r = q = 0, kappa = 1.5768, theta = 0.0398, sigma = 0.5751, rho = -0.5711,
    // v0 = 0.0175. Reference values of FO's Tables 4 and 5 (Carr-Madan with N = 2^17):
    // T = 1: 5.785155450, T = 10: 22.318945791. The T = 1 reference is itself off by about
    // 1.6e-8 (Lewis/QuantLib-grade integration gives 5.7851554344), hence 3e-8 there.
    const p = { v0: 0.0175, kappa: 1.5768, theta: 0.0398, sigma: 0.5751, rho: -0.5711 };
    near(hestonPrices(p, 100, 1, 0, 0, [100], true)[0], 5.78515545, 3e-8, 'FO T=1');
    near(hestonPrices(p, 100, 10, 0, 0, [100], true)[0], 22.318945791, 1e-9, 'FO T=10');
  });

  test('QuantLib hestonmodel.cpp testAnalyticVsCached (tol 1e-8, and the Wilmott forum values at 1e-6)', () => {
    // S = 1, K = 1.05 call, from 27 Dec 2004 to 28 Mar 2005 Act/Act ISDA: T = 5/366 + 86/365,
    // r = 0.0225, q = 0.02, v0 = 0.1, kappa = 3.16, theta = 0.09, sigma = 0.4, rho = -0.2: 0.0404774515.
    const T = 5 / 366 + 86 / 365;
    const p = { v0: 0.1, kappa: 3.16, theta: 0.09, sigma: 0.4, rho: -0.2 };
    near(hestonPrices(p, 1, T, 0.0225, 0.02, [1.05], true)[0], 0.0404774515, 1e-8, 'cached analytic');
    // Wilmott "Heston or VG price check": T = 0.7, r = 0.05, q = 0.02, S = e^{-0.7 (0.05 - 0.02)},
    // v0 = 0.09, kappa = 1.2, theta = 0.08, sigma = 1.8, rho = -0.45; calls at K = 0.9, 1, 1.1.
    // QuantLib interpolates between two dates and checks to 100 * 1e-8; we price T = 0.7 itself.
    const w = { v0: 0.09, kappa: 1.2, theta: 0.08, sigma: 1.8, rho: -0.45 };
    const got = hestonPrices(w, Math.exp(-0.7 * 0.03), 0.7, 0.05, 0.02, [0.9, 1, 1.1], true);
    [0.1330371, 0.0641016, 0.0270645].forEach((e, i) => near(got[i], e, 1e-6, `Wilmott K=${[0.9, 1, 1.1][i]}`));
  });

  test('QuantLib hestonmodel.cpp testKahlJaeckelCase: T = 10, sigma = 2 (tol 2e-5)', () => {
    // S = 100, K = 200 call, 30 Mar 2007 to 30 Mar 2017 (T = 10), r = q = 0, v0 = theta = 0.16,
    // kappa = 1, sigma = 2, rho = -0.8: 4.95212.
    const p = { v0: 0.16, kappa: 1, theta: 0.16, sigma: 2, rho: -0.8 };
    near(hestonPrices(p, 100, 10, 0, 0, [200], true)[0], 4.95212, 2e-5, 'Kahl-Jaeckel');
  });

  test('QuantLib hestonmodel.cpp testAnalyticVsBlack: sigma = 1e-4 Heston = Black (tol 2e-7)', () => {
    // put S = 32, K = 30, T = 6 months, r = 0.1, q = 0.04, v0 = theta = 0.05, kappa = 5, rho = 0
    const p = { v0: 0.05, kappa: 5, theta: 0.05, sigma: 1e-4, rho: 0 };
    for (const T of [0.5, 182 / 365, 184 / 366]) {
      near(hestonPrices(p, 32, T, 0.1, 0.04, [30], false)[0], bsPrice(32, 30, T, 0.1, 0.04, Math.sqrt(0.05), 'P'), 2e-7, `T=${T}`);
    }
  });
});

describe('Bates prices: published reference values', () => {
  /** Merton (1976) jump-diffusion put as its Poisson mixture of Black-Scholes prices. */
  function mertonPut(S: number, K: number, T: number, r: number, q: number, vol: number, lambda: number, muJ: number, sigmaJ: number): number {
    const k = Math.exp(muJ + 0.5 * sigmaJ * sigmaJ) - 1;
    const lp = lambda * (1 + k) * T;
    let sum = 0;
    let weight = Math.exp(-lp);
    for (let n = 0; n < 200; n++) {
      if (n > 0) weight *= lp / n;
      const sn = Math.sqrt(vol * vol + (n * sigmaJ * sigmaJ) / T);
      const rn = r - lambda * k + (n * Math.log(1 + k)) / T;
      // Hull's form of Merton's series: Black-Scholes at rate rn and vol sn, Poisson weights of lambda (1 + k)
      sum += weight * bsPrice(S, K, T, rn, q, sn, 'P');
    }
    return sum;
  }

  test('QuantLib batesmodel.cpp testAnalyticAndMcVsJumpDiffusion: Bates with sigma = 1e-4 = Merton-76 (rel tol 2e-8)', () => {
    // put K = 95, S = 100, r = 0.1, q = 0.04, v0 = theta = 0.0433, kappa = 0.5, sigma = 1e-4,
    // rho = 0, lambda = 2, muJ = -0.2, sigmaJ = 0.2; maturities 1, 3, 5 years.
    const p = { v0: 0.0433, kappa: 0.5, theta: 0.0433, sigma: 1e-4, rho: 0, lambda: 2, muJ: -0.2, sigmaJ: 0.2 };
    for (const T of [1, 3, 5]) {
      const e = mertonPut(100, 95, T, 0.1, 0.04, Math.sqrt(0.0433), 2, -0.2, 0.2);
      const got = hestonPrices(p, 100, T, 0.1, 0.04, [95], false)[0];
      assert.ok(Math.abs(got - e) / e < 2e-8, `T=${T}: ${got} vs Merton ${e}`);
    }
  });

  test('QuantLib batesmodel.cpp testAnalyticVsBlack: tiny jumps = Black (tol 2e-7)', () => {
    // put S = 32, K = 30, T = 0.5, r = 0.1, q = 0.04, v0 = theta = 0.05, kappa = 5, sigma = 1e-4,
    // rho = 0, lambda = 1e-4, nu (muJ) = 0, delta (sigmaJ) = 1e-4
    const p = { v0: 0.05, kappa: 5, theta: 0.05, sigma: 1e-4, rho: 0, lambda: 1e-4, muJ: 0, sigmaJ: 1e-4 };
    near(hestonPrices(p, 32, 0.5, 0.1, 0.04, [30], false)[0], bsPrice(32, 30, 0.5, 0.1, 0.04, Math.sqrt(0.05), 'P'), 2e-7, 'Bates vs Black');
  });
});

const paramsArb = fc.record({
  v0: fc.double({ min: 0.005, max: 0.3, noNaN: true }),
  kappa: fc.double({ min: 0.2, max: 6, noNaN: true }),
  theta: fc.double({ min: 0.01, max: 0.3, noNaN: true }),
  sigma: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
  rho: fc.double({ min: -0.95, max: 0.3, noNaN: true }),
});
const jumpsArb = fc.record({
  lambda: fc.double({ min: 0, max: 1.5, noNaN: true }),
  muJ: fc.double({ min: -0.3, max: 0.1, noNaN: true }),
  sigmaJ: fc.double({ min: 0.01, max: 0.3, noNaN: true }),
});
const maturityArb = fc.constantFrom(1 / 52, 1 / 12, 0.25, 0.5, 1, 2, 5);

describe('hestonPrices: properties', () => {
  test('default tolerance: within 1e-8 of a fixed-step brute-force reference (Heston and Bates, S = 100)', () => {
    fc.assert(
      fc.property(paramsArb, jumpsArb, maturityArb, fc.double({ min: 60, max: 150, noNaN: true }), (hp, jp, T, K) => {
        const p = { ...hp, ...jp };
        const got = hestonPrices(p, 100, T, 0.03, 0.01, [K], true)[0];
        const ref = reference(p, 100, T, 0.03, 0.01, K);
        return Math.abs(got - ref) < 1e-8;
      }),
      { numRuns: 40 },
    );
  });

  test('put-call parity through the per-strike isCall path', () => {
    fc.assert(
      fc.property(paramsArb, maturityArb, (p, T) => {
        const K = [70, 85, 100, 115, 130];
        const flags = [true, false, true, false, true];
        const mixed = hestonPrices(p, 100, T, 0.04, 0.02, K, flags);
        const other = hestonPrices(p, 100, T, 0.04, 0.02, K, flags.map((f) => !f));
        return K.every((k, i) => {
          const c = flags[i] ? mixed[i] : other[i];
          const pu = flags[i] ? other[i] : mixed[i];
          return Math.abs(c - pu - (100 * Math.exp(-0.02 * T) - k * Math.exp(-0.04 * T))) < 1e-9;
        });
      }),
      { numRuns: 50 },
    );
  });

  test('calls decrease and are convex in strike, and (q = 0) increase with maturity', () => {
    fc.assert(
      fc.property(paramsArb, jumpsArb, (hp, jp) => {
        const p = { ...hp, ...jp };
        const K = Array.from({ length: 25 }, (_, i) => 50 + 5 * i);
        let prev: Float64Array | undefined;
        for (const T of [0.1, 0.5, 1, 3]) {
          const c = hestonPrices(p, 100, T, 0.03, 0, K, true);
          for (let i = 1; i < K.length; i++) if (!(c[i] <= c[i - 1] + 1e-9)) return false;
          for (let i = 1; i + 1 < K.length; i++) if (!(c[i - 1] - 2 * c[i] + c[i + 1] >= -1e-8)) return false;
          if (prev) for (let i = 0; i < K.length; i++) if (!(c[i] >= prev[i] - 1e-9)) return false;
          prev = c;
        }
        return true;
      }),
      { numRuns: 30 },
    );
  });

  test('as the vol of vol goes to 0, Heston tends to Black-Scholes with the integrated variance', () => {
    // The price is smooth in sigma at 0 with a first-order term in rho*sigma that reaches ~10 per
    // unit of sigma at T = 5 (measured), so a fixed tolerance on sigma = 1e-6 is not the property;
    // the property is that the gap closes linearly: equal slopes at sigma = 1e-6 and 2e-6.
    fc.assert(
      fc.property(paramsArb, maturityArb, (hp, T) => {
        const vbar = hp.theta + ((hp.v0 - hp.theta) * -Math.expm1(-hp.kappa * T)) / (hp.kappa * T);
        const K = [80, 100, 120];
        const exact = hestonPrices({ ...hp, sigma: 0 }, 100, T, 0.02, 0.01, K, true);
        const s1 = hestonPrices({ ...hp, sigma: 1e-6 }, 100, T, 0.02, 0.01, K, true);
        const s2 = hestonPrices({ ...hp, sigma: 2e-6 }, 100, T, 0.02, 0.01, K, true);
        return K.every((k, i) => {
          const bs = bsPrice(100, k, T, 0.02, 0.01, Math.sqrt(vbar), 'C');
          const slope1 = (s1[i] - bs) / 1e-6;
          const slope2 = (s2[i] - bs) / 2e-6;
          return Math.abs(exact[i] - bs) < 1e-9 && Math.abs(slope2 - slope1) <= 1e-3 * (1 + Math.abs(slope1));
        });
      }),
      { numRuns: 40 },
    );
  });

  test('Bates with lambda -> 0, or with zero-size jumps, equals Heston', () => {
    fc.assert(
      fc.property(paramsArb, maturityArb, fc.double({ min: 0.1, max: 3, noNaN: true }), (hp, T, lambda) => {
        const K = [75, 100, 125];
        const h = hestonPrices(hp, 100, T, 0.02, 0.01, K, true);
        const b0 = hestonPrices({ ...hp, lambda: 0, muJ: -0.2, sigmaJ: 0.2 }, 100, T, 0.02, 0.01, K, true);
        const bt = hestonPrices({ ...hp, lambda: 1e-12, muJ: -0.2, sigmaJ: 0.2 }, 100, T, 0.02, 0.01, K, true);
        const bz = hestonPrices({ ...hp, lambda, muJ: 0, sigmaJ: 0 }, 100, T, 0.02, 0.01, K, true);
        return K.every((_, i) => h[i] === b0[i] && Math.abs(bt[i] - h[i]) < 1e-9 && Math.abs(bz[i] - h[i]) < 1e-9);
      }),
      { numRuns: 30 },
    );
  });

  test('no NaN, within no-arbitrage bounds, for T = 30 and Feller-violating parameters', () => {
    fc.assert(
      fc.property(
        fc.record({
          v0: fc.double({ min: 0.001, max: 0.5, noNaN: true }),
          kappa: fc.double({ min: 0.05, max: 3, noNaN: true }),
          theta: fc.double({ min: 0.005, max: 0.2, noNaN: true }),
          sigma: fc.double({ min: 0.5, max: 3, noNaN: true }),
          rho: fc.double({ min: -0.99, max: 0.2, noNaN: true }),
        }),
        fc.constantFrom(10, 30),
        (p, T) => {
          const K = [10, 50, 100, 200, 1000];
          const c = hestonPrices(p, 100, T, 0.02, 0.01, K, true);
          return K.every((k, i) => Number.isFinite(c[i]) && c[i] >= Math.max(0, 100 * Math.exp(-0.01 * T) - k * Math.exp(-0.02 * T)) && c[i] <= 100);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('T = 0 is intrinsic value; bad inputs are rejected with the input named', () => {
    const p = { v0: 0.04, kappa: 1, theta: 0.04, sigma: 0.5, rho: -0.5 };
    assert.deepEqual(Array.from(hestonPrices(p, 100, 0, 0.05, 0, [90, 110], [true, false])), [10, 10]);
    assert.throws(() => hestonPrices(p, -1, 1, 0, 0, [100], true), /^RangeError: S must/);
    assert.throws(() => hestonPrices(p, 100, -1, 0, 0, [100], true), /T must/);
    assert.throws(() => hestonPrices(p, 100, 1, Number.NaN, 0, [100], true), /r must/);
    assert.throws(() => hestonPrices(p, 100, 1, 0, 0, [100, 0], true), /strikes\[1\]/);
    assert.throws(() => hestonPrices(p, 100, 1, 0, 0, [100, 110], [true]), /isCall has 1 entries for 2 strikes/);
    assert.throws(() => hestonPrices(p, 100, 1, 0, 0, [100, 110], true, new Float64Array(1)), /out has 1 entries/);
    assert.throws(() => hestonPrices({ ...p, kappa: -1 }, 100, 1, 0, 0, [100], true), /params\.kappa/);
  });
});
