/**
 * The classical hedge methods, each a HedgeMethod (method.ts) over the quant core:
 * - `bs`: Black-Scholes delta at the live surface's implied vol of the contract
 *   (quant/black-scholes.ts), with its gamma, vega and theta.
 * - `heston`: Heston delta dC/dS at the live calibration (quant/heston-greeks.ts).
 * - `heston-mv`: the Heston minimum-variance delta dC/dS + (rho sigma / S) dC/dv0 (same pass).
 * - `hn`: Heston-Nandi GARCH delta (quant/hn-price.ts, the closed form's own delta integral) at
 *   the live HN variance h_{t+1} and the variance model's daily parameters (mapped to Q inside
 *   the pricer). Maturity in whole trading days: round(252 T), at least one day before expiry;
 *   daily rate and yield are r T / days and q T / days so the discounting matches the surface's.
 *
 * Futures: an SPX (ES-like) future F = S e^{(r-q)T} has delta e^{(r-q)T} under every model. A
 * VIX future does not move with S in Heston (delta 0); its minimum-variance delta is
 * (rho sigma / S) dF_VIX/dv0, with dF_VIX/dv0 by a central difference of quant/vix.ts's
 * vixFuture (step 1e-4 v0, well inside the quadrature's accuracy); `bs` and `hn` do not cover
 * VIX futures (null). Once expired (T <= 0) every method answers null; the stage targets no hedge.
 *
 * Speed: by default Heston and HN interpolate per-maturity curves in forward log-moneyness
 * (moneyness-curve.ts: exact homogeneity, 2e-5 in delta), rebuilt only when the calibration or
 * the variance state changes, or a maturity crosses a node (Heston: nodes 1% apart in ln T,
 * blended linearly; HN: whole days), so a tick costs an interpolation per position. A new state's
 * curves are built in steps, `rebuildWork` units per round (curve-cache.ts; the pricers' stepped
 * curve forms hestonCurveSteps and hnCurveSteps); older states' curves stand in meanwhile and the
 * ratio names their event time (`stateTs`). With
 * `{ exact: true }` they price directly, one Fourier pass per maturity for all its strikes.
 * `heston` and `heston-mv` share one computation (hestonMethods()).
 */
import { bsGreeksTo } from '../quant/black-scholes.ts';
import { hestonCurveSteps, hestonGreeks } from '../quant/heston-greeks.ts';
import type { HestonParams } from '../quant/heston-cf.ts';
import { hnExpectedTotalVariance, hnRiskNeutral, type HnParams } from '../quant/hn-params.ts';
import { hnCurveSteps, hnGreeks } from '../quant/hn-price.ts';
import { vixFuture } from '../quant/vix.ts';
import type { OptionInstrument } from '../positions/schema.ts';
import type { HedgeContext, HedgeMethod, HedgeRatio, HestonInput, VarianceInput } from './method.ts';
import { CurveCache, RebuildBudget } from './curve-cache.ts';
import { forwardMoneyness, greeksAt, MoneynessCurve, type CurveGreeks, type CurveGrid, type CurvePoint, type CurveSamples } from './moneyness-curve.ts';

/** Names of the classical methods. */
export const CLASSICAL = { bs: 'bs', heston: 'heston', hestonMv: 'heston-mv', hn: 'hn' } as const;
export const CLASSICAL_NAMES: readonly string[] = Object.values(CLASSICAL);

/** Delta of an SPX future per index point: F = S e^{(r-q)T}. */
function spxFuture(ctx: HedgeContext): HedgeRatio {
  const g = Math.exp((ctx.r - ctx.q) * ctx.T);
  return { delta: g, gamma: 0, vega: 0, theta: -(ctx.r - ctx.q) * ctx.spot * g, price: ctx.spot * g };
}

/** Shared preamble of methods that do not cover VIX futures: null when expired or a VIX future, the index future's answer, or undefined for an option. */
function common(ctx: HedgeContext): HedgeRatio | null | undefined {
  if (!(ctx.T > 0)) return null;
  const ins = ctx.position.instrument;
  if (ins.kind === 'future') return ins.underlying === 'SPX' ? spxFuture(ctx) : null;
  return undefined;
}

/** Black-Scholes delta at the live surface's implied vol of the contract. */
export function bsMethod(): HedgeMethod {
  const bsOut = new Float64Array(9);
  return {
    name: CLASSICAL.bs,
    ratio(ctx) {
      const c = common(ctx);
      if (c !== undefined) return c;
      const ins = ctx.position.instrument;
      const iv = ctx.surface?.iv;
      if (ins.kind !== 'option' || iv == null || !(iv > 0)) return null;
      // [price, delta, gamma, vega, theta, ...] (bsGreeksTo): no greeks object per position.
      const g = bsGreeksTo(ctx.spot, ins.strike, ctx.T, ctx.r, ctx.q, iv, ins.right, bsOut);
      return { delta: g[1], gamma: g[2], vega: g[3], theta: g[4], price: g[0] };
    },
  };
}

/** Options of the Heston and HN-GARCH methods. */
export interface ModelMethodOptions {
  /**
   * Price every position directly (one Fourier pass per maturity per recompute) instead of
   * interpolating per-maturity moneyness curves (moneyness-curve.ts, 2e-5 in delta). Default false.
   */
  exact?: boolean;
  /**
   * Work spent per recompute round on a new model state's curves, in the pricers' work units
   * (about 10 ns each: one Fourier node of one strike; default DEFAULT_REBUILD_WORK). A curve is
   * built over as many rounds as it needs; maturities not rebuilt yet use an older state's
   * curves, and their ratios carry its event time (`stateTs`).
   */
  rebuildWork?: number;
  /** A budget shared with other methods' curves (classicalMethods shares one between Heston and HN); overrides rebuildWork. */
  budget?: RebuildBudget;
}

interface HestonOne {
  price: number;
  delta: number;
  gamma: number;
  mvDelta: number;
  stateTs?: number;
}

/**
 * Default work units per round (ModelMethodOptions.rebuildWork; classicalMethods shares them
 * between the Heston and HN curves): about 1 ms of pricing per round. A Heston curve is some
 * 20k to 80k units, an HN curve 60k to 460k (the longer the maturity, the more days in each
 * node's recursion): with the bench's book on the simulator's 35 expiries (67 Heston nodes, 2.3M
 * units; 32 HN days, 6.5M units), a new calibration is fully in place after some 24 SPX prints,
 * a new variance state after some 65.
 */
export const DEFAULT_REBUILD_WORK = 100_000;

/** Spacing of the Heston curves' maturity nodes in ln T (linear blend between two nodes). */
export const LN_T_STEP = 0.01;

/**
 * The pricers' accuracy for curve samples, far finer than the curves' 2e-5 interpolation
 * tolerance yet cheaper than their defaults: Heston at a relative price tolerance of 1e-7 of the
 * forward (default 1e-11: it spares step halvings) and HN stopping its panels at 1e-10 of G(0)
 * (default 1e-14: fewer panels) leave errors near 1e-10 (Heston) and 1e-12 (HN) in delta and
 * price, and cost about 40% and 20% less.
 */
const CURVE_PRICING = { relTol: 1e-7 };
const HN_CURVE_PRICING = { tol: 1e-10 };

function budgetOf(options: ModelMethodOptions): RebuildBudget {
  return options.budget ?? new RebuildBudget(options.rebuildWork ?? DEFAULT_REBUILD_WORK);
}

/** A curve built from a pricer's steps (curve-cache.ts's job). */
function* curveJob<G>(grid: CurveGrid, steps: Generator<number, G, void>, samples: (g: G) => CurveSamples): Generator<number, MoneynessCurve, void> {
  const g = yield* steps;
  return MoneynessCurve.fromSamples(grid, samples(g));
}

/** Heston curves per maturity node: a curve cache (its rounds and budget, curve-cache.ts) that reads options off them. */
class HestonCurves extends CurveCache<HestonParams> {
  private readonly tmp: CurvePoint = { delta: 0, fGamma: 0, mv: 0, pK: 0 };
  private readonly tmp2: CurvePoint = { delta: 0, fGamma: 0, mv: 0, pK: 0 };
  private readonly out: CurveGreeks = { delta: 0, gamma: 0, mv: 0, price: 0 };
  // The state key of the last params object seen: formatting five doubles per position and tick
  // cost more than the interpolation itself. Params objects are taken as immutable (a new
  // calibration is a new object).
  private lastParams: HestonParams | null = null;
  private lastKey = '';

  constructor(budget: RebuildBudget) {
    super((p: HestonParams, node: number) => {
      const T = Math.exp(node * LN_T_STEP);
      const grid = MoneynessCurve.strikes(Math.min(p.v0, p.theta) * T, Math.max(p.v0, p.theta) * T);
      return curveJob(grid, hestonCurveSteps(p, T, grid.y, CURVE_PRICING), (g) => ({ delta: g.delta, gamma: g.gamma, mv: g.mvDelta, price: g.price }));
    }, budget);
  }

  /** Greeks of one option from the two maturity nodes around T, blended linearly in ln T: its `heston` and `heston-mv` ratios into hOut[i], mvOut[i]. */
  option(h: HestonInput, S: number, K: number, T: number, r: number, q: number, call: boolean, hOut: Array<HedgeRatio | null>, mvOut: Array<HedgeRatio | null>, i: number): void {
    const p = h.params;
    if (p !== this.lastParams) {
      this.lastKey = `${p.v0}|${p.kappa}|${p.theta}|${p.sigma}|${p.rho}`;
      this.lastParams = p;
    }
    const key = this.lastKey;
    const z = Math.log(T) / LN_T_STEP;
    const node = Math.floor(z);
    const a = z - node;
    const y = forwardMoneyness(S, K, T, r, q);
    const lo = this.get(key, h.ts, p, node).at(y, this.tmp);
    const ts = this.usedTs;
    const hi = this.get(key, h.ts, p, node + 1).at(y, this.tmp2);
    const used = Math.min(ts, this.usedTs);
    // The curve values are blended before the (linear) map to greeks: the same as blending greeks.
    lo.delta += a * (hi.delta - lo.delta);
    lo.fGamma += a * (hi.fGamma - lo.fGamma);
    lo.mv += a * (hi.mv - lo.mv);
    lo.pK += a * (hi.pK - lo.pK);
    const g = greeksAt(lo, S, K, T, r, q, call, this.out);
    const a1: HedgeRatio = { delta: g.delta, gamma: g.gamma, price: g.price };
    const a2: HedgeRatio = { delta: g.mv, gamma: g.gamma, price: g.price };
    if (used < h.ts) a1.stateTs = a2.stateTs = used;
    hOut[i] = a1;
    mvOut[i] = a2;
  }
}

function vixFutureOne(ctx: HedgeContext): HestonOne {
  const p = ctx.heston!.params;
  const h = 1e-4 * p.v0;
  const dv = (vixFuture(p.v0 + h, p, ctx.T) - vixFuture(p.v0 - h, p, ctx.T)) / (2 * h);
  return { price: vixFuture(p.v0, p, ctx.T), delta: 0, gamma: 0, mvDelta: ((p.rho * p.sigma) / ctx.spot) * dv };
}

/** Heston greeks for many contexts, exactly: one pass per (params, S, T, r, q) group of options. */
function hestonExact(ctxs: readonly HedgeContext[]): Array<HestonOne | null> {
  const out: Array<HestonOne | null> = new Array(ctxs.length).fill(null);
  const groups = new Map<string, number[]>();
  ctxs.forEach((ctx, i) => {
    const ins = ctx.position.instrument;
    if (!ctx.heston || !(ctx.T > 0)) return;
    if (ins.kind === 'future') {
      if (ins.underlying === 'VIX') out[i] = vixFutureOne(ctx);
      return;
    }
    const p = ctx.heston.params;
    const key = `${p.v0}|${p.kappa}|${p.theta}|${p.sigma}|${p.rho}|${ctx.spot}|${ctx.T}|${ctx.r}|${ctx.q}`;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  for (const idx of groups.values()) {
    const c0 = ctxs[idx[0]];
    const K = idx.map((i) => (ctxs[i].position.instrument as OptionInstrument).strike);
    const call = idx.map((i) => (ctxs[i].position.instrument as OptionInstrument).right === 'C');
    const g = hestonGreeks(c0.heston!.params, c0.spot, c0.T, c0.r, c0.q, K, call);
    idx.forEach((i, j) => (out[i] = { price: g.price[j], delta: g.delta[j], gamma: g.gamma[j], mvDelta: g.mvDelta[j] }));
  }
  return out;
}

/** `heston` and `heston-mv`, sharing one computation (curves, or per batch when exact). */
export function hestonMethods(options: ModelMethodOptions = {}): [HedgeMethod, HedgeMethod] {
  const curves = new HestonCurves(budgetOf(options));
  interface Both {
    h: Array<HedgeRatio | null>;
    mv: Array<HedgeRatio | null>;
  }
  const byBatch = new WeakMap<readonly HedgeContext[], Both>();
  const asRatio = (h: HestonOne | null, ctx: HedgeContext, mv: boolean): HedgeRatio | null => {
    if (!(ctx.T > 0)) return null;
    const ins = ctx.position.instrument;
    if (ins.kind === 'future' && ins.underlying === 'SPX') return spxFuture(ctx);
    if (!h) return null;
    const out: HedgeRatio = { delta: mv ? h.mvDelta : h.delta, gamma: h.gamma, price: h.price };
    if (h.stateTs !== undefined) out.stateTs = h.stateTs;
    return out;
  };
  const viaCurves = (ctx: HedgeContext, i: number, b: Both): void => {
    const ins = ctx.position.instrument;
    if (ins.kind === 'option' && ctx.heston && ctx.T > 0) {
      curves.option(ctx.heston, ctx.spot, ins.strike, ctx.T, ctx.r, ctx.q, ins.right === 'C', b.h, b.mv, i);
      return;
    }
    const one = ctx.heston && ctx.T > 0 && ins.kind === 'future' && ins.underlying === 'VIX' ? vixFutureOne(ctx) : null;
    b.h[i] = asRatio(one, ctx, false);
    b.mv[i] = asRatio(one, ctx, true);
  };
  const batch = (ctxs: readonly HedgeContext[]): Both => {
    let r = byBatch.get(ctxs);
    if (!r) {
      const b: Both = { h: new Array(ctxs.length).fill(null), mv: new Array(ctxs.length).fill(null) };
      if (options.exact) {
        hestonExact(ctxs).forEach((one, i) => {
          b.h[i] = asRatio(one, ctxs[i], false);
          b.mv[i] = asRatio(one, ctxs[i], true);
        });
      } else {
        // One round: a single context is not a round (it builds what it needs).
        if (ctxs.length > 1) curves.beginRound(ctxs);
        try {
          for (let i = 0; i < ctxs.length; i++) viaCurves(ctxs[i], i, b);
        } finally {
          curves.endRound();
        }
      }
      r = b;
      byBatch.set(ctxs, r);
    }
    return r;
  };
  const make = (name: string, mv: boolean): HedgeMethod => ({
    name,
    ratio: (ctx) => (mv ? batch([ctx]).mv : batch([ctx]).h)[0],
    // A copy: the caller owns the array it gets.
    ratios: (ctxs) => (mv ? batch(ctxs).mv : batch(ctxs).h).slice(),
    shareBudget: (b) => curves.useBudget(b),
  });
  return [make(CLASSICAL.heston, false), make(CLASSICAL.hestonMv, true)];
}

/** Whole trading days to expiry for the HN pricer: round(252 T), at least 1 while T > 0. */
export function hnDays(T: number): number {
  return Math.max(1, Math.round(252 * T));
}

interface HnState {
  params: HnParams;
  h0: number;
}

/** HN-GARCH curves per whole-day maturity: a curve cache (curve-cache.ts) that reads options off them. */
class HnCurves extends CurveCache<HnState> {
  private readonly tmp: CurvePoint = { delta: 0, fGamma: 0, mv: 0, pK: 0 };
  private readonly out: CurveGreeks = { delta: 0, gamma: 0, mv: 0, price: 0 };
  private lastInput: VarianceInput | null = null;
  private lastKey = '';

  constructor(budget: RebuildBudget) {
    super(({ params: p, h0 }: HnState, days: number) => {
      const w = hnExpectedTotalVariance(hnRiskNeutral(p), h0, days);
      const grid = MoneynessCurve.strikes(Math.min(w, h0 * days), Math.max(w, h0 * days));
      return curveJob(grid, hnCurveSteps(p, days, h0, grid.y, HN_CURVE_PRICING), (g) => ({ delta: g.delta, gamma: g.gamma, price: g.price }));
    }, budget);
  }

  option(v: VarianceInput, S: number, K: number, T: number, r: number, q: number, call: boolean): HedgeRatio {
    const p = v.hnParams!;
    // One key per variance input object (see HestonCurves: formatting doubles per position is slow).
    if (v !== this.lastInput) {
      this.lastKey = `${p.omega}|${p.alpha}|${p.beta}|${p.gamma}|${p.lambda}|${v.hn}`;
      this.lastInput = v;
    }
    const c = this.get(this.lastKey, v.ts, { params: p, h0: v.hn }, hnDays(T)).at(forwardMoneyness(S, K, T, r, q), this.tmp);
    const x = greeksAt(c, S, K, T, r, q, call, this.out);
    const out: HedgeRatio = { delta: x.delta, gamma: x.gamma, price: x.price };
    if (this.usedTs < v.ts) out.stateTs = this.usedTs;
    return out;
  }
}

/** Heston-Nandi GARCH delta at the live variance state. */
export function hnMethod(options: ModelMethodOptions = {}): HedgeMethod {
  const curves = new HnCurves(budgetOf(options));
  const viable = (ctx: HedgeContext): HedgeRatio | null | undefined => {
    const c = common(ctx);
    if (c !== undefined) return c;
    const v = ctx.variance;
    if (!v || !v.hnParams || !(v.hn > 0)) return null;
    return undefined;
  };
  const exact = (ctxs: readonly HedgeContext[]): Array<HedgeRatio | null> => {
    const out: Array<HedgeRatio | null> = new Array(ctxs.length).fill(null);
    const groups = new Map<string, number[]>();
    ctxs.forEach((ctx, i) => {
      const c = viable(ctx);
      if (c !== undefined) {
        out[i] = c;
        return;
      }
      const p = ctx.variance!.hnParams!;
      const key = `${p.omega}|${p.alpha}|${p.beta}|${p.gamma}|${p.lambda}|${ctx.variance!.hn}|${ctx.spot}|${hnDays(ctx.T)}|${ctx.r * ctx.T}|${ctx.q * ctx.T}`;
      const g = groups.get(key);
      if (g) g.push(i);
      else groups.set(key, [i]);
    });
    for (const idx of groups.values()) {
      const c0 = ctxs[idx[0]];
      const days = hnDays(c0.T);
      const K = idx.map((i) => (ctxs[i].position.instrument as OptionInstrument).strike);
      const right = idx.map((i) => (ctxs[i].position.instrument as OptionInstrument).right);
      const g = hnGreeks(c0.variance!.hnParams!, {
        S: c0.spot, K, Tdays: days, rDaily: (c0.r * c0.T) / days, qDaily: (c0.q * c0.T) / days, h0: c0.variance!.hn, right,
      });
      idx.forEach((i, j) => (out[i] = { delta: g.delta[j], gamma: g.gamma[j], price: g.price[j] }));
    }
    return out;
  };
  const one = (ctx: HedgeContext): HedgeRatio | null => {
    const c = viable(ctx);
    if (c !== undefined) return c;
    const ins = ctx.position.instrument as OptionInstrument;
    return curves.option(ctx.variance!, ctx.spot, ins.strike, ctx.T, ctx.r, ctx.q, ins.right === 'C');
  };
  return options.exact
    ? { name: CLASSICAL.hn, ratio: (ctx) => exact([ctx])[0], ratios: exact }
    : {
        name: CLASSICAL.hn,
        ratio: one,
        ratios: (ctxs) => {
          curves.beginRound(ctxs);
          try {
            return ctxs.map(one);
          } finally {
            curves.endRound();
          }
        },
        shareBudget: (b) => curves.useBudget(b),
      };
}

/** Every classical method, in the order the stage reports them: bs, heston, heston-mv, hn. */
export function classicalMethods(options: ModelMethodOptions = {}): HedgeMethod[] {
  // One budget for both models' curves, so a round's building stays within it.
  const shared = { ...options, budget: budgetOf(options) };
  return [bsMethod(), ...hestonMethods(shared), hnMethod(shared)];
}
