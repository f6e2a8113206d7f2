/**
 * Quadratic hedging by least-squares Monte Carlo: local risk minimisation (LRM, Follmer-Schweizer)
 * and mean-variance hedging (MVH, Schweizer's variance-optimal strategy with its feedback term)
 * of a European option in discrete time, under Heston or Bates paths simulated under P
 * (hedge-lsmc-paths.ts), with the conditional expectations estimated by regressions on a basis in
 * (S, v) (hedge-lsmc-basis.ts, hedge-lsmc-regress.ts).
 *
 * Discrete time, discounted price X, date k's move dX = X_{k+1} - X_k, discounted payoff H.
 * LRM (Schweizer, "Variance-optimal hedging in discrete time", Math. Oper. Res. 20, 1995, and
 * Follmer-Schweizer 1989): going backward,
 *   (V_k, xi_k) = argmin_{a, xi} E_k[(V_{k+1} - a - xi dX)^2],
 * i.e. xi_k = Cov_k(V_{k+1}, dX)/Var_k(dX) and V_k = E_k[V_{k+1} - xi_k dX], the price under the
 * minimal martingale measure; the cost C_k = V_k - sum_{j<k} xi_j dX_j is a P-martingale
 * orthogonal to X.
 * MVH (Cerny, "Dynamic programming and mean-variance hedging in discrete time", Appl. Math.
 * Finance 11, 2004; equivalent to Schweizer 1995's product form): with the opportunity process
 * L (L_N = 1) and R = dX/X_k,
 *   b_k     = argmin_b E_k[L_{k+1} (1 - b R)^2] = E_k[L_{k+1} R]/E_k[L_{k+1} R^2],
 *   L_k     = E_k[L_{k+1} (1 - b_k R)^2],
 *   (V_k, xiH_k) = argmin_{a, xi} E_k[L_{k+1} (V_{k+1} - a - xi dX)^2],
 * and the strategy from initial capital V_0: xi_k = xiH_k + (b_k/X_k)(V_k - W_k), W_k the
 * discounted wealth so far (Schweizer's feedback term). V_k is the price under the
 * variance-optimal measure.
 *
 * Why each conditional expectation is one weighted regression (and not a ratio of two): the
 * seed estimated xi = Cov/Var and b = E[L R]/E[L R^2] as ratios of separately regressed
 * moments, and where the true conditional variance is small (v near 0, common when Feller fails)
 * the regressed denominator is noise of either sign, so ratios explode (hedge-lsmc-naive.ts
 * reconstructs it; measured in docs/quadratic-hedging.md). Here each ratio is the coefficient
 * function of a least-squares problem whose objective is the hedging criterion itself: the
 * paths weigh in by dX^2, a low-variance state cannot produce a large ratio by dividing noise by
 * noise, and the fitted ratio is a fixed combination of basis functions, bounded on the data.
 * What remains unbounded is the model's own: under a constant premium mu - r, b ~ (mu - r)/v
 * as v -> 0 (in the QE chain v_k = v_{k+1} = 0 makes the step's return riskless with mean
 * (mu - r) dt, a near-arbitrage MVH levers into); hedge-lsmc-paths.ts offers the premium
 * proportional to v under which the tradeoff stays bounded.
 *
 * Targets: LRM regresses the hedged payoff H - sum_{j>k} xi_j dX_{j+1} (pathwise, as in the
 * hedged Monte Carlo of Potters, Bouchaud and Sestovic, Physica A 289, 2001): it differs from
 * V_{k+1} by later cost increments, which are orthogonal to (1, dX_{k+1}) given F_k, so the
 * regression's solution is the same and its variance smaller. MVH regresses the fitted V_{k+1}
 * (its later residuals are orthogonal only under the L-weights of their own date).
 */
import type { BatesParams, HestonParams } from './heston-cf.ts';
import { toCfModel } from './heston-cf.ts';
import {
  basisRow, basisScratch, basisSize, stepScaling, varianceBasisRow,
  type BasisSpec, type FeatureContext, type StepScaling,
} from './hedge-lsmc-basis.ts';
import {
  discountedPayoffs, expectedStepReturn, expectedStepVariance,
  type EquityPremium, type HedgedOption, type HedgeMarket, type HedgePaths,
} from './hedge-lsmc-paths.ts';
import { weightedLeastSquares } from './hedge-lsmc-regress.ts';

/** Which quadratic criterion. */
export type QuadraticMethod = 'LRM' | 'MVH';

/** Regression settings. */
export interface QuadraticHedgeOptions {
  basis?: BasisSpec;
  /** Degree in sqrt v of MVH's b and L regressions (default 3). */
  varianceDegree?: number;
  /** MVH's regression target: the fitted V_{k+1} (default) or the pathwise hedged payoff. */
  mvhTarget?: 'fitted' | 'pathwise';
  /**
   * MVH's b_k: 'model' (default; see FeedbackCoefficients) or 'regressed', E_k[L R] and
   * E_k[L R^2] both regressed with no floor: the ablation that shows what the model mean and the
   * floor remove.
   */
  feedbackMean?: 'model' | 'regressed';
}

/** One rebalancing date's fitted functions. */
export interface StepCoefficients {
  scaling: StepScaling;
  /** Discounted value V_k = basis . value. */
  value: Float64Array;
  /** Ratio in units of X (LRM ratio, MVH pure hedge xiH) = basis . ratio. */
  ratio: Float64Array;
  /** MVH: the regressions b_k and L_k are made of; null for LRM. */
  feedback: FeedbackCoefficients | null;
}

/**
 * MVH's b_k(v) = E_k[L_{k+1} R]/E_k[L_{k+1} R^2] and L_k(v) = E_k[L_{k+1}] - b_k E_k[L_{k+1} R],
 * from coefficients on the v basis of E_k[L_{k+1}] (lhat), of E_k[(L_{k+1} - lhat) R] (cov) and
 * of E_k[L_{k+1} R^2] (den). The numerator's main part lhat m(v) takes the step's mean return
 * m(v) from the model: the mean of a daily return is about 1% of its standard deviation, so a
 * regression of L R on 2^14 paths would estimate it with a relative error near 100% (measured:
 * b then varied by a factor 70 between dates where the model has it constant), while the
 * covariance part and the second moment are estimated to about 1%. The denominator is floored
 * at lhat times the model's own lower bound on the step's return variance, the part that does not
 * load on the variance's shock, (1 - rho^2) E_k[int v] (+ the jump variance): the ratio can then
 * be no larger than the model allows, where the regressed second moment is noise (v near 0).
 */
export interface FeedbackCoefficients {
  lhat: Float64Array;
  cov: Float64Array;
  den: Float64Array;
  /** 'regressed': cov holds E_k[L_{k+1} R] itself, and den is not floored. */
  regressed: boolean;
}

/** What b_k and L_k read of the model: the premium, P variance drift, step, correlation, jumps. */
export interface StepModel {
  premium: EquityPremium;
  physicalVariance: { kappa: number; theta: number };
  r: number;
  dt: number;
  rho: number;
  jumpVar: number;
}

/** The model quantities b_k and L_k read, for paths p and risk-neutral params. */
export function stepModel(p: HedgePaths, params: HestonParams | BatesParams): StepModel {
  const m = toCfModel(params);
  return {
    premium: p.premium, physicalVariance: p.physicalVariance, r: p.market.r, dt: p.dt, rho: m.rho,
    jumpVar: m.lambda * (m.muJ * m.muJ + m.sigmaJ * m.sigmaJ),
  };
}

function dotRow(A: Float64Array, o: number, c: Float64Array): number {
  let s = 0;
  for (let j = 0; j < c.length; j++) s += A[o + j] * c[j];
  return s;
}

/** b_k (return units) and L_k at variance v, from the date's coefficients; row[off..] is scratch for the v basis. */
export function feedbackAt(
  model: StepModel, f: FeedbackCoefficients, vd: number, sc: StepScaling, v: number, row: Float64Array, off: number,
): { b: number; L: number } {
  varianceBasisRow(vd, sc, v, row, off);
  const lhat = Math.max(0, dotRow(row, off, f.lhat));
  const m = f.regressed ? 0 : expectedStepReturn(model.premium, model.physicalVariance, model.r, model.dt, v);
  const num = lhat * m + dotRow(row, off, f.cov);
  const floor = f.regressed ? 0 : lhat * ((1 - model.rho * model.rho) * expectedStepVariance(model.physicalVariance, Math.max(v, 0), model.dt) + model.jumpVar * model.dt + m * m);
  const den = Math.max(dotRow(row, off, f.den), floor);
  if (f.regressed ? den === 0 : !(den > 0)) return { b: 0, L: lhat };
  const b = num / den;
  // L_k is a conditional mean of L_{k+1} (1 - b R)^2: >= 0, and <= E_k[L_{k+1}] <= 1
  return { b, L: Math.min(1, Math.max(0, lhat - b * num)) };
}

/** A fitted quadratic hedge: functions of the state at every rebalancing date. */
export interface QuadraticHedge {
  method: QuadraticMethod;
  option: HedgedOption;
  market: HedgeMarket;
  spec: BasisSpec;
  varianceDegree: number;
  ctx: FeatureContext;
  model: StepModel;
  steps: StepCoefficients[];
  /** Discounted price at t = 0 (MMM price for LRM, variance-optimal price for MVH). */
  V0: number;
  /** Hedge ratio at t = 0, shares per option, and its regression standard error. */
  ratio0: number;
  ratio0StdError: number;
  /** MVH: the opportunity process at t = 0 (1 for LRM). */
  L0: number;
  /** Paths it was fitted on. */
  paths: number;
}

/** The Black-Scholes-column context from risk-neutral params and the option. */
export function featureContext(params: HestonParams | BatesParams, market: HedgeMarket, option: HedgedOption): FeatureContext {
  const m = toCfModel(params);
  return {
    K: option.K, call: option.call, r: market.r, q: market.q, kappa: m.kappa, theta: m.theta,
    jumpVar: m.lambda * (m.muJ * m.muJ + m.sigmaJ * m.sigmaJ),
  };
}

function checkOption(o: HedgedOption): void {
  if (!(Number.isFinite(o.K) && o.K > 0)) throw new RangeError(`option.K must be a finite number > 0, got ${String(o.K)}`);
  if (typeof o.call !== 'boolean') throw new RangeError(`option.call must be a boolean, got ${String(o.call)}`);
}

/**
 * Fits LRM or MVH on simulated P paths (params are the risk-neutral ones, read only by the
 * Black-Scholes basis columns). Long fits can be stopped by `signal` (checked every date).
 */
export function fitQuadraticHedge(
  p: HedgePaths,
  option: HedgedOption,
  params: HestonParams | BatesParams,
  method: QuadraticMethod,
  opts: QuadraticHedgeOptions = {},
  signal?: AbortSignal,
): QuadraticHedge {
  checkOption(option);
  if (method !== 'LRM' && method !== 'MVH') throw new RangeError(`method must be 'LRM' or 'MVH', got ${String(method)}`);
  const spec = opts.basis ?? {};
  const vd = opts.varianceDegree ?? 3;
  if (!(Number.isInteger(vd) && vd >= 0 && vd <= 6)) throw new RangeError(`varianceDegree must be an integer in [0, 6], got ${String(vd)}`);
  const ctx = featureContext(params, p.market, option);
  const n = p.paths;
  const N = p.steps;
  const pb = basisSize(spec);
  const { p2, qv, A, B, date, Lnext, tmp, tmp2 } = fitBuffers(n, pb, vd);
  const { S: Sk, v: vk, dX, R } = date;
  const y = discountedPayoffs(p, option);
  const model = stepModel(p, params);
  const scratch = basisScratch(spec);
  const steps: StepCoefficients[] = new Array(N);
  const mvh = method === 'MVH';
  const fittedTarget = mvh && (opts.mvhTarget ?? 'fitted') === 'fitted';
  const regressedMean = (opts.feedbackMean ?? 'model') === 'regressed';
  let ratio0StdError = NaN;
  let L0 = 1;
  for (let k = N - 1; k >= 0; k--) {
    if (signal?.aborted) throw new Error(`quadratic hedge fit aborted at date ${k}`);
    const tau = p.market.T - k * p.dt;
    const sc = loadDate(p, k, date);
    for (let i = 0; i < n; i++) {
      const o = i * p2;
      basisRow(spec, sc, ctx, Sk[i], vk[i], tau, A, o, scratch);
      for (let j = 0; j < pb; j++) A[o + pb + j] = A[o + j] * dX[i];
    }
    let feedback: FeedbackCoefficients | null = null;
    let w: Float64Array | null = null;
    if (mvh) {
      for (let i = 0; i < n; i++) varianceBasisRow(vd, sc, vk[i], B, i * qv);
      // E_k[L_{k+1}], then the covariance part of E_k[L_{k+1} R] and E_k[L_{k+1} R^2], each one regression on the v basis
      const lhat = weightedLeastSquares(B, n, qv, [Lnext]).coef[0];
      for (let i = 0; i < n; i++) {
        const li = Math.max(0, dotRow(B, i * qv, lhat));
        tmp[i] = (regressedMean ? Lnext[i] : Lnext[i] - li) * R[i];
        tmp2[i] = Lnext[i] * R[i] * R[i];
      }
      const [cov, den] = weightedLeastSquares(B, n, qv, [tmp, tmp2]).coef;
      feedback = { lhat, cov, den, regressed: regressedMean };
      w = Float64Array.from(Lnext);
      for (let i = 0; i < n; i++) Lnext[i] = feedbackAt(model, feedback, vd, sc, vk[i], B, i * qv).L;
    }
    const c = weightedLeastSquares(A, n, p2, [y], w).coef[0];
    const value = c.slice(0, pb);
    const ratio = c.slice(pb);
    steps[k] = { scaling: sc, value, ratio, feedback };
    if (k === 0) ratio0StdError = robustSlopeError(y, dX, w, n);
    for (let i = 0; i < n; i++) {
      const o = i * p2;
      let a = 0, xi = 0;
      for (let j = 0; j < pb; j++) {
        a += A[o + j] * value[j];
        xi += A[o + j] * ratio[j];
      }
      // LRM: pathwise hedged payoff; MVH: the fitted value (see the module header)
      y[i] = fittedTarget ? a : y[i] - xi * dX[i];
    }
    if (mvh && k === 0) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Lnext[i];
      L0 = s / n;
    }
  }
  const h: QuadraticHedge = {
    method, option, market: p.market, spec, varianceDegree: vd, ctx, model, steps, V0: 0, ratio0: 0, ratio0StdError, L0, paths: n,
  };
  const v0 = p.v[0];
  const S0 = p.S[0];
  const r0 = evalDate(h, 0, S0, v0, null);
  h.V0 = r0.value;
  h.ratio0 = r0.shares;
  return h;
}

/**
 * Heteroskedasticity-robust standard error of the slope of y on (1, dX) at t = 0 (one state, so
 * the regression is that simple there), weighted by w when given.
 */
function robustSlopeError(y: Float64Array, dX: Float64Array, w: Float64Array | null, n: number): number {
  let sw = 0, sx = 0, sy = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i];
    sw += wi; sx += wi * dX[i]; sy += wi * y[i];
  }
  const mx = sx / sw, my = sy / sw;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i];
    sxx += wi * (dX[i] - mx) ** 2;
    sxy += wi * (dX[i] - mx) * (y[i] - my);
  }
  const slope = sxy / sxx;
  let meat = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i];
    const e = y[i] - my - slope * (dX[i] - mx);
    meat += (wi * (dX[i] - mx) * e) ** 2;
  }
  return Math.sqrt(meat) / sxx;
}

/** The working arrays of a fit over n paths: design matrices (value and ratio columns; MVH's variance basis), a date's slice, the opportunity process and scratch. */
export interface FitBuffers {
  /** Columns of A: the value basis and the ratio basis (basis x dX). */
  p2: number;
  /** Columns of B: MVH's variance basis. */
  qv: number;
  A: Float64Array;
  B: Float64Array;
  date: DateSlice;
  /** MVH's opportunity process at the later date (1 at maturity). */
  Lnext: Float64Array;
  tmp: Float64Array;
  tmp2: Float64Array;
}

/** Allocates a fit's working arrays for n paths, a basis of pb functions and MVH's variance degree vd. */
export function fitBuffers(n: number, pb: number, vd: number): FitBuffers {
  const p2 = 2 * pb, qv = vd + 1;
  const f = () => new Float64Array(n);
  return {
    p2, qv, A: new Float64Array(n * p2), B: new Float64Array(n * qv),
    date: { S: f(), v: f(), dX: f(), R: f() }, Lnext: f().fill(1), tmp: f(), tmp2: f(),
  };
}

/** One rebalancing date's cross-section of the paths: spot, variance, discounted move and return. */
export interface DateSlice {
  S: Float64Array;
  v: Float64Array;
  dX: Float64Array;
  R: Float64Array;
}

/** Fills `out` with date k of the paths (dX = X_{k+1} - X_k, R = dX / X_k); returns the date's basis scaling. */
export function loadDate(p: HedgePaths, k: number, out: DateSlice): StepScaling {
  const stride = p.steps + 1;
  for (let i = 0; i < p.paths; i++) {
    const o = i * stride + k;
    out.S[i] = p.S[o];
    out.v[i] = p.v[o];
    out.dX[i] = p.X[o + 1] - p.X[o];
    out.R[i] = out.dX[i] / p.X[o];
  }
  return stepScaling(out.S, out.v, p.paths);
}

/** A date's hedge at one state: shares per option, discounted value, and (MVH) b_k/X_k. */
export interface DateHedge {
  /** Shares per option (MVH: including the feedback on `wealth`). */
  shares: number;
  /** Discounted value V_k. */
  value: number;
  /** The ratio without feedback, shares (LRM ratio or MVH pure hedge). */
  pureShares: number;
  /** MVH feedback coefficient in shares per unit of discounted shortfall V_k - W_k (0 for LRM). */
  feedbackShares: number;
}

const scratchCache = new WeakMap<QuadraticHedge, { row: Float64Array; vrow: Float64Array; s: ReturnType<typeof basisScratch> }>();

/**
 * The hedge at date k (0 <= k < steps) in state (S, v), with discounted wealth `wealth` so far
 * for MVH's feedback (null: no feedback, i.e. wealth = V_k).
 */
export function evalDate(h: QuadraticHedge, k: number, S: number, v: number, wealth: number | null): DateHedge {
  if (!(Number.isInteger(k) && k >= 0 && k < h.steps.length)) throw new RangeError(`date k must be an integer in [0, ${h.steps.length}), got ${String(k)}`);
  let sc = scratchCache.get(h);
  if (sc === undefined) {
    sc = { row: new Float64Array(basisSize(h.spec)), vrow: new Float64Array(h.varianceDegree + 1), s: basisScratch(h.spec) };
    scratchCache.set(h, sc);
  }
  const st = h.steps[k];
  const m = h.market;
  const t = k * (m.T / m.steps);
  basisRow(h.spec, st.scaling, h.ctx, S, v, m.T - t, sc.row, 0, sc.s);
  let value = 0, xi = 0;
  for (let j = 0; j < sc.row.length; j++) {
    value += sc.row[j] * st.value[j];
    xi += sc.row[j] * st.ratio[j];
  }
  const toShares = Math.exp(m.q * t);
  let fb = 0;
  if (st.feedback !== null) {
    const { b } = feedbackAt(h.model, st.feedback, h.varianceDegree, st.scaling, v, sc.vrow, 0);
    const X = S * Math.exp(-(m.r - m.q) * t);
    fb = (b / X) * toShares;
  }
  const pureShares = xi * toShares;
  const shares = wealth === null ? pureShares : pureShares + fb * (value - wealth);
  return { shares, value, pureShares, feedbackShares: fb };
}
