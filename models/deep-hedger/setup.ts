/**
 * The hedging problem the deep hedger is trained on: a short European call, struck at the money
 * (K = S0 = 100), T = 21 trading days, rebalanced once a day, zero rates (as in the seed), under
 * Black-Scholes, Heston or Bates dynamics taken under the risk-neutral measure, with optional
 * proportional transaction costs.
 *
 * Heston and Bates parameters are the market simulator's fit to SPX, VIX, VIX futures and VVIX
 * (data/simulator-params.json, risk-neutral block); Black-Scholes takes sigma = 0.2.
 */
import type { BatesParams, HestonParams } from '../../src/quant/heston-cf.ts';

/** The dynamics of the simulated underlying. */
export type Dynamics = 'bs' | 'heston' | 'bates';

/** Names accepted by parseDynamics. */
export const DYNAMICS: readonly Dynamics[] = ['bs', 'heston', 'bates'];

/** One hedging problem. */
export interface HedgeSetup {
  dynamics: Dynamics;
  /** Spot at inception; the strike is K = moneyness S0 (1: at the money). */
  S0: number;
  K: number;
  /** Horizon in years. */
  T: number;
  /** Rebalancing dates 0..steps-1; the option pays at step `steps`. */
  steps: number;
  /** Trading days per year: the variance filter sees one bar per step, so steps are days. */
  daysPerYear: number;
  /** Proportional cost per unit of traded value (0.001 = 10 bp). */
  cost: number;
  /** Black-Scholes vol (bs) or the Heston/Bates risk-neutral parameters. */
  sigma: number;
  params: HestonParams | BatesParams;
}

/** Heston parameters of the simulator's SPX fit (data/simulator-params.json, heston.q). */
export const SPX_HESTON: HestonParams = { v0: 0.0426502, kappa: 1.59592, theta: 0.0714652, sigma: 0.429087, rho: -0.7059 };
/** Bates parameters of the simulator's SPX fit (data/simulator-params.json, bates.q). */
export const SPX_BATES: BatesParams = {
  v0: 0.040012, kappa: 1.56735, theta: 0.0708015, sigma: 0.475331, rho: -0.7059, lambda: 0.765868, muJ: -0.044198, sigmaJ: 0.038164,
};
/** The Black-Scholes vol of the 'bs' setup. */
export const BS_SIGMA = 0.2;

/** Checks a dynamics name; throws naming the input otherwise. */
export function parseDynamics(name: string, what = 'model'): Dynamics {
  if (!(DYNAMICS as readonly string[]).includes(name)) throw new RangeError(`${what}: expected one of ${DYNAMICS.join(', ')}, got "${name}"`);
  return name as Dynamics;
}

/** The default setup for a dynamics, with overrides; throws a RangeError naming a bad field. */
export function makeSetup(dynamics: Dynamics, over: Partial<Omit<HedgeSetup, 'dynamics'>> = {}): HedgeSetup {
  parseDynamics(dynamics);
  const steps = over.steps ?? 21;
  const daysPerYear = over.daysPerYear ?? 252;
  // Black-Scholes is Heston with a constant variance sigma^2 (vol of variance 0), so one
  // simulator (the QE scheme, exact for that case) serves all three dynamics
  const sigma = over.sigma ?? BS_SIGMA;
  const params = over.params ?? (dynamics === 'bs' ? { v0: sigma * sigma, kappa: 1, theta: sigma * sigma, sigma: 0, rho: 0 } : dynamics === 'heston' ? SPX_HESTON : SPX_BATES);
  const s: HedgeSetup = {
    dynamics,
    S0: over.S0 ?? 100,
    K: over.K ?? 100,
    T: over.T ?? steps / daysPerYear,
    steps,
    daysPerYear,
    cost: over.cost ?? 0,
    sigma,
    params,
  };
  const need = (ok: boolean, name: string, rule: string, v: unknown): void => {
    if (!ok) throw new RangeError(`setup.${name} must be ${rule}, got ${String(v)}`);
  };
  need(Number.isFinite(s.S0) && s.S0 > 0, 'S0', '> 0', s.S0);
  need(Number.isFinite(s.K) && s.K > 0, 'K', '> 0', s.K);
  need(Number.isFinite(s.T) && s.T > 0, 'T', '> 0 (years)', s.T);
  need(Number.isInteger(s.steps) && s.steps >= 1 && s.steps <= 1000, 'steps', 'an integer in [1, 1000]', s.steps);
  need(Number.isFinite(s.cost) && s.cost >= 0 && s.cost < 0.1, 'cost', 'in [0, 0.1) (a fraction of traded value)', s.cost);
  need(Number.isFinite(s.sigma) && s.sigma > 0, 'sigma', '> 0', s.sigma);
  return s;
}
