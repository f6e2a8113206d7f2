/**
 * GARCH(1,1) baseline (Bollerslev 1986) with a constant mean, Gaussian MLE, hand-written (no JS
 * library fits GARCH):
 *   R_t = mu + sqrt(s2_t) e_t,   s2_{t+1} = omega + alpha (R_t - mu)^2 + beta s2_t,
 * natural daily units, s2_1 the sample variance of the fitted returns. The fit minimises over an
 * unconstrained x in percent units (better scaled for the numeric gradients of the quant core's
 * BFGS): omega = e^{x0} / 1e4, persistence alpha + beta = logistic(x1),
 * alpha = persistence logistic(x2), mu = x3 / 100; so omega, alpha, beta > 0 and alpha + beta < 1.
 */
import { bfgs, invertSpd, numericHessian } from '../../src/quant/optimize.ts';
import { randomStream } from '../../src/quant/mc-random.ts';
import { LOG_2PI, RETURN_SCALE, VARIANCE_SCALE } from './units.ts';

/** GARCH(1,1) parameters, natural daily units. */
export interface Garch11Params {
  omega: number;
  alpha: number;
  beta: number;
  mu: number;
}

/** A fit: parameters, standard errors (NaN when the Hessian is not positive definite), log-likelihood. */
export interface Garch11Fit {
  params: Garch11Params;
  se: Garch11Params;
  logLik: number;
  nObs: number;
  s2First: number;
  converged: boolean;
}

const logistic = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

/** Next conditional variance after return R (the filter step shared by fit, evaluation and live). */
export function garchNextVariance(p: Garch11Params, s2: number, R: number): number {
  const e = R - p.mu;
  return p.omega + p.alpha * e * e + p.beta * s2;
}

/** Expected total variance of the next n days given the next day's variance s2Next. */
export function garchExpectedTotalVariance(p: Garch11Params, s2Next: number, n: number): number {
  const pers = p.alpha + p.beta;
  let e = s2Next;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += e;
    e = p.omega + pers * e;
  }
  return sum;
}

/** Gaussian log-likelihood of returns under GARCH(1,1) from s2_1 = s2First. */
export function garchLogLikelihood(p: Garch11Params, returns: ArrayLike<number>, s2First: number): number {
  let s2 = s2First;
  let ll = 0;
  for (let t = 0; t < returns.length; t++) {
    const e = returns[t] - p.mu;
    ll += Math.log(s2) + (e * e) / s2;
    s2 = p.omega + p.alpha * e * e + p.beta * s2;
  }
  return -0.5 * (returns.length * LOG_2PI + ll);
}

/** Maps unconstrained x (4 reals) to valid parameters (module header). */
export function garchFromUnconstrained(x: ArrayLike<number>): Garch11Params {
  const pers = logistic(x[1]);
  const alpha = pers * logistic(x[2]);
  return { omega: Math.exp(x[0]) / VARIANCE_SCALE, alpha, beta: pers - alpha, mu: x[3] / RETURN_SCALE };
}

/** Inverse of garchFromUnconstrained; throws unless omega, alpha, beta > 0 and alpha + beta < 1. */
export function garchToUnconstrained(p: Garch11Params): Float64Array {
  if (!(p.omega > 0 && p.alpha > 0 && p.beta > 0 && p.alpha + p.beta < 1 && Number.isFinite(p.mu))) {
    throw new RangeError(`GARCH(1,1) parameters must have omega, alpha, beta > 0, alpha + beta < 1 and a finite mu, got ${JSON.stringify(p)}`);
  }
  const pers = p.alpha + p.beta;
  const share = p.alpha / pers;
  return Float64Array.of(Math.log(p.omega * VARIANCE_SCALE), Math.log(pers / (1 - pers)), Math.log(share / (1 - share)), p.mu * RETURN_SCALE);
}

/** Fits GARCH(1,1) by maximum likelihood (throws on fewer than 50 returns or a non-finite one). */
export function garchFit(returns: ArrayLike<number>): Garch11Fit {
  const n = returns.length;
  if (n < 50) throw new RangeError(`returns: need at least 50 to fit GARCH(1,1), got ${n}`);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(returns[i])) throw new RangeError(`returns[${i}] must be finite, got ${returns[i]}`);
    m += returns[i];
  }
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (returns[i] - m) ** 2;
  v /= n - 1;
  if (!(v > 0)) throw new RangeError('returns have zero variance: nothing to fit');
  const f = (x: Float64Array): number => -garchLogLikelihood(garchFromUnconstrained(x), returns, v) / n;
  const x0 = garchToUnconstrained({ omega: v * 0.02, alpha: 0.08, beta: 0.9, mu: m });
  const res = bfgs(f, x0, { maxIter: 400 });
  const params = garchFromUnconstrained(res.x);
  const se: Garch11Params = { omega: NaN, alpha: NaN, beta: NaN, mu: NaN };
  const cov = invertSpd(numericHessian((x) => n * f(x), res.x));
  if (cov) {
    // delta method with a central-difference Jacobian of the (cheap) parameter map
    const J = [0, 1, 2, 3].map((j) => {
      const h = 1e-6 * (1 + Math.abs(res.x[j]));
      const xp = Float64Array.from(res.x);
      const xm = Float64Array.from(res.x);
      xp[j] += h;
      xm[j] -= h;
      const a = garchFromUnconstrained(xp);
      const b = garchFromUnconstrained(xm);
      return (['omega', 'alpha', 'beta', 'mu'] as const).map((k) => (a[k] - b[k]) / (2 * h));
    });
    (['omega', 'alpha', 'beta', 'mu'] as const).forEach((k, i) => {
      let s = 0;
      for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) s += J[a][i] * cov[a][b] * J[b][i];
      se[k] = Math.sqrt(s);
    });
  }
  return { params, se, logLik: -res.f * n, nObs: n, s2First: v, converged: res.converged };
}

/** Simulates n GARCH(1,1) returns from the stationary variance, seeded (for tests). */
export function garchSimulate(p: Garch11Params, n: number, seed: number): Float64Array {
  const rng = randomStream(seed);
  const out = new Float64Array(n);
  let s2 = p.omega / (1 - p.alpha - p.beta);
  for (let t = 0; t < n; t++) {
    out[t] = p.mu + Math.sqrt(s2) * rng.normal();
    s2 = garchNextVariance(p, s2, out[t]);
  }
  return out;
}
