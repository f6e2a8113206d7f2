/**
 * SVI jump-wings parametrisation (Gatheral and Jacquier, "Arbitrage-free SVI volatility
 * surfaces", Quantitative Finance 14(1), 2014, Section 3.3 and Lemma 3.2): quantities a trader
 * reads off a smile at expiry T,
 *   v      ATM variance w(0)/T;          psi  ATM skew d sigma_BS / dk at k = 0 (times sqrt T);
 *   p      put-wing slope b(1 - rho)/sqrt(w0);  c  call-wing slope b(1 + rho)/sqrt(w0);
 *   vTilde minimum variance (a + b sigma sqrt(1 - rho^2))/T,
 * with w0 = v T. Conversions both ways.
 */
import { checkSviRaw, type SviRaw } from './svi-raw.ts';

/** Jump-wings parameters of one slice at expiry T. */
export interface SviJumpWings {
  v: number;
  psi: number;
  p: number;
  c: number;
  vTilde: number;
}

function checkT(T: number): void {
  if (!(Number.isFinite(T) && T > 0)) throw new RangeError(`T must be a finite number of years > 0, got ${T}`);
}

/** Raw SVI -> jump-wings at expiry T (years). */
export function rawToJumpWings(raw: SviRaw, T: number): SviJumpWings {
  checkSviRaw(raw, 'raw');
  checkT(T);
  const { a, b, rho, m, sigma } = raw;
  const r = Math.sqrt(m * m + sigma * sigma);
  const w0 = a + b * (-rho * m + r);
  if (!(w0 > 0)) throw new RangeError(`raw gives ATM total variance ${w0}; jump-wings needs it > 0`);
  const sw = Math.sqrt(w0);
  return {
    v: w0 / T,
    psi: (b / (2 * sw)) * (rho - m / r),
    p: (b * (1 - rho)) / sw,
    c: (b * (1 + rho)) / sw,
    vTilde: (a + b * sigma * Math.sqrt(1 - rho * rho)) / T,
  };
}

/** Jump-wings at expiry T (years) -> raw SVI (Lemma 3.2 of Gatheral-Jacquier 2014). */
export function jumpWingsToRaw(jw: SviJumpWings, T: number): SviRaw {
  if (jw === null || typeof jw !== 'object') throw new TypeError('jw must be an object {v, psi, p, c, vTilde}');
  for (const f of ['v', 'psi', 'p', 'c', 'vTilde'] as const) {
    if (!Number.isFinite(jw[f])) throw new RangeError(`jw.${f} must be a finite number, got ${jw[f]}`);
  }
  checkT(T);
  const { v, psi, p, c, vTilde } = jw;
  if (!(v > 0)) throw new RangeError(`jw.v must be > 0, got ${v}`);
  if (!(p >= 0 && c >= 0 && p + c > 0)) throw new RangeError(`jw.p and jw.c must be >= 0 and not both 0, got p = ${p}, c = ${c}`);
  if (!(vTilde <= v)) throw new RangeError(`jw.vTilde (${vTilde}) must not exceed jw.v (${v}): the minimum variance is below the ATM variance`);
  const w = v * T, sw = Math.sqrt(w);
  const b = (sw / 2) * (c + p);
  const rho = 1 - (p * sw) / b;
  const beta = rho - (2 * psi * sw) / b;
  if (!(Math.abs(beta) <= 1)) throw new RangeError(`jw gives beta = ${beta}, outside [-1, 1]: psi (${psi}) is inconsistent with the wing slopes`);
  const s1r = Math.sqrt(1 - rho * rho);
  let m: number, sigma: number;
  if (Math.abs(beta) < 1e-14) {
    // Smile centred at k = 0 (m = 0): sigma from the ATM-minus-minimum variance gap alone
    m = 0;
    if (!(1 - s1r > 0)) throw new RangeError('jw: with rho = 0 and a centred smile, sigma is not identified');
    sigma = ((v - vTilde) * T) / (b * (1 - s1r));
  } else {
    const alpha = Math.sign(beta) * Math.sqrt(1 / (beta * beta) - 1);
    // sign(alpha) sqrt(1 + alpha^2) - alpha sqrt(1 - rho^2), rewritten without the cancellation
    // of the two large terms when |alpha| is large (m near 0)
    const aa = Math.abs(alpha);
    const gap = (1 + alpha * alpha * rho * rho) / (Math.sqrt(1 + alpha * alpha) + aa * s1r);
    m = ((v - vTilde) * T) / (b * (-rho + Math.sign(alpha) * gap));
    sigma = alpha * m;
  }
  if (!(sigma > 0)) throw new RangeError(`jw gives sigma = ${sigma}; need v > vTilde unless the smile is flat`);
  const a = vTilde * T - b * sigma * s1r;
  return { a, b, rho, m, sigma };
}
