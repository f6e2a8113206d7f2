/**
 * European option prices by Monte Carlo under Heston or Bates (QE scheme by default), with the
 * standard error of each price; and the pricing of given terminal prices, for any simulator.
 *
 * Units: as the simulators (T in years, r and q continuously compounded per year). The payoff
 * max(S_T - K, 0) or max(K - S_T, 0) is discounted by e^{-rT}; with antithetic pairs the error is
 * taken over pair averages (mc-stats.ts).
 */
import { simulateHeston } from './mc-heston-qe.ts';
import { simulateHestonEuler } from './mc-heston-euler.ts';
import type { HestonSimOptions } from './mc-sim-options.ts';
import { mcMean } from './mc-stats.ts';

/** Pricing options: a risk-neutral simulation (no measure, physical or keepPaths) and the scheme. */
export interface McEuropeanOptions extends Omit<HestonSimOptions, 'keepPaths' | 'measure' | 'physical'> {
  /** 'qe' (Andersen's QE, default) or 'euler' (full-truncation Euler). */
  scheme?: 'qe' | 'euler';
}

/** Prices and standard errors, one per strike. */
export interface McPrices {
  price: Float64Array;
  stdError: Float64Array;
}

function checkStrikes(strikes: ArrayLike<number>, isCall: ArrayLike<boolean> | boolean): void {
  for (let k = 0; k < strikes.length; k++) {
    const K = strikes[k];
    if (!(Number.isFinite(K) && K > 0)) throw new RangeError(`strikes[${k}] must be a finite number > 0, got ${K}`);
  }
  if (typeof isCall !== 'boolean' && isCall.length !== strikes.length) {
    throw new RangeError(`isCall has ${isCall.length} entries for ${strikes.length} strikes`);
  }
}

/**
 * Discounted European payoffs of terminal prices ST: for each strike the mean of
 * disc * payoff(ST) and its standard error (over pair averages with `antithetic`).
 */
export function priceFromTerminal(
  ST: ArrayLike<number>,
  disc: number,
  strikes: ArrayLike<number>,
  isCall: ArrayLike<boolean> | boolean,
  antithetic: boolean,
): McPrices {
  checkStrikes(strikes, isCall);
  if (!(Number.isFinite(disc) && disc > 0)) throw new RangeError(`disc must be a finite number > 0, got ${disc}`);
  const nk = strikes.length;
  const price = new Float64Array(nk);
  const stdError = new Float64Array(nk);
  for (let k = 0; k < nk; k++) {
    const K = strikes[k];
    const call = typeof isCall === 'boolean' ? isCall : isCall[k];
    const est = mcMean(ST, antithetic, call ? (s) => (s > K ? s - K : 0) : (s) => (K > s ? K - s : 0));
    price[k] = disc * est.mean;
    stdError[k] = disc * est.stdError;
  }
  return { price, stdError };
}

/**
 * Monte Carlo European prices under the risk-neutral Heston (or Bates, params.lambda > 0) model
 * for several strikes at maturity o.T; isCall per strike or one boolean for all.
 */
export function mcEuropean(o: McEuropeanOptions, strikes: ArrayLike<number>, isCall: ArrayLike<boolean> | boolean): McPrices {
  checkStrikes(strikes, isCall);
  const scheme = o.scheme ?? 'qe';
  if (scheme !== 'qe' && scheme !== 'euler') throw new RangeError(`scheme must be 'qe' or 'euler', got ${String(scheme)}`);
  const sim = { ...o, measure: 'Q' as const, keepPaths: false };
  const paths = scheme === 'qe' ? simulateHeston(sim) : simulateHestonEuler(sim);
  return priceFromTerminal(paths.S, Math.exp(-o.r * o.T), strikes, isCall, o.antithetic ?? false);
}
