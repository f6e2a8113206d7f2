/**
 * The Heston-Nandi moment generating function of the price at maturity,
 *   E_t[S_T^z] = S_t^z exp(A_t(z) + B_t(z) h_{t+1}),
 * by HN 2000's backward recursion over the days to maturity, from A_T = B_T = 0:
 *   A_t = A_{t+1} + z (r - q) + B_{t+1} omega - (1/2) log(1 - 2 alpha B_{t+1})
 *   B_t = z (lambda + gamma) - gamma^2 / 2 + beta B_{t+1} + (1/2) (z - gamma)^2 / (1 - 2 alpha B_{t+1})
 * for complex z. Pass risk-neutral parameters (hnRiskNeutral) for pricing.
 *
 * Hand-written numerics. exp(-(1/2) sum log w_k) is taken as 1 / prod sqrt(w_k) with principal
 * square roots, which is the same number as the principal-log sum (so no branch tracking is
 * needed, unlike Heston's log) but costs two square roots per day instead of a log and an atan2;
 * the running product is renormalised every few days so it cannot overflow.
 */
import type { HnParams } from './hn-params.ts';

const RENORM_EVERY = 8;

/**
 * Writes G = E[S_T^z] / S^z = exp(A + B h1) and B for z = zr + i zi into out[at..at+3] as
 * (G re, G im, B re, B im). Tdays >= 0 days, mu = r - q per day, h1 = h_{t+1}.
 */
export function hnMgfCore(p: HnParams, Tdays: number, mu: number, h1: number, zr: number, zi: number, out: Float64Array, at = 0): void {
  const { omega, alpha, beta, gamma, lambda } = p;
  const lg = lambda + gamma;
  const c1r = zr * lg - 0.5 * gamma * gamma;
  const c1i = zi * lg;
  const zgr = zr - gamma;
  const dr = 0.5 * (zgr * zgr - zi * zi);
  const di = zgr * zi;
  const twoAlpha = 2 * alpha;
  let sumBr = 0; // sum of B over the days, times omega at the end
  let sumBi = 0;
  let br = 0;
  let bi = 0;
  let pr = 1; // running product of sqrt(1 - 2 alpha B), renormalised
  let pi = 0;
  let logP = 0;
  for (let k = 1; k <= Tdays; k++) {
    sumBr += br;
    sumBi += bi;
    const wr = 1 - twoAlpha * br;
    const wi = -twoAlpha * bi;
    // principal sqrt(w), written to avoid cancellation on either half-plane
    const mod2 = wr * wr + wi * wi;
    // the B recursion needs only 1/|w|^2; keeping the square root off its dependency chain
    // roughly halves the time per day
    const inv = 1 / mod2;
    const mod = Math.sqrt(mod2);
    let sr: number;
    let si: number;
    if (wr >= 0) {
      sr = Math.sqrt(0.5 * (mod + wr));
      si = sr === 0 ? 0 : wi / (2 * sr);
    } else {
      const t = Math.sqrt(0.5 * (mod - wr));
      sr = Math.abs(wi) / (2 * t);
      si = wi < 0 ? -t : t;
    }
    const npr = pr * sr - pi * si;
    pi = pr * si + pi * sr;
    pr = npr;
    const qr = (dr * wr + di * wi) * inv;
    const qi = (di * wr - dr * wi) * inv;
    const nbr = c1r + beta * br + qr;
    bi = c1i + beta * bi + qi;
    br = nbr;
    if (k % RENORM_EVERY === 0) {
      const m2 = pr * pr + pi * pi;
      logP += 0.5 * Math.log(m2);
      const s = 1 / Math.sqrt(m2);
      pr *= s;
      pi *= s;
    }
  }
  const m2 = pr * pr + pi * pi;
  const invMod = 1 / Math.sqrt(m2);
  const er = zr * mu * Tdays + omega * sumBr + br * h1 - logP - 0.5 * Math.log(m2);
  const ei = zi * mu * Tdays + omega * sumBi + bi * h1;
  const mag = Math.exp(er);
  const cr = mag * Math.cos(ei);
  const ci = mag * Math.sin(ei);
  // times conj(P / |P|)
  const ur = pr * invMod;
  const ui = -pi * invMod;
  out[at] = cr * ur - ci * ui;
  out[at + 1] = cr * ui + ci * ur;
  out[at + 2] = br;
  out[at + 3] = bi;
}

/**
 * E[S_T^z] for complex z = zr + i zi, Tdays ahead, spot S, next-day variance h1, daily rate r and
 * dividend yield q. Returns [re, im]. Under hnRiskNeutral(p), z = 1 gives S e^{(r - q) T}.
 */
export function hnMgf(p: HnParams, S: number, h1: number, Tdays: number, rDaily: number, qDaily: number, zr: number, zi: number): [number, number] {
  const out = new Float64Array(4);
  hnMgfCore(p, Tdays, rDaily - qDaily, h1, zr, zi, out);
  // S^z = exp(z ln S)
  const l = Math.log(S);
  const m = Math.exp(zr * l);
  const c = m * Math.cos(zi * l);
  const s = m * Math.sin(zi * l);
  return [out[0] * c - out[1] * s, out[0] * s + out[1] * c];
}
