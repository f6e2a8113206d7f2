/**
 * Raw SVI (Gatheral 2004) for one expiry, in total variance and log-moneyness k = ln(K/F):
 *   w(k) = a + b (rho (k - m) + sqrt((k - m)^2 + sigma^2)),
 * with its k-derivatives and Durrleman's density factor
 *   g(k) = (1 - k w'/(2w))^2 - (w'^2/4)(1/w + 1/4) + w''/2,
 * which must stay >= 0 for the slice to be free of butterfly arbitrage (Gatheral and Jacquier,
 * "Arbitrage-free SVI volatility surfaces", Quantitative Finance 14(1), 2014, Lemma 2.2).
 */

/** Raw SVI parameters of one slice (total variance; T is not among them). */
export interface SviRaw {
  a: number;
  b: number;
  rho: number;
  m: number;
  sigma: number;
}

/** Checks raw SVI parameters: finite, b >= 0, |rho| < 1, sigma > 0, and w >= 0 at its minimum. */
export function checkSviRaw(p: SviRaw, name = 'svi'): void {
  if (p === null || typeof p !== 'object') throw new TypeError(`${name} must be an object {a, b, rho, m, sigma}`);
  for (const f of ['a', 'b', 'rho', 'm', 'sigma'] as const) {
    if (!Number.isFinite(p[f])) throw new RangeError(`${name}.${f} must be a finite number, got ${p[f]}`);
  }
  if (!(p.b >= 0)) throw new RangeError(`${name}.b must be >= 0, got ${p.b}`);
  if (!(Math.abs(p.rho) < 1)) throw new RangeError(`${name}.rho must lie in (-1, 1), got ${p.rho}`);
  if (!(p.sigma > 0)) throw new RangeError(`${name}.sigma must be > 0, got ${p.sigma}`);
  if (!(sviMinVariance(p) >= 0)) throw new RangeError(`${name} gives a negative total variance (a + b sigma sqrt(1 - rho^2) = ${sviMinVariance(p)})`);
}

/** The smallest total variance of the slice, a + b sigma sqrt(1 - rho^2). */
export function sviMinVariance(p: SviRaw): number {
  return p.a + p.b * p.sigma * Math.sqrt(1 - p.rho * p.rho);
}

/** Total variance w(k). */
export function sviW(p: SviRaw, k: number): number {
  const x = k - p.m;
  return p.a + p.b * (p.rho * x + Math.sqrt(x * x + p.sigma * p.sigma));
}

/** [w, w', w''] at k. */
export function sviDerivs(p: SviRaw, k: number): [number, number, number] {
  const x = k - p.m;
  const r = Math.sqrt(x * x + p.sigma * p.sigma);
  return [p.a + p.b * (p.rho * x + r), p.b * (p.rho + x / r), (p.b * p.sigma * p.sigma) / (r * r * r)];
}

/** Durrleman's g(k) from total variance w > 0 and its k-derivatives; < 0 means butterfly arbitrage. */
export function durrlemanG(k: number, w: number, w1: number, w2: number): number {
  const u = 1 - (k * w1) / (2 * w);
  return u * u - ((w1 * w1) / 4) * (1 / w + 0.25) + w2 / 2;
}

/** Durrleman's g(k) of an SVI slice. */
export function sviG(p: SviRaw, k: number): number {
  const [w, w1, w2] = sviDerivs(p, k);
  return durrlemanG(k, w, w1, w2);
}
