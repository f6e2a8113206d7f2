/**
 * The classical hedges the deep hedger is measured against, on the same paths and dates: the
 * Black-Scholes delta (Black-Scholes dynamics), and under Heston or Bates the model delta and
 * the minimum-variance delta dC/dS + (rho sigma / S) dC/dv0 (src/quant/heston-greeks.ts, the
 * function the live `heston` and `heston-mv` methods of src/hedging/ratios.ts also call), both at
 * each path's simulated variance; plus Kamal and Derman's discrete-hedging error. Called here
 * directly: every path and date has its own variance, so the live methods' per-surface sharing
 * has nothing to share and only adds cost.
 */
import { bsGreeks } from '../../src/quant/black-scholes.ts';
import { hestonGreeks } from '../../src/quant/heston-greeks.ts';
import type { PathSet } from './paths.ts';
import type { HedgeSetup } from './setup.ts';

/** Hedge ratios n x N (path-major) of the classical methods. */
export interface ClassicalRatios {
  /** Black-Scholes delta (bs) or Heston/Bates model delta. */
  delta: Float64Array;
  /** Minimum-variance delta (Heston/Bates only). */
  mvDelta: Float64Array | null;
}

/** Classical ratios on every path and date of the set (Heston greeks: about 0.1 ms each). */
export function classicalRatios(s: HedgeSetup, ps: PathSet, signal?: AbortSignal): ClassicalRatios {
  const { n, steps: N } = ps;
  const delta = new Float64Array(n * N);
  const mv = s.dynamics === 'bs' ? null : new Float64Array(n * N);
  const dt = s.T / N;
  const K = [s.K];
  for (let i = 0; i < n; i++) {
    if ((i & 255) === 0 && signal?.aborted) throw new Error('deep-hedger: aborted');
    for (let t = 0; t < N; t++) {
      const S = ps.S[i * (N + 1) + t];
      const tau = s.T - t * dt;
      if (mv === null) {
        delta[i * N + t] = bsGreeks(S, s.K, tau, 0, 0, s.sigma, 'C').delta;
      } else {
        // the QE scheme can land exactly on v = 0; the greeks need a (tiny) positive variance
        const v0 = Math.max(ps.v[i * (N + 1) + t], 1e-8);
        const g = hestonGreeks({ ...s.params, v0 }, S, tau, 0, 0, K, true);
        delta[i * N + t] = g.delta[0];
        mv[i * N + t] = g.mvDelta[0];
      }
    }
  }
  return { delta, mvDelta: mv };
}

/**
 * Kamal and Derman's standard deviation of the P&L of a delta-hedged option rebalanced N times
 * (E. Derman and M. Kamal, "When You Cannot Hedge Continuously: The Corrections of
 * Black-Scholes", Risk 12(1), 1999, 82-85): sqrt(pi/4) sigma vega / sqrt(N), vega = dC/dsigma
 * per unit vol; their leading-order result for an at-the-money option.
 */
export function kamalDermanStd(S0: number, K: number, T: number, sigma: number, N: number): number {
  const vega = bsGreeks(S0, K, T, 0, 0, sigma, 'C').vega;
  return (Math.sqrt(Math.PI / 4) * sigma * vega) / Math.sqrt(N);
}
