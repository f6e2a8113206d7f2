import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mcEuropean, priceFromTerminal } from './mc-european.ts';
import { simulateHeston } from './mc-heston-qe.ts';
import { mcMean } from './mc-stats.ts';

describe('Monte Carlo estimates', () => {
  test('mean and standard error of a small sample, by hand', () => {
    // values 1, 2, 3, 6: mean 3, sample variance (4 + 1 + 0 + 9)/3 = 14/3, SE sqrt(14/3/4)
    const e = mcMean([1, 2, 3, 6], false);
    assert.ok(Math.abs(e.mean - 3) < 1e-15);
    assert.ok(Math.abs(e.stdError - Math.sqrt(14 / 12)) < 1e-15);
    // as antithetic pairs: pair means 1.5 and 4.5, variance 4.5, SE sqrt(4.5/2) = 1.5
    const a = mcMean([1, 2, 3, 6], true);
    assert.ok(Math.abs(a.mean - 3) < 1e-15);
    assert.ok(Math.abs(a.stdError - 1.5) < 1e-15);
  });

  test('agrees with a two-pass computation, including large offsets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 200 }),
        fc.double({ min: -1e8, max: 1e8, noNaN: true }),
        (xs, offset) => {
          const v = xs.map((x) => x + offset);
          const n = v.length;
          const mean = v.reduce((s, x) => s + x, 0) / n;
          const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
          const e = mcMean(v, false);
          const tol = 1e-9 * (1 + Math.abs(offset));
          return Math.abs(e.mean - mean) <= tol && Math.abs(e.stdError - Math.sqrt(variance / n)) <= 1e-6 * (1 + Math.sqrt(variance / n));
        },
      ),
    );
  });

  test('bad sample sizes are rejected', () => {
    assert.throws(() => mcMean([1, 2, 3], true), /even length/);
    assert.throws(() => mcMean([1], false), /at least 2/);
  });
});

describe('European prices from terminal values', () => {
  test('payoffs of a hand-made sample', () => {
    // S_T = 90, 110, 100, 120; K = 100 call payoffs 0, 10, 0, 20: mean 7.5; pairs (5, 10): SE 2.5
    const r = priceFromTerminal([90, 110, 100, 120], 1, [100], true, true);
    assert.ok(Math.abs(r.price[0] - 7.5) < 1e-14);
    assert.ok(Math.abs(r.stdError[0] - 2.5) < 1e-14);
    // put at 105 discounted by 0.5: payoffs 15, 0, 5, 0, mean 5 -> 2.5
    const p = priceFromTerminal([90, 110, 100, 120], 0.5, [105], false, false);
    assert.ok(Math.abs(p.price[0] - 2.5) < 1e-14);
  });

  test('put-call parity holds path by path: C - P = disc (mean S_T - K)', () => {
    const sim = simulateHeston({ params: { v0: 0.05, kappa: 1, theta: 0.05, sigma: 0.7, rho: -0.5 }, S0: 100, r: 0.03, T: 1, steps: 12, paths: 4000, seed: 2, antithetic: true });
    const disc = Math.exp(-0.03);
    const strikes = [80, 100, 125];
    const c = priceFromTerminal(sim.S, disc, strikes, true, true);
    const p = priceFromTerminal(sim.S, disc, strikes, false, true);
    const m = mcMean(sim.S, true).mean;
    for (let k = 0; k < strikes.length; k++) {
      assert.ok(Math.abs(c.price[k] - p.price[k] - disc * (m - strikes[k])) < 1e-10, `K=${strikes[k]}`);
    }
  });

  test('mcEuropean: QE and Euler schemes, strike order preserved, bad inputs named', () => {
    const o = { params: { v0: 0.04, kappa: 2, theta: 0.04, sigma: 0.4, rho: -0.6 }, S0: 100, r: 0.02, T: 0.5, steps: 6, paths: 2000, seed: 1, antithetic: true };
    for (const scheme of ['qe', 'euler'] as const) {
      const r = mcEuropean({ ...o, scheme }, [120, 100, 80], true);
      assert.ok(r.price[0] < r.price[1] && r.price[1] < r.price[2], `${scheme}: call prices fall with the strike`);
    }
    assert.throws(() => mcEuropean(o, [100, -5], true), /strikes\[1\] must be a finite number > 0/);
    assert.throws(() => mcEuropean(o, [100, 110], [true]), /isCall has 1 entries for 2 strikes/);
    assert.throws(() => mcEuropean({ ...o, scheme: 'milstein' as 'qe' }, [100], true), /scheme must be 'qe' or 'euler'/);
  });
});
