import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bsPrice } from './black-scholes.ts';
import { hnMgf } from './hn-mgf.ts';
import { hnRiskNeutral, type HnParams } from './hn-params.ts';
import { hnCurveSteps, hnDaysFromYears, hnDefaultH0, hnGreeks, hnGreeksSteps, hnGreeksWithPanelScale, hnPrice } from './hn-price.ts';
import { hnMonteCarloPrice } from './hn-simulate.ts';

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} +- ${tol} (off by ${actual - expected})`);
}

// The R fOptions HestonNandiOptions help-page example (Rmetrics, D. Wuertz), daily parameters.
const FOPTIONS = { lambda: -0.5, omega: 2.3e-6, alpha: 2.9e-6, beta: 0.85, gamma: 184.25 };
const fSpec = { S: 100, Tdays: 252, rDaily: 0.05 / 252 };

describe('hnPrice: published reference values (R fOptions)', () => {
  test('HNGOption / HNGGreeks example: S = X = 100, 252 days, r.daily = 0.05/252', () => {
    // R fOptions output for the help-page example, as recorded in finoptions-dev
    // (bbcho/finoptions-dev pytest/test_heston_options.py, checked there against R):
    // call 8.9921, put 4.115042; X = 90: call 15.85447, put 1.465121;
    // delta call 0.6739534, put -0.3260466, gamma 0.02211149.
    // Tolerance: half a unit in the last printed digit (R's integrate() is far more accurate).
    const call = hnPrice(FOPTIONS, { ...fSpec, K: [100, 90], right: 'call' });
    const put = hnPrice(FOPTIONS, { ...fSpec, K: [100, 90], right: 'put' });
    near(call[0], 8.9921, 5e-5, 'call X=100');
    near(put[0], 4.115042, 5e-7, 'put X=100');
    near(call[1], 15.85447, 5e-6, 'call X=90');
    near(put[1], 1.465121, 5e-7, 'put X=90');
    const gc = hnGreeks(FOPTIONS, { ...fSpec, K: 100, right: 'call' });
    const gp = hnGreeks(FOPTIONS, { ...fSpec, K: 100, right: 'P' });
    near(gc.delta[0], 0.6739534, 5e-8, 'call delta');
    near(gp.delta[0], -0.3260466, 5e-8, 'put delta');
    near(gc.gamma[0], 0.02211149, 5e-9, 'gamma');
    near(gp.gamma[0], 0.02211149, 5e-9, 'put gamma');
  });

  test('fOptions .fstarHN integrand at phi = 20 (the MGF recursion itself)', () => {
    // Same source: .fstarHN(phi = 20, const = 1) = 0.01201465, const = 0: 0.0001524204, i.e.
    // Re[X^{-i phi} f*(i phi + const) / (i phi)] / pi with f* the risk-neutral MGF, h = sigma2.
    const q = hnRiskNeutral(FOPTIONS);
    const h = hnDefaultH0(FOPTIONS);
    const ref = [0.0001524204, 0.01201465];
    for (const c of [0, 1]) {
      const [mr, mi] = hnMgf(q, 100, h, 252, 0.05 / 252, 0, c, 20);
      const th = -20 * Math.log(100);
      const im = mr * Math.sin(th) + mi * Math.cos(th);
      near(im / 20 / Math.PI, ref[c], 0.5 * (c === 0 ? 1e-10 : 1e-8), `fstarHN const=${c}`);
    }
  });

  test('the default h0 is fOptions sigma2: the risk-neutral stationary variance', () => {
    const p = { ...FOPTIONS, lambda: 1.5 };
    const gs = p.gamma + p.lambda + 0.5;
    const expected = (p.omega + p.alpha) / (1 - p.beta - p.alpha * gs * gs);
    near(hnDefaultH0(p), expected, 1e-14 * expected, 'h0');
    const a = hnPrice(p, { ...fSpec, K: 100, right: 'call' })[0];
    const b = hnPrice(p, { ...fSpec, K: 100, right: 'call', h0: hnDefaultH0(p) })[0];
    assert.equal(a, b);
  });
});

describe('hnPrice: exact special cases', () => {
  test('one day to expiry is Black-Scholes with variance h0 (the last day is conditionally normal)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 4e-3, noNaN: true }),
        fc.double({ min: 0.7, max: 1.4, noNaN: true }),
        fc.double({ min: -2e-4, max: 4e-4, noNaN: true }),
        fc.boolean(),
        (h0, m, r, isCall) => {
          const S = 100;
          const K = S * m;
          const got = hnPrice(FOPTIONS, { S, K, Tdays: 1, rDaily: r, h0, right: isCall ? 'call' : 'put' })[0];
          const bs = bsPrice(S, K, 1, r, 0, Math.sqrt(h0), isCall ? 'C' : 'P');
          near(got, bs, 1e-11 * S, `h0=${h0} K=${K}`);
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });

  test('alpha = 0 (deterministic variance) is Black-Scholes with the summed variance', () => {
    const p: HnParams = { omega: 4e-6, alpha: 0, beta: 0.9, gamma: 50, lambda: 3 };
    const h0 = 2e-4;
    for (const T of [5, 63, 250]) {
      let v = 0;
      let h = h0;
      for (let t = 0; t < T; t++) {
        v += h;
        h = p.omega + p.beta * h;
      }
      for (const K of [70, 95, 100, 108, 140]) {
        const rD = 0.04 / 252;
        const qD = 0.015 / 252;
        const got = hnPrice(p, { S: 100, K, Tdays: T, rDaily: rD, qDaily: qD, h0, right: 'call' })[0];
        const bs = bsPrice(100, K, T, rD, qD, Math.sqrt(v / T), 'C');
        near(got, bs, 1e-10, `T=${T} K=${K}`);
      }
    }
  });

  test('under Q the MGF at z = 1 is the forward S e^{(r - q) T}', () => {
    const q = hnRiskNeutral({ omega: 1e-6, alpha: 4e-6, beta: 0.8, gamma: 200, lambda: 2.5 });
    for (const T of [1, 30, 500]) {
      const [re, im] = hnMgf(q, 120, 3e-4, T, 2e-4, 5e-5, 1, 0);
      near(re, 120 * Math.exp(1.5e-4 * T), 1e-10 * 120, `T=${T}`);
      near(im, 0, 1e-12, 'imaginary part');
    }
  });

  test('Tdays = 0 is the intrinsic value', () => {
    const g = hnGreeks(FOPTIONS, { S: 100, K: [90, 100, 110], Tdays: 0, rDaily: 0.0002, right: ['call', 'put', 'put'] });
    assert.deepEqual(Array.from(g.price), [10, 0, 10]);
    assert.deepEqual(Array.from(g.delta), [1, -0.5, -1]);
  });
});

// A range of physical parameter sets: the fOptions example, an S&P-like fit with a large risk
// premium, a near-unit-persistence one, a symmetric one, a negative-leverage one.
const SETS: Array<{ name: string; p: HnParams }> = [
  { name: 'fOptions', p: FOPTIONS },
  { name: 'SPX-like', p: { omega: 5e-7, alpha: 1.3e-6, beta: 0.8, gamma: 350, lambda: 3 } },
  { name: 'persistent', p: { omega: 1e-7, alpha: 2e-6, beta: 0.95, gamma: 150, lambda: 0.5 } },
  { name: 'symmetric', p: { omega: 5e-6, alpha: 1e-5, beta: 0.7, gamma: -0.5, lambda: -0.5 } },
  { name: 'negative leverage', p: { omega: 2e-6, alpha: 3e-6, beta: 0.85, gamma: -120, lambda: 0 } },
];

describe('hnPrice: quadrature accuracy', () => {
  test('agrees with a four-times-finer, longer-tailed reference to 1e-10 of S (prices and greeks)', () => {
    const K = [40, 70, 90, 97, 100, 103, 110, 130, 200];
    for (const { name, p } of SETS) {
      for (const Tdays of [1, 3, 10, 42, 126, 252, 756]) {
        for (const h0 of [0.3 * hnDefaultH0(p), 3 * hnDefaultH0(p)]) {
          const spec = { S: 100, K, Tdays, rDaily: 0.03 / 252, qDaily: 0.01 / 252, h0, right: 'call' as const };
          const fast = hnGreeks(p, spec);
          const ref = hnGreeksWithPanelScale(p, spec, 0.25, { tol: 1e-18 });
          for (let k = 0; k < K.length; k++) {
            const at = `${name} T=${Tdays} h0=${h0.toExponential(2)} K=${K[k]}`;
            near(fast.price[k], ref.price[k], 1e-8, `price ${at}`);
            near(fast.delta[k], ref.delta[k], 1e-10, `delta ${at}`);
            near(fast.gamma[k], ref.gamma[k], 1e-10, `gamma ${at}`);
            near(fast.dh0[k], ref.dh0[k], 1e-8 * Math.max(1, Math.abs(ref.dh0[k])), `dh0 ${at}`);
          }
        }
      }
    }
  });

  test('calls and puts stay inside the no-arbitrage bounds for any inputs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SETS),
        fc.integer({ min: 1, max: 600 }),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.double({ min: 0.3, max: 3, noNaN: true }),
        (set, Tdays, hScale, m) => {
          const S = 100;
          const K = S * m;
          const rD = 0.02 / 252;
          const spec = { S, K, Tdays, rDaily: rD, h0: hScale * hnDefaultH0(set.p) };
          const c = hnPrice(set.p, { ...spec, right: 'call' })[0];
          const pu = hnPrice(set.p, { ...spec, right: 'put' })[0];
          const pvK = K * Math.exp(-rD * Tdays);
          assert.ok(c >= Math.max(S - pvK, 0) && c <= S, `call ${c} out of bounds`);
          assert.ok(pu >= Math.max(pvK - S, 0) && pu <= pvK, `put ${pu} out of bounds`);
        },
      ),
      { numRuns: 40, seed: 5 },
    );
  });
});

describe('hnGreeks: analytic sensitivities against finite differences of the price', () => {
  test('delta, gamma and dV/dh0 match central differences', () => {
    for (const { name, p } of SETS) {
      const h0 = 1.4 * hnDefaultH0(p);
      const base = { K: [85, 100, 115], Tdays: 63, rDaily: 0.02 / 252, qDaily: 0.005 / 252, right: 'put' as const };
      const S = 100;
      const g = hnGreeks(p, { ...base, S, h0 });
      // a small step for delta (truncation ~ dS^2), a wider one for gamma (round-off ~ 1e-13 / dS^2)
      const dS = 1e-3;
      const up = hnPrice(p, { ...base, S: S + dS, h0 });
      const dn = hnPrice(p, { ...base, S: S - dS, h0 });
      const dS2 = 0.02;
      const up2 = hnPrice(p, { ...base, S: S + dS2, h0 });
      const dn2 = hnPrice(p, { ...base, S: S - dS2, h0 });
      const dh = 1e-4 * h0;
      const hu = hnPrice(p, { ...base, S, h0: h0 + dh });
      const hd = hnPrice(p, { ...base, S, h0: h0 - dh });
      for (let k = 0; k < 3; k++) {
        near(g.delta[k], (up[k] - dn[k]) / (2 * dS), 1e-7, `${name} delta K=${base.K[k]}`);
        near(g.gamma[k], (up2[k] - 2 * g.price[k] + dn2[k]) / (dS2 * dS2), 1e-6, `${name} gamma K=${base.K[k]}`);
        near(g.dh0[k], (hu[k] - hd[k]) / (2 * dh), 1e-6 * Math.abs(g.dh0[k]) + 1e-3, `${name} dh0 K=${base.K[k]}`);
      }
    }
  });

  test('prices increase with h0 (positive dV/dh0) and calls fall with the strike', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SETS),
        fc.integer({ min: 2, max: 400 }),
        fc.double({ min: 0.2, max: 4, noNaN: true }),
        (set, Tdays, hScale) => {
          const h0 = hScale * hnDefaultH0(set.p);
          const K = [80, 90, 100, 110, 120];
          const spec = { S: 100, K, Tdays, rDaily: 0.01 / 252, right: 'call' as const };
          const a = hnGreeks(set.p, { ...spec, h0 });
          const b = hnPrice(set.p, { ...spec, h0: 1.05 * h0 });
          for (let k = 0; k < K.length; k++) {
            assert.ok(b[k] >= a.price[k] - 1e-12, `price fell as h0 rose at K=${K[k]}`);
            assert.ok(a.dh0[k] > -1e-9, `dV/dh0 = ${a.dh0[k]} < 0 at K=${K[k]}`);
            if (k > 0) assert.ok(a.price[k] <= a.price[k - 1] + 1e-12, 'call price rose with the strike');
          }
        },
      ),
      { numRuns: 30, seed: 3 },
    );
  });
});

describe('hnPrice against Monte Carlo of the risk-neutral dynamics', () => {
  test('MC prices lie within 3 standard errors of the closed form', () => {
    const p = { omega: 2e-6, alpha: 3e-6, beta: 0.85, gamma: 150, lambda: 2 };
    const spec = { S: 100, K: [80, 90, 100, 110, 120], Tdays: 42, rDaily: 0.03 / 252, qDaily: 0.01 / 252, h0: 1.5e-4 };
    for (const right of ['call', 'put'] as const) {
      const mc = hnMonteCarloPrice(p, { ...spec, right }, { nPaths: 60_000, seed: right === 'call' ? 1 : 2, antithetic: true });
      const cf = hnPrice(p, { ...spec, right });
      for (let k = 0; k < spec.K.length; k++) {
        near(mc.price[k], cf[k], 3 * mc.stdErr[k], `${right} K=${spec.K[k]} (se ${mc.stdErr[k]})`);
      }
    }
  });
});

describe('hnPrice: input checks', () => {
  const ok = { S: 100, K: 100, Tdays: 21, rDaily: 0.0001, right: 'call' as const };
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['S', () => hnPrice(FOPTIONS, { ...ok, S: -1 }), /S must be/],
    ['K', () => hnPrice(FOPTIONS, { ...ok, K: [100, NaN] }), /K\[1\]/],
    ['Tdays fractional', () => hnPrice(FOPTIONS, { ...ok, Tdays: 2.5 }), /Tdays/],
    ['rDaily', () => hnPrice(FOPTIONS, { ...ok, rDaily: Infinity }), /rDaily/],
    ['right', () => hnPrice(FOPTIONS, { ...ok, right: 'straddle' as never }), /right must be "call" or "put"/],
    ['rights length', () => hnPrice(FOPTIONS, { ...ok, K: [90, 100], right: ['call'] }), /right has 1 entries for 2 strikes/],
    ['h0', () => hnPrice(FOPTIONS, { ...ok, h0: 0 }), /h0 must be/],
    ['params.alpha', () => hnPrice({ ...FOPTIONS, alpha: -1 }, ok), /params\.alpha must be >= 0/],
    ['params.gamma', () => hnPrice({ ...FOPTIONS, gamma: NaN }, ok), /params\.gamma must be a finite number/],
    ['no stationary default', () => hnPrice({ ...FOPTIONS, beta: 0.99 }, ok), /h0 is required/],
  ];
  for (const [name, fn, re] of cases) test(`bad ${name} is a clear error`, () => assert.throws(fn, re));

  test('a non-stationary model still prices with an explicit h0', () => {
    const v = hnPrice({ ...FOPTIONS, beta: 0.99 }, { ...ok, h0: 1e-4 })[0];
    assert.ok(v > 0 && v < 100);
  });

  test('hnDaysFromYears rounds T to whole 1/252-year days', () => {
    assert.equal(hnDaysFromYears(1), 252);
    assert.equal(hnDaysFromYears(0.5), 126);
    assert.equal(hnDaysFromYears(30 / 365), 21);
    assert.throws(() => hnDaysFromYears(-1), /T must be/);
  });
});

describe('hnGreeksSteps', () => {
  test('equals hnGreeks to the last bit, with other pricing run between its steps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.double({ min: 3e-5, max: 4e-4, noNaN: true }), fc.boolean(), (Tdays, h0, mixed) => {
        const spec = { S: 100, K: [70, 90, 99, 100, 101, 115, 150], Tdays, rDaily: 0.0002, qDaily: 0.00005, h0, right: mixed ? ['C', 'P', 'C', 'P', 'C', 'P', 'C'] as const : ('put' as const) };
        const want = hnGreeks(FOPTIONS, spec);
        const it = hnGreeksSteps(FOPTIONS, spec);
        let units = 0;
        let r = it.next();
        while (!r.done) {
          assert.ok(r.value > 0, 'a step yields its work');
          units += r.value;
          // Another pricing between steps reuses the module's scratch nodes: the steps must not depend on them.
          hnPrice(FOPTIONS, { ...fSpec, K: [90, 110], right: 'C', Tdays: 1 + (Tdays % 37) });
          r = it.next();
        }
        assert.ok(units > 0);
        for (const k of ['price', 'delta', 'gamma', 'dh0'] as const) assert.deepEqual(r.value[k], want[k], k);
        assert.equal(r.value.h0, want.h0);
      }),
      { numRuns: 15 },
    );
  });

  test('0 days: the intrinsic values, in no step; bad input named at the first step', () => {
    const r = hnGreeksSteps(FOPTIONS, { ...fSpec, K: [90, 110], Tdays: 0, right: 'C' }).next();
    assert.equal(r.done, true);
    assert.deepEqual([...(r.value as { price: Float64Array }).price], [10, 0]);
    assert.throws(() => hnGreeksSteps(FOPTIONS, { ...fSpec, K: [100], right: 'C' }, { tol: 2 }).next(), /opts.tol/);
  });
});

describe('hnCurveSteps', () => {
  test('mirrored strikes sharing their phases give hnGreeks at K = e^{-y} up to rounding (1e-13 of S; gamma 1e-11 of its largest)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.double({ min: 3e-5, max: 4e-4, noNaN: true }), fc.boolean(), (Tdays, h0, symmetric) => {
        const sd = Math.sqrt(h0 * Tdays);
        const half = [0.1, 0.5, 1, 2, 5].map((z) => z * sd);
        const y = Float64Array.from(symmetric ? [...half.map((z) => -z).reverse(), 0, ...half] : [...half.map((z) => -1.3 * z).reverse(), 0.01, ...half]);
        const want = hnGreeks(FOPTIONS, { S: 1, K: Array.from(y, (v) => Math.exp(-v)), Tdays, rDaily: 0, qDaily: 0, h0, right: 'C' });
        const it = hnCurveSteps(FOPTIONS, Tdays, h0, y);
        let r = it.next();
        while (!r.done) r = it.next();
        const gMax = Math.max(...want.gamma);
        for (let i = 0; i < y.length; i++) {
          for (const k of ['price', 'delta'] as const) assert.ok(Math.abs(r.value[k][i] - want[k][i]) <= 1e-13, `${k}[${i}]: ${r.value[k][i]} vs ${want[k][i]}`);
          assert.ok(Math.abs(r.value.gamma[i] - want.gamma[i]) <= 1e-11 * gMax, `gamma[${i}]`);
          assert.ok(Math.abs(r.value.dh0[i] - want.dh0[i]) <= 1e-11 * Math.max(...want.dh0.map(Math.abs)), `dh0[${i}]`);
        }
      }),
      { numRuns: 15 },
    );
  });
});
