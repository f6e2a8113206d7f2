/**
 * Regression bases of the least-squares Monte Carlo hedgers, as functions of the state (S, v) at
 * one rebalancing date.
 *
 * The polynomial part is in standardised variables, u = (ln S - mean)/sd and w = (sqrt v -
 * mean)/sd over the date's paths, through the probabilists' Hermite polynomials He_i(u) He_j(w),
 * i + j <= degree: He_i are orthogonal for a standard normal, so for a near-Gaussian cross
 * section the columns are near-orthogonal and the Gram matrix near the identity; raw monomials
 * S^i v^j of an index near 3,000 and a variance near 0.04 span 20 orders of magnitude instead.
 * sqrt v rather than v because the variance is skewed (a CIR law with most mass near 0 when
 * Feller fails) and its square root much less.
 *
 * Two optional model-informed columns (on by default): the Black-Scholes price and delta of the
 * hedged option at the path's expected average variance over the option's remaining life,
 * vbar = theta + (v - theta)(1 - e^{-kappa tau})/(kappa tau) (+ the jump variance for Bates).
 * Both are fixed functions of (S, v), so the basis is still a basis "in S and v"; they let a
 * few coefficients follow the kink that the option's value and delta develop near maturity,
 * which no low-degree polynomial over the whole cross section can (over the last days the delta
 * moves from 0 to 1 within about one daily standard deviation of S).
 */
import { normCdf } from './normal.ts';

/** Which basis to use. */
export interface BasisSpec {
  /** Total degree of the Hermite polynomials in (u, w); default 3. */
  degree?: number;
  /** Add the Black-Scholes price and delta columns; default true. */
  bsFeatures?: boolean;
  /**
   * Add the price S itself as a column (after the others); default false. With it and the
   * constant, a forward's value and ratio lie in the span at every date, so the fitted hedges
   * of a call and a put of one strike differ exactly by the forward's (put-call parity of the
   * ratios on the same paths, since every regression is linear in its target; numerically to
   * about 1e-5 where a narrow cross section makes S collinear with the polynomials and the
   * solver drops it).
   */
  spot?: boolean;
}

/** The option and the risk-neutral variance dynamics that the Black-Scholes columns read. */
export interface FeatureContext {
  K: number;
  call: boolean;
  r: number;
  q: number;
  /** Risk-neutral mean reversion and long-run variance. */
  kappa: number;
  theta: number;
  /** Jump variance per year, lambda (muJ^2 + sigmaJ^2); 0 for Heston. */
  jumpVar: number;
}

/** Standardisation of one date's state, fitted on the regression paths and reused out of sample. */
export interface StepScaling {
  muU: number;
  sdU: number;
  muW: number;
  sdW: number;
}

/** Standardised variables whose cross-sectional sd is below this are held constant (t = 0). */
const MIN_SD = 1e-12;

/** Number of columns of a basis. */
export function basisSize(spec: BasisSpec): number {
  const d = basisDegree(spec);
  return ((d + 1) * (d + 2)) / 2 + (spec.bsFeatures ?? true ? 2 : 0) + (spec.spot ? 1 : 0);
}

function basisDegree(spec: BasisSpec): number {
  const d = spec.degree ?? 3;
  if (!(Number.isInteger(d) && d >= 0 && d <= 6)) throw new RangeError(`basis degree must be an integer in [0, 6], got ${String(d)}`);
  return d;
}

/** Means and standard deviations of ln S and sqrt v over n states. */
export function stepScaling(S: Float64Array, v: Float64Array, n: number): StepScaling {
  let su = 0, suu = 0, sw = 0, sww = 0;
  const u0 = Math.log(S[0]);
  const w0 = Math.sqrt(Math.max(v[0], 0));
  for (let i = 0; i < n; i++) {
    // shifted by the first value so the sums of squares do not cancel
    const u = Math.log(S[i]) - u0;
    const w = Math.sqrt(Math.max(v[i], 0)) - w0;
    su += u; suu += u * u; sw += w; sww += w * w;
  }
  const mu = su / n, mw = sw / n;
  return {
    muU: u0 + mu,
    sdU: Math.sqrt(Math.max(0, suu / n - mu * mu)),
    muW: w0 + mw,
    sdW: Math.sqrt(Math.max(0, sww / n - mw * mw)),
  };
}

/** Probabilists' Hermite polynomials He_0..He_d at x into out[0..d]. */
function hermite(x: number, d: number, out: Float64Array): void {
  out[0] = 1;
  if (d >= 1) out[1] = x;
  for (let k = 2; k <= d; k++) out[k] = x * out[k - 1] - (k - 1) * out[k - 2];
}

/** Black-Scholes price and delta (into bs[0], bs[1]) at total variance vbar tau. */
function bsPriceDelta(S: number, c: FeatureContext, tau: number, vbar: number, bs: Float64Array): void {
  const dq = Math.exp(-c.q * tau);
  const dr = Math.exp(-c.r * tau);
  const sd = Math.sqrt(vbar * tau);
  if (!(sd > 1e-12)) {
    const F = S * Math.exp((c.r - c.q) * tau);
    const itm = c.call ? F > c.K : c.K > F;
    bs[0] = dr * Math.max(c.call ? F - c.K : c.K - F, 0);
    bs[1] = itm ? (c.call ? dq : -dq) : 0;
    return;
  }
  const d1 = (Math.log(S / c.K) + (c.r - c.q) * tau) / sd + 0.5 * sd;
  const d2 = d1 - sd;
  if (c.call) {
    bs[0] = S * dq * normCdf(d1) - c.K * dr * normCdf(d2);
    bs[1] = dq * normCdf(d1);
  } else {
    bs[0] = c.K * dr * normCdf(-d2) - S * dq * normCdf(-d1);
    bs[1] = -dq * normCdf(-d1);
  }
}

/** The expected average variance over the remaining life tau of the option, given v now. */
export function expectedAverageVariance(c: FeatureContext, v: number, tau: number): number {
  const kt = c.kappa * tau;
  const frac = kt < 1e-10 ? 1 - 0.5 * kt : -Math.expm1(-kt) / kt;
  return c.theta + (Math.max(v, 0) - c.theta) * frac + c.jumpVar;
}

/** Reusable buffers for basisRow. */
export interface BasisScratch {
  hu: Float64Array;
  hw: Float64Array;
  bs: Float64Array;
}

/** Buffers for basisRow up to the given degree. */
export function basisScratch(spec: BasisSpec): BasisScratch {
  const d = basisDegree(spec);
  return { hu: new Float64Array(d + 1), hw: new Float64Array(d + 1), bs: new Float64Array(2) };
}

/**
 * Writes the basis at state (S, v), tau years before expiry, into out[off .. off + basisSize).
 * ctx is needed only with bsFeatures.
 */
export function basisRow(
  spec: BasisSpec,
  sc: StepScaling,
  ctx: FeatureContext | null,
  S: number,
  v: number,
  tau: number,
  out: Float64Array,
  off: number,
  scratch: BasisScratch,
): void {
  const d = basisDegree(spec);
  const u = sc.sdU > MIN_SD ? (Math.log(S) - sc.muU) / sc.sdU : 0;
  const w = sc.sdW > MIN_SD ? (Math.sqrt(Math.max(v, 0)) - sc.muW) / sc.sdW : 0;
  const { hu, hw, bs } = scratch;
  hermite(u, d, hu);
  hermite(w, d, hw);
  let j = off;
  for (let deg = 0; deg <= d; deg++) {
    for (let i = deg; i >= 0; i--) out[j++] = hu[i] * hw[deg - i];
  }
  if (spec.bsFeatures ?? true) {
    if (ctx === null) throw new RangeError('ctx (option and Q variance drift) is required with bsFeatures');
    bsPriceDelta(S, ctx, tau, expectedAverageVariance(ctx, v, tau), bs);
    out[j++] = bs[0];
    out[j++] = bs[1];
  }
  if (spec.spot) out[j] = S;
}

/** A basis in v alone (Hermite in standardised sqrt v, degree d) at one state, into out[off..off+d]. */
export function varianceBasisRow(d: number, sc: StepScaling, v: number, out: Float64Array, off: number): void {
  const w = sc.sdW > MIN_SD ? (Math.sqrt(Math.max(v, 0)) - sc.muW) / sc.sdW : 0;
  out[off] = 1;
  if (d >= 1) out[off + 1] = w;
  for (let k = 2; k <= d; k++) out[off + k] = w * out[off + k - 1] - (k - 1) * out[off + k - 2];
}
