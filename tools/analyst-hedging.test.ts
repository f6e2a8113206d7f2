/**
 * The analyst report's hedging numbers on small hand-made inputs (worked out beside each number)
 * and their properties. No data, no store.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { closeMessages, deltaZeroRates, hedgedPnl, holdWhereMissing, optionPayoff, pnlStats, premiumZeroRates, rollingBook, statsByGroup, type TapeDay } from './analyst-hedging.ts';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const day = (date: string, spx: number): TapeDay => ({ date, spx, ts: Date.parse(`${date}T21:15:00Z`) * 1000 });

describe('analyst hedging', () => {
  test('the rolling book: a call and a put on each month\'s first trading day, to the next month\'s, struck at the close rounded to 5', () => {
    const days = [day('2020-12-30', 3700), day('2020-12-31', 3756.07), day('2021-01-04', 3700.65), day('2021-01-05', 3726.86), day('2021-02-01', 3773.86), day('2021-02-02', 3826.31), day('2021-03-01', 3901.82)];
    const book = rollingBook(days);
    // Months starting at index 0 (Dec, -> Jan 4), 2 (Jan 4 -> Feb 1), 4 (Feb 1 -> Mar 1); March has no next month.
    assert.deepEqual(book.map((o) => [o.position.id, o.open, o.expiry, o.strike, o.position.instrument.expiry, o.position.opened]), [
      ['roll-2020-12-30-C', 0, 2, 3700, '2021-01-04', '2020-12-30'],
      ['roll-2020-12-30-P', 0, 2, 3700, '2021-01-04', '2020-12-30'],
      // 3700.65 -> 3700; 3773.86 -> 3775.
      ['roll-2021-01-04-C', 2, 4, 3700, '2021-02-01', '2021-01-04'],
      ['roll-2021-01-04-P', 2, 4, 3700, '2021-02-01', '2021-01-04'],
      ['roll-2021-02-01-C', 4, 6, 3775, '2021-03-01', '2021-02-01'],
      ['roll-2021-02-01-P', 4, 6, 3775, '2021-03-01', '2021-02-01'],
    ]);
    assert.deepEqual(book[0].position.instrument, { kind: 'option', underlying: 'SPX', root: 'SPXW', strike: 3700, expiry: '2021-01-04', right: 'C', multiplier: 1 });
    assert.equal(book[1].position.quantity, -1);
    assert.throws(() => rollingBook([days[1], days[0]]), /strictly increasing/);
  });

  test('P&L of a short call hedged daily, by hand', () => {
    // Closes 100, 102, 99, 105; hedges 0.5, 0.6, 0.4: gains 0.5 x 2 + 0.6 x (-3) + 0.4 x 6 = 1.6.
    // Call struck at 100 pays 5; premium 3: P&L = 3 - 5 + 1.6 = -0.4.
    close(hedgedPnl(3, optionPayoff('C', 100, 105), [100, 102, 99, 105], [0.5, 0.6, 0.4]), -0.4);
    assert.equal(optionPayoff('P', 100, 105), 0);
    assert.equal(optionPayoff('P', 100, 97), 3);
    assert.throws(() => hedgedPnl(1, 0, [1, 2], [0.5, 0.5]), /2 closes for 2 hedges/);
    assert.throws(() => hedgedPnl(1, 0, [1, NaN], [0.5]), /non-finite/);
  });

  test('premium: at the money with zero rates, C = P = S (2 N(vol sqrt(T) / 2) - 1)', () => {
    // vol sqrt(T) = 0.2: N(0.1) = 0.539827837277029 (normal table), C = 100 x 0.079655674554058.
    close(premiumZeroRates('C', 100, 100, 1, 0.2), 7.9655674554058, 1e-9);
    close(premiumZeroRates('P', 100, 100, 1, 0.2), 7.9655674554058, 1e-9);
    // The call's delta at the money is N(vol sqrt(T) / 2), the put's that minus 1.
    close(deltaZeroRates('C', 100, 100, 1, 0.2), 0.539827837277029, 1e-9);
    close(deltaZeroRates('P', 100, 100, 1, 0.2), 0.539827837277029 - 1, 1e-9);
  });

  test('property: a constant hedge of 1 on a linear path earns the path\'s move; no hedge leaves premium - payoff', () => {
    fc.assert(
      fc.property(fc.double({ min: 50, max: 5000, noNaN: true }), fc.double({ min: -20, max: 20, noNaN: true }), fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 100, noNaN: true }), (s0, a, n, premium) => {
        const spots = Array.from({ length: n + 1 }, (_, t) => s0 + a * t);
        const payoff = optionPayoff('C', s0, spots[n]);
        close(hedgedPnl(premium, payoff, spots, new Array(n).fill(1)), premium - payoff + a * n, 1e-7 * s0);
        close(hedgedPnl(premium, payoff, spots, new Array(n).fill(0)), premium - payoff, 1e-12);
      }),
    );
  });

  test('property: a call hedged with h and a put hedged with h - 1 at Black-Scholes premiums (zero rates) have the same P&L (parity)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 1, maxLength: 25 }),
        fc.double({ min: 0.8, max: 1.2, noNaN: true }),
        fc.double({ min: 0.05, max: 0.8, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (rets, moneyness, vol, h) => {
          const spots = [1000];
          for (const r of rets) spots.push(spots.at(-1)! * Math.exp(r));
          const K = 1000 * moneyness;
          const T = rets.length / 252;
          const hs = rets.map((_, t) => h * (1 - t / rets.length));
          const call = hedgedPnl(premiumZeroRates('C', 1000, K, T, vol), optionPayoff('C', K, spots.at(-1)!), spots, hs);
          const put = hedgedPnl(premiumZeroRates('P', 1000, K, T, vol), optionPayoff('P', K, spots.at(-1)!), spots, hs.map((x) => x - 1));
          close(call, put, 1e-8);
        },
      ),
    );
  });

  test('a missing ratio holds the day before\'s hedge (0 before the first)', () => {
    assert.deepEqual(holdWhereMissing([null, 0.5, null, null, 0.4]), { hedges: [0, 0.5, 0.5, 0.5, 0.4], held: 3 });
    assert.deepEqual(holdWhereMissing([]), { hedges: [], held: 0 });
  });

  test('P&L metrics by hand: mean, sd, mean absolute error, 5% quantile and CVaR', () => {
    // [-10, 0, 2, 4, 4]: mean 0; squares 100 + 0 + 4 + 16 + 16 = 136 over 4: sd sqrt(34); mae 20 / 5;
    // k = ceil(0.25) = 1: quantile and CVaR both the worst value.
    const s = pnlStats([4, -10, 2, 0, 4]);
    assert.deepEqual([s.n, s.mean, s.mae, s.q05, s.cvar95], [5, 0, 4, -10, -10]);
    close(s.sd, Math.sqrt(34));
    // 1..40: k = 2; the 2nd smallest is 2, the mean of the 2 smallest 1.5.
    const t = pnlStats(Array.from({ length: 40 }, (_, i) => i + 1));
    assert.deepEqual([t.q05, t.cvar95, t.mean], [2, 1.5, 20.5]);
    // 20 values: k = ceil(1) = 1 exactly (no rounding up to 2).
    assert.equal(pnlStats(Array.from({ length: 20 }, (_, i) => i)).cvar95, 0);
    assert.equal(pnlStats([]).n, 0);
    assert.throws(() => pnlStats([1, NaN]), /value 1 is NaN/);
  });

  test('property: CVaR <= 5% quantile, CVaR <= mean, mae >= |mean|; a shift moves mean, quantile and CVaR, not sd', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.double({ min: -50, max: 50, noNaN: true }), (xs, c) => {
        const s = pnlStats(xs);
        assert.ok(s.cvar95 <= s.q05 + 1e-9 && s.cvar95 <= s.mean + 1e-9 && s.mae >= Math.abs(s.mean) - 1e-9 && s.sd >= 0);
        const u = pnlStats(xs.map((x) => x + c));
        close(u.mean, s.mean + c, 1e-7);
        close(u.q05, s.q05 + c, 1e-7);
        close(u.cvar95, s.cvar95 + c, 1e-7);
        close(u.sd, s.sd, 1e-6);
      }),
    );
  });

  test('metrics by group: each value counts in every group it names', () => {
    const by = statsByGroup([{ groups: ['2020', 'all'], pnl: 1 }, { groups: ['2020', 'all'], pnl: 3 }, { groups: ['2021', 'all'], pnl: -2 }]);
    assert.deepEqual([by.get('2020')!.mean, by.get('2021')!.mean, by.get('all')!.n, by.get('all')!.mean], [2, -2, 3, 2 / 3]);
  });

  test('each close\'s message is the first computed at that print (the next day\'s variance recompute names the same print)', () => {
    const msg = (tick: number, variance: number, hn: number) => ({ ratios: { hn }, expired: false, inputs: { tick, spot: 100, variance } });
    // Day 1's variance (ts 15) before its print (ts 10); then day 2's variance (25) on the old print 10, then print 20.
    const ms = [msg(10, 15, 0.5), msg(10, 25, 0.9), msg(20, 25, 0.6)];
    assert.deepEqual(closeMessages(ms, [10, 20, 30]).map((m) => m?.ratios.hn ?? null), [0.5, 0.6, null]);
  });
});
