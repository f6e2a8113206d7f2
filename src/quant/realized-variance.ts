/**
 * Realized variance: the sum of squared log returns over a window (Andersen, Bollerslev, Diebold
 * and Labys 2001). Units: a variance of log price over the window the returns span (per day for a
 * day of 5-minute returns), not annualised; annualise with annualizeVariance.
 */

/** Trading days per year used to annualise daily variances (the project's convention). */
export const TRADING_DAYS_PER_YEAR = 252;

function checkPrice(p: number, i: number): void {
  if (!(Number.isFinite(p) && p > 0)) throw new RangeError(`price at index ${i} must be a positive finite number, got ${p}`);
}

/** Log returns ln(p_i / p_{i-1}) of a price series: prices.length - 1 values (empty for fewer than 2 prices). */
export function logReturns(prices: ArrayLike<number>, out?: Float64Array): Float64Array {
  const n = Math.max(0, prices.length - 1);
  const r = out ?? new Float64Array(n);
  if (r.length !== n) throw new RangeError(`out must have length prices.length - 1 = ${n}, got ${r.length}`);
  if (prices.length > 0) checkPrice(prices[0], 0);
  for (let i = 1; i < prices.length; i++) {
    checkPrice(prices[i], i);
    r[i - 1] = Math.log(prices[i] / prices[i - 1]);
  }
  return r;
}

/**
 * Realized variance sum r_i^2 of log returns. NaN for no returns (no estimate, rather than a
 * misleading 0); throws on a non-finite return, naming its index.
 */
export function realizedVariance(returns: ArrayLike<number>): number {
  if (returns.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (!Number.isFinite(r)) throw new RangeError(`return at index ${i} is not finite (${r})`);
    s += r * r;
  }
  return s;
}

/** Realized variance of a price series, sum of ln(p_i / p_{i-1})^2, without allocating; NaN for fewer than 2 prices. */
export function realizedVarianceFromPrices(prices: ArrayLike<number>): number {
  if (prices.length < 2) return NaN;
  checkPrice(prices[0], 0);
  let s = 0;
  for (let i = 1; i < prices.length; i++) {
    checkPrice(prices[i], i);
    const r = Math.log(prices[i] / prices[i - 1]);
    s += r * r;
  }
  return s;
}

/** A variance per period (e.g. per day) scaled to per year: v x periodsPerYear. */
export function annualizeVariance(v: number, periodsPerYear = TRADING_DAYS_PER_YEAR): number {
  if (!(periodsPerYear > 0)) throw new RangeError(`periodsPerYear must be positive, got ${periodsPerYear}`);
  return v * periodsPerYear;
}

/** The annualised volatility of a variance per period: sqrt(v x periodsPerYear). */
export function annualizedVolatility(v: number, periodsPerYear = TRADING_DAYS_PER_YEAR): number {
  return Math.sqrt(annualizeVariance(v, periodsPerYear));
}
