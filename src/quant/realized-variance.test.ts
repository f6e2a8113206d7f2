import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { annualizedVolatility, annualizeVariance, logReturns, realizedVariance, realizedVarianceFromPrices } from './realized-variance.ts';
import { randomStream } from './mc-random.ts';

describe('realized variance', () => {
  test('a small example by hand: 100, 101, 100 gives 2 ln(1.01)^2', () => {
    const r = logReturns([100, 101, 100]);
    assert.deepEqual(Array.from(r), [Math.log(101 / 100), Math.log(100 / 101)]);
    assert.ok(Math.abs(realizedVariance(r) - 2 * Math.log(1.01) ** 2) < 1e-18);
    assert.equal(realizedVarianceFromPrices([100, 101, 100]), realizedVariance(r));
  });

  test('is unbiased for the integrated variance of a GBM day (78 five-minute returns)', () => {
    // daily variance 1e-4 (16% a year); E[RV] = sigma^2 + 78 (mu dt)^2 and Var[RV] = 2 sigma^4 / 78 per day
    const rng = randomStream(21);
    const days = 4000;
    const m = 78;
    const s2 = 1e-4;
    const sd = Math.sqrt(s2 / m);
    const prices = new Float64Array(m + 1);
    let sum = 0;
    for (let d = 0; d < days; d++) {
      prices[0] = 4000;
      for (let i = 1; i <= m; i++) prices[i] = prices[i - 1] * Math.exp(-0.5 * sd * sd + sd * rng.normal());
      sum += realizedVarianceFromPrices(prices);
    }
    const se = Math.sqrt((2 * s2 * s2) / m / days);
    assert.ok(Math.abs(sum / days - s2) < 4 * se, `mean RV ${sum / days} vs ${s2} (se ${se})`);
  });

  test('ignores the price level and adds up over adjacent windows', () => {
    const arb = fc.array(fc.double({ min: 1, max: 1e4, noNaN: true }), { minLength: 3, maxLength: 30 });
    fc.assert(
      fc.property(arb, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (p, c) => {
        const whole = realizedVarianceFromPrices(p);
        const scaled = realizedVarianceFromPrices(p.map((x) => x * c));
        assert.ok(Math.abs(whole - scaled) <= 1e-9 * Math.max(1e-12, whole));
        const k = Math.floor(p.length / 2);
        const parts = realizedVarianceFromPrices(p.slice(0, k + 1)) + realizedVarianceFromPrices(p.slice(k));
        assert.ok(Math.abs(whole - parts) <= 1e-12 * Math.max(1, whole));
      }),
    );
  });

  test('annualisation at 252 days: 1e-4 a day is 0.0252 a year, a 15.87% vol', () => {
    assert.ok(Math.abs(annualizeVariance(1e-4) - 0.0252) < 1e-15);
    assert.ok(Math.abs(annualizedVolatility(1e-4) - Math.sqrt(0.0252)) < 1e-15);
    assert.ok(Math.abs(annualizeVariance(1e-4, 365) - 0.0365) < 1e-15);
    assert.throws(() => annualizeVariance(1e-4, 0), /periodsPerYear/);
  });

  test('no returns is no estimate; bad prices and returns are refused by index', () => {
    assert.ok(Number.isNaN(realizedVariance([])));
    assert.ok(Number.isNaN(realizedVarianceFromPrices([100])));
    assert.equal(logReturns([100]).length, 0);
    assert.throws(() => logReturns([100, 0, 101]), /price at index 1 must be a positive finite number/);
    assert.throws(() => realizedVarianceFromPrices([100, 101, NaN]), /index 2/);
    assert.throws(() => realizedVariance([0.01, Infinity]), /return at index 1/);
  });
});
