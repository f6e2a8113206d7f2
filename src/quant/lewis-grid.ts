/**
 * The frequency grid behind the Heston/Bates Lewis (2001) pricer: the characteristic function on
 * the contour Im z = -1/2, psi(u) = phi(u - i/2), sampled at u_j = j h, j = 0 .. n-1, next to
 * the Black-Scholes control variate psi_BS(u) = exp(-w (u^2 + 1/4)/2) of total variance w.
 *
 * Why a trapezoid rule on an even integrand: psi(-u) = conj(psi(u)), so every Lewis integrand
 * below is even in u, and the trapezoid rule over the whole line converges geometrically, like
 * exp(-2 pi a / h), in the half-width a of the strip where the integrand is analytic. Subtracting
 * the control variate cancels the poles of 1/(u^2 + 1/4) at u = +-i/2 (both functions equal 1
 * there), so a reaches out to the model's moment explosions. Equal steps also let every strike
 * rotate exp(i u_j x) by one complex multiplication per node instead of a cos and a sin.
 *
 * Hand-written numerics (no JS library offers Fourier option pricing).
 */
import { logCf, type CfModel } from './heston-cf.ts';

/** Samples on the grid; the arrays are reused between calls (read them before the next build). */
export interface LewisGrid {
  h: number;
  n: number;
  /** Re and Im of psi_BS(u_j) - psi(u_j). */
  dRe: Float64Array;
  dIm: Float64Array;
  /** Re and Im of D(u_j) psi(u_j) (the v0 sensitivity), filled only when asked for. */
  vRe: Float64Array;
  vIm: Float64Array;
}

let cap = 0;
let dRe: Float64Array = new Float64Array(0);
let dIm: Float64Array = new Float64Array(0);
let vRe: Float64Array = new Float64Array(0);
let vIm: Float64Array = new Float64Array(0);
let mg: Float64Array = new Float64Array(0);
const tmp = new Float64Array(4);

function ensure(n: number): void {
  if (n <= cap) return;
  const c = Math.max(n, cap * 2, 256);
  const grow = (a: Float64Array): Float64Array => {
    const b = new Float64Array(c);
    b.set(a.subarray(0, cap));
    return b;
  };
  dRe = grow(dRe);
  dIm = grow(dIm);
  vRe = grow(vRe);
  vIm = grow(vIm);
  mg = grow(mg);
  cap = c;
}

function sample(m: CfModel, T: number, w: number, u: number, j: number, withV: boolean): number {
  logCf(m, T, u, -0.5, tmp, 0);
  const mag = Math.exp(tmp[0]);
  const pRe = mag * Math.cos(tmp[1]);
  const pIm = mag * Math.sin(tmp[1]);
  const bs = Math.exp(-0.5 * w * (u * u + 0.25));
  dRe[j] = bs - pRe;
  dIm[j] = -pIm;
  if (withV) {
    vRe[j] = tmp[2] * pRe - tmp[3] * pIm;
    vIm[j] = tmp[2] * pIm + tmp[3] * pRe;
  }
  return mag + bs;
}

/**
 * Builds the grid of step h, extending it until the neglected tail is below tailTol (in units of
 * the integral, before the sqrt(FK)/pi factor). power is the decay the integrand adds on top of
 * |psi|: 2 for prices (1/(u^2 + 1/4)), 0 for the gamma integrand. maxN caps the node count.
 */
export function buildGrid(m: CfModel, T: number, w: number, h: number, tailTol: number, power: number, withV: boolean, maxN: number): LewisGrid {
  ensure(64);
  sample(m, T, w, 0, 0, withV);
  let n = 1;
  const lag = Math.max(1, Math.round(1 / h));
  for (;;) {
    if (n >= cap) ensure(n + 1);
    const u = n * h;
    const mag = sample(m, T, w, u, n, withV);
    mg[n] = mag;
    n++;
    if (n >= maxN || mag < 1e-300) break;
    // Tail estimate: past its hump |psi| decays at least exponentially, at the local rate c
    // measured over about one unit of u, so the tail of |psi| u^-power beyond U is at most
    // |psi(U)| U^-power / c (or, for power > 1, |psi(U)| U^(1-power)/(power - 1) if c is tiny).
    if (n - 1 > lag && mag <= mg[n - 2]) {
      const c = Math.log(mg[n - 1 - lag] / mag) / (lag * h);
      if (c > 0) {
        const reach = power > 1 ? Math.min(1 / c, u / (power - 1)) : 1 / c;
        if (mag * Math.pow(u, -power) * reach < tailTol) break;
      }
    }
  }
  return { h, n, dRe, dIm, vRe, vIm };
}

/**
 * Halves the grid step in place: old node j moves to 2j and the new odd nodes are sampled.
 */
export function refineGrid(g: LewisGrid, m: CfModel, T: number, w: number, withV: boolean): LewisGrid {
  const n = g.n;
  const n2 = 2 * n - 1;
  ensure(n2);
  for (let j = n - 1; j >= 1; j--) {
    dRe[2 * j] = dRe[j];
    dIm[2 * j] = dIm[j];
    if (withV) {
      vRe[2 * j] = vRe[j];
      vIm[2 * j] = vIm[j];
    }
  }
  const h = g.h / 2;
  for (let j = 1; j < n2; j += 2) sample(m, T, w, j * h, j, withV);
  return { h, n: n2, dRe, dIm, vRe, vIm };
}

/** Nodes between exact re-seeds of the rotated phase (every Fourier sum over the grid uses it). */
export const RESEED = 64;

/**
 * Trapezoid rule for one strike: int_0^inf Re(e^{iux} a(u)) du at step h over a's n samples,
 * with the same sum at step 2h written into coarse[0] (their gap drives the step refinement).
 * exp(i u_j x) is rotated by one complex product per node, re-seeded every 64 nodes. The rotation
 * is written out in each sum's loop (here and in heston-greeks.ts) rather than stepped by a shared
 * object: that measured 15% slower on Heston pricing, these loops being the pricer's inner loop.
 */
export function strikeSum(aRe: Float64Array, aIm: Float64Array, n: number, h: number, x: number, coarse: Float64Array): number {
  const stepC = Math.cos(h * x);
  const stepS = Math.sin(h * x);
  let even = 0;
  let odd = 0;
  let c = 1;
  let s = 0;
  for (let j = 1; j < n; j++) {
    if (j % RESEED === 0) {
      c = Math.cos(j * h * x);
      s = Math.sin(j * h * x);
    } else {
      const c2 = c * stepC - s * stepS;
      s = s * stepC + c * stepS;
      c = c2;
    }
    const t = c * aRe[j] - s * aIm[j];
    if (j & 1) odd += t;
    else even += t;
  }
  const half = 0.5 * aRe[0];
  coarse[0] = 2 * h * (half + even);
  return h * (half + even + odd);
}

const wBuf: Float64Array[] = [];

/**
 * Multiplies the grid's samples (src 'd': psi_BS - psi, 'v': D psi) by the kernel of an integrand:
 * power 2: 1/(u^2 + 1/4) (prices, dC/dv0); 1: 1/(1/2 - iu) (delta); 0: 1 (gamma). Writes into
 * reusable buffer pair number slot and returns it.
 */
export function weightInto(g: LewisGrid, power: 0 | 1 | 2, src: 'd' | 'v', slot: number): [Float64Array, Float64Array] {
  if (!wBuf[2 * slot] || wBuf[2 * slot].length < g.n) {
    const c = Math.max(g.n, 2 * (wBuf[2 * slot]?.length ?? 0), 256);
    wBuf[2 * slot] = new Float64Array(c);
    wBuf[2 * slot + 1] = new Float64Array(c);
  }
  const oRe = wBuf[2 * slot];
  const oIm = wBuf[2 * slot + 1];
  const re = src === 'd' ? g.dRe : g.vRe;
  const im = src === 'd' ? g.dIm : g.vIm;
  for (let j = 0; j < g.n; j++) {
    const u = j * g.h;
    if (power === 2) {
      const f = 1 / (u * u + 0.25);
      oRe[j] = re[j] * f;
      oIm[j] = im[j] * f;
    } else if (power === 1) {
      // 1/(1/2 - iu) = (1/2 + iu)/(u^2 + 1/4)
      const f = 1 / (u * u + 0.25);
      oRe[j] = (0.5 * re[j] - u * im[j]) * f;
      oIm[j] = (0.5 * im[j] + u * re[j]) * f;
    } else {
      oRe[j] = re[j];
      oIm[j] = im[j];
    }
  }
  return [oRe, oIm];
}
