/**
 * Evaluation of a discrete hedging strategy on paths (simulated under the physical measure):
 * the hedging error e = H - V_0 - sum_k xi_k dX_{k+1} in time-0 money, its RMSE, the hedge
 * effectiveness 1 - Var(e)/Var(H), and the orthogonality of cost and gains: the correlation,
 * pooled over dates and paths, of the cost increments dC_{k+1} = V_{k+1} - V_k - xi_k dX_{k+1}
 * (V the strategy's own value process, V_N = H) with the gains xi_k dX_{k+1}. LRM's cost is
 * orthogonal to X by construction (E_k[dC dX] = 0), so its correlation is 0 up to Monte Carlo
 * error; a delta hedge's need not be.
 *
 * Also counted: how often |ratio| exceeded the seed's ad-hoc clipping bounds (10 and 50 shares
 * per option), with no clipping applied.
 */
import type { HedgedOption, HedgePaths } from './hedge-lsmc-paths.ts';
import { discountedPayoffs } from './hedge-lsmc-paths.ts';
import { evalDate, type QuadraticHedge } from './hedge-lsmc.ts';

/** What a strategy says at one date and state. */
export interface StrategyOut {
  /** Shares per option. */
  shares: number;
  /** The strategy's discounted value of the option at this date (for the cost process). */
  value: number;
}

/** A hedging strategy: initial capital and the ratio at each date (wealth is discounted). */
export interface HedgeStrategy {
  name: string;
  V0: number;
  at(k: number, S: number, v: number, wealth: number, out: StrategyOut): void;
}

/** Metrics of one strategy on one set of paths (money in time-0 index points per option). */
export interface HedgeMetrics {
  name: string;
  V0: number;
  meanError: number;
  /** sqrt(E[e^2]): what MVH minimises. */
  rmse: number;
  sdError: number;
  /** 1 - Var(e)/Var(H). */
  effectiveness: number;
  /** Pooled correlation of the cost increments with the gains. */
  costGainCorr: number;
  maxAbsShares: number;
  /** Fraction of (path, date) ratios with |shares| > 10 and > 50. */
  over10: number;
  over50: number;
  /** sd of the unhedged discounted payoff. */
  sdPayoff: number;
  /** Per-path errors (for paired comparisons). */
  errors: Float64Array;
}

/** Runs a strategy along every path and measures it. */
export function evaluateStrategy(p: HedgePaths, option: HedgedOption, s: HedgeStrategy): HedgeMetrics {
  const n = p.paths;
  const N = p.steps;
  const stride = N + 1;
  const H = discountedPayoffs(p, option);
  const errors = new Float64Array(n);
  const toX = Float64Array.from({ length: N }, (_, k) => Math.exp(-p.market.q * k * p.dt));
  const out: StrategyOut = { shares: 0, value: 0 };
  let maxAbs = 0, c10 = 0, c50 = 0;
  // pooled correlation sums
  let sc = 0, sg = 0, scc = 0, sgg = 0, scg = 0;
  for (let i = 0; i < n; i++) {
    const o = i * stride;
    let W = s.V0;
    s.at(0, p.S[o], p.v[o], W, out);
    let value = out.value;
    let shares = out.shares;
    for (let k = 0; k < N; k++) {
      const a = Math.abs(shares);
      if (!(a <= maxAbs)) maxAbs = a;
      if (!(a <= 10)) c10++;
      if (!(a <= 50)) c50++;
      const gain = shares * toX[k] * (p.X[o + k + 1] - p.X[o + k]);
      W += gain;
      let next: number;
      if (k + 1 < N) {
        s.at(k + 1, p.S[o + k + 1], p.v[o + k + 1], W, out);
        next = out.value;
      } else {
        next = H[i];
      }
      const dC = next - value - gain;
      sc += dC; sg += gain; scc += dC * dC; sgg += gain * gain; scg += dC * gain;
      value = next;
      shares = out.shares;
    }
    errors[i] = H[i] - W;
  }
  const m = n * N;
  const cov = scg / m - (sc / m) * (sg / m);
  const corr = cov / Math.sqrt(Math.max(0, scc / m - (sc / m) ** 2) * Math.max(0, sgg / m - (sg / m) ** 2));
  const e = moments(errors);
  const h = moments(H);
  return {
    name: s.name, V0: s.V0, meanError: e.mean, rmse: Math.sqrt(e.meanSq), sdError: Math.sqrt(e.variance),
    effectiveness: 1 - e.variance / h.variance, costGainCorr: corr, maxAbsShares: maxAbs, over10: c10 / m, over50: c50 / m,
    sdPayoff: Math.sqrt(h.variance), errors,
  };
}

/** Mean, mean square and variance (1/n) of a sample, with the mean shifted out first. */
export function moments(x: Float64Array): { mean: number; meanSq: number; variance: number } {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - mean) ** 2;
  const variance = v / n;
  return { mean, meanSq: variance + mean * mean, variance };
}

/** A fitted LRM or MVH hedge as a strategy (MVH with its feedback on the running wealth). */
export function quadraticStrategy(h: QuadraticHedge, name: string = h.method): HedgeStrategy {
  const mvh = h.method === 'MVH';
  return {
    name,
    V0: h.V0,
    at(k, S, v, wealth, out) {
      const d = evalDate(h, k, S, v, mvh ? wealth : null);
      out.shares = d.shares;
      out.value = d.value;
    },
  };
}

/**
 * Mean and standard error of the paired difference E[a^2] - E[b^2] of two strategies' errors on
 * the same paths (positive: b has the smaller mean squared error).
 */
export function pairedSquaredErrorGap(a: Float64Array, b: Float64Array): { mean: number; stdError: number } {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`error arrays differ in length: ${n} and ${b.length}`);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i] * a[i] - b[i] * b[i];
  const m = moments(d);
  return { mean: m.mean, stdError: Math.sqrt(m.variance / (n - 1)) };
}
