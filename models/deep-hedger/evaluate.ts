/**
 * Out-of-sample evaluation of a policy on a test set: shortfall statistics (mean, std, VaR,
 * CVaR, MSE, the seed's objective) of the deep hedger and of the classical hedges on the same
 * paths, the distance of its ratios from the model delta, and under Black-Scholes the
 * comparison of its hedging-error deviation with Kamal and Derman's discrete-hedging theory.
 */
import { classicalRatios, kamalDermanStd } from './benchmarks.ts';
import { SEED_LOSS, shortfallJs, shortfallStats, type LossSpec, type ShortfallStats } from './loss.ts';
import { ratiosJs, type PolicyArrays } from './network.ts';
import type { PathSet } from './paths.ts';
import type { HedgeSetup } from './setup.ts';

/** Distance of the policy's ratios from a reference hedge over every path and date. */
export interface RatioDiff {
  maxAbs: number;
  meanAbs: number;
  /** 99th percentile of |difference|. */
  p99Abs: number;
  /** The same maximum without the last rebalancing date (one day to expiry, where delta is nearly a step). */
  maxAbsBeforeLastDate: number;
}

/** What evaluatePolicy measures. */
export interface EvalReport {
  paths: number;
  premium: number;
  /** Shortfall statistics per hedging method ('deep', 'delta', 'mvDelta' under Heston/Bates, 'unhedged'). */
  methods: Record<string, ShortfallStats>;
  /** Deep hedger's ratios against the model delta (and the minimum-variance delta under Heston/Bates). */
  vsDelta: RatioDiff;
  vsMvDelta: RatioDiff | null;
  /** Black-Scholes only: hedging-error deviations against sqrt(pi/4) sigma vega / sqrt(N). */
  kamalDerman: { theory: number; deepStd: number; deltaStd: number; deepRelErr: number; deltaRelErr: number } | null;
}

/** |a - b| summary over n x N ratios. */
export function ratioDiff(a: ArrayLike<number>, b: ArrayLike<number>, N: number): RatioDiff {
  const d = new Float64Array(a.length);
  let max = 0, sum = 0, maxEarly = 0;
  for (let k = 0; k < a.length; k++) {
    const x = Math.abs(a[k] - b[k]);
    d[k] = x;
    sum += x;
    if (x > max) max = x;
    if (k % N !== N - 1 && x > maxEarly) maxEarly = x;
  }
  d.sort();
  return { maxAbs: max, meanAbs: sum / a.length, p99Abs: d[Math.min(d.length - 1, Math.floor(0.99 * d.length))], maxAbsBeforeLastDate: maxEarly };
}

/** Evaluates the policy on a test set against the classical hedges. */
export function evaluatePolicy(policy: PolicyArrays, s: HedgeSetup, ps: PathSet, premium: number, spec: LossSpec = SEED_LOSS, signal?: AbortSignal): EvalReport {
  const { n, steps: N } = ps;
  const deep = ratiosJs(policy, ps.x, n, N);
  const cl = classicalRatios(s, ps, signal);
  const short = (H: ArrayLike<number>) => shortfallJs(H, ps.S, n, N, s.K, premium, s.cost);
  const Ldeep = short(deep);
  const Ldelta = short(cl.delta);
  const methods: Record<string, ShortfallStats> = {
    deep: shortfallStats(Ldeep, spec),
    delta: shortfallStats(Ldelta, spec),
  };
  if (cl.mvDelta !== null) methods.mvDelta = shortfallStats(short(cl.mvDelta), spec);
  methods.unhedged = shortfallStats(short(new Float64Array(n * N)), spec);
  let kd: EvalReport['kamalDerman'] = null;
  if (s.dynamics === 'bs') {
    const theory = kamalDermanStd(s.S0, s.K, s.T, s.sigma, N);
    kd = {
      theory,
      deepStd: methods.deep.std,
      deltaStd: methods.delta.std,
      deepRelErr: methods.deep.std / theory - 1,
      deltaRelErr: methods.delta.std / theory - 1,
    };
  }
  return {
    paths: n,
    premium,
    methods,
    vsDelta: ratioDiff(deep, cl.delta, N),
    vsMvDelta: cl.mvDelta === null ? null : ratioDiff(deep, cl.mvDelta, N),
    kamalDerman: kd,
  };
}
