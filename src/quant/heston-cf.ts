/**
 * Characteristic functions of the Heston (1993) and Bates (1996) models, in the "little Heston
 * trap" form of Albrecher, Mayer, Schoutens and Tistaert (Wilmott Magazine, 2007): with the root
 * d taken with Re d >= 0, g = (beta - d)/(beta + d) and exp(-dT) stay inside the unit disc, and
 * the principal logarithm never jumps across its branch cut, however long the maturity and
 * whether or not the Feller condition 2 kappa theta >= sigma^2 holds.
 *
 * Hand-written numerics (no JS library offers complex arithmetic without allocating): every
 * complex quantity is a pair of plain numbers, so one evaluation allocates nothing. Two
 * rearrangements keep full precision as the vol of vol sigma goes to 0, where the textbook form
 * divides an O(sigma^2) difference by sigma^2:
 *   (beta - d)/sigma^2 = -w/(beta + d), with w = iz + z^2, since beta^2 - d^2 = -sigma^2 w;
 *   ln((1 - g e)/(1 - g)) = log1p(g (1 - e)/(1 - g)), evaluated with complex log1p and expm1;
 * so sigma = 0 itself gives the Black-Scholes characteristic function with the deterministic
 * variance path.
 *
 * Units: T in years; variance parameters annualised. The characteristic function is that of
 * X = ln(S_T / F_T), the log of the terminal price over the forward, so phi(-i) = 1.
 */

/** Heston parameters: initial variance v0, mean reversion kappa, long-run variance theta, vol of variance sigma, correlation rho. */
export interface HestonParams {
  v0: number;
  kappa: number;
  theta: number;
  sigma: number;
  rho: number;
}

/** Bates parameters: Heston plus Poisson jumps of intensity lambda (per year) with log jump size N(muJ, sigmaJ^2). */
export interface BatesParams extends HestonParams {
  lambda: number;
  muJ: number;
  sigmaJ: number;
}

/** Validated model parameters in the shape the characteristic function reads (lambda = 0 for Heston). */
export interface CfModel {
  v0: number;
  kappa: number;
  theta: number;
  sigma: number;
  rho: number;
  lambda: number;
  muJ: number;
  sigmaJ: number;
  /** E[e^J] - 1, the jump compensator. */
  jumpMean: number;
}

function need(ok: boolean, name: string, what: string, value: unknown): void {
  if (!ok) throw new RangeError(`${name} ${what}, got ${String(value)}`);
}

/**
 * Checks Heston or Bates parameters and returns the model the characteristic function reads.
 * A params object with lambda > 0 is Bates (muJ, sigmaJ then required); lambda 0 or absent is Heston.
 */
export function toCfModel(p: HestonParams | BatesParams): CfModel {
  need(p !== null && typeof p === 'object', 'params', 'must be an object', p);
  const { v0, kappa, theta, sigma, rho } = p;
  need(Number.isFinite(v0) && v0 >= 0, 'params.v0', 'must be a finite number >= 0', v0);
  need(Number.isFinite(kappa) && kappa >= 0, 'params.kappa', 'must be a finite number >= 0', kappa);
  need(Number.isFinite(theta) && theta >= 0, 'params.theta', 'must be a finite number >= 0', theta);
  need(Number.isFinite(sigma) && sigma >= 0, 'params.sigma', 'must be a finite number >= 0', sigma);
  need(Number.isFinite(rho) && rho >= -1 && rho <= 1, 'params.rho', 'must be in [-1, 1]', rho);
  const b = p as Partial<BatesParams>;
  const lambda = b.lambda ?? 0;
  need(Number.isFinite(lambda) && lambda >= 0, 'params.lambda', 'must be a finite number >= 0', lambda);
  let muJ = 0;
  let sigmaJ = 0;
  if (lambda > 0) {
    muJ = b.muJ as number;
    sigmaJ = b.sigmaJ as number;
    need(Number.isFinite(muJ), 'params.muJ', 'must be a finite number when lambda > 0', muJ);
    need(Number.isFinite(sigmaJ) && sigmaJ >= 0, 'params.sigmaJ', 'must be a finite number >= 0 when lambda > 0', sigmaJ);
  }
  return { v0, kappa, theta, sigma, rho, lambda, muJ, sigmaJ, jumpMean: Math.expm1(muJ + 0.5 * sigmaJ * sigmaJ) };
}

/**
 * Log characteristic function ln E[exp(i z X_T)] of X_T = ln(S_T/F_T) at complex z = zRe + i zIm,
 * and its coefficient D(z) on v0 (ln phi = C + D v0 + jump term, so d phi / d v0 = D phi).
 * Writes [Re ln phi, Im ln phi, Re D, Im D] into out[at .. at+3]; allocates nothing.
 */
export function logCf(m: CfModel, T: number, zRe: number, zIm: number, out: Float64Array, at: number): void {
  const { kappa, theta, sigma, rho, v0 } = m;
  const s2 = sigma * sigma;
  // w = i z + z^2
  const wRe = zRe * zRe - zIm * zIm - zIm;
  const wIm = zRe + 2 * zRe * zIm;
  if (wRe === 0 && wIm === 0) {
    // z = 0 or z = -i: phi = 1 and D = 0 exactly (the formulas below are 0/0 there when beta = 0)
    out[at] = 0;
    out[at + 1] = 0;
    out[at + 2] = 0;
    out[at + 3] = 0;
    return;
  }
  // beta = kappa - i rho sigma z
  const bRe = kappa + rho * sigma * zIm;
  const bIm = -rho * sigma * zRe;
  // d = sqrt(beta^2 + sigma^2 w), principal root (Re d >= 0)
  const ddRe = bRe * bRe - bIm * bIm + s2 * wRe;
  const ddIm = 2 * bRe * bIm + s2 * wIm;
  const mod = Math.sqrt(ddRe * ddRe + ddIm * ddIm);
  let dRe: number;
  let dIm: number;
  if (mod === 0) {
    dRe = 0;
    dIm = 0;
  } else if (ddRe >= 0) {
    dRe = Math.sqrt(0.5 * (mod + ddRe));
    dIm = ddIm / (2 * dRe);
  } else {
    const t = Math.sqrt(0.5 * (mod - ddRe));
    dIm = ddIm >= 0 ? t : -t;
    dRe = ddIm / (2 * dIm);
  }
  // s = beta + d; Bm = (beta - d)/sigma^2 = -w / s
  const sRe = bRe + dRe;
  const sIm = bIm + dIm;
  const sN = sRe * sRe + sIm * sIm;
  const bmRe = -(wRe * sRe + wIm * sIm) / sN;
  const bmIm = -(wIm * sRe - wRe * sIm) / sN;
  // gs = g / sigma^2 = Bm / s; g = sigma^2 gs
  const gsRe = (bmRe * sRe + bmIm * sIm) / sN;
  const gsIm = (bmIm * sRe - bmRe * sIm) / sN;
  const gRe = s2 * gsRe;
  const gIm = s2 * gsIm;
  // e = exp(-dT); om = 1 - e = -expm1(-dT), accurate when |dT| is small
  const xr = -dRe * T;
  const xi = -dIm * T;
  const ex = Math.exp(xr);
  const cy = Math.cos(xi);
  const sy = Math.sin(xi);
  const eRe = ex * cy;
  const eIm = ex * sy;
  const sh = Math.sin(0.5 * xi);
  const omRe = -(Math.expm1(xr) * cy - 2 * sh * sh);
  const omIm = -eIm;
  // 1 - g e and 1 - g
  const qeRe = 1 - (gRe * eRe - gIm * eIm);
  const qeIm = -(gRe * eIm + gIm * eRe);
  const q1Re = 1 - gRe;
  const q1Im = -gIm;
  // D = Bm (1 - e)/(1 - g e)
  const nRe = bmRe * omRe - bmIm * omIm;
  const nIm = bmRe * omIm + bmIm * omRe;
  const qeN = qeRe * qeRe + qeIm * qeIm;
  const DRe = (nRe * qeRe + nIm * qeIm) / qeN;
  const DIm = (nIm * qeRe - nRe * qeIm) / qeN;
  // L/sigma^2 with L = ln((1 - g e)/(1 - g)) = log1p(y), y = g (1 - e)/(1 - g) = sigma^2 r,
  // r = gs (1 - e)/(1 - g). L/sigma^2 = r * log1p(y)/y, the last factor -> 1 as y -> 0.
  const tRe = gsRe * omRe - gsIm * omIm;
  const tIm = gsRe * omIm + gsIm * omRe;
  const q1N = q1Re * q1Re + q1Im * q1Im;
  const rRe = (tRe * q1Re + tIm * q1Im) / q1N;
  const rIm = (tIm * q1Re - tRe * q1Im) / q1N;
  const yRe = s2 * rRe;
  const yIm = s2 * rIm;
  let fRe: number;
  let fIm: number;
  const yAbs2 = yRe * yRe + yIm * yIm;
  if (yAbs2 < 1e-16) {
    // log1p(y)/y = 1 - y/2 + y^2/3 - ...; two terms are exact in double precision here
    fRe = 1 - 0.5 * yRe;
    fIm = -0.5 * yIm;
  } else {
    // complex log1p: ln|1+y| = 0.5 log1p(2 Re y + |y|^2), arg(1+y) = atan2(Im y, 1 + Re y)
    const lRe = 0.5 * Math.log1p(2 * yRe + yAbs2);
    const lIm = Math.atan2(yIm, 1 + yRe);
    fRe = (lRe * yRe + lIm * yIm) / yAbs2;
    fIm = (lIm * yRe - lRe * yIm) / yAbs2;
  }
  const lsRe = rRe * fRe - rIm * fIm;
  const lsIm = rRe * fIm + rIm * fRe;
  // C = kappa theta (Bm T - 2 L/sigma^2)
  const kt = kappa * theta;
  let lnRe = kt * (bmRe * T - 2 * lsRe) + v0 * DRe;
  let lnIm = kt * (bmIm * T - 2 * lsIm) + v0 * DIm;
  if (m.lambda > 0) {
    // lambda T [exp(i z muJ - z^2 sigmaJ^2 / 2) - 1 - i z (E[e^J] - 1)]
    const { muJ, sigmaJ, jumpMean } = m;
    const hv = 0.5 * sigmaJ * sigmaJ;
    const aRe = -zIm * muJ - (zRe * zRe - zIm * zIm) * hv;
    const aIm = zRe * muJ - 2 * zRe * zIm * hv;
    const ea = Math.exp(aRe);
    const lt = m.lambda * T;
    lnRe += lt * (ea * Math.cos(aIm) - 1 + zIm * jumpMean);
    lnIm += lt * (ea * Math.sin(aIm) - zRe * jumpMean);
  }
  out[at] = lnRe;
  out[at + 1] = lnIm;
  out[at + 2] = DRe;
  out[at + 3] = DIm;
}
