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
 * curves are built at most `rebuildsPerRound` per round (curve-cache.ts); the previous state's
 * stand in meanwhile and the ratio names its event time (`stateTs`). With
 * `{ exact: true }` they price directly, one Fourier pass per maturity for all its strikes.
 * `heston` and `heston-mv` share one computation (hestonMethods()).
 */
import { bsGreeks } from '../quant/black-scholes.ts';
import { hestonGreeks } from '../quant/heston-greeks.ts';
import type { HestonParams } from '../quant/heston-cf.ts';
import { hnExpectedTotalVariance, hnRiskNeutral, type HnParams } from '../quant/hn-params.ts';
import { hnGreeks } from '../quant/hn-price.ts';
import { vixFuture } from '../quant/vix.ts';
import type { OptionInstrument } from '../positions/schema.ts';
import type { HedgeContext, HedgeMethod, HedgeRatio, HestonInput, VarianceInput } from './method.ts';
import { CurveCache } from './curve-cache.ts';
import { fromCurve, MoneynessCurve, type CurvePoint } from './moneyness-curve.ts';

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
  return {
    name: CLASSICAL.bs,
    ratio(ctx) {
      const c = common(ctx);
      if (c !== undefined) return c;
      const ins = ctx.position.instrument;
      const iv = ctx.surface?.iv;
      if (ins.kind !== 'option' || iv == null || !(iv > 0)) return null;
      const g = bsGreeks(ctx.spot, ins.strike, ctx.T, ctx.r, ctx.q, iv, ins.right);
      return { delta: g.delta, gamma: g.gamma, vega: g.vega, theta: g.theta, price: g.price };
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
   * Most curves of a new model state built per recompute round (default 2); maturities not rebuilt
   * yet use the previous state's curves, and their ratios carry its event time (`stateTs`).
   */
  rebuildsPerRound?: number;
}

interface HestonOne {
  price: number;
  delta: number;
  gamma: number;
  mvDelta: number;
  stateTs?: number;
}

/** Default curve rebuilds per round and model (ModelMethodOptions.rebuildsPerRound). */
export const DEFAULT_REBUILDS = 2;

/** Spacing of the Heston curves' maturity nodes in ln T (linear blend between two nodes). */
export const LN_T_STEP = 0.01;

/** Heston curves per maturity node (curve-cache.ts). */
class HestonCurves {
  private readonly cache: CurveCache<HestonParams>;
  private readonly tmp: CurvePoint = { delta: 0, fGamma: 0, mv: 0, pK: 0 };
  private readonly tmp2: CurvePoint = { delta: 0, fGamma: 0, mv: 0, pK: 0 };

  constructor(budget: number) {
    this.cache = new CurveCache((p: HestonParams, node: number) => {
      const T = Math.exp(node * LN_T_STEP);
      const grid = MoneynessCurve.strikes(Math.min(p.v0, p.theta) * T, Math.max(p.v0, p.theta) * T);
      const g = hestonGreeks(p, 1, T, 0, 0, grid.K, true);
      return MoneynessCurve.fromSamples(grid, { delta: g.delta, gamma: g.gamma, mv: g.mvDelta, price: g.price });
    }, budget);
  }

  beginRound(): void {
    this.cache.beginRound();
  }

  endRound(): void {
    this.cache.endRound();
  }

  /** Greeks of one option from the two maturity nodes around T, blended linearly in ln T. */
  option(h: HestonInput, S: number, K: number, T: number, r: number, q: number, call: boolean): HestonOne {
    const p = h.params;
    const key = `${p.v0}|${p.kappa}|${p.theta}|${p.sigma}|${p.rho}`;
    const z = Math.log(T) / LN_T_STEP;
    const node = Math.floor(z);
    const a = z - node;
    const lo = fromCurve(this.cache.get(key, h.ts, p, node), S, K, T, r, q, call, this.tmp);
    const ts = this.cache.usedTs;
    const hi = fromCurve(this.cache.get(key, h.ts, p, node + 1), S, K, T, r, q, call, this.tmp2);
    const used = Math.min(ts, this.cache.usedTs);
    return {
      price: lo.price + a * (hi.price - lo.price), delta: lo.delta + a * (hi.delta - lo.delta), gamma: lo.gamma + a * (hi.gamma - lo.gamma), mvDelta: lo.mv + a * (hi.mv - lo.mv),
      stateTs: used < h.ts ? used : undefined,
    };
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
  const curves = new HestonCurves(options.rebuildsPerRound ?? DEFAULT_REBUILDS);
  const byBatch = new WeakMap<readonly HedgeContext[], Array<HestonOne | null>>();
  const viaCurves = (ctx: HedgeContext): HestonOne | null => {
    const ins = ctx.position.instrument;
    if (!ctx.heston || !(ctx.T > 0)) return null;
    if (ins.kind === 'future') return ins.underlying === 'VIX' ? vixFutureOne(ctx) : null;
    return curves.option(ctx.heston, ctx.spot, ins.strike, ctx.T, ctx.r, ctx.q, ins.right === 'C');
  };
  const batch = (ctxs: readonly HedgeContext[]) => {
    let r = byBatch.get(ctxs);
    if (!r) {
      if (options.exact) r = hestonExact(ctxs);
      else {
        // One round: a single context is not a round (it builds what it needs).
        if (ctxs.length > 1) curves.beginRound();
        try {
          r = ctxs.map(viaCurves);
        } finally {
          curves.endRound();
        }
      }
      byBatch.set(ctxs, r);
    }
    return r;
  };
  const asRatio = (h: HestonOne | null, ctx: HedgeContext, mv: boolean): HedgeRatio | null => {
    if (!(ctx.T > 0)) return null;
    const ins = ctx.position.instrument;
    if (ins.kind === 'future' && ins.underlying === 'SPX') return spxFuture(ctx);
    if (!h) return null;
    const out: HedgeRatio = { delta: mv ? h.mvDelta : h.delta, gamma: h.gamma, price: h.price };
    if (h.stateTs !== undefined) out.stateTs = h.stateTs;
    return out;
  };
  const make = (name: string, mv: boolean): HedgeMethod => ({
    name,
    ratio: (ctx) => asRatio(batch([ctx])[0], ctx, mv),
    ratios: (ctxs) => batch(ctxs).map((h, i) => asRatio(h, ctxs[i], mv)),
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

/** HN-GARCH curves per whole-day maturity (curve-cache.ts). */
class HnCurves {
  private readonly cache: CurveCache<HnState>;
  private readonly tmp: CurvePoint = { delta: 0, fGamma: 0, mv: 0, pK: 0 };

  constructor(budget: number) {
    this.cache = new CurveCache(({ params: p, h0 }: HnState, days: number) => {
      const w = hnExpectedTotalVariance(hnRiskNeutral(p), h0, days);
      const grid = MoneynessCurve.strikes(Math.min(w, h0 * days), Math.max(w, h0 * days));
      const g = hnGreeks(p, { S: 1, K: grid.K, Tdays: days, rDaily: 0, qDaily: 0, h0, right: 'C' });
      return MoneynessCurve.fromSamples(grid, { delta: g.delta, gamma: g.gamma, price: g.price });
    }, budget);
  }

  beginRound(): void {
    this.cache.beginRound();
  }

  endRound(): void {
    this.cache.endRound();
  }

  option(v: VarianceInput, S: number, K: number, T: number, r: number, q: number, call: boolean): HedgeRatio {
    const p = v.hnParams!;
    const key = `${p.omega}|${p.alpha}|${p.beta}|${p.gamma}|${p.lambda}|${v.hn}`;
    const x = fromCurve(this.cache.get(key, v.ts, { params: p, h0: v.hn }, hnDays(T)), S, K, T, r, q, call, this.tmp);
    const out: HedgeRatio = { delta: x.delta, gamma: x.gamma, price: x.price };
    if (this.cache.usedTs < v.ts) out.stateTs = this.cache.usedTs;
    return out;
  }
}

/** Heston-Nandi GARCH delta at the live variance state. */
export function hnMethod(options: ModelMethodOptions = {}): HedgeMethod {
  const curves = new HnCurves(options.rebuildsPerRound ?? DEFAULT_REBUILDS);
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
          curves.beginRound();
          try {
            return ctxs.map(one);
          } finally {
            curves.endRound();
          }
        },
      };
}

/** Every classical method, in the order the stage reports them: bs, heston, heston-mv, hn. */
export function classicalMethods(options: ModelMethodOptions = {}): HedgeMethod[] {
  return [bsMethod(), ...hestonMethods(options), hnMethod(options)];
}
