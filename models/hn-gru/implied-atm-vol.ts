/**
 * HN-GARCH option-implied 30-day at-the-money volatility: the closed-form Heston-Nandi price
 * (quant core, risk-neutral dynamics of the physical fit) of a 21-trading-day at-the-forward
 * call, turned into a Black-Scholes implied volatility. Rates are set to zero (the history has
 * no rate series and an at-the-forward option's implied vol barely depends on them).
 */
import { hnPrice } from '../../src/quant/hn-price.ts';
import { impliedVol } from '../../src/quant/implied-vol.ts';
import type { HnParams } from '../../src/quant/hn-params.ts';
import { DAYS_PER_YEAR, HORIZON_DAYS } from './units.ts';

/**
 * Implied vol (annualised) of a 21-day ATM call under HN-GARCH `params` (physical, natural daily
 * units) with next-day variance hNext. NaN when the price gives no implied vol.
 */
export function hnImpliedAtmVol30d(params: HnParams, hNext: number, tradingDays = HORIZON_DAYS): number {
  if (!(hNext > 0 && Number.isFinite(hNext))) throw new RangeError(`hNext must be a positive variance, got ${hNext}`);
  const price = hnPrice(params, { S: 1, K: 1, Tdays: tradingDays, rDaily: 0, h0: hNext, right: 'call' })[0];
  return impliedVol(price, 1, 1, tradingDays / DAYS_PER_YEAR, 0, 0, 'C').iv;
}
