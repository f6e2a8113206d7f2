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
 * curves of ratios.ts; a new calibration's curves are built lazily, at most `rebuildsPerRound`
 * per recompute round, the newest earlier calibration's curve of the node standing in meanwhile
 * (the ratio then carries that calibration's event time, `stateTs`). The budget counts builds, not time, so the
 * outputs stay a function of the inputs; the fixed seed makes a replay give the same ratios.
 *
 * Options (SPX and SPXW, calls and puts) get the curve's ratio, null before the first
 * calibration; an SPX future delta e^{(r-q)T}, model-free like every method's; VIX futures null
 * (the LRM/MVH hedge of a VIX future by SPX is not fitted); everything null once expired.
 */
import type { HestonParams } from '../quant/heston-cf.ts';
import type { HedgeContext, HedgeMethod, HedgeRatio, HestonInput } from './method.ts';
import { buildQuadraticCurve, checkCurveSettings, QuadraticCurve, type QuadraticCurveSettings, type QuadraticPoint } from './quadratic-curve.ts';

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
  /** Most curves of a new calibration built per recompute round (default 1). */
  rebuildsPerRound?: number;
}

/**
 * Curves by maturity node for the latest calibration, built within a per-round budget, with the
 * newest curve of each node from any earlier calibration standing in meanwhile. This is
 * curve-cache.ts's policy (that class is typed to MoneynessCurve), except that a stand-in may come
 * from any earlier calibration, not only the previous one: a Monte Carlo build costs about ten
 * Fourier passes, and a book with many maturities may not be rebuilt before the next calibration
 * arrives; with the previous generation only, such nodes would have no stand-in and be built
 * regardless of the budget.
 */
class QuadraticCurves {
  private key = '';
  private ts = NaN;
  private cur = new Map<number, QuadraticCurve>();
  private readonly latest = new Map<number, { curve: QuadraticCurve; ts: number }>();
  private left = Infinity;
  /** Event time of the calibration of the last curve `get` returned. */
  usedTs = NaN;

  constructor(
    private readonly settings: QuadraticCurveSettings,
    private readonly budget: number,
  ) {}

  beginRound(): void {
    this.left = this.budget;
  }

  endRound(): void {
    this.left = Infinity;
  }

  get(key: string, ts: number, params: HestonParams, node: number): QuadraticCurve {
    if (key !== this.key) {
      this.key = key;
      this.ts = ts;
      this.cur = new Map();
    }
    const c = this.cur.get(node);
    if (c) {
      this.usedTs = this.ts;
      return c;
    }
    const stand = this.left <= 0 ? this.latest.get(node) : undefined;
    if (stand) {
      this.usedTs = stand.ts;
      return stand.curve;
    }
    this.left--;
    const built = buildQuadraticCurve(params, Math.exp(node * LN_T_STEP), this.settings);
    this.cur.set(node, built);
    // nodes span ln T over a bounded range (LN_T_STEP apart), so this map stays small
    this.latest.set(node, { curve: built, ts });
    this.usedTs = ts;
    return built;
  }
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
  const { rebuildsPerRound = 1, ...rest } = options;
  const settings: QuadraticCurveSettings = { ...DEFAULT_QUADRATIC_SETTINGS, ...rest };
  checkCurveSettings(settings);
  if (!(Number.isInteger(rebuildsPerRound) && rebuildsPerRound >= 1)) throw new RangeError(`rebuildsPerRound must be an integer >= 1, got ${String(rebuildsPerRound)}`);
  const curves = new QuadraticCurves(settings, rebuildsPerRound);
  const lo: QuadraticPoint = { lrm: 0, mvh: 0 };
  const hi: QuadraticPoint = { lrm: 0, mvh: 0 };
  const option = (h: HestonInput, S: number, K: number, T: number, r: number, q: number, call: boolean): QuadraticOne => {
    const key = paramsKey(h.params);
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
      if (ctxs.length > 1) curves.beginRound();
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
  });
  return [make(QUADRATIC.lrm, false), make(QUADRATIC.mvh, true)];
}
