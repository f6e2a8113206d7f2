import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bsGreeks } from './black-scholes.ts';
import { hestonPrices } from './heston.ts';
import { hestonCurveSteps, hestonGreeks, hestonGreeksSteps } from './heston-greeks.ts';

const paramsArb = fc.record({
  v0: fc.double({ min: 0.01, max: 0.2, noNaN: true }),
  kappa: fc.double({ min: 0.5, max: 5, noNaN: true }),
  theta: fc.double({ min: 0.01, max: 0.2, noNaN: true }),
  sigma: fc.double({ min: 0.1, max: 1, noNaN: true }),
  rho: fc.double({ min: -0.9, max: 0.2, noNaN: true }),
});
const jumpsArb = fc.record({
  lambda: fc.double({ min: 0, max: 1, noNaN: true }),
  muJ: fc.double({ min: -0.2, max: 0.05, noNaN: true }),
  sigmaJ: fc.double({ min: 0.05, max: 0.2, noNaN: true }),
});
const tight = { relTol: 1e-14 };

describe('hestonGreeks', () => {
  test('match fourth-order central finite differences of hestonPrices (Heston and Bates, calls and puts)', () => {
    fc.assert(
      fc.property(paramsArb, jumpsArb, fc.constantFrom(0.25, 1, 3), fc.boolean(), (hp, jp, T, call) => {
        const p = { ...hp, ...jp };
        const K = [80, 95, 100, 105, 125];
        const g = hestonGreeks(p, 100, T, 0.03, 0.01, K, call);
        const hS = 0.01;
        const hv = 1e-5;
        const at = (dS: number): Float64Array => hestonPrices(p, 100 + dS, T, 0.03, 0.01, K, call, undefined, tight);
        const [up2, up, mid, dn, dn2] = [at(2 * hS), at(hS), at(0), at(-hS), at(-2 * hS)];
        const vu = hestonPrices({ ...p, v0: p.v0 + hv }, 100, T, 0.03, 0.01, K, call, undefined, tight);
        const vd = hestonPrices({ ...p, v0: p.v0 - hv }, 100, T, 0.03, 0.01, K, call, undefined, tight);
        return K.every((_, i) => {
          const delta = (-up2[i] + 8 * up[i] - 8 * dn[i] + dn2[i]) / (12 * hS);
          const gamma = (-up2[i] + 16 * up[i] - 30 * mid[i] + 16 * dn[i] - dn2[i]) / (12 * hS * hS);
          const dv0 = (vu[i] - vd[i]) / (2 * hv);
          // tolerances: the finite differences' own truncation (O(h^4)) and rounding errors
          return (
            Math.abs(g.price[i] - mid[i]) < 1e-9 &&
            Math.abs(g.delta[i] - delta) < 1e-7 &&
            Math.abs(g.gamma[i] - gamma) < 1e-6 &&
            Math.abs(g.dv0[i] - dv0) < 1e-5 * (1 + Math.abs(dv0)) &&
            Math.abs(g.mvDelta[i] - (g.delta[i] + ((p.rho * p.sigma) / 100) * g.dv0[i])) < 1e-12
          );
        });
      }),
      { numRuns: 25 },
    );
  });

  test('put delta = call delta - e^{-qT}; gamma and dC/dv0 are the same for both', () => {
    const p = { v0: 0.05, kappa: 1.5, theta: 0.06, sigma: 0.8, rho: -0.7 };
    const K = [70, 100, 140];
    const c = hestonGreeks(p, 100, 2, 0.04, 0.02, K, true);
    const pu = hestonGreeks(p, 100, 2, 0.04, 0.02, K, false);
    for (let i = 0; i < K.length; i++) {
      assert.ok(Math.abs(pu.delta[i] - (c.delta[i] - Math.exp(-0.04))) < 1e-12);
      assert.equal(pu.gamma[i], c.gamma[i]);
      assert.equal(pu.dv0[i], c.dv0[i]);
    }
  });

  test('sigma = 0: delta and gamma are Black-Scholes at the integrated variance, dC/dv0 = vega * dsigma/dv0', () => {
    const p = { v0: 0.09, kappa: 2, theta: 0.04, sigma: 0, rho: -0.5 };
    const T = 0.75;
    const frac = -Math.expm1(-p.kappa * T) / (p.kappa * T);
    const vol = Math.sqrt(p.theta + (p.v0 - p.theta) * frac);
    const K = [80, 100, 120];
    const g = hestonGreeks(p, 100, T, 0.03, 0.01, K, true);
    K.forEach((k, i) => {
      const b = bsGreeks(100, k, T, 0.03, 0.01, vol, 'C');
      assert.ok(Math.abs(g.delta[i] - b.delta) < 1e-10, `delta K=${k}`);
      assert.ok(Math.abs(g.gamma[i] - b.gamma) < 1e-10, `gamma K=${k}`);
      // vbar = theta + (v0 - theta) frac, so d vol / d v0 = frac / (2 vol)
      assert.ok(Math.abs(g.dv0[i] - (b.vega * frac) / (2 * vol)) < 1e-8, `dv0 K=${k}: ${g.dv0[i]} vs ${(b.vega * frac) / (2 * vol)}`);
    });
  });

  test('bad inputs are rejected with the input named', () => {
    const p = { v0: 0.04, kappa: 1, theta: 0.04, sigma: 0.5, rho: -0.5 };
    assert.throws(() => hestonGreeks(p, 100, 1, 0, 0, [100, -5], true), /strikes\[1\]/);
    assert.throws(() => hestonGreeks({ ...p, theta: -1 }, 100, 1, 0, 0, [100], true), /params\.theta/);
  });
});

/** Runs a stepped pricer through: its result, its work units and its step count. */
function runSteps<T>(g: Generator<number, T, void>): { value: T; units: number; steps: number } {
  let units = 0;
  let steps = 0;
  for (;;) {
    const r = g.next();
    if (r.done) return { value: r.value, units, steps };
    assert.ok(r.value > 0, 'a step yields its work');
    units += r.value;
    steps++;
  }
}

describe('hestonGreeksSteps', () => {
  test('equals hestonGreeks to the last bit, with other pricing run between its steps (Heston and Bates, calls and puts, step halvings included)', () => {
    fc.assert(
      fc.property(paramsArb, jumpsArb, fc.boolean(), fc.double({ min: 0.003, max: 3, noNaN: true }), fc.constantFrom(1e-11, 1e-9, 1e-14), (p, j, bates, T, relTol) => {
        const params = bates ? { ...p, ...j } : p;
        const K = [60, 85, 97, 100, 103, 120, 180];
        const calls = K.map((_, i) => i % 2 === 0);
        const want = hestonGreeks(params, 100, T, 0.03, 0.01, K, calls, { relTol });
        const it = hestonGreeksSteps(params, 100, T, 0.03, 0.01, K, calls, { relTol });
        let r = it.next();
        let steps = 0;
        while (!r.done) {
          // Another pricing between steps reuses the grid module's buffers: the steps must not depend on them.
          hestonGreeks({ v0: 0.09, kappa: 3, theta: 0.02, sigma: 0.9, rho: 0.1 }, 50, 0.5 + T, 0, 0, [40, 50, 60], true);
          r = it.next();
          steps++;
        }
        assert.ok(steps >= K.length + 1, `one step per strike and per grid at least, got ${steps}`);
        for (const k of ['price', 'delta', 'gamma', 'dv0', 'mvDelta'] as const) assert.deepEqual(r.value[k], want[k], k);
      }),
      { numRuns: 20 },
    );
  });

  test('work units grow with the strikes; T = 0 takes no step', () => {
    const p = { v0: 0.04, kappa: 1.5, theta: 0.05, sigma: 0.5, rho: -0.7 };
    const few = runSteps(hestonGreeksSteps(p, 100, 0.25, 0, 0, [90, 100, 110], true));
    const many = runSteps(hestonGreeksSteps(p, 100, 0.25, 0, 0, Array.from({ length: 30 }, (_, i) => 70 + 2 * i), true));
    assert.ok(many.units > few.units && many.steps > few.steps);
    const expired = runSteps(hestonGreeksSteps(p, 100, 0, 0, 0, [90, 110], [true, false]));
    assert.equal(expired.steps, 0);
    assert.deepEqual([...expired.value.price], [10, 10]);
    assert.throws(() => hestonGreeksSteps(p, 100, 1, 0, 0, [100, -5], true).next(), /strikes\[1\]/);
  });
});

describe('hestonCurveSteps', () => {
  test('mirrored strikes sharing a pass give hestonGreeks at K = e^{-y} up to rounding (1e-12 of the forward; gamma 1e-10 of its largest)', () => {
    fc.assert(
      fc.property(paramsArb, fc.double({ min: 0.003, max: 3, noNaN: true }), fc.boolean(), (p, T, symmetric) => {
        const half = [0.02, 0.07, 0.15, 0.3, 0.6].map((z) => z * Math.sqrt(T));
        // Antisymmetric y (every strike pairs with its mirror) or not (none does).
        const y = Float64Array.from(symmetric ? [...half.map((z) => -z).reverse(), 0, ...half] : [...half.map((z) => -1.3 * z).reverse(), 0.01, ...half]);
        const K = Array.from(y, (v) => Math.exp(-v));
        const want = hestonGreeks(p, 1, T, 0, 0, K, true);
        const got = runSteps(hestonCurveSteps(p, T, y)).value;
        const gMax = Math.max(...want.gamma);
        for (let i = 0; i < y.length; i++) {
          for (const k of ['price', 'delta', 'mvDelta', 'dv0'] as const) assert.ok(Math.abs(got[k][i] - want[k][i]) <= 1e-12, `${k}[${i}]: ${got[k][i]} vs ${want[k][i]}`);
          assert.ok(Math.abs(got.gamma[i] - want.gamma[i]) <= 1e-10 * gMax, `gamma[${i}]`);
        }
      }),
      { numRuns: 20 },
    );
  });
});
