/**
 * Paths for quadratic hedging: Heston or Bates under the physical measure P by the quant core's
 * QE scheme (mc-heston-qe.ts) on the seeded streams of mc-random.ts, whole paths kept, with the
 * discounted price X_k = S_k e^{-(r - q) t_k} and the discounted payoff.
 *
 * Hedging instrument: holding theta shares over (t_k, t_{k+1}], financed at r and with the
 * dividends q reinvested, gains theta e^{-q t_k} (X_{k+1} - X_k) in time-0 money, so a ratio xi
 * in units of X is theta = xi e^{q t_k} shares; every ratio this module's users publish is in
 * shares per option.
 *
 * Equity risk premium under P, two forms (the choice matters for mean-variance hedging):
 *   'constant': mu - r fixed, the market price of risk (mu - r)/sqrt(v), unbounded as v -> 0;
 *   'variance': mu - r = lambdaS v (Heston 1993; Cerny and Kallsen, "Mean-variance hedging and
 *               optimal investment in Heston's model with correlation", Math. Finance 18, 2008),
 *               market price of risk lambdaS sqrt(v), mean-variance tradeoff lambdaS^2 v dt.
 * The 'variance' form is simulated as the 'P' scheme with mu = r plus lambdaS (v_k + v_{k+1})/2
 * dt per step on ln S, the trapezoid of the step's integrated variance the QE scheme itself uses.
 */
import type { BatesParams, HestonParams } from './heston-cf.ts';
import { simulateHeston } from './mc-heston-qe.ts';

/** A European option to hedge. */
export interface HedgedOption {
  K: number;
  call: boolean;
}

/** Market data and the rebalancing grid. */
export interface HedgeMarket {
  S0: number;
  /** Short rate and dividend yield, continuously compounded per year. */
  r: number;
  q: number;
  /** Expiry in years. */
  T: number;
  /** Rebalancing dates t_k = k T / steps, k = 0..steps - 1. */
  steps: number;
}

/** The equity risk premium under P (see the module header). */
export type EquityPremium = { kind: 'constant'; mu: number } | { kind: 'variance'; lambdaS: number };

/** What to simulate. */
export interface HedgePathOptions {
  /** Risk-neutral Heston or Bates parameters. */
  params: HestonParams | BatesParams;
  market: HedgeMarket;
  premium: EquityPremium;
  /** P variance drift; default the Q one (no variance risk premium). */
  physicalVariance?: { kappa: number; theta: number };
  /** A power of two. */
  paths: number;
  seed: number;
  /** Independent stream of the seed (default 0): fit on one stream, evaluate on another. */
  stream?: number;
  /** Pair paths 2k, 2k + 1 on mirrored draws (mc-blocks.ts); default false. */
  antithetic?: boolean;
}

/** Simulated paths: path i's date k at [i (steps + 1) + k]. */
export interface HedgePaths {
  S: Float64Array;
  v: Float64Array;
  /** Discounted prices S_k e^{-(r - q) t_k}. */
  X: Float64Array;
  paths: number;
  steps: number;
  dt: number;
  market: HedgeMarket;
  premium: EquityPremium;
  /** The P variance drift simulated. */
  physicalVariance: { kappa: number; theta: number };
}

/** True for 1, 2, 4, ... */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0 && n <= 2 ** 30;
}

/** Simulates P paths for hedging; throws a RangeError naming the bad input. */
export function simulateHedgePaths(o: HedgePathOptions): HedgePaths {
  const { market: m, premium } = o;
  if (!isPowerOfTwo(o.paths)) throw new RangeError(`paths must be a power of two, got ${String(o.paths)}`);
  if (!(Number.isFinite(m.q))) throw new RangeError(`market.q must be a finite number, got ${String(m.q)}`);
  let mu: number;
  let lambdaS = 0;
  if (premium.kind === 'constant') {
    if (!Number.isFinite(premium.mu)) throw new RangeError(`premium.mu must be a finite number, got ${String(premium.mu)}`);
    mu = premium.mu;
  } else if (premium.kind === 'variance') {
    if (!Number.isFinite(premium.lambdaS)) throw new RangeError(`premium.lambdaS must be a finite number, got ${String(premium.lambdaS)}`);
    mu = m.r;
    lambdaS = premium.lambdaS;
  } else {
    throw new RangeError(`premium.kind must be 'constant' or 'variance', got ${String((premium as { kind: unknown }).kind)}`);
  }
  const pv = o.physicalVariance ?? { kappa: o.params.kappa, theta: o.params.theta };
  const sim = simulateHeston({
    params: o.params, S0: m.S0, r: m.r, q: m.q, T: m.T, steps: m.steps, paths: o.paths, seed: o.seed,
    stream: o.stream ?? 0, antithetic: o.antithetic ?? false, measure: 'P', physical: { mu, kappa: pv.kappa, theta: pv.theta }, keepPaths: true,
  });
  const { S, v } = sim;
  const N = m.steps;
  const stride = N + 1;
  const dt = m.T / N;
  if (lambdaS !== 0) {
    const h = 0.5 * lambdaS * dt;
    for (let i = 0; i < o.paths; i++) {
      const o0 = i * stride;
      let acc = 0;
      for (let k = 1; k <= N; k++) {
        acc += h * (v[o0 + k - 1] + v[o0 + k]);
        S[o0 + k] *= Math.exp(acc);
      }
    }
  }
  const X = new Float64Array(S.length);
  const disc = Float64Array.from({ length: stride }, (_, k) => Math.exp(-(m.r - m.q) * k * dt));
  for (let i = 0; i < o.paths; i++) for (let k = 0; k <= N; k++) X[i * stride + k] = S[i * stride + k] * disc[k];
  return { S, v, X, paths: o.paths, steps: N, dt, market: m, premium, physicalVariance: { kappa: pv.kappa, theta: pv.theta } };
}

/**
 * Work units (about 10 ns each, as the stepped builds of hedge-lsmc-multi.ts and heston-greeks.ts)
 * of simulateHedgePaths: about 6 per path and date kept (QE steps, premium and discounting),
 * timed on 1,024 paths of 1 to 8 dates. A function of the sizes only, so a budget spent by it is
 * the same on every run.
 */
export function hedgePathsWork(paths: number, steps: number): number {
  return 6 * paths * (steps + 1);
}

/** E[integral of v over one step | v now] under P: the trapezoid (v + E[v' | v]) dt / 2 of the QE scheme. */
export function expectedStepVariance(pv: { kappa: number; theta: number }, v: number, dt: number): number {
  const e = Math.exp(-pv.kappa * dt);
  return 0.5 * dt * (v + pv.theta + (v - pv.theta) * e);
}

/**
 * E_k[R | v], R = X_{k+1}/X_k - 1, under P: exactly e^{(mu - r) dt} - 1 for the constant premium
 * (the QE-M scheme's martingale correction makes E[S'/S] = e^{(mu - q) dt}); for the variance
 * premium its first-order value e^{lambdaS E[int v]} - 1 (dropping lambdaS's covariance with the
 * step's martingale part, O(dt^2)).
 */
export function expectedStepReturn(premium: EquityPremium, pv: { kappa: number; theta: number }, r: number, dt: number, v: number): number {
  if (premium.kind === 'constant') return Math.expm1((premium.mu - r) * dt);
  return Math.expm1(premium.lambdaS * expectedStepVariance(pv, Math.max(v, 0), dt));
}

/** Discounted payoffs e^{-rT} (S_T - K)^+ or (K - S_T)^+ of every path. */
export function discountedPayoffs(p: HedgePaths, opt: HedgedOption): Float64Array {
  const N = p.steps;
  const df = Math.exp(-p.market.r * p.market.T);
  const H = new Float64Array(p.paths);
  for (let i = 0; i < p.paths; i++) {
    const s = p.S[i * (N + 1) + N];
    H[i] = df * Math.max(opt.call ? s - opt.K : opt.K - s, 0);
  }
  return H;
}
