import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bsGreeks } from './black-scholes.ts';
import { basisRow, basisScratch, basisSize, expectedAverageVariance, stepScaling } from './hedge-lsmc-basis.ts';

describe('LSMC hedging basis', () => {
  const ctx = { K: 100, call: true, r: 0.02, q: 0.01, kappa: 2, theta: 0.04, jumpVar: 0 };

  test('Hermite terms in standardised (ln S, sqrt v), then the Black-Scholes price and delta', () => {
    const spec = { degree: 2 };
    assert.equal(basisSize(spec), 8);
    const sc = { muU: Math.log(100), sdU: 0.1, muW: 0.2, sdW: 0.05 };
    const out = new Float64Array(8);
    basisRow(spec, sc, ctx, 100 * Math.exp(0.1), 0.25 * 0.25, 0.5, out, 0, basisScratch(spec));
    // u = 1, w = 1: 1 | u, w | He2(u) = 0, u w = 1, He2(w) = 0
    [1, 1, 1, 0, 1, 0].forEach((x, j) => assert.ok(Math.abs(out[j] - x) < 1e-12, `column ${j}: ${out[j]}`));
    const vbar = expectedAverageVariance(ctx, 0.0625, 0.5);
    const g = bsGreeks(100 * Math.exp(0.1), 100, 0.5, 0.02, 0.01, Math.sqrt(vbar), 'C');
    assert.ok(Math.abs(out[6] - g.price) < 1e-10 && Math.abs(out[7] - g.delta) < 1e-12);
  });

  test('the spot column comes last, after the Black-Scholes columns when they are on', () => {
    const sc = { muU: Math.log(100), sdU: 0.1, muW: 0.2, sdW: 0.05 };
    for (const bsFeatures of [true, false]) {
      const spec = { degree: 1, bsFeatures, spot: true };
      assert.equal(basisSize(spec), 3 + (bsFeatures ? 2 : 0) + 1);
      const out = new Float64Array(basisSize(spec));
      basisRow(spec, sc, ctx, 105, 0.04, 0.5, out, 0, basisScratch(spec));
      assert.equal(out[out.length - 1], 105);
    }
  });

  test('property: expected average variance runs from v (tau -> 0) to theta (tau -> infinity), monotone in between', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 1e-3, max: 5, noNaN: true }), (v, tau) => {
      const a = expectedAverageVariance(ctx, v, 1e-12), b = expectedAverageVariance(ctx, v, 1e4);
      assert.ok(Math.abs(a - v) < 1e-9 && Math.abs(b - ctx.theta) < 1e-3 * Math.max(1, Math.abs(v - ctx.theta)));
      const m = expectedAverageVariance(ctx, v, tau);
      assert.ok(m >= Math.min(v, ctx.theta) - 1e-15 && m <= Math.max(v, ctx.theta) + 1e-15);
    }));
  });

  test('one shared state (t = 0) gives zero standard deviations', () => {
    const s = stepScaling(new Float64Array(4).fill(3000), new Float64Array(4).fill(0.04), 4);
    assert.equal(s.sdU, 0);
    assert.equal(s.sdW, 0);
    assert.throws(() => basisSize({ degree: 9 }), /basis degree/);
  });
});
