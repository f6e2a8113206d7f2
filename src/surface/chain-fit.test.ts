import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fitChain } from './chain-fit.ts';
import { hestonChain, type HestonChainSpec } from './heston-chain.ts';
import { NEW_YORK, zonedToEpochMicros } from '../ticks/time.ts';
import type { ExpiryFit } from './expiry-fit.ts';

const ts = zonedToEpochMicros('2024-01-05', '16:15', NEW_YORK);
// Heston parameters in the range of SPX fits (negative skew, vol of vol 0.6, Feller violated).
const spec: HestonChainSpec = {
  params: { v0: 0.02, kappa: 2, theta: 0.04, sigma: 0.6, rho: -0.7 }, S: 4700, r: 0.05, q: 0.015, ts,
  expiries: [
    { root: 'SPXW', expiry: '2024-01-12' }, { root: 'SPXW', expiry: '2024-02-02' }, { root: 'SPX', expiry: '2024-03-15' },
    { root: 'SPX', expiry: '2024-06-21' }, { root: 'SPX', expiry: '2024-12-20' },
  ],
};

describe('fitChain on a Heston chain', () => {
  const { quotes, truth } = hestonChain(spec);
  const f = fitChain({ underlying: 'SPX', ts, spot: spec.S, quotes });

  test('recovers each expiry’s forward and discount factor by parity (exact mids)', () => {
    assert.deepEqual(f.expiries.map((e) => e.key), truth.map((t) => t.key));
    assert.equal(f.skipped.length, 0);
    for (const e of f.expiries) {
      const t = truth.find((x) => x.key === e.key)!;
      assert.equal(e.T, t.T);
      // Mids are the pricer's exact prices (accuracy 1e-11 F), so parity is exact to rounding.
      assert.ok(Math.abs(e.forward / t.F - 1) < 1e-9, `${e.key} F ${e.forward} vs ${t.F}`);
      assert.ok(Math.abs(e.discount - t.D) < 1e-9, `${e.key} D ${e.discount} vs ${t.D}`);
      assert.ok(Math.abs(e.r - spec.r) < 1e-7 && Math.abs(e.q! - spec.q) < 1e-7, `${e.key} r ${e.r} q ${e.q}`);
    }
  });

  test('SVI fits each Heston smile to within a tenth of a vol point, inside the quotes on average', () => {
    // SVI is the large-maturity limit of Heston's smile (Gatheral and Jacquier, "Convergence of
    // Heston to SVI", Quantitative Finance 11(8), 2011), and close to it at shorter maturities.
    for (const e of f.expiries) {
      assert.ok(e.n >= 50, `${e.key} fitted ${e.n} quotes`);
      assert.ok(e.rmseIv < 0.001, `${e.key} rmse ${e.rmseIv}`);
      assert.ok(e.rmseSpread < 1, `${e.key} rmse in spreads ${e.rmseSpread}`);
    }
    assert.ok(f.rmseIv < 0.001);
  });

  test('quote vols: mid between bid and ask, fitted quotes out of the money, ATM vol near sqrt of expected variance', () => {
    for (const e of f.expiries) {
      const q = e.quotes;
      for (let i = 0; i < q.K.length; i++) {
        if (q.bidIv[i] !== null) assert.ok(q.bidIv[i]! <= q.midIv[i]! && q.midIv[i]! <= q.askIv[i]!, `${e.key} K ${q.K[i]}`);
        if (q.fit[i]) assert.equal(q.right[i], q.K[i] >= e.forward ? 'C' : 'P');
      }
    }
    // The 1-year ATM vol lies between sqrt(v0) and sqrt(theta) (mean reversion from v0 = 0.02 to 0.04, lowered by the skew).
    const long = f.expiries.at(-1)!;
    assert.ok(long.atmIv > Math.sqrt(0.02) && long.atmIv < Math.sqrt(0.04), `atm ${long.atmIv}`);
  });

  test('SSVI, arbitrage report and grid', () => {
    assert.ok(f.ssvi, f.ssviError);
    const th = f.ssvi.thetas.map((t) => t.theta);
    for (let j = 1; j < th.length; j++) assert.ok(th[j] >= th[j - 1], 'theta non-decreasing');
    assert.ok(f.ssvi.rho < -0.3 && f.ssvi.rmseIv < 0.01, JSON.stringify(f.ssvi));
    assert.ok(f.arbitrage?.ok, JSON.stringify(f.arbitrage?.flags.slice(0, 3)));
    assert.equal(f.grid.iv.length, f.grid.T.length);
    for (const row of f.grid.iv) assert.equal(row.length, f.grid.k.length);
    assert.ok(f.grid.T[0] >= f.expiries[0].T && f.grid.T.at(-1)! <= f.expiries.at(-1)!.T);
    // Negative skew: the grid's vol falls with k at every maturity, on the put side.
    for (const row of f.grid.iv) assert.ok(row[0]! > row[10]!, JSON.stringify(row));
  });

  test('quotes rounded to 0.05 still give F within 1e-5 and D within 1e-4', () => {
    const r = hestonChain({ ...spec, tick: 0.05 });
    const g = fitChain({ underlying: 'SPX', ts, spot: spec.S, quotes: r.quotes });
    for (const e of g.expiries) {
      const t = r.truth.find((x) => x.key === e.key)!;
      assert.ok(Math.abs(e.forward / t.F - 1) < 1e-5 && Math.abs(e.discount - t.D) < 1e-4, `${e.key} F ${e.forward}/${t.F} D ${e.discount}/${t.D}`);
      assert.ok(e.rmseIv < 0.002, `${e.key} ${e.rmseIv}`);
    }
  });

  test('every other surface method gives a grid and a report; bad method and bad spot are named', () => {
    for (const method of ['ssvi', 'grid', 'kernel'] as const) {
      const g = fitChain({ underlying: 'SPX', ts, spot: spec.S, quotes }, { method });
      assert.equal(g.method, method);
      assert.ok(g.arbitrage && g.grid.iv.length > 0, `${method}: ${g.error}`);
    }
    assert.throws(() => fitChain({ underlying: 'SPX', ts, spot: spec.S, quotes }, { method: 'spline' as never }), /surface method must be one of/);
    assert.throws(() => fitChain({ underlying: 'SPX', ts, spot: -1, quotes }), /spot must be a finite price > 0/);
  });
});

describe('fitChain edge cases', () => {
  test('an expiry with too few two-sided quotes is skipped with the reason', () => {
    const { quotes } = hestonChain({ ...spec, expiries: spec.expiries.slice(0, 2), strikes: 30 });
    const thin = quotes.filter((q) => q.expiry !== '2024-01-12' || Math.abs(q.strike - 4700) < 40);
    const f = fitChain({ underlying: 'SPX', ts, spot: null, quotes: thin });
    assert.deepEqual(f.expiries.map((e) => e.key), ['SPXW:2024-02-02']);
    assert.equal(f.skipped.length, 1);
    assert.equal(f.skipped[0].key, 'SPXW:2024-01-12');
    assert.match(f.skipped[0].reason, /too few (out-of-the-money )?two-sided quotes.*: \d+ \(need 8\)/);
    assert.equal(f.expiries[0].q, null, 'no spot, no dividend yield');
  });

  test('an expired expiry is left out; no quotes give an empty surface', () => {
    const { quotes } = hestonChain({ ...spec, expiries: spec.expiries.slice(0, 2), strikes: 30 });
    const later = zonedToEpochMicros('2024-01-12', '16:30', NEW_YORK);
    const f = fitChain({ underlying: 'SPX', ts: later, spot: null, quotes: quotes.map((q) => ({ ...q, ts: later })) });
    assert.deepEqual(f.expiries.map((e) => e.key), ['SPXW:2024-02-02']);
    const e = fitChain({ underlying: 'SPX', ts, spot: 4700, quotes: [] });
    assert.deepEqual([e.expiries.length, e.ssvi, e.arbitrage, e.grid.iv.length], [0, null, null, 0]);
  });

  test('property: the order of the quotes does not change the fit (the latest quote per contract wins)', () => {
    const { quotes } = hestonChain({ ...spec, expiries: spec.expiries.slice(1, 3), strikes: 24 });
    const base = strip(fitChain({ underlying: 'SPX', ts, spot: 4700, quotes }, { ssvi: false }).expiries);
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: quotes.length, maxLength: quotes.length }), (keys) => {
        const shuffled = quotes.map((q, i) => [keys[i], q] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
        assert.deepEqual(strip(fitChain({ underlying: 'SPX', ts, spot: 4700, quotes: shuffled }, { ssvi: false }).expiries), base);
      }),
      { numRuns: 5, seed: 7 },
    );
  });
});

function strip(e: ExpiryFit[]) {
  return e.map((x) => [x.key, x.forward, x.discount, x.svi, x.rmseIv]);
}
