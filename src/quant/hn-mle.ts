/**
 * Maximum-likelihood estimation of Heston-Nandi GARCH(1,1) (HN 2000) from daily log returns,
 * Gaussian conditional likelihood with h_1 set to the sample variance:
 *   log L = -1/2 sum_t [log(2 pi) + log h_t + (R_t - r + q - lambda h_t)^2 / h_t].
 *
 * Constraints by a smooth reparametrisation, so that the unconstrained optimiser (BFGS with numeric
 * gradients, optimize.ts) cannot leave the valid region: for any real x,
 *   omega = e^{x0},  alpha = e^{x1},  gamma = tanh(x2) / sqrt(alpha),
 *   beta = (1 - tanh(x2)^2) logistic(x3),  lambda = x4,
 * so omega > 0, alpha > 0, beta > 0 and beta + alpha gamma^2 = tanh^2 + (1 - tanh^2) logistic < 1.
 * Standard errors: inverse of the numeric Hessian of -log L in x, mapped to the parameters by the
 * delta method (the Jacobian dtheta/dx is analytic). Hand-written (no JS library fits GARCH).
 */
import { bfgs, invertSpd, numericHessian, type MinResult } from './optimize.ts';
import { checkHnParams, hnFilter, hnPersistence, type HnParams } from './hn-params.ts';

/** Fewest returns hnFit accepts: five parameters need a few dozen observations at least. */
export const HN_MIN_RETURNS = 50;

const LOG_2PI = Math.log(2 * Math.PI);

/** Inputs of the likelihood besides the returns. */
export interface HnLikelihoodOptions {
  /** Risk-free rate per day (default 0). */
  rDaily?: number;
  /** Dividend yield per day (default 0). */
  qDaily?: number;
  /** Variance of the first return (default: the sample variance of the returns). */
  h1?: number;
}

/** Settings of hnFit. */
export interface HnFitOptions extends HnLikelihoodOptions {
  /** Start from these parameters only (e.g. the previous fit); default: three built-in starts. */
  start?: HnParams;
  /** BFGS iteration cap per start (default 400). */
  maxIter?: number;
}

/** A fitted model. */
export interface HnFit {
  params: HnParams;
  /** Maximised log-likelihood (total, with the 2 pi constant). */
  logLik: number;
  nObs: number;
  /** Standard errors (NaN when the Hessian is not positive definite at the optimum). */
  se: HnParams;
  /** Covariance of (omega, alpha, beta, gamma, lambda); null when the Hessian is not positive definite. */
  cov: number[][] | null;
  converged: boolean;
  message: string;
  iterations: number;
  evaluations: number;
  /** Infinity norm of the gradient of -log L / n in the unconstrained coordinates at the end. */
  gradNorm: number;
  persistence: number;
  /** (omega + alpha) / (1 - persistence). */
  stationaryVariance: number;
  /** The h_1 used. */
  h1: number;
  /** Conditional variances: variances[t] of returns[t]; variances[n] the next day's forecast. */
  variances: Float64Array;
}

/** Sample mean and variance (n - 1 denominator). */
function moments(x: ArrayLike<number>): { mean: number; variance: number } {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - m) * (x[i] - m);
  return { mean: m, variance: v / (x.length - 1) };
}

function checkReturns(returns: ArrayLike<number>, minN: number): void {
  if (returns === null || typeof returns !== 'object' || typeof returns.length !== 'number') throw new TypeError('returns must be an array of numbers');
  if (returns.length < minN) throw new RangeError(`returns: need at least ${minN} daily returns to estimate 5 parameters, got ${returns.length}`);
  for (let i = 0; i < returns.length; i++) {
    const v = returns[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`returns[${i}] must be a finite number, got ${String(v)}`);
  }
}

function rates(o: HnLikelihoodOptions): { r: number; q: number } {
  const r = o.rDaily ?? 0;
  const q = o.qDaily ?? 0;
  if (!Number.isFinite(r)) throw new RangeError(`rDaily must be a finite number, got ${r}`);
  if (!Number.isFinite(q)) throw new RangeError(`qDaily must be a finite number, got ${q}`);
  return { r, q };
}

function allEqual(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

function defaultH1(returns: ArrayLike<number>, o: HnLikelihoodOptions): number {
  // a constant series has a rounding-noise variance (~1e-38), not zero: test the values instead
  const h1 = o.h1 ?? (allEqual(returns) ? 0 : moments(returns).variance);
  if (!(Number.isFinite(h1) && h1 > 0)) {
    throw new RangeError(o.h1 === undefined ? 'returns have zero sample variance: nothing to estimate' : `h1 must be a finite variance > 0, got ${h1}`);
  }
  return h1;
}

/** The likelihood loop, shared by the public function and the optimiser (no checks). */
function logLik(p: HnParams, returns: ArrayLike<number>, h1: number, mu: number): number {
  const { omega, alpha, beta, gamma, lambda } = p;
  let h = h1;
  let ll = 0;
  const n = returns.length;
  for (let t = 0; t < n; t++) {
    const e = returns[t] - mu - lambda * h;
    ll += Math.log(h) + (e * e) / h;
    const sh = Math.sqrt(h);
    const d = e / sh - gamma * sh;
    h = omega + beta * h + alpha * d * d;
  }
  return -0.5 * (n * LOG_2PI + ll);
}

/** Gaussian log-likelihood of daily log returns under HN-GARCH (h_1 the sample variance by default). */
export function hnLogLikelihood(params: HnParams, returns: ArrayLike<number>, opts: HnLikelihoodOptions = {}): number {
  checkHnParams(params);
  checkReturns(returns, 1);
  const { r, q } = rates(opts);
  return logLik(params, returns, defaultH1(returns, opts), r - q);
}

const logistic = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

/** Maps unconstrained x (5 reals) to valid parameters (see the module header). */
export function hnFromUnconstrained(x: ArrayLike<number>): HnParams {
  const alpha = Math.exp(x[1]);
  const t = Math.tanh(x[2]);
  return { omega: Math.exp(x[0]), alpha, gamma: t / Math.sqrt(alpha), beta: (1 - t * t) * logistic(x[3]), lambda: x[4] };
}

/** Inverse of hnFromUnconstrained; throws unless omega, alpha, beta > 0 and persistence < 1. */
export function hnToUnconstrained(p: HnParams): Float64Array {
  checkHnParams(p);
  if (!(p.omega > 0)) throw new RangeError(`omega must be > 0, got ${p.omega}`);
  if (!(p.alpha > 0)) throw new RangeError(`alpha must be > 0, got ${p.alpha}`);
  if (!(p.beta > 0)) throw new RangeError(`beta must be > 0, got ${p.beta}`);
  const pers = hnPersistence(p);
  if (!(pers < 1)) throw new RangeError(`persistence beta + alpha gamma^2 must be < 1, got ${pers}`);
  const t = p.gamma * Math.sqrt(p.alpha);
  const share = p.beta / (1 - t * t);
  return Float64Array.of(Math.log(p.omega), Math.log(p.alpha), Math.atanh(t), Math.log(share / (1 - share)), p.lambda);
}

/** d(omega, alpha, beta, gamma, lambda) / dx at x, rows in that parameter order. */
function jacobian(x: Float64Array): number[][] {
  const p = hnFromUnconstrained(x);
  const t = Math.tanh(x[2]);
  const sech2 = 1 - t * t;
  const s = logistic(x[3]);
  return [
    [p.omega, 0, 0, 0, 0],
    [0, p.alpha, 0, 0, 0],
    [0, 0, -2 * t * sech2 * s, sech2 * s * (1 - s), 0],
    [0, -0.5 * p.gamma, sech2 / Math.sqrt(p.alpha), 0, 0],
    [0, 0, 0, 0, 1],
  ];
}

/**
 * Built-in starting points, scaled by the sample variance v (alpha ~ v, gamma ~ 1/sqrt(v) keep
 * the model scale-free): a typical S&P 500 fit (persistence 0.95, alpha gamma^2 ~ 0.1), a weakly
 * asymmetric low-persistence one, and a highly persistent one; lambda from the mean excess return.
 */
function starts(v: number, meanExcess: number): HnParams[] {
  const lambda = Math.max(-10, Math.min(10, meanExcess / v));
  const sv = Math.sqrt(v);
  const mk = (a: number, g: number, beta: number): HnParams => {
    const alpha = a * v;
    const gamma = g / sv;
    const pers = beta + alpha * gamma * gamma;
    return { omega: Math.max(v * (1 - pers) - alpha, 1e-3 * v * (1 - pers)), alpha, beta, gamma, lambda };
  };
  return [mk(0.03, 1.8, 0.85), mk(0.05, 0.5, 0.7), mk(0.005, 4, 0.9)];
}

/**
 * Fits HN-GARCH(1,1) by maximum likelihood. Throws a RangeError on too few returns (fewer than
 * HN_MIN_RETURNS), non-finite values, or a zero-variance series. The result's parameters always
 * satisfy omega, alpha, beta > 0 and beta + alpha gamma^2 < 1.
 */
export function hnFit(returns: ArrayLike<number>, opts: HnFitOptions = {}): HnFit {
  checkReturns(returns, HN_MIN_RETURNS);
  const { r, q } = rates(opts);
  const mu = r - q;
  const h1 = defaultH1(returns, opts);
  const n = returns.length;
  const data = Float64Array.from(returns);
  const f = (x: Float64Array): number => -logLik(hnFromUnconstrained(x), data, h1, mu) / n;
  const { mean, variance } = moments(data);
  const v = variance > 0 ? variance : h1;
  const x0s = opts.start ? [hnToUnconstrained(opts.start)] : starts(v, mean - mu).map(hnToUnconstrained);
  let best: MinResult | null = null;
  let iterations = 0;
  let evaluations = 0;
  for (const x0 of x0s) {
    const res = bfgs(f, x0, { maxIter: opts.maxIter ?? 400 });
    iterations += res.iterations;
    evaluations += res.evaluations;
    if (best === null || res.f < best.f) best = res;
  }
  const b = best!;
  const params = hnFromUnconstrained(b.x);
  const H = numericHessian((x) => n * f(x), b.x);
  const covX = invertSpd(H);
  let cov: number[][] | null = null;
  const se: HnParams = { omega: NaN, alpha: NaN, beta: NaN, gamma: NaN, lambda: NaN };
  if (covX) {
    const J = jacobian(b.x);
    cov = J.map((Ji) => J.map((Jk) => {
      let s = 0;
      for (let a = 0; a < 5; a++) for (let c = 0; c < 5; c++) s += Ji[a] * covX[a][c] * Jk[c];
      return s;
    }));
    const names = ['omega', 'alpha', 'beta', 'gamma', 'lambda'] as const;
    names.forEach((k, i) => (se[k] = Math.sqrt(cov![i][i])));
  }
  const persistence = hnPersistence(params);
  return {
    params,
    logLik: -b.f * n,
    nObs: n,
    se,
    cov,
    converged: b.converged,
    message: b.message,
    iterations,
    evaluations,
    gradNorm: b.gradNorm,
    persistence,
    stationaryVariance: (params.omega + params.alpha) / (1 - persistence),
    h1,
    variances: hnFilter(params, data, h1, r, q),
  };
}
