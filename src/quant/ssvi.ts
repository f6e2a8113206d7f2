/**
 * Surface SVI (Gatheral and Jacquier, "Arbitrage-free SVI volatility surfaces", Quantitative
 * Finance 14(1), 2014, Section 4): with theta_t the ATM total variance of expiry t,
 *   w(k, theta) = theta/2 (1 + rho phi k + sqrt((phi k + rho)^2 + 1 - rho^2)),  phi = phi(theta),
 * for the power-law phi(theta) = eta theta^-gamma (1 + theta)^(gamma - 1) (their eq. 4.5, with
 * 0 < gamma < 1) or the Heston-like phi(theta) = (1 - (1 - e^{-lambda theta})/(lambda theta))/(lambda theta)
 * (eq. 4.4). No arbitrage: calendar-free (Theorem 4.1) when theta_t is non-decreasing, which with
 * these phi is all it takes; butterfly-free (Theorem 4.2) when for every theta
 *   theta phi(theta) (1 + |rho|) < 4  and  theta phi(theta)^2 (1 + |rho|) <= 4.
 */

/** The curvature function phi(theta) of an SSVI surface. */
export type SsviPhi = { kind: 'power-law'; eta: number; gamma: number } | { kind: 'heston'; lambda: number };

/** Global SSVI parameters (the theta curve is per expiry). */
export interface SsviParams {
  rho: number;
  phi: SsviPhi;
}

/** Checks SSVI parameters: |rho| < 1; eta > 0 and 0 < gamma < 1, or lambda > 0. */
export function checkSsviParams(p: SsviParams): void {
  if (p === null || typeof p !== 'object') throw new TypeError('ssvi params must be an object {rho, phi}');
  if (!(Math.abs(p.rho) < 1)) throw new RangeError(`ssvi rho must lie in (-1, 1), got ${p.rho}`);
  const f = p.phi;
  if (f?.kind === 'power-law') {
    if (!(f.eta > 0 && Number.isFinite(f.eta))) throw new RangeError(`ssvi phi.eta must be a finite number > 0, got ${f.eta}`);
    if (!(f.gamma > 0 && f.gamma < 1)) throw new RangeError(`ssvi phi.gamma must lie in (0, 1), got ${f.gamma}`);
  } else if (f?.kind === 'heston') {
    if (!(f.lambda > 0 && Number.isFinite(f.lambda))) throw new RangeError(`ssvi phi.lambda must be a finite number > 0, got ${f.lambda}`);
  } else {
    throw new RangeError(`ssvi phi.kind must be 'power-law' or 'heston', got ${String((f as { kind?: unknown } | undefined)?.kind)}`);
  }
}

/** phi(theta), theta > 0. */
export function ssviPhi(f: SsviPhi, theta: number): number {
  if (f.kind === 'power-law') return f.eta * Math.pow(theta, -f.gamma) * Math.pow(1 + theta, f.gamma - 1);
  const x = f.lambda * theta;
  // (1 - (1 - e^-x)/x)/x by its series for small x, where the difference cancels
  const inner = x < 1e-4 ? x / 2 - (x * x) / 6 + (x * x * x) / 24 : 1 + Math.expm1(-x) / x;
  return inner / x;
}

/** [w, dw/dk, d2w/dk2] of the SSVI slice with ATM total variance theta. */
export function ssviDerivs(p: SsviParams, theta: number, k: number): [number, number, number] {
  const phi = ssviPhi(p.phi, theta), rho = p.rho;
  const u = phi * k + rho;
  const r = Math.sqrt(u * u + 1 - rho * rho);
  return [
    0.5 * theta * (1 + rho * phi * k + r),
    0.5 * theta * phi * (rho + u / r),
    (0.5 * theta * phi * phi * (1 - rho * rho)) / (r * r * r),
  ];
}

/** A breach of Theorem 4.2 at some theta: which inequality and by how much its left side exceeds 4. */
export interface SsviViolation {
  condition: 'theta*phi*(1+|rho|) < 4' | 'theta*phi^2*(1+|rho|) <= 4';
  theta: number;
  value: number;
}

/**
 * Checks Theorem 4.2 on theta in [thetaLo, thetaHi] (dense log grid plus the power law's
 * analytic maximiser of theta phi^2) and returns every breach found, worst first per condition.
 */
export function ssviButterflyViolations(p: SsviParams, thetaLo: number, thetaHi: number): SsviViolation[] {
  if (!(thetaLo > 0 && thetaHi >= thetaLo)) throw new RangeError(`theta range must satisfy 0 < lo <= hi, got [${thetaLo}, ${thetaHi}]`);
  const s = 1 + Math.abs(p.rho);
  const thetas: number[] = [];
  const N = 64;
  for (let i = 0; i <= N; i++) thetas.push(thetaLo * Math.pow(thetaHi / thetaLo, i / N));
  if (p.phi.kind === 'power-law' && p.phi.gamma < 0.5) {
    const star = 1 - 2 * p.phi.gamma; // where theta phi^2 peaks
    if (star > thetaLo && star < thetaHi) thetas.push(star);
  }
  let w1: SsviViolation | null = null, w2: SsviViolation | null = null;
  for (const th of thetas) {
    const phi = ssviPhi(p.phi, th);
    const c1 = th * phi * s, c2 = th * phi * phi * s;
    if (c1 >= 4 && (!w1 || c1 > w1.value)) w1 = { condition: 'theta*phi*(1+|rho|) < 4', theta: th, value: c1 };
    if (c2 > 4 && (!w2 || c2 > w2.value)) w2 = { condition: 'theta*phi^2*(1+|rho|) <= 4', theta: th, value: c2 };
  }
  return [w1, w2].filter((v): v is SsviViolation => v !== null);
}
