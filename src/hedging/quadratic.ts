/**
 * The quadratic hedge methods, live: `lrm` (local risk minimisation) and `mvh` (mean-variance
 * hedging, its pure hedge at t = 0, where the feedback term is zero), each a HedgeMethod
 * (method.ts) at the live Heston calibration (ctx.heston, risk-neutral), simulated under P with
 * the equity premium proportional to the variance, mu - r = lambdaS v (the bounded choice of
 * docs/quadratic-hedging.md): the least-squares Monte Carlo estimators of src/quant/hedge-lsmc.ts,
 * fitted for many strikes at once (hedge-lsmc-multi.ts).
 *
 * Cost control: per calibration and maturity node ONE simulation (`paths`, default 1024) and one
 * multi-strike fit give a curve in forward log-moneyness for every strike, spot and rate
 * (quadratic-curve.ts). Nodes are LN_T_STEP apart in ln T and blended linearly, like the Heston
 * curves of ratios.ts. A new calibration's curves are built in steps (quadraticCurveSteps: the
 * simulation, then each date's regressions, each step under 0.5 ms) by the same cache and under
 * the same per-round work budget as the classical Heston and HN curves (curve-cache.ts; the
 * hedges stage hands all its methods one RebuildBudget, HedgeMethod.shareBudget), the newest
 * earlier calibration's curve of the node standing in meanwhile (the ratio then carries that
 * calibration's event time, `stateTs`). A node costs about 1.0M work units (10 ms) at 8 dates,
 * some 10 rounds of the default budget. The budget counts work units, not time, so the outputs stay a
 * function of the inputs; the fixed seed makes a replay give the same ratios.
 *
 * Options (SPX and SPXW, calls and puts) get the curve's ratio, null before the first
 * calibration; an SPX future delta e^{(r-q)T}, model-free like every method's; VIX futures null
 * (the LRM/MVH hedge of a VIX future by SPX is not fitted); everything null once expired.
 */
import type { HestonParams } from '../quant/heston-cf.ts';
import type { HedgeContext, HedgeMethod, HedgeRatio, HestonInput } from './method.ts';
import { CurveCache, RebuildBudget } from './curve-cache.ts';
import { DEFAULT_REBUILD_WORK } from './ratios.ts';
import { checkCurveSettings, quadraticCurveSteps, type QuadraticCurve, type QuadraticCurveSettings, type QuadraticPoint } from './quadratic-curve.ts';

/** Names of the quadratic methods. */
export const QUADRATIC = { lrm: 'lrm', mvh: 'mvh' } as const;
export const QUADRATIC_NAMES: readonly string[] = Object.values(QUADRATIC);

/**
 * Default equity premium coefficient: mu - r = lambdaS v with lambdaS = 0.0875 / 0.09 (about 1),
 * the real case's premium of 8.75% a year at its long-run variance 0.09 (docs/quadratic-hedging.md,
 * data/simulator-params.json).
 */
export const DEFAULT_LAMBDA_S = 0.0875 / 0.09;

/** Default build settings (measured cost and noise: docs/quadratic-hedging.md, "Live"). */
export const DEFAULT_QUADRATIC_SETTINGS: QuadraticCurveSettings = {
  paths: 1024,
  maxDates: 8,
  lambdaS: DEFAULT_LAMBDA_S,
  seed: 20_240_101,
  grid: [-3, -2.25, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2.25, 3],
};

/** Spacing of the maturity nodes in ln T (5%: a Monte Carlo build costs more than a Fourier pass). */
export const LN_T_STEP = 0.05;

/** Options of quadraticMethods. */
export interface QuadraticMethodOptions extends Partial<QuadraticCurveSettings> {
  /** Work units per recompute round for a new calibration's curves (default DEFAULT_REBUILD_WORK, about 1 ms). */
  rebuildWork?: number;
  /** A budget shared with other methods' curves (the classical ones'); overrides rebuildWork. */
  budget?: RebuildBudget;
}

interface QuadraticOne {
  lrm: number;
  mvh: number;
  stateTs?: number;
}

function paramsKey(p: HestonParams): string {
  return `${p.v0}|${p.kappa}|${p.theta}|${p.sigma}|${p.rho}`;
}

/** `lrm` and `mvh`, sharing one computation (curves per maturity node of the live calibration). */
export function quadraticMethods(options: QuadraticMethodOptions = {}): [HedgeMethod, HedgeMethod] {
  const { rebuildWork, budget, ...rest } = options;
  const settings: QuadraticCurveSettings = { ...DEFAULT_QUADRATIC_SETTINGS, ...rest };
  checkCurveSettings(settings);
  const curves = new CurveCache<HestonParams, QuadraticCurve>(
    (params, node) => quadraticCurveSteps(params, Math.exp(node * LN_T_STEP), settings),
    budget ?? new RebuildBudget(rebuildWork ?? DEFAULT_REBUILD_WORK),
  );
  const lo: QuadraticPoint = { lrm: 0, mvh: 0 };
  const hi: QuadraticPoint = { lrm: 0, mvh: 0 };
  // The key of the last params object (taken as immutable, as ratios.ts's HestonCurves does): formatting it per position costs more than the interpolation.
  let lastParams: HestonParams | null = null;
  let lastKey = '';
  const option = (h: HestonInput, S: number, K: number, T: number, r: number, q: number, call: boolean): QuadraticOne => {
    if (h.params !== lastParams) {
      lastParams = h.params;
      lastKey = paramsKey(h.params);
    }
    const key = lastKey;
    const z = Math.log(T) / LN_T_STEP;
    const node = Math.floor(z);
    const a = z - node;
    const y = Math.log(S / K) + (r - q) * T;
    curves.get(key, h.ts, h.params, node).at(y, lo);
    const ts = curves.usedTs;
    curves.get(key, h.ts, h.params, node + 1).at(y, hi);
    const used = Math.min(ts, curves.usedTs);
    const dq = Math.exp(-q * T);
    const shift = call ? 0 : 1;
    return {
      lrm: dq * (lo.lrm + a * (hi.lrm - lo.lrm) - shift),
      mvh: dq * (lo.mvh + a * (hi.mvh - lo.mvh) - shift),
      stateTs: used < h.ts ? used : undefined,
    };
  };
  const one = (ctx: HedgeContext): QuadraticOne | null => {
    const ins = ctx.position.instrument;
    if (!ctx.heston || !(ctx.T > 0) || ins.kind !== 'option') return null;
    return option(ctx.heston, ctx.spot, ins.strike, ctx.T, ctx.r, ctx.q, ins.right === 'C');
  };
  const byBatch = new WeakMap<readonly HedgeContext[], Array<QuadraticOne | null>>();
  const batch = (ctxs: readonly HedgeContext[]): Array<QuadraticOne | null> => {
    let r = byBatch.get(ctxs);
    if (!r) {
      // One round: a single context is not a round (it builds what it needs).
      if (ctxs.length > 1) curves.beginRound(ctxs);
      try {
        r = ctxs.map(one);
      } finally {
        curves.endRound();
      }
      byBatch.set(ctxs, r);
    }
    return r;
  };
  const asRatio = (x: QuadraticOne | null, ctx: HedgeContext, mvh: boolean): HedgeRatio | null => {
    if (!(ctx.T > 0)) return null;
    const ins = ctx.position.instrument;
    if (ins.kind === 'future') {
      // Model-free, as for the classical methods (ratios.ts): F = S e^{(r-q)T}.
      if (ins.underlying !== 'SPX') return null;
      const g = Math.exp((ctx.r - ctx.q) * ctx.T);
      return { delta: g, gamma: 0, vega: 0, theta: -(ctx.r - ctx.q) * ctx.spot * g, price: ctx.spot * g };
    }
    if (!x) return null;
    const out: HedgeRatio = { delta: mvh ? x.mvh : x.lrm };
    if (x.stateTs !== undefined) out.stateTs = x.stateTs;
    return out;
  };
  const make = (name: string, mvh: boolean): HedgeMethod => ({
    name,
    ratio: (ctx) => asRatio(batch([ctx])[0], ctx, mvh),
    ratios: (ctxs) => batch(ctxs).map((x, i) => asRatio(x, ctxs[i], mvh)),
    shareBudget: (b) => curves.useBudget(b),
  });
  return [make(QUADRATIC.lrm, false), make(QUADRATIC.mvh, true)];
}
