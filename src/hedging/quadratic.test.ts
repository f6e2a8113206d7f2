import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bsGreeks } from '../quant/black-scholes.ts';
import type { HestonParams } from '../quant/heston-cf.ts';
import { simulateHedgePaths } from '../quant/hedge-lsmc-paths.ts';
import { fitQuadraticHedge } from '../quant/hedge-lsmc.ts';
import { MULTI_BASIS } from '../quant/hedge-lsmc-multi.ts';
import type { Instrument } from '../positions/schema.ts';
import { hestonCurveSteps } from '../quant/heston-greeks.ts';
import type { HedgeContext, HedgeMethod } from './method.ts';
import { hestonMethods } from './ratios.ts';
import { RebuildBudget } from './curve-cache.ts';
import { buildQuadraticCurve, curveMoneyness, hedgeDates, quadraticCurveSteps, type QuadraticCurve } from './quadratic-curve.ts';
import { DEFAULT_QUADRATIC_SETTINGS as D, LN_T_STEP, quadraticMethods } from './quadratic.ts';

interface Market {
  S: number;
  T: number;
  r: number;
  q: number;
  heston: HestonParams | null;
  hestonTs?: number;
}

function ctx(ins: Instrument, m: Market): HedgeContext {
  return {
    position: { id: 'p', instrument: ins, quantity: 1 },
    ts: 10, spot: m.S, T: m.T, r: m.r, q: m.q, surface: null,
    heston: m.heston ? { params: m.heston, ts: m.hestonTs ?? 0 } : null,
    variance: null, memory: {},
  } as HedgeContext;
}
const opt = (strike: number, right: 'C' | 'P'): Instrument => ({ kind: 'option', underlying: 'SPX', strike, expiry: '2030-01-18', right });

/** SPX-like, skewed, Feller violated (2 kappa theta / sigma^2 = 0.56). */
const SKEWED: HestonParams = { v0: 0.0225, kappa: 2.5, theta: 0.04, sigma: 0.6, rho: -0.75 };

describe('live quadratic hedge methods (lrm, mvh)', () => {
  test('the live ratio is the LSMC fit on the node\'s paths: at a grid strike to rounding, at the position\'s own strike within the interpolation tolerance', () => {
    const [lrm, mvh] = quadraticMethods();
    // a maturity exactly on a node, so no blending between two nodes
    const T = Math.exp(-40 * LN_T_STEP);
    const m = { S: 4800, T, r: 0.05, q: 0.015, heston: SKEWED };
    const F = m.S * Math.exp((m.r - m.q) * T), dq = Math.exp(-m.q * T);
    const paths = simulateHedgePaths({
      params: SKEWED, market: { S0: 1, r: 0, q: 0, T, steps: hedgeDates(T, D.maxDates) }, premium: { kind: 'variance', lambdaS: D.lambdaS },
      paths: D.paths, seed: D.seed, antithetic: true,
    });
    // the unit problem at strike K / F, times e^{-qT} (homogeneity; quadratic-curve.ts)
    const direct = (K: number, call: boolean, method: 'LRM' | 'MVH') => dq * fitQuadraticHedge(paths, { K: K / F, call }, SKEWED, method, { basis: MULTI_BASIS }).ratio0;
    const y = curveMoneyness(SKEWED, T, D.grid);
    for (const j of [3, 5, 7]) {
      const K = F * Math.exp(-y[j]);
      assert.ok(Math.abs(lrm.ratio(ctx(opt(K, 'C'), m))!.delta - direct(K, true, 'LRM')) < 1e-9, `grid strike ${K}: LRM`);
      assert.ok(Math.abs(mvh.ratio(ctx(opt(K, 'C'), m))!.delta - direct(K, true, 'MVH')) < 1e-9, `grid strike ${K}: MVH`);
    }
    // Off the grid: probit interpolation between strikes half a standard deviation apart, measured
    // at most 0.006 from the direct fit within +-3 sd on these paths; puts by parity (a direct put
    // fit differs by about 1e-5 more, hedge-lsmc-multi.test.ts).
    for (const K of [4600, 4790, 4850, 4925, 5000]) {
      for (const [method, name] of [[lrm, 'LRM'], [mvh, 'MVH']] as const) {
        const call = method.ratio(ctx(opt(K, 'C'), m))!.delta;
        const put = method.ratio(ctx(opt(K, 'P'), m))!.delta;
        assert.ok(Math.abs(call - direct(K, true, name)) < 0.01, `${name} call ${K}: live ${call} vs direct ${direct(K, true, name)}`);
        assert.ok(Math.abs(put - direct(K, false, name)) < 0.01, `${name} put ${K}: live ${put} vs direct ${direct(K, false, name)}`);
        // put-call parity of the live ratios, exactly
        assert.ok(Math.abs(call - put - dq) < 1e-12, `${name} ${K}: call ${call} - put ${put} vs ${dq}`);
      }
    }
  });

  test('Black-Scholes limit (vol of vol 0, 32 dates): LRM and MVH approach the Black-Scholes delta', () => {
    // Complete market: both quadratic hedges are the replicating delta (Schweizer 1995; Heath,
    // Platen and Schweizer, Math. Finance 11(4), 2001), up to the O(dt) gap of discrete rebalancing.
    // Tolerance 0.02: the Monte Carlo error of 4096 paths here (measured rms 0.005 over seeds) x 3,
    // plus that gap.
    const [lrm, mvh] = quadraticMethods({ paths: 4096, maxDates: 32 });
    const heston = { v0: 0.04, kappa: 1, theta: 0.04, sigma: 0, rho: 0 };
    const m = { S: 100, T: 0.25, r: 0.03, q: 0.01, heston };
    for (const K of [90, 95, 100, 105, 110]) {
      for (const right of ['C', 'P'] as const) {
        const d = bsGreeks(100, K, 0.25, 0.03, 0.01, 0.2, right).delta;
        const a = lrm.ratio(ctx(opt(K, right), m))!.delta, b = mvh.ratio(ctx(opt(K, right), m))!.delta;
        assert.ok(Math.abs(a - d) < 0.02 && Math.abs(b - d) < 0.02, `${right} ${K}: LRM ${a}, MVH ${b}, BS delta ${d}`);
      }
    }
  });

  test('Heston with P = Q (no premium): LRM and MVH approach the minimum-variance delta heston-mv, not the plain delta', () => {
    // Continuous-time LRM under Heston: dC/dS + (rho sigma / S) dC/dv under the minimal martingale
    // measure, which is Q when P = Q; with a martingale price MVH = LRM (Schweizer 1995). Tolerance
    // 0.03: the Monte Carlo error of 4096 paths (measured rms 0.013 at 2048 over seeds, ATM) x 3
    // plus the O(dt) gap of 16 dates; the plain delta is 0.12 to 0.19 away here.
    const [lrm, mvh] = quadraticMethods({ paths: 4096, maxDates: 16, lambdaS: 0 });
    const [heston, hestonMv] = hestonMethods({ exact: true });
    const m = { S: 100, T: 0.15, r: 0.02, q: 0.01, heston: SKEWED };
    for (const K of [95, 100, 105]) {
      const c = ctx(opt(K, 'C'), m);
      const mv = hestonMv.ratio(c)!.delta, d = heston.ratio(c)!.delta;
      assert.ok(Math.abs(d - mv) > 0.1, `plain delta ${d} vs mv ${mv}`);
      const a = lrm.ratio(c)!.delta, b = mvh.ratio(c)!.delta;
      assert.ok(Math.abs(a - mv) < 0.03, `LRM ${K}: ${a} vs heston-mv ${mv} (heston ${d})`);
      assert.ok(Math.abs(b - mv) < 0.03, `MVH ${K}: ${b} vs heston-mv ${mv} (heston ${d})`);
    }
  });

  test('deterministic: fresh instances give the same ratios', () => {
    const m = { S: 4800, T: 0.1, r: 0.04, q: 0.015, heston: SKEWED };
    const run = () => {
      const [lrm, mvh] = quadraticMethods();
      const ctxs = [4600, 4800, 5000].map((K) => ctx(opt(K, 'P'), m));
      return [lrm.ratios!(ctxs), mvh.ratios!(ctxs), ctxs.map((c) => lrm.ratio(c))];
    };
    const a = run();
    assert.deepEqual(run(), a);
    assert.deepEqual(a[0], a[2]);
  });

  test('a new calibration is built in steps within the per-round work budget, the old curves standing in with their event time, and ends equal to a build at once', () => {
    // 300k units a round: a node (about 1.0M units at 8 dates) takes some 4 rounds.
    const [lrm] = quadraticMethods({ rebuildWork: 300_000 });
    const at = (p: HestonParams, ts: number) => [0.05, 0.3].map((T) => ctx(opt(4800, 'C'), { S: 4800, T, r: 0.04, q: 0.01, heston: p, hestonTs: ts }));
    // the first calibration has nothing to stand in: everything is built
    const first = lrm.ratios!(at(SKEWED, 1));
    assert.ok(first.every((r) => r !== null && r.stateTs === undefined));
    const next = { ...SKEWED, v0: 0.03 };
    const r2 = lrm.ratios!(at(next, 2));
    assert.deepEqual(r2.map((r) => r!.stateTs), [1, 1], 'less than a node per round: all stand-ins');
    r2.forEach((r, i) => assert.equal(r!.delta, first[i]!.delta, 'a stand-in is the older calibration\'s value'));
    let r = r2;
    let rounds = 1;
    for (; rounds < 100 && r.some((x) => x!.stateTs !== undefined); rounds++) r = lrm.ratios!(at(next, 2));
    // 4 nodes of about 1.0M units each at 300k a round
    assert.ok(rounds >= 12 && rounds <= 20, `rebuilt in ${rounds} rounds`);
    assert.deepEqual(r, quadraticMethods()[0].ratios!(at(next, 2)), 'stepwise over rounds = at once, to the last bit');
  });

  test('calibrations faster than the rebuilds: per node the newest finished curve stands in, and nodes are refreshed oldest first', () => {
    const [lrm] = quadraticMethods({ rebuildWork: 400_000 });
    const at = (p: HestonParams, ts: number) => [0.05, 0.3].map((T) => ctx(opt(4800, 'C'), { S: 4800, T, r: 0.04, q: 0.01, heston: p, hestonTs: ts }));
    lrm.ratios!(at(SKEWED, 1));
    // calibration 2 for a few rounds: the oldest-first order builds the first position's nodes (lowest nodes first on a tie)
    let r = lrm.ratios!(at({ ...SKEWED, v0: 0.03 }, 2));
    for (let i = 0; i < 30 && r[0]!.stateTs !== undefined; i++) r = lrm.ratios!(at({ ...SKEWED, v0: 0.03 }, 2));
    assert.deepEqual(r.map((x) => x!.stateTs), [undefined, 1]);
    // calibration 3 arrives: the second position's nodes, on calibration 1's curves, go first
    const c3 = { ...SKEWED, v0: 0.035 };
    r = lrm.ratios!(at(c3, 3));
    assert.deepEqual(r.map((x) => x!.stateTs), [2, 1]);
    for (let i = 0; i < 30 && r[1]!.stateTs !== undefined; i++) r = lrm.ratios!(at(c3, 3));
    assert.deepEqual(r.map((x) => x!.stateTs), [2, undefined], 'the older stand-ins were replaced first');
  });

  test('a curve built in steps interleaved with other builds equals one built at once, to the last bit; every step is small', () => {
    const other = { ...SKEWED, v0: 0.05, rho: -0.5 };
    const cases: Array<[HestonParams, number]> = [[SKEWED, 0.02], [other, 0.4], [SKEWED, 1 / 252]];
    const jobs = cases.map(([p, T]) => quadraticCurveSteps(p, T, D));
    const heston = hestonCurveSteps(other, 0.1, Float64Array.from([-0.1, 0, 0.1]));
    const results: Array<QuadraticCurve | undefined> = [];
    let maxStep = 0;
    // round-robin, one step each, with a Heston curve build in between
    for (let open = jobs.length; open > 0; ) {
      open = 0;
      jobs.forEach((j, i) => {
        if (results[i]) return;
        const s = j.next();
        if (s.done) results[i] = s.value;
        else {
          maxStep = Math.max(maxStep, s.value);
          open++;
        }
        heston.next();
      });
    }
    cases.forEach(([p, T], i) => {
      const once = buildQuadraticCurve(p, T, D);
      assert.deepEqual(results[i]!.lrm, once.lrm, `LRM T=${T}`);
      assert.deepEqual(results[i]!.mvh, once.mvh, `MVH T=${T}`);
    });
    // a round overshoots its budget (100k units) by at most one step: each under half of it
    assert.ok(maxStep > 0 && maxStep <= 60_000, `largest step ${maxStep} units`);
  });

  test('one budget shared with the classical curves: a round builds within it whichever model needs it', () => {
    const Ts = [0.05, 0.3];
    const at = (p: HestonParams, ts: number) => Ts.map((T) => ctx(opt(4800, 'C'), { S: 4800, T, r: 0.04, q: 0.01, heston: p, hestonTs: ts }));
    const rounds = (methods: HedgeMethod[]) => {
      const run = (cs: HedgeContext[]) => methods.map((m) => m.ratios!(cs));
      run(at(SKEWED, 1));
      for (let i = 1; i < 500; i++) if (!run(at({ ...SKEWED, v0: 0.03 }, 2)).some((l) => l.some((x) => x?.stateTs !== undefined))) return i;
      return Infinity;
    };
    const work = 200_000;
    const budget = new RebuildBudget(work);
    const shared = rounds([...hestonMethods({ budget }), ...quadraticMethods({ budget })]);
    // the same via a stage's hand-over (HedgeMethod.shareBudget)
    const handed = [...hestonMethods({ rebuildWork: 1e12 }), ...quadraticMethods({ rebuildWork: 1e12 })];
    const b2 = new RebuildBudget(work);
    for (const m of handed) m.shareBudget!(b2);
    const alone = rounds(quadraticMethods({ rebuildWork: work }));
    const hestonAlone = rounds(hestonMethods({ rebuildWork: work }));
    assert.ok(shared >= alone + hestonAlone - 1, `shared ${shared} rounds, separately ${alone} (quadratic) and ${hestonAlone} (Heston)`);
    assert.equal(rounds(handed), shared);
  });

  test('instruments: SPX futures e^{(r-q)T}, VIX futures none, options none before a calibration, nothing once expired', () => {
    const [lrm, mvh] = quadraticMethods();
    const m = { S: 4800, T: 0.2, r: 0.04, q: 0.015, heston: SKEWED };
    const es: Instrument = { kind: 'future', underlying: 'SPX', root: 'ES', expiry: '2030-03-15' } as Instrument;
    const vx: Instrument = { kind: 'future', underlying: 'VIX', root: 'VX', expiry: '2030-02-14' } as Instrument;
    assert.equal(lrm.ratio(ctx(es, m))!.delta, Math.exp((0.04 - 0.015) * 0.2));
    assert.equal(mvh.ratio(ctx(vx, m)), null);
    assert.equal(lrm.ratio(ctx(opt(4800, 'C'), { ...m, heston: null })), null);
    assert.equal(lrm.ratio(ctx(opt(4800, 'C'), { ...m, T: 0 })), null);
    assert.equal(lrm.ratio(ctx(es, { ...m, T: 0 })), null);
    const c = lrm.ratio(ctx(opt(4800, 'C'), m))!.delta;
    assert.ok(c > 0.2 && c < 0.8, `ATM call ${c}`);
  });

  test('bad options are named', () => {
    assert.throws(() => quadraticMethods({ paths: 1000 }), /paths must be a power of two/);
    assert.throws(() => quadraticMethods({ rebuildWork: 0 }), /budget must be > 0/);
    assert.throws(() => quadraticMethods({ grid: [1, 0] }), /grid/);
    assert.throws(() => quadraticMethods({ lambdaS: NaN }), /lambdaS/);
  });
});
