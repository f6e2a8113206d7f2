/**
 * European option prices under Heston (1993) and Bates (1996), vectorised across strikes: one
 * pass of the characteristic function per maturity serves every strike.
 *
 * Method: Lewis's (2001) single-integral formula on the contour Im z = -1/2,
 *   C = e^{-rT} [F - sqrt(FK)/pi * int_0^inf Re(e^{iux} phi(u - i/2)) du / (u^2 + 1/4)],
 *   x = ln(F/K), F = S e^{(r-q)T},
 * with a Black-Scholes control variate of the model's expected total variance, evaluated by a
 * trapezoid rule whose step is halved until two successive steps agree (see lewis-grid.ts for why
 * this converges geometrically). Puts come from the same integral: P = C - e^{-rT}(F - K).
 *
 * Units: S and K in price units, T in years, r and q continuously compounded per year,
 * variance parameters annualised. Hand-written numerics (no JS library prices Heston).
 */
import { undiscountedBlack } from './black-scholes.ts';
import { toCfModel, type BatesParams, type CfModel, type HestonParams } from './heston-cf.ts';
import { buildGrid, refineGrid, strikeSum, weightInto } from './lewis-grid.ts';

export type { HestonParams, BatesParams } from './heston-cf.ts';

/** Accuracy knobs of the Fourier pricer. */
export interface HestonPricingOptions {
  /** Target absolute price error, relative to the forward F (default 1e-11, so 1e-9 at F = 100). */
  relTol?: number;
}

const DEFAULT_REL_TOL = 1e-11;
const coarse = new Float64Array(1);
/** Node cap per maturity: about 20 ms of work, reached only by degenerate inputs. */
const MAX_NODES = 1 << 17;

/** The pieces of one maturity's Lewis integral that do not depend on the strike. */
export interface MaturitySetup {
  m: CfModel;
  T: number;
  F: number;
  disc: number;
  /** Total variance of the Black-Scholes control variate. */
  w: number;
}

/** Validates the market inputs shared by prices and greeks and prepares one maturity. */
export function setupMaturity(p: HestonParams | BatesParams, S: number, T: number, r: number, q: number): MaturitySetup {
  const m = toCfModel(p);
  if (!(Number.isFinite(S) && S > 0)) throw new RangeError(`S must be a finite number > 0, got ${S}`);
  if (!(Number.isFinite(T) && T >= 0)) throw new RangeError(`T must be a finite number >= 0 (years), got ${T}`);
  if (!Number.isFinite(r)) throw new RangeError(`r must be a finite number, got ${r}`);
  if (!Number.isFinite(q)) throw new RangeError(`q must be a finite number, got ${q}`);
  const F = S * Math.exp((r - q) * T);
  const disc = Math.exp(-r * T);
  return { m, T, F, disc, w: controlVariance(m, T) };
}

/** Expected total variance over [0, T]: the integrated Heston variance plus the jump variance. */
export function controlVariance(m: CfModel, T: number): number {
  const kT = m.kappa * T;
  // (1 - e^{-kT})/kT, by its series where kT is tiny
  const frac = kT < 1e-8 ? 1 - 0.5 * kT : -Math.expm1(-kT) / kT;
  const vbar = m.theta + (m.v0 - m.theta) * frac;
  return vbar * T + m.lambda * T * (m.muJ * m.muJ + m.sigmaJ * m.sigmaJ);
}

/** True when the model has no randomness (no variance now or later, no jumps). */
export function deterministic(m: CfModel): boolean {
  return m.v0 === 0 && m.kappa * m.theta === 0 && m.lambda === 0;
}

export function checkStrikes(strikes: ArrayLike<number>): void {
  for (let k = 0; k < strikes.length; k++) {
    const K = strikes[k];
    if (!(Number.isFinite(K) && K > 0)) throw new RangeError(`strikes[${k}] must be a finite number > 0, got ${K}`);
  }
}

export function callFlag(isCall: ArrayLike<boolean> | boolean, k: number, n: number): boolean {
  if (typeof isCall === 'boolean') return isCall;
  if (isCall.length !== n) throw new RangeError(`isCall has ${isCall.length} entries for ${n} strikes`);
  return isCall[k];
}

/** Undiscounted Black call on the forward F with total variance w (the control variate). */
export function blackCall(F: number, K: number, w: number): number {
  return undiscountedBlack(F, K, Math.sqrt(w), 1);
}

/** First trapezoid step: wide enough that refinement, not the start, sets the final step. */
export function initialStep(w: number): number {
  return Math.min(2, Math.max(0.25, 2 * Math.PI / (12 * Math.sqrt(w) + 6)));
}

/**
 * The integration's stopping rules for a relative price tolerance (of the forward): `tailTol`
 * truncates the grid where the integrand's tail is negligible against the largest strike's
 * prefactor; `accept` ends step halving once a halving changes no strike by more than
 * sqrt(tol F)/10 (the error falls like exp(-c/h), so the step-h error is about the square of
 * that change over the price scale). Shared by prices and greeks.
 */
export function integrationTolerances(opts: HestonPricingOptions | undefined, F: number, strikes: ArrayLike<number>): { tailTol: number; accept: number } {
  const relTol = opts?.relTol ?? DEFAULT_REL_TOL;
  if (!(relTol > 0)) throw new RangeError(`opts.relTol must be > 0, got ${relTol}`);
  const tolAbs = relTol * F;
  let kMax = 0;
  for (let k = 0; k < strikes.length; k++) kMax = Math.max(kMax, strikes[k]);
  const prefMax = Math.sqrt(F * kMax) / Math.PI;
  return { tailTol: (0.25 * tolAbs) / prefMax, accept: 0.1 * Math.sqrt(tolAbs * F) };
}

/**
 * European prices at one maturity for many strikes; one characteristic-function pass serves all
 * strikes. isCall per strike or one boolean for all. A params object with lambda > 0 is Bates;
 * lambda 0 or absent is Heston. Returns `out` (allocated when not given).
 */
export function hestonPrices(
  p: HestonParams | BatesParams,
  S: number,
  T: number,
  r: number,
  q: number,
  strikes: ArrayLike<number>,
  isCall: ArrayLike<boolean> | boolean,
  out?: Float64Array,
  opts?: HestonPricingOptions,
): Float64Array {
  const ms = setupMaturity(p, S, T, r, q);
  const nk = strikes.length;
  checkStrikes(strikes);
  const res = out ?? new Float64Array(nk);
  if (res.length < nk) throw new RangeError(`out has ${res.length} entries for ${nk} strikes`);
  const { m, F, disc, w } = ms;
  if (T === 0 || deterministic(m)) {
    for (let k = 0; k < nk; k++) {
      const K = strikes[k];
      res[k] = disc * (callFlag(isCall, k, nk) ? Math.max(F - K, 0) : Math.max(K - F, 0));
    }
    return res;
  }
  const { tailTol, accept } = integrationTolerances(opts, F, strikes);
  let g = buildGrid(m, T, w, initialStep(w), tailTol, 2, false, MAX_NODES);
  for (;;) {
    const [aRe, aIm] = weightInto(g, 2, 'd', 0);
    let worst = 0;
    for (let k = 0; k < nk; k++) {
      const K = strikes[k];
      const x = Math.log(F / K);
      const fine = strikeSum(aRe, aIm, g.n, g.h, x, coarse);
      const pref = Math.sqrt(F * K) / Math.PI;
      worst = Math.max(worst, pref * Math.abs(fine - coarse[0]));
      // Clamped to the no-arbitrage bounds, which the quadrature error can cross by ~1e-11
      const call = Math.min(F, Math.max(F - K, 0, blackCall(F, K, w) + pref * fine));
      res[k] = disc * (callFlag(isCall, k, nk) ? call : call - (F - K));
    }
    if (worst <= accept || 2 * g.n - 1 > MAX_NODES) break;
    g = refineGrid(g, m, T, w, false);
  }
  return res;
}
