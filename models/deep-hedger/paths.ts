/**
 * Monte Carlo training and test sets: price and variance paths from the quant core's QE scheme
 * (mc-heston-qe.ts; Black-Scholes as Heston with a constant variance), the option premium, and
 * the policy's four features per rebalancing date.
 */
import { bsPrice } from '../../src/quant/black-scholes.ts';
import { hestonPrices } from '../../src/quant/heston.ts';
import { simulateHeston } from '../../src/quant/mc-heston-qe.ts';
import { N_FEATURES } from './features.ts';
import type { HedgeSetup } from './setup.ts';
import { volFeatures, type VolFeatureSource } from './vol-feature.ts';

/** A set of simulated paths with their features. */
export interface PathSet {
  n: number;
  steps: number;
  /** Prices, n x (steps + 1), path-major. */
  S: Float64Array;
  /** The model's instantaneous variance, same layout (sigma^2 for Black-Scholes). */
  v: Float64Array;
  /** Features, n x steps x N_FEATURES, path-major (see features.ts). */
  x: Float32Array;
}

/** The option's model price at inception (the premium the hedger receives). */
export function premium(s: HedgeSetup): number {
  if (s.dynamics === 'bs') return bsPrice(s.S0, s.K, s.T, 0, 0, s.sigma, 'C');
  return hestonPrices(s.params, s.S0, s.T, 0, 0, [s.K], true)[0];
}

/**
 * Simulates n paths of the setup from (seed, stream) and computes their features, the
 * volatility feature by the live variance filter (vol-feature.ts).
 */
export function simulatePathSet(s: HedgeSetup, n: number, seed: number, stream: number, vol: VolFeatureSource, signal?: AbortSignal): PathSet {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`paths must be an integer >= 1, got ${n}`);
  const sim = simulateHeston({ params: s.params, S0: s.S0, r: 0, T: s.T, steps: s.steps, paths: n, seed, stream, keepPaths: true, measure: 'Q' });
  const N = s.steps;
  const x = new Float32Array(n * N * N_FEATURES);
  const vf = volFeatures(sim.S, n, N, vol, signal);
  for (let i = 0; i < n; i++) {
    const o = i * (N + 1);
    for (let t = 0; t < N; t++) {
      const k = (i * N + t) * N_FEATURES;
      x[k] = sim.S[o + t] / s.S0;
      x[k + 1] = (N - t) / N;
      x[k + 2] = t === 0 ? 0 : Math.log(sim.S[o + t] / sim.S[o + t - 1]);
      x[k + 3] = vf[i * N + t];
    }
  }
  return { n, steps: N, S: sim.S, v: sim.v, x };
}
