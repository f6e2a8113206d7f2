import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bsGreeks } from '../quant/black-scholes.ts';
import { hestonPrices } from '../quant/heston.ts';
import type { HestonParams } from '../quant/heston-cf.ts';
import { hnDefaultH0 } from '../quant/hn-price.ts';
import type { HnParams } from '../quant/hn-params.ts';
import type { Instrument } from '../positions/schema.ts';
import type { HedgeContext, HedgeMethod, HedgeRatio } from './method.ts';
import { bsMethod, classicalMethods, hestonMethods, hnMethod } from './ratios.ts';

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} +- ${tol}`);
}

interface Market {
  S: number;
  T: number;
  r: number;
  q: number;
  iv?: number;
  heston?: HestonParams;
  hn?: { params: HnParams; h: number };
}

function ctx(ins: Instrument, m: Market): HedgeContext {
  return {
    position: { id: 'p', instrument: ins, quantity: 1 },
    ts: 0, spot: m.S, T: m.T, r: m.r, q: m.q,
    surface: m.iv === undefined ? null : { iv: m.iv, forward: m.S * Math.exp((m.r - m.q) * m.T), discount: Math.exp(-m.r * m.T), r: m.r, q: m.q, ts: 0 },
    heston: m.heston ? { params: m.heston, ts: 0 } : null,
    variance: m.hn ? { hn: m.hn.h, gru: m.hn.h, garch: m.hn.h, hnParams: m.hn.params, ts: 0 } : null,
    memory: {},
  } as HedgeContext;
}
const opt = (strike: number, right: 'C' | 'P'): Instrument => ({ kind: 'option', underlying: 'SPX', strike, expiry: '2030-01-18', right });

const [heston, hestonMv] = hestonMethods();
const bs = bsMethod();
const hn = hnMethod();
// The direct pricers, for the reference values (the default interpolates curves to 2e-5, tested below).
const [hestonExact, hestonMvExact] = hestonMethods({ exact: true });
const hnExact = hnMethod({ exact: true });
// The R fOptions HestonNandiOptions help-page example (as in src/quant/hn-price.test.ts), daily.
const FOPTIONS: HnParams = { lambda: -0.5, omega: 2.3e-6, alpha: 2.9e-6, beta: 0.85, gamma: 184.25 };
const SPXLIKE: HestonParams = { v0: 0.04, kappa: 2, theta: 0.05, sigma: 0.5, rho: -0.7 };

describe('classical hedge ratios: published reference values', () => {
  test('bs: Haug pag 11-16 deltas (QuantLib europeanoption.cpp testGreekValues, tol 1e-4)', () => {
    // S = 105, K = 100, q = 0.1, r = 0.1, T = 0.5, vol = 0.36: call 0.5946, put -0.3566
    const m = { S: 105, T: 0.5, r: 0.1, q: 0.1, iv: 0.36 };
    near(bs.ratio(ctx(opt(100, 'C'), m))!.delta, 0.5946, 1e-4, 'call delta');
    near(bs.ratio(ctx(opt(100, 'P'), m))!.delta, -0.3566, 1e-4, 'put delta');
  });

  test('hn: R fOptions HNGGreeks example, S = X = 100, 252 days, r = 0.05 (delta call 0.6739534, put -0.3260466, tol 5e-8)', () => {
    // finoptions-dev pytest/test_heston_options.py, checked there against R; h0 = fOptions' default.
    const m = { S: 100, T: 1, r: 0.05, q: 0, hn: { params: FOPTIONS, h: hnDefaultH0(FOPTIONS) } };
    near(hnExact.ratio(ctx(opt(100, 'C'), m))!.delta, 0.6739534, 5e-8, 'call delta');
    near(hnExact.ratio(ctx(opt(100, 'P'), m))!.delta, -0.3260466, 5e-8, 'put delta');
    near(hnExact.ratio(ctx(opt(100, 'C'), m))!.gamma!, 0.02211149, 5e-9, 'gamma');
    // The interpolated curves, at their own tolerance.
    near(hn.ratio(ctx(opt(100, 'C'), m))!.delta, 0.6739534, 2e-5, 'call delta (curve)');
  });

  test('heston: sigma -> 0 is Black-Scholes at sqrt(v0) (QuantLib hestonmodel.cpp testAnalyticVsBlack set-up, put S = 32, K = 30, T = 0.5)', () => {
    // r = 0.1, q = 0.04, v0 = theta = 0.05, kappa = 5, rho = 0, sigma = 1e-4: QuantLib checks prices to 2e-7.
    const m = { S: 32, T: 0.5, r: 0.1, q: 0.04, heston: { v0: 0.05, kappa: 5, theta: 0.05, sigma: 1e-4, rho: 0 } };
    const want = bsGreeks(32, 30, 0.5, 0.1, 0.04, Math.sqrt(0.05), 'P').delta;
    near(hestonExact.ratio(ctx(opt(30, 'P'), m))!.delta, want, 1e-7, 'heston delta');
    near(hestonMvExact.ratio(ctx(opt(30, 'P'), m))!.delta, want, 1e-7, 'mv delta');
    near(heston.ratio(ctx(opt(30, 'P'), m))!.delta, want, 2e-5, 'heston delta (curve)');
  });

  test('heston: delta is the central difference of the Wilmott-forum prices (QuantLib testAnalyticVsCached, prices good to 1e-6)', () => {
    // T = 0.7, r = 0.05, q = 0.02, v0 = 0.09, kappa = 1.2, theta = 0.08, sigma = 1.8, rho = -0.45, calls K = 0.9, 1, 1.1
    const p = { v0: 0.09, kappa: 1.2, theta: 0.08, sigma: 1.8, rho: -0.45 };
    const S = Math.exp(-0.7 * 0.03);
    const h = 1e-4;
    for (const K of [0.9, 1, 1.1]) {
      const fd = (hestonPrices(p, S + h, 0.7, 0.05, 0.02, [K], true, undefined, { relTol: 1e-14 })[0] - hestonPrices(p, S - h, 0.7, 0.05, 0.02, [K], true, undefined, { relTol: 1e-14 })[0]) / (2 * h);
      near(hestonExact.ratio(ctx(opt(K, 'C'), { S, T: 0.7, r: 0.05, q: 0.02, heston: p }))!.delta, fd, 1e-6, `K=${K}`);
      near(heston.ratio(ctx(opt(K, 'C'), { S, T: 0.7, r: 0.05, q: 0.02, heston: p }))!.delta, fd, 2e-5, `K=${K} (curve)`);
    }
  });
});

const marketArb = fc.record({
  S: fc.double({ min: 3000, max: 6000, noNaN: true }),
  T: fc.double({ min: 0.02, max: 2, noNaN: true }),
  r: fc.double({ min: 0, max: 0.06, noNaN: true }),
  q: fc.double({ min: 0, max: 0.03, noNaN: true }),
  iv: fc.double({ min: 0.08, max: 0.6, noNaN: true }),
  m: fc.double({ min: -0.3, max: 0.2, noNaN: true }),
  heston: fc.record({
    v0: fc.double({ min: 0.01, max: 0.1, noNaN: true }),
    kappa: fc.double({ min: 0.5, max: 5, noNaN: true }),
    theta: fc.double({ min: 0.01, max: 0.1, noNaN: true }),
    sigma: fc.double({ min: 0.1, max: 1, noNaN: true }),
    rho: fc.double({ min: -0.9, max: 0, noNaN: true }),
  }),
});

describe('classical hedge ratios: properties', () => {
  test('put-call parity of deltas: call - put = e^{-qT} for every method', () => {
    fc.assert(
      fc.property(marketArb, ({ m: mny, ...m }) => {
        const K = Math.round(m.S * Math.exp(mny));
        const full = { ...m, hn: { params: FOPTIONS, h: 1e-4 } };
        for (const method of classicalMethods()) {
          const c = method.ratio(ctx(opt(K, 'C'), full))!.delta;
          const p = method.ratio(ctx(opt(K, 'P'), full))!.delta;
          // hn discounts q over whole days: q T / days x days = q T exactly.
          near(c - p, Math.exp(-m.q * m.T), 1e-7, `${method.name} K=${K}`);
        }
      }),
      { numRuns: 25 },
    );
  });

  test('minimum-variance delta = Heston delta when rho = 0, and below it for calls when rho < 0', () => {
    fc.assert(
      fc.property(marketArb, ({ m: mny, ...m }) => {
        const K = m.S * Math.exp(mny * Math.sqrt(m.T));
        const zero = { ...m, heston: { ...m.heston, rho: 0 } };
        assert.equal(hestonMv.ratio(ctx(opt(K, 'C'), zero))!.delta, heston.ratio(ctx(opt(K, 'C'), zero))!.delta);
        // dC/dv0 > 0, so rho sigma / S dC/dv0 < 0 when rho < 0.
        const neg = { ...m, heston: { ...m.heston, rho: Math.min(m.heston.rho, -0.1) } };
        assert.ok(hestonMv.ratio(ctx(opt(K, 'C'), neg))!.delta < heston.ratio(ctx(opt(K, 'C'), neg))!.delta);
      }),
      { numRuns: 25 },
    );
  });

  test('limits: deep in the money call delta -> e^{-qT}, far out of the money -> 0, for every method', () => {
    const m = { S: 4800, T: 0.25, r: 0.03, q: 0.015, iv: 0.2, heston: SPXLIKE, hn: { params: FOPTIONS, h: 1e-4 } };
    for (const method of classicalMethods()) {
      near(method.ratio(ctx(opt(1000, 'C'), m))!.delta, Math.exp(-m.q * m.T), 1e-6, `${method.name} deep ITM call`);
      near(method.ratio(ctx(opt(20000, 'C'), m))!.delta, 0, 1e-6, `${method.name} far OTM call`);
      near(method.ratio(ctx(opt(20000, 'P'), m))!.delta, -Math.exp(-m.q * m.T), 1e-6, `${method.name} deep ITM put`);
    }
  });

  test('calls: delta in (0, e^{-qT}) and increasing in the spot (bs, heston, hn)', () => {
    const base = { T: 0.25, r: 0.03, q: 0.015, iv: 0.2, heston: SPXLIKE, hn: { params: FOPTIONS, h: 1e-4 } };
    for (const method of [bs, heston, hn]) {
      let prev = 0;
      for (const S of [4400, 4600, 4800, 5000, 5200]) {
        const d = method.ratio(ctx(opt(4800, 'C'), { ...base, S }))!.delta;
        assert.ok(d > prev && d < Math.exp(-base.q * base.T), `${method.name} S=${S}: ${d} after ${prev}`);
        prev = d;
      }
    }
  });

  test('the moneyness curves agree with the direct pricers to 2e-5 in delta (Heston, minimum-variance, HN-GARCH)', () => {
    const hnSets: HnParams[] = [FOPTIONS, { omega: 8.2e-15, alpha: 4.27e-6, beta: 0.858, gamma: 155.9, lambda: 2.55 }];
    fc.assert(
      fc.property(marketArb, fc.constantFrom(...hnSets), fc.double({ min: 3e-5, max: 3e-4, noNaN: true }), fc.boolean(), ({ m: mny, ...m }, hp, h, call) => {
        const K = m.S * Math.exp(mny * Math.sqrt(m.T));
        const c = ctx(opt(K, call ? 'C' : 'P'), { ...m, hn: { params: hp, h } });
        const pairs: Array<[string, HedgeRatio | null, HedgeRatio | null]> = [
          ['heston', heston.ratio(c), hestonExact.ratio(c)],
          ['heston-mv', hestonMv.ratio(c), hestonMvExact.ratio(c)],
          ['hn', hn.ratio(c), hnExact.ratio(c)],
        ];
        for (const [name, a, b] of pairs) {
          near(a!.delta, b!.delta, 2e-5, `${name} delta K=${K} T=${m.T}`);
          near(a!.price!, b!.price!, 5e-6 * m.S, `${name} price`);
          // gamma per unit relative move (S gamma), to 0.1% of itself (reported, not hedged on).
          near(a!.gamma! * m.S, b!.gamma! * m.S, 1e-3 * Math.abs(b!.gamma! * m.S) + 1e-6, `${name} S gamma`);
        }
      }),
      { numRuns: 40 },
    );
  });

  test('a new model state is built in steps under a work budget; older curves stand in meanwhile, say so, and the result equals a build at once', () => {
    const Ts = [0.02, 0.05, 0.1, 0.2, 0.4, 0.8];
    const at = (heston: HestonParams, hnH: number, ts: number) =>
      Ts.map((T) => ({ ...ctx(opt(4800, 'C'), { S: 4800, T, r: 0.03, q: 0.01, heston, hn: { params: FOPTIONS, h: hnH } }), heston: { params: heston, ts }, variance: { hn: hnH, gru: hnH, garch: hnH, hnParams: FOPTIONS, ts } }));
    const make = (work: number) => {
      const [h1, mv1] = hestonMethods({ rebuildWork: work });
      const hn1 = hnMethod({ rebuildWork: work });
      return (cs: HedgeContext[]) => [h1.ratios!(cs), mv1.ratios!(cs), hn1.ratios!(cs)];
    };
    const lagging = (rs: Array<Array<HedgeRatio | null>>) => rs.some((list) => list.some((r) => r!.stateTs !== undefined));
    const next = { ...SPXLIKE, v0: 0.06 };
    /** Rounds until the second state is fully built, and each round's ratios. */
    const converge = (work: number) => {
      const round = make(work);
      // The first state has nothing to stand in for it: every curve is built at once.
      const first = round(at(SPXLIKE, 1e-4, 1));
      assert.ok(!lagging(first));
      const seen = [];
      for (let i = 0; i < 2000; i++) {
        const r = round(at(next, 2e-4, 2));
        seen.push(r);
        if (!lagging(r)) break;
      }
      return { first, seen };
    };
    const small = converge(20_000);
    // Far less than one curve's work per round: the first round of the new state is all stand-ins, with the old values.
    const r0 = small.seen[0];
    for (let m = 0; m < 3; m++) {
      assert.deepEqual(r0[m].map((r) => r!.stateTs), [1, 1, 1, 1, 1, 1]);
      r0[m].forEach((r, i) => assert.equal(r!.delta, small.first[m][i]!.delta, 'a stand-in is the older state value'));
    }
    const big = converge(400_000);
    assert.ok(small.seen.length > big.seen.length && big.seen.length > 1, `rounds: ${small.seen.length} with the small budget, ${big.seen.length} with the large one`);
    // Built in steps or at once, the curves are the same: equal to a fresh method's to the last bit, and within 2e-5 of the direct pricer.
    const fresh = make(1e12)(at(next, 2e-4, 2));
    const last = small.seen[small.seen.length - 1];
    for (let m = 0; m < 3; m++) last[m].forEach((r, i) => assert.equal(r!.delta, fresh[m][i]!.delta, `method ${m} T=${Ts[i]}`));
    at(next, 2e-4, 2).forEach((c, i) => near(last[0][i]!.delta, hestonExact.ratio(c)!.delta, 2e-5, `converged T=${Ts[i]}`));
    // The same inputs give the same rounds.
    const again = converge(20_000);
    assert.deepEqual(again.seen.map((r) => r.map((l) => l.map((x) => [x!.delta, x!.stateTs ?? null]))), small.seen.map((r) => r.map((l) => l.map((x) => [x!.delta, x!.stateTs ?? null]))));
    assert.throws(() => hestonMethods({ rebuildWork: 0 }), /budget must be > 0/);
  });

  test('classicalMethods shares one budget between the Heston and HN curves: a round builds within it whichever model needs it', () => {
    const Ts = [0.02, 0.05, 0.1, 0.2, 0.4, 0.8];
    const at = (heston: HestonParams, hnH: number, ts: number) =>
      Ts.map((T) => ({ ...ctx(opt(4800, 'C'), { S: 4800, T, r: 0.03, q: 0.01, heston, hn: { params: FOPTIONS, h: hnH } }), heston: { params: heston, ts }, variance: { hn: hnH, gru: hnH, garch: hnH, hnParams: FOPTIONS, ts } }));
    /** Rounds until no ratio of `methods` stands in, after a new state of both models. */
    const rounds = (methods: HedgeMethod[]) => {
      const round = (cs: HedgeContext[]) => methods.map((m) => m.ratios!(cs));
      round(at(SPXLIKE, 1e-4, 1));
      for (let i = 1; i < 2000; i++) if (!round(at({ ...SPXLIKE, v0: 0.06 }, 2e-4, 2)).some((l) => l.some((r) => r?.stateTs !== undefined))) return i;
      return Infinity;
    };
    const work = 30_000;
    const shared = rounds(classicalMethods({ rebuildWork: work }).filter((m) => m.name !== 'bs'));
    const heston = rounds(hestonMethods({ rebuildWork: work }));
    const hnOnly = rounds([hnMethod({ rebuildWork: work })]);
    assert.ok(shared >= heston + hnOnly - 1, `shared ${shared} rounds, separately ${heston} (Heston) and ${hnOnly} (HN)`);
  });

  test('a third state arriving mid-build keeps, per maturity, the newest finished curve standing in', () => {
    const Ts = [0.02, 0.05, 0.1, 0.2, 0.4, 0.8];
    const [h1] = hestonMethods({ rebuildWork: 150_000 });
    const at = (heston: HestonParams, ts: number) => Ts.map((T) => ({ ...ctx(opt(4800, 'C'), { S: 4800, T, r: 0.03, q: 0.01, heston }), heston: { params: heston, ts } }));
    h1.ratios!(at(SPXLIKE, 1));
    const second = { ...SPXLIKE, v0: 0.06 };
    let r = h1.ratios!(at(second, 2));
    for (let i = 0; i < 200 && r.every((x) => x!.stateTs !== undefined); i++) r = h1.ratios!(at(second, 2));
    // Some maturities now have the second state's curves, others still the first's.
    assert.ok(r.some((x) => x!.stateTs === undefined) && r.some((x) => x!.stateTs === 1), JSON.stringify(r.map((x) => x!.stateTs)));
    const done = r.map((x) => x!.stateTs === undefined);
    // Longest maturities first, so the budget runs out before the ones the second state finished.
    const third = h1.ratios!(at({ ...SPXLIKE, v0: 0.08 }, 3).reverse()).reverse();
    // Built now for the third state (undefined), or standing in: the second state's curve where it was finished, else the first's.
    third.forEach((x, i) => assert.ok(x!.stateTs === undefined || x!.stateTs === (done[i] ? 2 : 1), `T=${Ts[i]}: ${x!.stateTs}, done ${done[i]}`));
    const ts = new Set(third.map((x) => x!.stateTs));
    assert.ok(ts.has(2) && ts.has(1), `both older states stand in: ${[...ts].join(', ')}`);
  });

  test('a model state the pricer rejects fails every position the same way, naming the input, round after round', () => {
    const [h1] = hestonMethods();
    const bad = { ...SPXLIKE, theta: -0.05 };
    const cs = [0.1, 0.3].map((T) => ({ ...ctx(opt(4800, 'C'), { S: 4800, T, r: 0.03, q: 0.01, heston: bad }) }));
    for (let i = 0; i < 2; i++) assert.throws(() => h1.ratios!(cs), /theta/);
    assert.throws(() => h1.ratio(cs[0]), /theta/);
  });

  test('batch form equals the single form (one CF pass per maturity for many strikes)', () => {
    const m = { S: 4800, T: 0.3, r: 0.03, q: 0.015, iv: 0.2, heston: SPXLIKE, hn: { params: FOPTIONS, h: 1.2e-4 } };
    const ctxs = [4500, 4700, 4800, 4900, 5100].flatMap((K) => [ctx(opt(K, 'C'), m), ctx(opt(K, 'P'), { ...m, T: 0.6 })]);
    ctxs.push(ctx({ kind: 'future', underlying: 'VIX', expiry: '2030-01-15' }, m));
    for (const method of [...classicalMethods(), ...classicalMethods({ exact: true })]) {
      const batch = method.ratios ? method.ratios(ctxs) : ctxs.map((c) => method.ratio(c));
      ctxs.forEach((c, i) => {
        const one = method.ratio({ ...c });
        if (one === null) assert.equal(batch[i], null, `${method.name} ${i}`);
        else near(batch[i]!.delta, one.delta, 1e-12, `${method.name} ${i}`);
      });
    }
  });

  test('futures: SPX future delta e^{(r-q)T} by every method; VIX future only through the minimum-variance delta', () => {
    const m = { S: 4800, T: 0.5, r: 0.03, q: 0.01, iv: 0.2, heston: SPXLIKE, hn: { params: FOPTIONS, h: 1e-4 } };
    for (const method of classicalMethods()) {
      near(method.ratio(ctx({ kind: 'future', underlying: 'SPX', root: 'ES', expiry: '2030-03-15' }, m))!.delta, Math.exp(0.02 * 0.5), 1e-14, method.name);
    }
    const vx: Instrument = { kind: 'future', underlying: 'VIX', root: 'VX', expiry: '2030-01-15' };
    assert.equal(bs.ratio(ctx(vx, m)), null);
    assert.equal(hn.ratio(ctx(vx, m)), null);
    assert.equal(heston.ratio(ctx(vx, m))!.delta, 0);
    // rho < 0: the VIX future rises when SPX falls.
    assert.ok(hestonMv.ratio(ctx(vx, m))!.delta < 0);
    assert.equal(hestonMv.ratio(ctx(vx, { ...m, heston: { ...SPXLIKE, rho: 0 } }))!.delta, 0);
  });

  test('no input, no ratio; expired, no ratio', () => {
    const m = { S: 4800, T: 0.5, r: 0.03, q: 0.01 };
    for (const method of classicalMethods()) assert.equal(method.ratio(ctx(opt(4800, 'C'), m)), null, method.name);
    const full = { ...m, T: 0, iv: 0.2, heston: SPXLIKE, hn: { params: FOPTIONS, h: 1e-4 } };
    for (const method of classicalMethods()) assert.equal(method.ratio(ctx(opt(4800, 'C'), full)), null, method.name);
  });
});
