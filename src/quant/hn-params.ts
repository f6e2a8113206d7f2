/**
 * Heston-Nandi GARCH(1,1) (Heston and Nandi 2000, "A closed-form GARCH option valuation model",
 * Review of Financial Studies 13(3)): parameters, the physical-to-risk-neutral mapping, the
 * variance recursion and its moments.
 *
 * Model, one step per trading day, all parameters daily:
 *   R_t = log(S_t / S_{t-1}) = r - q + lambda h_t + sqrt(h_t) z_t,           z_t ~ N(0, 1)
 *   h_{t+1} = omega + beta h_t + alpha (z_t - gamma sqrt(h_t))^2
 * h_t, the variance of day t's return, is known at the close of day t - 1.
 *
 * Under the risk-neutral measure Q the same recursion holds with lambda* = -1/2 and
 * gamma* = gamma + lambda + 1/2 (HN 2000, Proposition 1), so h is one process seen under two
 * measures: the value of h at a date is the same under P and Q, only its dynamics differ.
 */

/** Daily Heston-Nandi parameters. */
export interface HnParams {
  /** Variance intercept (> 0, or >= 0 for pricing). */
  omega: number;
  /** Loading of the squared shock (>= 0). */
  alpha: number;
  /** Variance autoregression (>= 0). */
  beta: number;
  /** Leverage: asymmetry of the variance response to return shocks (any sign). */
  gamma: number;
  /** Equity risk premium per unit variance (daily returns carry lambda * h). */
  lambda: number;
}

const NAMES = ['omega', 'alpha', 'beta', 'gamma', 'lambda'] as const;

/**
 * Throws a RangeError naming the first bad field: every field must be finite and omega, alpha,
 * beta non-negative. `what` prefixes field names in messages (e.g. "params").
 */
export function checkHnParams(p: HnParams, what = 'params'): void {
  if (p === null || typeof p !== 'object') throw new TypeError(`${what} must be an object {omega, alpha, beta, gamma, lambda}`);
  for (const k of NAMES) {
    const v = (p as unknown as Record<string, unknown>)[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${what}.${k} must be a finite number, got ${String(v)}`);
  }
  if (p.omega < 0) throw new RangeError(`${what}.omega must be >= 0, got ${p.omega}`);
  if (p.alpha < 0) throw new RangeError(`${what}.alpha must be >= 0, got ${p.alpha}`);
  if (p.beta < 0) throw new RangeError(`${what}.beta must be >= 0, got ${p.beta}`);
}

/** Persistence of the variance, beta + alpha gamma^2: E[h_{t+1}] = omega + alpha + persistence E[h_t]. */
export function hnPersistence(p: HnParams): number {
  return p.beta + p.alpha * p.gamma * p.gamma;
}

/**
 * Stationary (unconditional) variance (omega + alpha) / (1 - beta - alpha gamma^2) of the
 * measure the parameters describe; throws when the persistence is >= 1 (no stationary variance).
 */
export function hnStationaryVariance(p: HnParams): number {
  const pers = hnPersistence(p);
  if (!(pers < 1)) throw new RangeError(`not stationary: persistence beta + alpha gamma^2 = ${pers} >= 1, so there is no stationary variance`);
  return (p.omega + p.alpha) / (1 - pers);
}

/** The risk-neutral parameters: lambda* = -1/2, gamma* = gamma + lambda + 1/2 (HN 2000). */
export function hnRiskNeutral(p: HnParams): HnParams {
  return { omega: p.omega, alpha: p.alpha, beta: p.beta, gamma: p.gamma + p.lambda + 0.5, lambda: -0.5 };
}

/**
 * Tomorrow's variance h_{t+1} from today's h_t and today's log return R_t (daily rate rDaily,
 * dividend yield qDaily): the shock is z_t = (R_t - r + q - lambda h_t) / sqrt(h_t). This is the
 * live filter step.
 */
export function hnNextVariance(p: HnParams, h: number, R: number, rDaily = 0, qDaily = 0): number {
  const sh = Math.sqrt(h);
  const z = (R - rDaily + qDaily - p.lambda * h) / sh;
  const d = z - p.gamma * sh;
  return p.omega + p.beta * h + p.alpha * d * d;
}

/**
 * Conditional variances along a return series: out[0] = h1 (the variance of returns[0]),
 * out[t + 1] = h after returns[t], so out[n] is the forecast for the day after the series.
 */
export function hnFilter(p: HnParams, returns: ArrayLike<number>, h1: number, rDaily = 0, qDaily = 0, out?: Float64Array): Float64Array {
  const n = returns.length;
  const h = out ?? new Float64Array(n + 1);
  if (h.length < n + 1) throw new RangeError(`out has ${h.length} entries, needs returns.length + 1 = ${n + 1}`);
  if (!(Number.isFinite(h1) && h1 > 0)) throw new RangeError(`h1 must be a finite variance > 0, got ${h1}`);
  h[0] = h1;
  let ht = h1;
  for (let t = 0; t < n; t++) {
    ht = hnNextVariance(p, ht, returns[t], rDaily, qDaily);
    h[t + 1] = ht;
  }
  return h;
}

/**
 * Expected variances E[h_{t+k}] for k = 1..n given h_{t+1} = h1, under the measure the
 * parameters describe (pass hnRiskNeutral(p) for Q): E[h_{k+1}] = omega + alpha + persistence E[h_k].
 */
export function hnExpectedVariances(p: HnParams, h1: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const pers = hnPersistence(p);
  let e = h1;
  for (let k = 0; k < n; k++) {
    out[k] = e;
    e = p.omega + p.alpha + pers * e;
  }
  return out;
}

/** Sum of the expected variances over the next n days: the expected total variance of log S. */
export function hnExpectedTotalVariance(p: HnParams, h1: number, n: number): number {
  const pers = hnPersistence(p);
  let e = h1;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += e;
    e = p.omega + p.alpha + pers * e;
  }
  return sum;
}
