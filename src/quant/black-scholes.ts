/* eslint-disable no-loss-of-precision -- constants and reference values are written with the digits their sources publish, more than a double holds */
/**
 * Black-Scholes with a continuous dividend yield, and Black-76 on a forward: prices and greeks,
 * scalar and batched over typed arrays.
 *
 * Units: T in years; r and q continuously compounded per year; sigma annualised. Greeks are
 * plain derivatives in those units: vega per 1.00 of vol, rho and dividend rho per 1.00 of rate,
 * theta = -dV/dT per year (the value's drift as calendar time passes, other inputs fixed).
 *
 * Rights: scalar functions take `right: 'C' | 'P'`; batched ones take `isCall`, a Uint8Array
 * (non-zero = call, 0 = put) or one boolean for all quotes.
 *
 * Prices are evaluated through the normalised Black function b(x, s) of P. Jaeckel's "Let's Be
 * Rational" (Wilmott 2015), hand-written here because no JS library has it: four regions
 * (asymptotic expansion in the far wing, a small-s expansion, the plain formula, and Cody's
 * erfcx), so that out-of-the-money prices keep full relative accuracy down to underflow, which
 * the textbook S N(d1) - K N(d2) loses to cancellation. Implied volatility inverts this same
 * function, so a price and its implied vol round-trip to machine precision.
 */
import { erfcx, normCdf, normPdf } from './normal.ts';

/** Option right in scalar calls. */
export type Right = 'C' | 'P';

/** Value and greeks of one option. */
export interface BsGreeks {
  price: number;
  /** dV/dS. */
  delta: number;
  /** d2V/dS2. */
  gamma: number;
  /** dV/dsigma, per 1.00 of vol. */
  vega: number;
  /** -dV/dT, per year. */
  theta: number;
  /** dV/dr, per 1.00 of rate. */
  rho: number;
  /** dV/dq, per 1.00 of yield. */
  dividendRho: number;
  /** d2V/dS dsigma. */
  vanna: number;
  /** d2V/dsigma2. */
  volga: number;
}

/** Value and greeks of one option on a forward (Black-76); delta and gamma are with respect to F. */
export interface Black76Greeks {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  /** -dV/dT per year, with F and the rate implied by the discount factor held fixed. */
  theta: number;
  /** dV/dr with F fixed, where df = exp(-r T): -T V. */
  rho: number;
  vanna: number;
  volga: number;
}

/** Batched greeks: one Float64Array per greek, index-aligned with the inputs. */
export interface BsGreeksArrays {
  price: Float64Array;
  delta: Float64Array;
  gamma: Float64Array;
  vega: Float64Array;
  theta: Float64Array;
  rho: Float64Array;
  dividendRho: Float64Array;
  vanna: Float64Array;
  volga: Float64Array;
}

/** A batched input: one value per quote, or one number for all. */
export type Vec = Float64Array | number;

const ONE_OVER_SQRT_TWO_PI = 0.3989422804014326779399460599343818684758586311649;
const ONE_OVER_SQRT_TWO = 0.7071067811865475244008443621048490392848359376887;
const SQRT_TWO_PI = 2.506628274631000502415765284811045253006986740610;
const DBL_EPSILON = 2.220446049250313e-16;
const FOURTH_ROOT_DBL_EPSILON = Math.sqrt(Math.sqrt(DBL_EPSILON));
const SQRT_DBL_MIN = Math.sqrt(2.2250738585072014e-308);
const ASYMPTOTIC_EXPANSION_ACCURACY_THRESHOLD = -10;
const SMALL_T_EXPANSION_THRESHOLD = 2 * Math.sqrt(Math.sqrt(FOURTH_ROOT_DBL_EPSILON)); // 2 eps^(1/16) ~ 0.21

// ---------------------------------------------------------------------------------------------
// Normalised Black (Jaeckel): b(x, s) = Phi(x/s + s/2) e^{x/2} - Phi(x/s - s/2) e^{-x/2} for a
// call, with x = ln(F/K) and s = sigma sqrt(T); the undiscounted price is sqrt(F K) b.
// ---------------------------------------------------------------------------------------------

/** Normalised intrinsic value of a call (theta = 1) or put (theta = -1): max(theta (e^{x/2} - e^{-x/2}), 0). */
export function normalisedIntrinsic(x: number, theta: number): number {
  if (theta * x <= 0) return 0;
  const x2 = x * x;
  if (x2 < 98 * FOURTH_ROOT_DBL_EPSILON) {
    // Taylor series of 2 sinh(x/2): the exponentials' difference would cancel.
    const v = theta * x * (1 + x2 * (1 / 24 + x2 * (1 / 1920 + x2 * (1 / 322560 + x2 / 92897280))));
    return v > 0 ? v : 0;
  }
  const bMax = Math.exp(0.5 * x);
  const v = theta * (bMax - 1 / bMax);
  return v > 0 ? v : 0;
}

/**
 * Asymptotic expansion of b for h = x/s <= -10 and t = s/2 small against |h| (A&S 26.2.12 on
 * Y = Phi/phi, 17th order in q = (h/r)^2): one exponential instead of four.
 */
function asymptoticExpansionOfNormalisedBlackCall(h: number, t: number, E: number): number {
  const e = (t / h) * (t / h);
  const r = (h + t) * (h - t);
  const q = (h / r) * (h / r);
  // prettier-ignore
  const sum = (2.0+q*(-6.0E0-2.0*e+3.0*q*(1.0E1+e*(2.0E1+2.0*e)+5.0*q*(-1.4E1+e*(-7.0E1+e*(-4.2E1-2.0*e))+7.0*q*(1.8E1+e*(1.68E2+e*(2.52E2+e*(7.2E1+2.0*e)))+9.0*q*(-2.2E1+e*(-3.3E2+e*(-9.24E2+e*(-6.6E2+e*(-1.1E2-2.0*e))))+1.1E1*q*(2.6E1+e*(5.72E2+e*(2.574E3+e*(3.432E3+e*(1.43E3+e*(1.56E2+2.0*e)))))+1.3E1*q*(-3.0E1+e*(-9.1E2+e*(-6.006E3+e*(-1.287E4+e*(-1.001E4+e*(-2.73E3+e*(-2.1E2-2.0*e))))))+1.5E1*q*(3.4E1+e*(1.36E3+e*(1.2376E4+e*(3.8896E4+e*(4.862E4+e*(2.4752E4+e*(4.76E3+e*(2.72E2+2.0*e)))))))+1.7E1*q*(-3.8E1+e*(-1.938E3+e*(-2.3256E4+e*(-1.00776E5+e*(-1.84756E5+e*(-1.51164E5+e*(-5.4264E4+e*(-7.752E3+e*(-3.42E2-2.0*e))))))))+1.9E1*q*(4.2E1+e*(2.66E3+e*(4.0698E4+e*(2.3256E5+e*(5.8786E5+e*(7.05432E5+e*(4.0698E5+e*(1.08528E5+e*(1.197E4+e*(4.2E2+2.0*e)))))))))+2.1E1*q*(-4.6E1+e*(-3.542E3+e*(-6.7298E4+e*(-4.90314E5+e*(-1.63438E6+e*(-2.704156E6+e*(-2.288132E6+e*(-9.80628E5+e*(-2.01894E5+e*(-1.771E4+e*(-5.06E2-2.0*e))))))))))+2.3E1*q*(5.0E1+e*(4.6E3+e*(1.0626E5+e*(9.614E5+e*(4.08595E6+e*(8.9148E6+e*(1.04006E7+e*(6.53752E6+e*(2.16315E6+e*(3.542E5+e*(2.53E4+e*(6.0E2+2.0*e)))))))))))+2.5E1*q*(-5.4E1+e*(-5.85E3+e*(-1.6146E5+e*(-1.77606E6+e*(-9.37365E6+e*(-2.607579E7+e*(-4.01166E7+e*(-3.476772E7+e*(-1.687257E7+e*(-4.44015E6+e*(-5.9202E5+e*(-3.51E4+e*(-7.02E2-2.0*e))))))))))))+2.7E1*q*(5.8E1+e*(7.308E3+e*(2.3751E5+e*(3.12156E6+e*(2.003001E7+e*(6.919458E7+e*(1.3572783E8+e*(1.5511752E8+e*(1.0379187E8+e*(4.006002E7+e*(8.58429E6+e*(9.5004E5+e*(4.7502E4+e*(8.12E2+2.0*e)))))))))))))+2.9E1*q*(-6.2E1+e*(-8.99E3+e*(-3.39822E5+e*(-5.25915E6+e*(-4.032015E7+e*(-1.6934463E8+e*(-4.1250615E8+e*(-6.0108039E8+e*(-5.3036505E8+e*(-2.8224105E8+e*(-8.870433E7+e*(-1.577745E7+e*(-1.472562E6+e*(-6.293E4+e*(-9.3E2-2.0*e))))))))))))))+3.1E1*q*(6.6E1+e*(1.0912E4+e*(4.74672E5+e*(8.544096E6+e*(7.71342E7+e*(3.8707344E8+e*(1.14633288E9+e*(2.07431664E9+e*(2.33360622E9+e*(1.6376184E9+e*(7.0963464E8+e*(1.8512208E8+e*(2.7768312E7+e*(2.215136E6+e*(8.184E4+e*(1.056E3+2.0*e)))))))))))))))+3.3E1*(-7.0E1+e*(-1.309E4+e*(-6.49264E5+e*(-1.344904E7+e*(-1.4121492E8+e*(-8.344518E8+e*(-2.9526756E9+e*(-6.49588632E9+e*(-9.0751353E9+e*(-8.1198579E9+e*(-4.6399188E9+e*(-1.6689036E9+e*(-3.67158792E8+e*(-4.707164E7+e*(-3.24632E6+e*(-1.0472E5+e*(-1.19E3-2.0*e)))))))))))))))))*q)))))))))))))))));
  const b = ONE_OVER_SQRT_TWO_PI * E * (t / r) * sum;
  return b > 0 ? b : 0;
}

/** Expansion of b for small t = s/2 (12th order in t), accurate to machine precision for h <= 0 and t < 0.21. */
function smallTExpansionOfNormalisedBlackCall(h: number, t: number, E: number): number {
  // a = 1 + h Y(h) with Y = Phi/phi = sqrt(pi/2) erfcx(-h/sqrt 2); a > 0 and a -> 0 as h -> -inf.
  const a = 1 + h * (0.5 * SQRT_TWO_PI) * erfcx(-ONE_OVER_SQRT_TWO * h);
  const w = t * t;
  const h2 = h * h;
  // prettier-ignore (the divisions by constant factorials are multiplications by their reciprocals)
  const expansion = 2*t*(a+w*((-1+3*a+a*h2)*(1/6)+w*((-7+15*a+h2*(-1+10*a+a*h2))*(1/120)+w*((-57+105*a+h2*(-18+105*a+h2*(-1+21*a+a*h2)))*(1/5040)+w*((-561+945*a+h2*(-285+1260*a+h2*(-33+378*a+h2*(-1+36*a+a*h2))))*(1/362880)+w*((-6555+10395*a+h2*(-4680+17325*a+h2*(-840+6930*a+h2*(-52+990*a+h2*(-1+55*a+a*h2)))))*(1/39916800)+((-89055+135135*a+h2*(-82845+270270*a+h2*(-20370+135135*a+h2*(-1926+25740*a+h2*(-75+2145*a+h2*(-1+78*a+a*h2))))))*w)*(1/6227020800)))))));
  const b = ONE_OVER_SQRT_TWO_PI * E * expansion;
  return b > 0 ? b : 0;
}

/** b by the plain formula, for b close to its maximum e^{x/2}, where the first term dominates. */
function normalisedBlackCallUsingNormCdf(x: number, s: number): number {
  const h = x / s;
  const t = 0.5 * s;
  const bMax = Math.exp(0.5 * x);
  const b = normCdf(h + t) * bMax - normCdf(h - t) / bMax;
  return b > 0 ? b : 0;
}

/** b = exp(-(h^2+t^2)/2)/2 [erfcx(-(h+t)/sqrt2) - erfcx(-(h-t)/sqrt2)]: one exponential, no cancellation of Phi's. */
function normalisedBlackCallUsingErfcx(h: number, t: number, E: number): number {
  const b = 0.5 * E * (erfcx(-ONE_OVER_SQRT_TWO * (h + t)) - erfcx(-ONE_OVER_SQRT_TWO * (h - t)));
  return b > 0 ? b : 0;
}

/** Scratch output of normalisedBlackCallAndVega: the vega of the last evaluation. */
export const normalisedScratch = { vega: 0 };

/**
 * b(x, s) for x <= 0 and s > 0, storing db/ds in normalisedScratch.vega: the two share the
 * exponential exp(-(h^2+t^2)/2), which is what the implied-vol iterations need at every step.
 */
export function normalisedBlackCallAndVega(x: number, s: number): number {
  const h = x / s;
  const t = 0.5 * s;
  return normalisedBlackCallGivenExp(x, s, Math.exp(-0.5 * (h * h + t * t)));
}

/**
 * normalisedBlackCallAndVega with the exponential E = exp(-(h^2+t^2)/2), h = x/s, t = s/2, given
 * by the caller who has it already: at s = sqrt(2|x|), the implied-vol inversion's central
 * point, E is e^{x/2}.
 */
export function normalisedBlackCallGivenExp(x: number, s: number, E: number): number {
  const h = x / s;
  const t = 0.5 * s;
  normalisedScratch.vega = ONE_OVER_SQRT_TWO_PI * E;
  // Region tests written as in Jaeckel's code: h < eta and t < tau + |h| - |eta|.
  if (
    x < s * ASYMPTOTIC_EXPANSION_ACCURACY_THRESHOLD &&
    0.5 * s * s + x < s * (SMALL_T_EXPANSION_THRESHOLD + ASYMPTOTIC_EXPANSION_ACCURACY_THRESHOLD)
  ) {
    return asymptoticExpansionOfNormalisedBlackCall(h, t, E);
  }
  if (t < SMALL_T_EXPANSION_THRESHOLD) return smallTExpansionOfNormalisedBlackCall(h, t, E);
  if (x + 0.5 * s * s > s * 0.85) return normalisedBlackCallUsingNormCdf(x, s);
  return normalisedBlackCallUsingErfcx(h, t, E);
}

/** Normalised Black call value b(x, s) (Jaeckel), x = ln(F/K), s = sigma sqrt(T) >= 0. */
export function normalisedBlackCall(x: number, s: number): number {
  if (x > 0) return normalisedIntrinsic(x, 1) + normalisedBlackCall(-x, s);
  if (s <= 0) return 0;
  return normalisedBlackCallAndVega(x, s);
}

/** Normalised Black value for a call (theta = 1) or put (theta = -1), by reciprocal-strike symmetry. */
export function normalisedBlack(x: number, s: number, theta: number): number {
  return normalisedBlackCall(theta < 0 ? -x : x, s);
}

/** Normalised vega db/ds = exp(-(h^2+t^2)/2)/sqrt(2 pi), h = x/s, t = s/2. */
export function normalisedVega(x: number, s: number): number {
  const ax = Math.abs(x);
  if (ax <= 0) return ONE_OVER_SQRT_TWO_PI * Math.exp(-0.125 * s * s);
  if (s <= 0 || s <= ax * SQRT_DBL_MIN) return 0;
  const h = x / s;
  const t = 0.5 * s;
  return ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * (h * h + t * t));
}

/**
 * Undiscounted Black value of a call (theta = 1) or put (theta = -1) on forward F, strike K,
 * total standard deviation s = sigma sqrt(T). In-the-money options are priced as the intrinsic
 * F - K (or K - F) plus the out-of-the-money option's value, which is what keeps precision.
 */
export function undiscountedBlack(F: number, K: number, s: number, theta: number): number {
  let intrinsic = theta * (F - K);
  if (intrinsic > 0) theta = -theta;
  else intrinsic = 0;
  const x = Math.log(F / K);
  return intrinsic + Math.sqrt(F) * Math.sqrt(K) * normalisedBlackCall(theta < 0 ? -x : x, s);
}

// ---------------------------------------------------------------------------------------------
// Input checks
// ---------------------------------------------------------------------------------------------

function checkPositive(name: string, v: number): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a finite number > 0, got ${v}`);
}
function checkNonNegative(name: string, v: number): void {
  if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a finite number >= 0, got ${v}`);
}
function checkFinite(name: string, v: number): void {
  if (!Number.isFinite(v)) throw new RangeError(`${name} must be a finite number, got ${v}`);
}
function rightSign(right: Right): number {
  if (right === 'C') return 1;
  if (right === 'P') return -1;
  throw new RangeError(`right must be 'C' or 'P', got ${String(right)}`);
}
function validInputs(S: number, K: number, T: number, r: number, q: number, sigma: number): boolean {
  return (
    S > 0 && S < Infinity && K > 0 && K < Infinity && T >= 0 && T < Infinity &&
    Number.isFinite(r) && Number.isFinite(q) && sigma >= 0 && sigma < Infinity
  );
}

// ---------------------------------------------------------------------------------------------
// Black-Scholes-Merton
// ---------------------------------------------------------------------------------------------

function bsPriceUnchecked(S: number, K: number, T: number, r: number, q: number, sigma: number, theta: number): number {
  const F = S * Math.exp((r - q) * T);
  return Math.exp(-r * T) * undiscountedBlack(F, K, sigma * Math.sqrt(T), theta);
}

/**
 * Black-Scholes-Merton price of a European option with continuous dividend yield q.
 * Throws a RangeError naming the input when S or K is not > 0, T or sigma not >= 0, or r, q not finite.
 */
export function bsPrice(S: number, K: number, T: number, r: number, q: number, sigma: number, right: Right): number {
  checkBsInputs(S, K, T, r, q, sigma);
  return bsPriceUnchecked(S, K, T, r, q, sigma, rightSign(right));
}

function checkBsInputs(S: number, K: number, T: number, r: number, q: number, sigma: number): void {
  checkPositive('S', S);
  checkPositive('K', K);
  checkNonNegative('T', T);
  checkFinite('r', r);
  checkFinite('q', q);
  checkNonNegative('sigma', sigma);
}

/** Greeks scratch, [price, delta, gamma, vega, theta, rho, dividendRho, vanna, volga]: no allocation per call. */
const G = new Float64Array(9);

function bsGreeksInto(S: number, K: number, T: number, r: number, q: number, sigma: number, theta: number): void {
  const sqrtT = Math.sqrt(T);
  const s = sigma * sqrtT;
  const dq = Math.exp(-q * T);
  const dr = Math.exp(-r * T);
  const F = S * Math.exp((r - q) * T);
  const price = dr * undiscountedBlack(F, K, s, theta);
  const x = Math.log(F / K);
  let nd1: number; // N(theta d1)
  let nd2: number; // N(theta d2)
  let pd1 = 0; // phi(d1)
  let d1 = 0;
  let d2 = 0;
  if (s > 0) {
    d1 = x / s + 0.5 * s;
    d2 = d1 - s;
    nd1 = normCdf(theta * d1);
    nd2 = normCdf(theta * d2);
    pd1 = normPdf(d1);
  } else {
    // Zero variance: the option is worth its discounted forward intrinsic value.
    const itm = theta * x > 0 ? 1 : 0;
    nd1 = itm;
    nd2 = itm;
  }
  const sPd1Dq = S * dq * pd1;
  G[0] = price;
  G[1] = theta * dq * nd1;
  G[3] = s > 0 ? sPd1Dq * sqrtT : 0;
  G[2] = s > 0 ? (dq * pd1) / (S * s) : 0;
  G[4] = (s > 0 ? (-sPd1Dq * sigma) / (2 * sqrtT) : 0) - theta * r * K * dr * nd2 + theta * q * S * dq * nd1;
  G[5] = theta * K * T * dr * nd2;
  G[6] = -theta * S * T * dq * nd1;
  G[7] = s > 0 ? (-dq * pd1 * d2) / sigma : 0;
  G[8] = s > 0 ? (G[3] * d1 * d2) / sigma : 0;
}

/**
 * bsGreeks without an object per call: price, delta, gamma, vega, theta, rho, dividend rho, vanna
 * and volga (BsGreeks' order and units) written into `out` (length >= 9), which it returns. For
 * hot loops over many positions; throws like bsPrice on bad input.
 */
export function bsGreeksTo(S: number, K: number, T: number, r: number, q: number, sigma: number, right: Right, out: Float64Array): Float64Array {
  checkBsInputs(S, K, T, r, q, sigma);
  bsGreeksInto(S, K, T, r, q, sigma, rightSign(right));
  out.set(G);
  return out;
}

/** Black-Scholes-Merton price and greeks (see BsGreeks for units); throws like bsPrice on bad input. */
export function bsGreeks(S: number, K: number, T: number, r: number, q: number, sigma: number, right: Right): BsGreeks {
  // Validated without pricing: bsGreeksInto prices once itself.
  checkBsInputs(S, K, T, r, q, sigma);
  bsGreeksInto(S, K, T, r, q, sigma, rightSign(right));
  return {
    price: G[0], delta: G[1], gamma: G[2], vega: G[3], theta: G[4],
    rho: G[5], dividendRho: G[6], vanna: G[7], volga: G[8],
  };
}

// ---------------------------------------------------------------------------------------------
// Black-76
// ---------------------------------------------------------------------------------------------

/**
 * Black-76 price of a European option on forward F with discount factor df (the price is
 * df times the undiscounted Black value). Throws a RangeError naming the input when F, K or df
 * is not > 0, or T or sigma not >= 0.
 */
export function black76Price(F: number, K: number, T: number, df: number, sigma: number, right: Right): number {
  checkPositive('F', F);
  checkPositive('K', K);
  checkNonNegative('T', T);
  checkPositive('df', df);
  checkNonNegative('sigma', sigma);
  return df * undiscountedBlack(F, K, sigma * Math.sqrt(T), rightSign(right));
}

/** Black-76 price and greeks (delta, gamma with respect to F; see Black76Greeks). Throws like black76Price. */
export function black76Greeks(F: number, K: number, T: number, df: number, sigma: number, right: Right): Black76Greeks {
  black76Price(F, K, T, df, sigma, right); // validates
  // Black-76 is Black-Scholes-Merton on S = F with q = r: same formulas, and the rate
  // sensitivity with F fixed is rho + dividend rho of that model.
  const r = T > 0 ? -Math.log(df) / T : 0;
  bsGreeksInto(F, K, T, r, r, sigma, rightSign(right));
  const price = df * undiscountedBlack(F, K, sigma * Math.sqrt(T), rightSign(right));
  return {
    price, delta: G[1], gamma: G[2], vega: G[3], theta: G[4],
    rho: -T * price, vanna: G[7], volga: G[8],
  };
}

// ---------------------------------------------------------------------------------------------
// Batched
// ---------------------------------------------------------------------------------------------

/** Length shared by the array inputs (1 when all are numbers); throws naming an input of another length. */
export function batchLength(names: readonly string[], inputs: ReadonlyArray<Vec | Uint8Array | boolean>): number {
  let n = -1;
  let first = '';
  for (let i = 0; i < inputs.length; i++) {
    const v = inputs[i];
    if (typeof v === 'number' || typeof v === 'boolean') continue;
    if (n < 0) {
      n = v.length;
      first = names[i];
    } else if (v.length !== n) {
      throw new RangeError(`${names[i]} has length ${v.length} but ${first} has length ${n}`);
    }
  }
  return n < 0 ? 1 : n;
}

/** A Vec as a Float64Array of length n (numbers are filled once, outside any hot loop). */
export function expand(v: Vec, n: number): Float64Array {
  return typeof v === 'number' ? new Float64Array(n).fill(v) : v;
}

/** isCall as a Uint8Array of length n. */
export function expandRights(v: Uint8Array | boolean, n: number): Uint8Array {
  return typeof v === 'boolean' ? new Uint8Array(n).fill(v ? 1 : 0) : v;
}

function outArray(out: Float64Array | undefined, n: number, name: string): Float64Array {
  if (out === undefined) return new Float64Array(n);
  if (out.length < n) throw new RangeError(`${name} has length ${out.length}, needs at least ${n}`);
  return out;
}

const BS_NAMES = ['S', 'K', 'T', 'r', 'q', 'sigma', 'isCall'] as const;

/**
 * Batched Black-Scholes-Merton prices. Each input is a Float64Array (one value per quote) or a
 * number shared by all; isCall is a Uint8Array (non-zero = call) or a boolean. Writes into `out`
 * when given, else into a new array, and returns it. A quote with invalid inputs gets NaN (the
 * batch goes on); arrays of different lengths throw a RangeError.
 */
export function bsPrices(
  S: Vec, K: Vec, T: Vec, r: Vec, q: Vec, sigma: Vec, isCall: Uint8Array | boolean, out?: Float64Array,
): Float64Array {
  const n = batchLength(BS_NAMES, [S, K, T, r, q, sigma, isCall]);
  const s = expand(S, n), k = expand(K, n), t = expand(T, n), rr = expand(r, n), qq = expand(q, n);
  const v = expand(sigma, n), c = expandRights(isCall, n);
  const o = outArray(out, n, 'out');
  for (let i = 0; i < n; i++) {
    o[i] = validInputs(s[i], k[i], t[i], rr[i], qq[i], v[i])
      ? bsPriceUnchecked(s[i], k[i], t[i], rr[i], qq[i], v[i], c[i] !== 0 ? 1 : -1)
      : NaN;
  }
  return o;
}

/** Allocates the output arrays for n quotes of bsGreeksBatch. */
export function allocGreeksArrays(n: number): BsGreeksArrays {
  return {
    price: new Float64Array(n), delta: new Float64Array(n), gamma: new Float64Array(n),
    vega: new Float64Array(n), theta: new Float64Array(n), rho: new Float64Array(n),
    dividendRho: new Float64Array(n), vanna: new Float64Array(n), volga: new Float64Array(n),
  };
}

/**
 * Batched Black-Scholes-Merton prices and greeks, inputs as for bsPrices. Writes into `out`
 * (from allocGreeksArrays, each array at least as long as the batch) when given, else into new
 * arrays. A quote with invalid inputs gets NaN in every output.
 */
export function bsGreeksBatch(
  S: Vec, K: Vec, T: Vec, r: Vec, q: Vec, sigma: Vec, isCall: Uint8Array | boolean, out?: BsGreeksArrays,
): BsGreeksArrays {
  const n = batchLength(BS_NAMES, [S, K, T, r, q, sigma, isCall]);
  const s = expand(S, n), k = expand(K, n), t = expand(T, n), rr = expand(r, n), qq = expand(q, n);
  const v = expand(sigma, n), c = expandRights(isCall, n);
  const o = out ?? allocGreeksArrays(n);
  for (const [name, a] of Object.entries(o) as Array<[string, Float64Array]>) outArray(a, n, `out.${name}`);
  const { price, delta, gamma, vega, theta, rho, dividendRho, vanna, volga } = o;
  for (let i = 0; i < n; i++) {
    if (validInputs(s[i], k[i], t[i], rr[i], qq[i], v[i])) {
      bsGreeksInto(s[i], k[i], t[i], rr[i], qq[i], v[i], c[i] !== 0 ? 1 : -1);
    } else {
      G.fill(NaN);
    }
    price[i] = G[0]; delta[i] = G[1]; gamma[i] = G[2]; vega[i] = G[3]; theta[i] = G[4];
    rho[i] = G[5]; dividendRho[i] = G[6]; vanna[i] = G[7]; volga[i] = G[8];
  }
  return o;
}

const B76_NAMES = ['F', 'K', 'T', 'df', 'sigma', 'isCall'] as const;

/** Batched Black-76 prices (inputs as black76Price, batching as bsPrices); invalid quotes get NaN. */
export function black76Prices(
  F: Vec, K: Vec, T: Vec, df: Vec, sigma: Vec, isCall: Uint8Array | boolean, out?: Float64Array,
): Float64Array {
  const n = batchLength(B76_NAMES, [F, K, T, df, sigma, isCall]);
  const f = expand(F, n), k = expand(K, n), t = expand(T, n), d = expand(df, n), v = expand(sigma, n);
  const c = expandRights(isCall, n);
  const o = outArray(out, n, 'out');
  for (let i = 0; i < n; i++) {
    o[i] = validInputs(f[i], k[i], t[i], 0, 0, v[i]) && d[i] > 0 && d[i] < Infinity
      ? d[i] * undiscountedBlack(f[i], k[i], v[i] * Math.sqrt(t[i]), c[i] !== 0 ? 1 : -1)
      : NaN;
  }
  return o;
}
