/**
 * One maturity's quadratic hedge ratios (LRM and MVH at t = 0, src/quant/hedge-lsmc-multi.ts) as
 * curves in forward log-moneyness y = ln(F / K), from one least-squares Monte Carlo pass.
 *
 * Why one curve serves every strike, spot and rate: under Heston the law of S_t / S_0 does not
 * depend on S_0, and with the discounted price X = S e^{-(r-q)t} (whose P drift is the premium
 * lambdaS v, free of r and q) the discounted call payoff is e^{-qT} (X_T - K e^{-(r-q)T})^+. So the
 * LRM and MVH ratios of (S, K, r, q) are e^{-qT} times those of the unit problem S = F = 1,
 * r = q = 0 at strike K / F, on the same draws exactly. Puts: with the spot column in the basis a
 * forward is hedged exactly, and every regression is linear in its target, so a put's ratio on
 * the same paths is the call's minus e^{-qT}: put-call parity, which the curves apply (a direct
 * put fit agrees to about 1e-5, the solver's column-drop tolerance; src/quant/hedge-lsmc-multi.test.ts).
 *
 * The pass: N paths under P (QE scheme, antithetic pairs, a fixed seed: a replay and every node
 * share the draws, so the curves move smoothly with the calibration and the maturity) from S = 1,
 * v = v0, rebalanced daily up to `maxDates` dates and in `maxDates` equal steps beyond, so a long
 * maturity costs no more than a short one (its ratio is then that of a coarser rebalancing);
 * calls fitted at strikes e^{-y_j}, y_j = z_j s, s the standard deviation of ln S_T at the model's
 * expected average variance, z_j a fixed grid of standardised moneyness.
 *
 * Between grid strikes the ratio is interpolated in probit space, Phi^{-1}(ratio) against y
 * (exactly linear for a Black-Scholes delta, Phi(d1); a skewed Heston smile bends it, so by
 * four-point Lagrange), and extrapolated beyond the grid linearly along the grid's overall probit
 * slope, so the tails tend to the payoff's limits 0 and 1. The fitted
 * values are clamped into [PROBIT_EPS, 1 - PROBIT_EPS] first (a far-from-the-money fit can land
 * a little outside (0, 1) by Monte Carlo noise).
 *
 * Hand-written numerics (probit interpolation on a small grid; no library needed).
 */
import type { HestonParams } from '../quant/heston-cf.ts';
import { inverseNormCdf, normCdf } from '../quant/normal.ts';
import { expectedAverageVariance } from '../quant/hedge-lsmc-basis.ts';
import { hedgePathsWork, isPowerOfTwo, simulateHedgePaths } from '../quant/hedge-lsmc-paths.ts';
import { MULTI_BASIS, quadraticRatioSteps } from '../quant/hedge-lsmc-multi.ts';

/** How a maturity's curves are built. */
export interface QuadraticCurveSettings {
  /** Paths per maturity, a power of two (antithetic pairs). */
  paths: number;
  /** Most rebalancing dates: daily (252 a year) up to it, then this many equal steps. */
  maxDates: number;
  /** Equity premium mu - r = lambdaS v under P (hedge-lsmc-paths.ts). */
  lambdaS: number;
  /** Seed of the paths (stream 0). */
  seed: number;
  /** Standardised moneyness grid z_j (ascending), strikes at y_j = z_j s. */
  grid: readonly number[];
}

/** Clamp of fitted ratios before the probit transform. */
export const PROBIT_EPS = 1e-4;

/** Rebalancing dates for a maturity: daily up to maxDates, then maxDates equal steps. */
export function hedgeDates(T: number, maxDates: number): number {
  return Math.min(maxDates, Math.max(1, Math.round(252 * T)));
}

/** Checks settings, throwing a RangeError that names the bad one. */
export function checkCurveSettings(s: QuadraticCurveSettings): void {
  if (!isPowerOfTwo(s.paths) || s.paths < 64) throw new RangeError(`paths must be a power of two >= 64, got ${String(s.paths)}`);
  if (!(Number.isInteger(s.maxDates) && s.maxDates >= 1 && s.maxDates <= 512)) throw new RangeError(`maxDates must be an integer in [1, 512], got ${String(s.maxDates)}`);
  if (!Number.isFinite(s.lambdaS)) throw new RangeError(`lambdaS must be a finite number, got ${String(s.lambdaS)}`);
  if (!Number.isInteger(s.seed)) throw new RangeError(`seed must be an integer, got ${String(s.seed)}`);
  if (s.grid.length < 2 || s.grid.some((z, j) => !Number.isFinite(z) || (j > 0 && !(z > s.grid[j - 1])))) {
    throw new RangeError(`grid must hold at least 2 ascending finite numbers, got ${JSON.stringify(s.grid)}`);
  }
}

/** LRM and MVH call ratios of the unit problem (S = F = 1, r = q = 0) at y = ln(F / K). */
export interface QuadraticPoint {
  lrm: number;
  mvh: number;
}

/** Probit-linear interpolation of one ratio curve (see the module header). */
class ProbitCurve {
  private readonly p: Float64Array;
  private readonly slope: number;

  constructor(private readonly y: Float64Array, ratios: ArrayLike<number>) {
    const n = y.length;
    this.p = new Float64Array(n);
    for (let j = 0; j < n; j++) this.p[j] = inverseNormCdf(Math.min(1 - PROBIT_EPS, Math.max(PROBIT_EPS, ratios[j])));
    this.slope = (this.p[n - 1] - this.p[0]) / (y[n - 1] - y[0]);
  }

  at(x: number): number {
    const { y, p } = this;
    const n = y.length;
    if (x <= y[0]) return normCdf(p[0] + this.slope * (x - y[0]));
    if (x >= y[n - 1]) return normCdf(p[n - 1] + this.slope * (x - y[n - 1]));
    let j = 0;
    while (x > y[j + 1]) j++;
    if (n < 4) return normCdf(p[j] + ((x - y[j]) / (y[j + 1] - y[j])) * (p[j + 1] - p[j]));
    // Four-point Lagrange on j-1..j+2 (shifted at the ends): the probit of a skewed smile's ratio bends.
    const i = Math.min(Math.max(j - 1, 0), n - 4);
    let v = 0;
    for (let a = i; a < i + 4; a++) {
      let w = 1;
      for (let b = i; b < i + 4; b++) if (b !== a) w *= (x - y[b]) / (y[a] - y[b]);
      v += w * p[a];
    }
    return normCdf(v);
  }
}

/** One maturity's LRM and MVH curves. */
export class QuadraticCurve {
  private readonly lrmCurve: ProbitCurve;
  private readonly mvhCurve: ProbitCurve;

  /** `y` ascending; `lrm`, `mvh`: fitted call ratios of the unit problem at strikes e^{-y_j}. */
  constructor(
    readonly y: Float64Array,
    readonly lrm: Float64Array,
    readonly mvh: Float64Array,
  ) {
    this.lrmCurve = new ProbitCurve(y, lrm);
    this.mvhCurve = new ProbitCurve(y, mvh);
  }

  /** Call ratios of the unit problem at y = ln(F / K). */
  at(y: number, out: QuadraticPoint): QuadraticPoint {
    out.lrm = this.lrmCurve.at(y);
    out.mvh = this.mvhCurve.at(y);
    return out;
  }
}

/** The strikes y_j = z_j s of a maturity (ascending in y): s = sqrt(T E[average variance]) under Q. */
export function curveMoneyness(params: HestonParams, T: number, grid: readonly number[]): Float64Array {
  const vbar = expectedAverageVariance({ K: 1, call: true, r: 0, q: 0, kappa: params.kappa, theta: params.theta, jumpVar: 0 }, params.v0, T);
  const s = Math.sqrt(Math.max(vbar, 1e-6) * T);
  return Float64Array.from(grid, (z) => z * s);
}

/**
 * Builds one maturity's curves: one simulation of the unit problem under P and one multi-strike
 * LRM/MVH fit (see the module header). `params` are the live risk-neutral Heston parameters.
 */
export function buildQuadraticCurve(params: HestonParams, T: number, s: QuadraticCurveSettings): QuadraticCurve {
  const job = quadraticCurveSteps(params, T, s);
  for (;;) {
    const r = job.next();
    if (r.done) return r.value;
  }
}

/**
 * buildQuadraticCurve as resumable steps, the same curve to the last bit (buildQuadraticCurve
 * runs these steps to the end): yields the work units (about 10 ns each, the unit of the Heston
 * and HN curve builds, so one budget serves them all: src/hedging/curve-cache.ts) of the
 * simulation, then of each step of the fit (hedge-lsmc-multi.ts quadraticRatioSteps: per date its
 * basis, its two regressions and its update, each under 0.5 ms), and returns the curve. It holds
 * its own paths and scratch, so other builds may run between its steps.
 */
export function* quadraticCurveSteps(params: HestonParams, T: number, s: QuadraticCurveSettings): Generator<number, QuadraticCurve, void> {
  if (!(Number.isFinite(T) && T > 0)) throw new RangeError(`T must be a finite number > 0, got ${String(T)}`);
  const y = curveMoneyness(params, T, s.grid);
  const steps = hedgeDates(T, s.maxDates);
  const paths = simulateHedgePaths({
    params, market: { S0: 1, r: 0, q: 0, T, steps }, premium: { kind: 'variance', lambdaS: s.lambdaS },
    paths: s.paths, seed: s.seed, antithetic: true,
  });
  yield hedgePathsWork(s.paths, steps);
  const strikes = Array.from(y, (yj) => Math.exp(-yj));
  const r = yield* quadraticRatioSteps(paths, strikes, params, { basis: MULTI_BASIS });
  return new QuadraticCurve(y, r.lrm, r.mvh);
}
