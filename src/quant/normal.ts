/* eslint-disable no-loss-of-precision -- constants and reference values are written with the digits their sources publish, more than a double holds */
/**
 * The standard normal distribution to full double precision, tails included: density, cumulative
 * distribution, its inverse, and the error functions erfc and erfcx (scaled erfc) they rest on.
 *
 * Hand-written numerics (no JS library offers them at this accuracy):
 * - erf, erfc, erfcx: W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev
 *   approximations for the error function", Math. Comp. 23, 1969, pp. 631-638; CALERF, 1990
 *   version), good to about 18 significant digits before rounding.
 * - normCdf: 0.5 erfc(-z/sqrt 2), and for z <= -10 the asymptotic series Abramowitz & Stegun
 *   26.2.12, as in P. Jaeckel's "Let's Be Rational" code, which keeps full relative accuracy
 *   far into the lower tail (down to the underflow near z = -38.4).
 * - inverseNormCdf: Wichura's algorithm AS241 (Applied Statistics 37(3), 1988), relative
 *   accuracy about 1e-16, for p in (0, 1) down to the smallest subnormal.
 */

const ONE_OVER_SQRT_TWO_PI = 0.3989422804014326779399460599343818684758586311649;
const ONE_OVER_SQRT_TWO = 0.7071067811865475244008443621048490392848359376887;
const SQRPI = 0.56418958354775628695; // 1/sqrt(pi)
const DBL_EPSILON = 2.220446049250313e-16;
const ASYMPTOTIC_FIRST_THRESHOLD = -10;
const ASYMPTOTIC_SECOND_THRESHOLD = -1 / Math.sqrt(DBL_EPSILON);

/** Standard normal density phi(x) = exp(-x^2/2) / sqrt(2 pi). */
export function normPdf(x: number): number {
  return ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * x * x);
}

/**
 * erfc for |x| > 0.46875 without the final exp(-x^2) factor (so the result is erfcx(|x|)); the
 * caller applies the factor, split as exp(-ysq^2) exp(-del) so that x^2 is not rounded first.
 */
function erfcxPositiveTail(y: number): number {
  if (y <= 4) {
    const num =
      ((((((((2.15311535474403846e-8 * y + 5.64188496988670089e-1) * y + 8.88314979438837594) * y +
        66.1191906371416295) * y + 298.635138197400131) * y + 881.95222124176909) * y +
        1712.04761263407058) * y + 2051.07837782607147) * y + 1230.33935479799725);
    const den =
      (((((((y + 15.7449261107098347) * y + 117.693950891312499) * y + 537.181101862009858) * y +
        1621.38957456669019) * y + 3290.79923573345963) * y + 4362.61909014324716) * y +
        3439.36767414372164) * y + 1230.33935480374942;
    return num / den;
  }
  if (y >= 6.71e7) return SQRPI / y;
  const z = 1 / (y * y);
  const num =
    (((((1.63153871373020978e-2 * z + 3.05326634961232344e-1) * z + 3.60344899949804439e-1) * z +
      1.25781726111229246e-1) * z + 1.60837851487422766e-2) * z + 6.58749161529837803e-4);
  const den =
    (((((z + 2.56852019228982242) * z + 1.87295284992346047) * z + 5.27905102951428412e-1) * z +
      6.05183413124413191e-2) * z + 2.33520497626869185e-3);
  return (SQRPI - (z * num) / den) / y;
}

/** erf(x)/x's rational part for |x| <= 0.46875 (Cody's first interval). */
function erfSmall(x: number): number {
  const z = x * x;
  const num =
    (((1.85777706184603153e-1 * z + 3.16112374387056560) * z + 1.13864154151050156e2) * z +
      3.77485237685302021e2) * z + 3.20937758913846947e3;
  const den =
    (((z + 2.36012909523441209e1) * z + 2.44024637934444173e2) * z + 1.28261652607737228e3) * z +
    2.84423683343917062e3;
  return (x * num) / den;
}

/** exp(-y^2) for y >= 0 without the rounding of y^2 (Cody's split at multiples of 1/16). */
function expMinusSquare(y: number): number {
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del);
}

/** The error function erf(x) (Cody 1969). */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return erfSmall(x);
  if (y >= 26.543) return x < 0 ? -1 : 1;
  const r = 0.5 - expMinusSquare(y) * erfcxPositiveTail(y) + 0.5;
  return x < 0 ? -r : r;
}

/** The complementary error function erfc(x) = 1 - erf(x), accurate in relative terms for large x (Cody 1969). */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return 1 - erfSmall(x);
  let r: number;
  if (y >= 26.543) r = 0;
  else r = expMinusSquare(y) * erfcxPositiveTail(y);
  return x < 0 ? 2 - r : r;
}

/** The scaled complementary error function erfcx(x) = exp(x^2) erfc(x) (Cody 1969); +Infinity below x = -26.628. */
export function erfcx(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return Math.exp(x * x) * (1 - erfSmall(x));
  if (x > 0) return x >= 2.53e307 ? 0 : erfcxPositiveTail(y);
  if (x < -26.628) return Infinity;
  // erfcx(-y) = 2 exp(y^2) - erfcx(y), with exp(y^2) split as in expMinusSquare.
  const ysq = Math.trunc(x * 16) / 16;
  const del = (x - ysq) * (x + ysq);
  const e = Math.exp(ysq * ysq) * Math.exp(del);
  return e + e - erfcxPositiveTail(y);
}

/**
 * Standard normal cumulative distribution Phi(z), with full relative accuracy in the lower tail
 * (Phi(-37) = 5.7e-300 to about 1e-15 relative); underflows to 0 below about z = -38.5.
 */
export function normCdf(z: number): number {
  if (z <= ASYMPTOTIC_FIRST_THRESHOLD) {
    // Asymptotic series A&S 26.2.12: Phi(z) = phi(z)/|z| [1 - 1/z^2 + 3/z^4 - ...], summed in pairs
    // while the terms keep shrinking; a dozen pairs at most at z = -10.
    let sum = 1;
    if (z >= ASYMPTOTIC_SECOND_THRESHOLD) {
      const zsqr = z * z;
      let i = 1;
      let g = 1;
      let a = Number.MAX_VALUE;
      let lasta: number;
      do {
        lasta = a;
        const x = (4 * i - 3) / zsqr;
        const y = x * ((4 * i - 1) / zsqr);
        a = g * (x - y);
        sum -= a;
        g *= y;
        ++i;
        a = Math.abs(a);
      } while (lasta > a && a >= Math.abs(sum * DBL_EPSILON));
    }
    return (-normPdf(z) * sum) / z;
  }
  return 0.5 * erfc(-z * ONE_OVER_SQRT_TWO);
}

/**
 * Inverse of the standard normal cumulative distribution (Wichura's AS241): z with Phi(z) = p,
 * relative accuracy about 1e-16. p = 0 gives -Infinity, p = 1 gives +Infinity; p outside [0, 1]
 * or NaN gives NaN.
 */
export function inverseNormCdf(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r + 6.7265770927008700853e4) * r +
          4.5921953931549871457e4) * r + 1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r +
          1.3314166789178437745e2) * r + 3.3871328727963666080)) /
      (((((((5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r + 3.9307895800092710610e4) * r +
        2.1213794301586595867e4) * r + 5.3941960214247511077e3) * r + 6.8718700749205790830e2) * r +
        4.2313330701600911252e1) * r + 1)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let z: number;
  if (r <= 5) {
    r -= 1.6;
    z =
      (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r + 2.41780725177450611770e-1) * r +
        1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.76949722146069140550) * r +
        4.63033784615654529590) * r + 1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r + 1.51986665636164571966e-2) * r +
        1.48103976427480074590e-1) * r + 6.89767334985100004550e-1) * r + 1.67638483018380384940) * r +
        2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    z =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.24266094738807843860e-3) * r +
        2.65321895265761230930e-2) * r + 2.96560571828504891230e-1) * r + 1.78482653991729133580) * r +
        5.46378491116411436990) * r + 6.65790464350110377720) /
      (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r + 1.84631831751005468180e-5) * r +
        7.86869131145613259100e-4) * r + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r +
        5.99832206555887937690e-1) * r + 1);
  }
  return q < 0 ? -z : z;
}
