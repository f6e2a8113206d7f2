/**
 * Units of the HN-GRU model. Daily variances of S&P 500 log returns are about 1e-4, which puts
 * sigmoid and tanh inputs, Adam steps and finite-difference checks badly out of scale, so the
 * VI-HN-GRU works in percent: y = 100 R (a percent log return) and every variance times 1e4
 * (%^2 per day; the S&P 500 averages about 1.2). Plain HN-GARCH and GARCH(1,1) keep natural
 * daily units (their parameters feed the quant core's pricing). Metrics and the live state are
 * in natural units unless a field says otherwise.
 */

/** Returns are multiplied by this (percent). */
export const RETURN_SCALE = 100;
/** Variances are multiplied by this (RETURN_SCALE squared). */
export const VARIANCE_SCALE = RETURN_SCALE * RETURN_SCALE;
/** Trading days per year (the project's convention). */
export const DAYS_PER_YEAR = 252;
/** Trading days in the "30-day" horizon of VIX and the 21-day forecast. */
export const HORIZON_DAYS = 21;
/** log(2 pi), the Gaussian log-density's constant. */
export const LOG_2PI = Math.log(2 * Math.PI);

/** Annualised volatility of a variance over `days` trading days (natural units). */
export function annualVol(variance: number, days = 1): number {
  return Math.sqrt((variance * DAYS_PER_YEAR) / days);
}
