/* eslint-disable no-loss-of-precision -- constants and reference values are written with the digits their sources publish, more than a double holds */
/**
 * Implied volatility to machine precision for every input: deep wings, minutes to expiry, vols
 * from 0.1% to 500%. Scalar, batched over typed arrays, bid/mid/ask per quote, on spot (with r, q)
 * or on forward and discount factor (Black-76).
 *
 * Hand-written numerics (no JS library offers it): a port of P. Jaeckel's "Let's Be Rational"
 * (Wilmott, January 2015, pp. 40-53; reference code 2013-2014, www.jaeckel.org). The price is
 * reduced to the normalised out-of-the-money Black value beta in terms of x = ln(F/K); four
 * branches of rational-cubic initial guesses (Delbourgo-Gregory interpolation, in transformed
 * coordinates for the lowest and highest segments) put the first guess so close that two
 * Householder iterations of order 3 on a branch-adapted objective reach full double precision.
 *
 * Reason codes instead of exceptions: a quote that cannot be inverted gives NaN and a status.
 * - 'below_intrinsic': price not above its lower bound df * max(theta (F - K), 0) (equality
 *   included: a zero time value, such as a zero bid, identifies no volatility);
 * - 'above_upper_bound': price at or above df * F (call) or df * K (put), the infinite-vol limit;
 * - 'bad_input': a non-finite or negative price, S, K, F or df not > 0, T not > 0, r or q not finite.
 */
import {
  batchLength, expand, expandRights, normalisedBlackCallAndVega, normalisedBlackCallGivenExp, normalisedIntrinsic,
  normalisedScratch, type Right, type Vec,
} from './black-scholes.ts';
import { erfcx, inverseNormCdf, normCdf, normPdf } from './normal.ts';

/** Why an implied vol is NaN (or 'ok'). */
export type IvStatus = 'ok' | 'below_intrinsic' | 'above_upper_bound' | 'bad_input';

/** Status names by numeric code, as stored in the Uint8Array of batched results. */
export const IV_STATUS: readonly IvStatus[] = ['ok', 'below_intrinsic', 'above_upper_bound', 'bad_input'];
/** Numeric status codes of batched results. */
export const IV_OK = 0;
export const IV_BELOW_INTRINSIC = 1;
export const IV_ABOVE_UPPER_BOUND = 2;
export const IV_BAD_INPUT = 3;

/** One implied vol with its status; iv is NaN unless status is 'ok'. */
export interface IvResult {
  iv: number;
  status: IvStatus;
}

/** Batched implied vols: iv[i] (NaN unless status[i] is IV_OK) and status codes (IV_STATUS[code]). */
export interface IvBatch {
  iv: Float64Array;
  status: Uint8Array;
}

/** Bid, mid and ask implied vols of a batch of quotes. */
export interface QuoteIvBatch {
  bid: IvBatch;
  mid: IvBatch;
  ask: IvBatch;
}

const DBL_EPSILON = 2.220446049250313e-16;
const DBL_MIN = 2.2250738585072014e-308;
const DBL_MAX = Number.MAX_VALUE;
const SQRT_DBL_MAX = Math.sqrt(DBL_MAX);
const SQRT_THREE = 1.732050807568877293527446341505872366942805253810;
const SQRT_ONE_OVER_THREE = 0.577350269189625764509148780501957455647601751270;
const TWO_PI = 6.283185307179586476925286766559005768394338798750;
const TWO_PI_OVER_SQRT_TWENTY_SEVEN = 1.209199576156145233729385505094770488189377498728;
const PI_OVER_SIX = 0.523598775598298873077107230546583814032861566563;
const ONE_OVER_SQRT_TWO_PI = 0.3989422804014326779399460599343818684758586311649;
const SQRT_PI_OVER_TWO = 1.253314137315500251207882642405522626503493370305;
const ONE_OVER_SQRT_TWO = 0.7071067811865475244008443621048490392848359376887;
/** Jaeckel: two Householder(3) steps from the rational guess reach machine precision. */
const MAX_ITERATIONS = 2;

// ---------------------------------------------------------------------------------------------
// Rational cubic interpolation (Delbourgo & Gregory 1985), as used by Jaeckel for the guesses.
// ---------------------------------------------------------------------------------------------

const MIN_RATIONAL_CUBIC_CONTROL = -(1 - Math.sqrt(DBL_EPSILON));
const MAX_RATIONAL_CUBIC_CONTROL = 2 / (DBL_EPSILON * DBL_EPSILON);

function isZero(x: number): boolean {
  return Math.abs(x) < DBL_MIN;
}

function rationalCubicInterpolation(
  x: number, xl: number, xr: number, yl: number, yr: number, dl: number, dr: number, r: number,
): number {
  const h = xr - xl;
  if (Math.abs(h) <= 0) return 0.5 * (yl + yr);
  const t = (x - xl) / h;
  if (!(r >= MAX_RATIONAL_CUBIC_CONTROL)) {
    const omt = 1 - t;
    const t2 = t * t;
    const omt2 = omt * omt;
    return (yr * t2 * t + (r * yr - h * dr) * t2 * omt + (r * yl + h * dl) * t * omt2 + yl * omt2 * omt) /
      (1 + (r - 3) * t * omt);
  }
  return yr * t + yl * (1 - t); // linear, free of over/underflow
}

function minimumRationalCubicControl(dl: number, dr: number, s: number, preferShape: boolean): number {
  const monotonic = dl * s >= 0 && dr * s >= 0;
  const convex = dl <= s && s <= dr;
  const concave = dl >= s && s >= dr;
  if (!monotonic && !convex && !concave) return MIN_RATIONAL_CUBIC_CONTROL;
  const drMdl = dr - dl;
  const drMs = dr - s;
  const sMdl = s - dl;
  let r1 = -DBL_MAX;
  let r2 = r1;
  if (monotonic) {
    if (!isZero(s)) r1 = (dr + dl) / s;
    else if (preferShape) r1 = MAX_RATIONAL_CUBIC_CONTROL;
  }
  if (convex || concave) {
    if (!(isZero(sMdl) || isZero(drMs))) r2 = Math.max(Math.abs(drMdl / drMs), Math.abs(drMdl / sMdl));
    else if (preferShape) r2 = MAX_RATIONAL_CUBIC_CONTROL;
  } else if (monotonic && preferShape) {
    r2 = MAX_RATIONAL_CUBIC_CONTROL;
  }
  return Math.max(MIN_RATIONAL_CUBIC_CONTROL, Math.max(r1, r2));
}

function convexControlToFitSecondDerivativeAtLeft(
  xl: number, xr: number, yl: number, yr: number, dl: number, dr: number, d2l: number, preferShape: boolean,
): number {
  const h = xr - xl;
  const numerator = 0.5 * h * d2l + (dr - dl);
  let r: number;
  if (isZero(numerator)) r = 0;
  else {
    const denominator = (yr - yl) / h - dl;
    if (isZero(denominator)) r = numerator > 0 ? MAX_RATIONAL_CUBIC_CONTROL : MIN_RATIONAL_CUBIC_CONTROL;
    else r = numerator / denominator;
  }
  return Math.max(r, minimumRationalCubicControl(dl, dr, (yr - yl) / h, preferShape));
}

function convexControlToFitSecondDerivativeAtRight(
  xl: number, xr: number, yl: number, yr: number, dl: number, dr: number, d2r: number, preferShape: boolean,
): number {
  const h = xr - xl;
  const numerator = 0.5 * h * d2r + (dr - dl);
  let r: number;
  if (isZero(numerator)) r = 0;
  else {
    const denominator = dr - (yr - yl) / h;
    if (isZero(denominator)) r = numerator > 0 ? MAX_RATIONAL_CUBIC_CONTROL : MIN_RATIONAL_CUBIC_CONTROL;
    else r = numerator / denominator;
  }
  return Math.max(r, minimumRationalCubicControl(dl, dr, (yr - yl) / h, preferShape));
}

// ---------------------------------------------------------------------------------------------
// The transformation maps of the lowest and highest segments, with two derivatives in beta.
// ---------------------------------------------------------------------------------------------

/** f, f' and f'' of the last map evaluation (a typed array: module-level number variables would box every double stored). */
const map = new Float64Array(3);

function fLowerMapAndDerivatives(x: number, s: number): void {
  const ax = Math.abs(x);
  const z = (SQRT_ONE_OVER_THREE * ax) / s;
  const y = z * z;
  const s2 = s * s;
  const phi = normPdf(z);
  // Phi(-z)/phi(z) by erfcx where that needs no exponential, so Phi(-z) costs none beyond phi's
  const zr = z * ONE_OVER_SQRT_TWO;
  const ratio = zr > 0.5 ? SQRT_PI_OVER_TWO * erfcx(zr) : normCdf(-z) / phi;
  const Phi = zr > 0.5 ? ratio * phi : normCdf(-z);
  // exp(2y + s^2/4) is the square of exp(y + s^2/8)
  const e = Math.exp(y + 0.125 * s2);
  map[2] = ((PI_OVER_SIX * y) / (s2 * s)) * Phi * (8 * SQRT_THREE * s * ax + (3 * s2 * (s2 - 8) - 8 * x * x) * ratio) * (e * e);
  const Phi2 = Phi * Phi;
  map[1] = TWO_PI * y * Phi2 * e;
  map[0] = TWO_PI_OVER_SQRT_TWENTY_SEVEN * ax * (Phi2 * Phi);
}

function inverseFLowerMap(x: number, f: number): number {
  return Math.abs(x / (SQRT_THREE * inverseNormCdf(Math.cbrt(f / (TWO_PI_OVER_SQRT_TWENTY_SEVEN * Math.abs(x))))));
}

function fUpperMapAndDerivatives(x: number, s: number): void {
  map[0] = normCdf(-0.5 * s);
  if (x === 0) {
    map[1] = -0.5;
    map[2] = 0;
  } else {
    const w = (x / s) * (x / s);
    map[1] = -0.5 * Math.exp(0.5 * w);
    map[2] = (SQRT_PI_OVER_TWO * Math.exp(w + 0.125 * s * s) * w) / s;
  }
}

function inverseFUpperMap(f: number): number {
  return -2 * inverseNormCdf(f);
}

function householderFactor(newton: number, halley: number, hh3: number): number {
  return (1 + 0.5 * halley * newton) / (1 + newton * (halley + (hh3 * newton) / 6));
}

// ---------------------------------------------------------------------------------------------
// The normalised inversion
// ---------------------------------------------------------------------------------------------

/**
 * s = sigma sqrt(T) with normalisedBlackCall(x, s) = beta, for x <= 0 (an out-of-the-money call,
 * or any option mapped there) and 0 < beta < bMax = e^{x/2}; the caller checks those bounds.
 */
function normalisedVolOtmCall(beta: number, x: number, bMax: number): number {
  let iterations = 0;
  let directionReversals = 0;
  let f = -DBL_MAX;
  let s = -DBL_MAX;
  let ds = s;
  let dsPrevious = 0;
  let sLeft = DBL_MIN;
  let sRight = DBL_MAX;
  const sC = Math.sqrt(Math.abs(2 * x));
  // at s_c, h^2 + t^2 = |x|: b's exponential is e^{x/2} = bMax (no exp), and the vega e^{x/2}/sqrt(2 pi)
  const bC = sC > 0 ? normalisedBlackCallGivenExp(x, sC, bMax) : 0;
  const vC = ONE_OVER_SQRT_TWO_PI * bMax;
  if (beta < bC) {
    const sL = sC - bC / vC;
    const bL = normalisedBlackCallAndVega(x, sL);
    const vL = normalisedScratch.vega;
    if (beta < bL) {
      fLowerMapAndDerivatives(x, sL);
      const fL = map[0], dfL = map[1], d2fL = map[2];
      const rLL = convexControlToFitSecondDerivativeAtRight(0, bL, 0, fL, 1, dfL, d2fL, true);
      f = rationalCubicInterpolation(beta, 0, bL, 0, fL, 1, dfL, rLL);
      if (!(f > 0)) {
        // Roundoff for extreme |x| (> 500): quadratic through f(0) = 0, f(b_l), f'(0) = 1.
        const t = beta / bL;
        f = (fL * t + bL * (1 - t)) * t;
      }
      s = inverseFLowerMap(x, f);
      sRight = sL;
      // Lowest segment: objective g(s) = 1/ln(b(s)) - 1/ln(beta), nearly linear there.
      const lnBeta = Math.log(beta);
      while (iterations < MAX_ITERATIONS && Math.abs(ds) > DBL_EPSILON * s) {
        if (ds * dsPrevious < 0) ++directionReversals;
        if (iterations > 0 && (directionReversals === 3 || !(s > sLeft && s < sRight))) {
          // Looping or stepping out of the bracket (only for extreme |x|): bisect.
          s = 0.5 * (sLeft + sRight);
          if (sRight - sLeft <= DBL_EPSILON * s) break;
          directionReversals = 0;
          ds = 0;
        }
        dsPrevious = ds;
        const b = normalisedBlackCallAndVega(x, s);
        const bp = normalisedScratch.vega;
        if (b > beta && s < sRight) sRight = s;
        else if (b < beta && s > sLeft) sLeft = s;
        if (b <= 0 || bp <= 0) {
          ds = 0.5 * (sLeft + sRight) - s; // underflow: bisect this once
        } else {
          const lnB = Math.log(b);
          const bpob = bp / b;
          const h = x / s;
          const bHalley = (h * h) / s - s / 4;
          const newton = (((lnBeta - lnB) * lnB) / lnBeta) / bpob;
          const halley = bHalley - bpob * (1 + 2 / lnB);
          const bHh3 = bHalley * bHalley - 3 * (h / s) * (h / s) - 0.25;
          const hh3 = bHh3 + 2 * bpob * bpob * (1 + (3 / lnB) * (1 + 1 / lnB)) - 3 * bHalley * bpob * (1 + 2 / lnB);
          ds = newton * householderFactor(newton, halley, hh3);
        }
        ds = Math.max(-0.5 * s, ds);
        s += ds;
        ++iterations;
      }
      return s;
    }
    const rLM = convexControlToFitSecondDerivativeAtRight(bL, bC, sL, sC, 1 / vL, 1 / vC, 0, false);
    s = rationalCubicInterpolation(beta, bL, bC, sL, sC, 1 / vL, 1 / vC, rLM);
    sLeft = sL;
    sRight = sC;
  } else {
    const sH = vC > DBL_MIN ? sC + (bMax - bC) / vC : sC;
    const bH = normalisedBlackCallAndVega(x, sH);
    const vH = normalisedScratch.vega;
    if (beta <= bH) {
      const rHM = convexControlToFitSecondDerivativeAtLeft(bC, bH, sC, sH, 1 / vC, 1 / vH, 0, false);
      s = rationalCubicInterpolation(beta, bC, bH, sC, sH, 1 / vC, 1 / vH, rHM);
      sLeft = sC;
      sRight = sH;
    } else {
      fUpperMapAndDerivatives(x, sH);
      const fH = map[0], dfH = map[1], d2fH = map[2];
      if (d2fH > -SQRT_DBL_MAX && d2fH < SQRT_DBL_MAX) {
        const rHH = convexControlToFitSecondDerivativeAtLeft(bH, bMax, fH, 0, dfH, -0.5, d2fH, true);
        f = rationalCubicInterpolation(beta, bH, bMax, fH, 0, dfH, -0.5, rHH);
      }
      if (f <= 0) {
        // Quadratic through f(b_h), f(b_max) = 0 and f'(b_max) = -1/2.
        const h = bMax - bH;
        const t = (beta - bH) / h;
        f = (fH * (1 - t) + 0.5 * h * t) * (1 - t);
      }
      s = inverseFUpperMap(f);
      sLeft = sH;
      if (beta > 0.5 * bMax) {
        // Highest segment: objective g(s) = ln(b_max - beta) - ln(b_max - b(s)).
        while (iterations < MAX_ITERATIONS && Math.abs(ds) > DBL_EPSILON * s) {
          if (ds * dsPrevious < 0) ++directionReversals;
          if (iterations > 0 && (directionReversals === 3 || !(s > sLeft && s < sRight))) {
            s = 0.5 * (sLeft + sRight);
            if (sRight - sLeft <= DBL_EPSILON * s) break;
            directionReversals = 0;
            ds = 0;
          }
          dsPrevious = ds;
          const b = normalisedBlackCallAndVega(x, s);
          const bp = normalisedScratch.vega;
          if (b > beta && s < sRight) sRight = s;
          else if (b < beta && s > sLeft) sLeft = s;
          if (b >= bMax || bp <= DBL_MIN) {
            ds = 0.5 * (sLeft + sRight) - s;
          } else {
            const bMaxMinusB = bMax - b;
            const g = Math.log((bMax - beta) / bMaxMinusB);
            const gp = bp / bMaxMinusB;
            const bHalley = ((x / s) * (x / s)) / s - s / 4;
            const bHh3 = bHalley * bHalley - 3 * (x / (s * s)) * (x / (s * s)) - 0.25;
            const newton = -g / gp;
            const halley = bHalley + gp;
            const hh3 = bHh3 + gp * (2 * gp + 3 * bHalley);
            ds = newton * householderFactor(newton, halley, hh3);
          }
          ds = Math.max(-0.5 * s, ds);
          s += ds;
          ++iterations;
        }
        return s;
      }
    }
  }
  // Two middle segments: objective g(s) = b(s) - beta.
  while (iterations < MAX_ITERATIONS && Math.abs(ds) > DBL_EPSILON * s) {
    if (ds * dsPrevious < 0) ++directionReversals;
    if (iterations > 0 && (directionReversals === 3 || !(s > sLeft && s < sRight))) {
      s = 0.5 * (sLeft + sRight);
      if (sRight - sLeft <= DBL_EPSILON * s) break;
      directionReversals = 0;
      ds = 0;
    }
    dsPrevious = ds;
    const b = normalisedBlackCallAndVega(x, s);
    const bp = normalisedScratch.vega;
    if (b > beta && s < sRight) sRight = s;
    else if (b < beta && s > sLeft) sLeft = s;
    const newton = (beta - b) / bp;
    const halley = ((x / s) * (x / s)) / s - s / 4;
    const hh3 = halley * halley - 3 * (x / (s * s)) * (x / (s * s)) - 0.25;
    ds = Math.max(-0.5 * s, newton * householderFactor(newton, halley, hh3));
    s += ds;
    ++iterations;
  }
  return s;
}

/** Status of the last ivCore call (module scratch, so the hot path allocates nothing). */
let coreStatus = IV_OK;

/** Implied vol from a discounted price on forward F with discount factor df; sets coreStatus. */
function ivCore(price: number, F: number, K: number, T: number, df: number, theta: number): number {
  if (
    !(price >= 0 && price < Infinity && F > 0 && F < Infinity && K > 0 && K < Infinity &&
      T > 0 && T < Infinity && df > 0 && df < Infinity)
  ) {
    coreStatus = IV_BAD_INPUT;
    return NaN;
  }
  const fwd = price / df;
  if (fwd >= (theta > 0 ? F : K)) {
    coreStatus = IV_ABOVE_UPPER_BOUND;
    return NaN;
  }
  // Map to the out-of-the-money option: subtract the forward intrinsic value, flip the right.
  let otm = fwd;
  const intrinsic = theta * (F - K);
  if (intrinsic > 0) {
    otm = fwd - intrinsic;
    theta = -theta;
  }
  if (!(otm > 0)) {
    coreStatus = IV_BELOW_INTRINSIC;
    return NaN;
  }
  let x = Math.log(F / K);
  if (theta < 0) x = -x; // a put at x is a call at -x (reciprocal-strike symmetry)
  let beta = otm / (Math.sqrt(F) * Math.sqrt(K));
  if (x > 0) {
    // F and K so close that x's sign disagrees with F - K's: recentre on the call side.
    beta -= normalisedIntrinsic(x, 1);
    x = -x;
    if (!(beta > 0)) {
      coreStatus = IV_BELOW_INTRINSIC;
      return NaN;
    }
  }
  const bMax = Math.exp(0.5 * x);
  if (beta >= bMax) {
    coreStatus = IV_ABOVE_UPPER_BOUND;
    return NaN;
  }
  coreStatus = IV_OK;
  return normalisedVolOtmCall(beta, x, bMax) / Math.sqrt(T);
}

function rightTheta(right: Right): number {
  return right === 'C' ? 1 : right === 'P' ? -1 : 0;
}

function result(iv: number): IvResult {
  return { iv, status: IV_STATUS[coreStatus] };
}

/**
 * Black-Scholes-Merton implied volatility of a European option price (S spot, K strike, T years,
 * r and q continuously compounded). Never throws: bad inputs give NaN with a status.
 */
export function impliedVol(price: number, S: number, K: number, T: number, r: number, q: number, right: Right): IvResult {
  const theta = rightTheta(right);
  if (theta === 0 || !(S > 0 && S < Infinity) || !Number.isFinite(r) || !Number.isFinite(q)) {
    coreStatus = IV_BAD_INPUT;
    return result(NaN);
  }
  return result(ivCore(price, S * Math.exp((r - q) * T), K, T, Math.exp(-r * T), theta));
}

/**
 * Black-76 implied volatility of a European option price on forward F with discount factor df
 * (price = df * undiscounted Black value). Never throws: bad inputs give NaN with a status.
 */
export function impliedVolBlack76(price: number, F: number, K: number, T: number, df: number, right: Right): IvResult {
  const theta = rightTheta(right);
  if (theta === 0) {
    coreStatus = IV_BAD_INPUT;
    return result(NaN);
  }
  return result(ivCore(price, F, K, T, df, theta));
}

function outBatch(out: IvBatch | undefined, n: number): IvBatch {
  if (out === undefined) return { iv: new Float64Array(n), status: new Uint8Array(n) };
  if (out.iv.length < n || out.status.length < n) {
    throw new RangeError(`out arrays have lengths ${out.iv.length}/${out.status.length}, need at least ${n}`);
  }
  return out;
}

const IV_NAMES = ['price', 'S', 'K', 'T', 'r', 'q', 'isCall'] as const;

/**
 * Batched Black-Scholes-Merton implied vols. Each input is a Float64Array (one per quote) or a
 * number for all; isCall a Uint8Array (non-zero = call) or a boolean. Writes into `out` when
 * given. Per-quote status codes (IV_STATUS[code]) explain each NaN; only arrays of different
 * lengths throw.
 */
export function impliedVols(
  price: Vec, S: Vec, K: Vec, T: Vec, r: Vec, q: Vec, isCall: Uint8Array | boolean, out?: IvBatch,
): IvBatch {
  const n = batchLength(IV_NAMES, [price, S, K, T, r, q, isCall]);
  const p = expand(price, n), s = expand(S, n), k = expand(K, n), t = expand(T, n);
  const rr = expand(r, n), qq = expand(q, n), c = expandRights(isCall, n);
  const o = outBatch(out, n);
  const iv = o.iv, st = o.status;
  for (let i = 0; i < n; i++) {
    const si = s[i], ri = rr[i], qi = qq[i], ti = t[i];
    if (!(si > 0 && si < Infinity) || !Number.isFinite(ri) || !Number.isFinite(qi)) {
      iv[i] = NaN;
      st[i] = IV_BAD_INPUT;
      continue;
    }
    iv[i] = ivCore(p[i], si * Math.exp((ri - qi) * ti), k[i], ti, Math.exp(-ri * ti), c[i] !== 0 ? 1 : -1);
    st[i] = coreStatus;
  }
  return o;
}

const IV76_NAMES = ['price', 'F', 'K', 'T', 'df', 'isCall'] as const;

/** Batched Black-76 implied vols on forwards and discount factors; batching as impliedVols. */
export function impliedVolsBlack76(
  price: Vec, F: Vec, K: Vec, T: Vec, df: Vec, isCall: Uint8Array | boolean, out?: IvBatch,
): IvBatch {
  const n = batchLength(IV76_NAMES, [price, F, K, T, df, isCall]);
  const p = expand(price, n), f = expand(F, n), k = expand(K, n), t = expand(T, n), d = expand(df, n);
  const c = expandRights(isCall, n);
  const o = outBatch(out, n);
  for (let i = 0; i < n; i++) {
    o.iv[i] = ivCore(p[i], f[i], k[i], t[i], d[i], c[i] !== 0 ? 1 : -1);
    o.status[i] = coreStatus;
  }
  return o;
}

const QUOTE_NAMES = ['bid', 'ask', 'S', 'K', 'T', 'r', 'q', 'isCall'] as const;

/**
 * Bid, mid and ask implied vols per quote (Black-Scholes-Merton; inputs and batching as
 * impliedVols). A zero bid gives a NaN bid IV with status below_intrinsic while mid and ask are
 * still inverted; a crossed quote (bid > ask) or a non-finite side gives the mid bad_input.
 */
export function quoteIvs(
  bid: Vec, ask: Vec, S: Vec, K: Vec, T: Vec, r: Vec, q: Vec, isCall: Uint8Array | boolean,
): QuoteIvBatch {
  const n = batchLength(QUOTE_NAMES, [bid, ask, S, K, T, r, q, isCall]);
  const b = expand(bid, n), a = expand(ask, n);
  const mid = new Float64Array(n);
  for (let i = 0; i < n; i++) mid[i] = b[i] <= a[i] ? 0.5 * (b[i] + a[i]) : NaN;
  const out: QuoteIvBatch = {
    bid: impliedVols(b, S, K, T, r, q, isCall),
    mid: impliedVols(mid, S, K, T, r, q, isCall),
    ask: impliedVols(a, S, K, T, r, q, isCall),
  };
  return out;
}

/** Bid, mid and ask implied vols of one quote; see quoteIvs. */
export function quoteIv(
  bid: number, ask: number, S: number, K: number, T: number, r: number, q: number, right: Right,
): { bid: IvResult; mid: IvResult; ask: IvResult } {
  const mid = bid <= ask ? 0.5 * (bid + ask) : NaN;
  return {
    bid: impliedVol(bid, S, K, T, r, q, right),
    mid: impliedVol(mid, S, K, T, r, q, right),
    ask: impliedVol(ask, S, K, T, r, q, right),
  };
}
