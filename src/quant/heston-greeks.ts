/**
 * Heston and Bates greeks from the same Lewis integral as the prices (heston.ts), vectorised
 * across strikes: one characteristic-function pass per maturity gives every strike's price,
 * delta, gamma, dC/dv0 and the Heston minimum-variance delta.
 *
 * Differentiating the undiscounted call c(F) = F - sqrt(FK)/pi int Re(e^{iux} psi(u)) du/(u^2+1/4)
 * under the integral, with x = ln(F/K), gives kernels with one pole fewer each:
 *   dc/dF   = 1 - sqrt(K/F)/pi int Re(e^{iux} psi(u)/(1/2 - iu)) du,
 *   d2c/dF2 = sqrt(K/F)/(pi F) int Re(e^{iux} psi(u)) du,
 *   dc/dv0  = -sqrt(FK)/pi int Re(e^{iux} D(u) psi(u)) du/(u^2+1/4),   (d psi/d v0 = D psi)
 * and the Black-Scholes control variate is subtracted from the first two as for prices
 * (D vanishes at both poles, so dC/dv0 needs none). Then delta = e^{-qT} dc/dF, gamma =
 * e^{-qT} (F/S) d2c/dF2, dC/dv0 = e^{-rT} dc/dv0, and the minimum-variance delta
 * dC/dS + (rho sigma / S) dC/dv0: rho sigma / S = Cov(dv, dS)/Var(dS) is how far the variance
 * is expected to move with a unit move of the spot.
 *
 * Units as in heston.ts. Hand-written numerics (no JS library prices Heston).
 */
import { normCdf, normPdf } from './normal.ts';
import type { BatesParams, CfModel, HestonParams } from './heston-cf.ts';
import {
  blackCall,
  callFlag,
  checkStrikes,
  deterministic,
  initialStep,
  integrationTolerances,
  setupMaturity,
  type HestonPricingOptions,
} from './heston.ts';
import { buildGrid, refineGrid, RESEED, weightInto, type LewisGrid } from './lewis-grid.ts';

/** Per-strike results of hestonGreeks; all arrays have one entry per strike. */
export interface HestonGreeks {
  price: Float64Array;
  /** dV/dS. */
  delta: Float64Array;
  /** d2V/dS2. */
  gamma: Float64Array;
  /** dV/dv0, per unit of initial variance. */
  dv0: Float64Array;
  /** Minimum-variance delta dV/dS + (rho sigma / S) dV/dv0. */
  mvDelta: Float64Array;
}

const MAX_NODES = 1 << 17;
/** fourSums' output: price at step h and at 2h, then the delta, gamma and v0 integrals. */
const sums = new Float64Array(5);

/**
 * lewis-grid.ts's strikeSum for the four kernels of one strike at once (the price's also at step
 * 2h): they share the phase e^{i u_j x}, so it is rotated once per node instead of four times,
 * with the same re-seeding and the same even/odd summation order, so each sum is the one
 * strikeSum gives, to the last bit.
 */
function fourSums(
  pRe: Float64Array, pIm: Float64Array, dRe: Float64Array, dIm: Float64Array,
  gRe: Float64Array, gIm: Float64Array, vRe: Float64Array, vIm: Float64Array,
  n: number, h: number, x: number, out: Float64Array,
): void {
  const stepC = Math.cos(h * x);
  const stepS = Math.sin(h * x);
  let pE = 0, pO = 0, dE = 0, dO = 0, gE = 0, gO = 0, vE = 0, vO = 0;
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
    if (j & 1) {
      pO += c * pRe[j] - s * pIm[j];
      dO += c * dRe[j] - s * dIm[j];
      gO += c * gRe[j] - s * gIm[j];
      vO += c * vRe[j] - s * vIm[j];
    } else {
      pE += c * pRe[j] - s * pIm[j];
      dE += c * dRe[j] - s * dIm[j];
      gE += c * gRe[j] - s * gIm[j];
      vE += c * vRe[j] - s * vIm[j];
    }
  }
  const pH = 0.5 * pRe[0];
  out[0] = h * (pH + pE + pO);
  out[1] = 2 * h * (pH + pE);
  out[2] = h * (0.5 * dRe[0] + dE + dO);
  out[3] = h * (0.5 * gRe[0] + gE + gO);
  out[4] = h * (0.5 * vRe[0] + vE + vO);
}

/** What the strike loop needs of one maturity. */
interface Maturity {
  S: number;
  F: number;
  w: number;
  sw: number;
  disc: number;
  dq: number;
  /** rho sigma / S. */
  rs: number;
}

/** The weighted kernels of one grid: price, delta, gamma, v0 (re, im each). */
type Kernels = [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

/** One strike's greeks into out[k] from the grid's kernels; returns its price's step-halving change. */
function strikeInto(mt: Maturity, K: number, call: boolean, k: number, a: Kernels, n: number, h: number, out: HestonGreeks): number {
  const x = Math.log(mt.F / K);
  fourSums(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], n, h, x, sums);
  return fromSums(mt, K, x, call, k, sums, out);
}

/** Greeks into out[k] from a strike's four sums (fourSums' layout) at x = ln(F / K); returns its price's step-halving change. */
function fromSums(mt: Maturity, K: number, x: number, call: boolean, k: number, sm: Float64Array, out: HestonGreeks): number {
  const { F, w, sw } = mt;
  const sq = Math.sqrt(K / F);
  const fine = sm[0];
  const pref = Math.sqrt(F * K) / Math.PI;
  const d1 = (x + 0.5 * w) / sw;
  const c = Math.min(F, Math.max(F - K, 0, blackCall(F, K, w) + pref * fine));
  const cF = normCdf(d1) + (sq / Math.PI) * sm[2];
  const cFF = normPdf(d1) / (F * sw) - (sq / (Math.PI * F)) * sm[3];
  const cV = -pref * sm[4];
  out.price[k] = mt.disc * (call ? c : c - (F - K));
  out.delta[k] = mt.dq * (call ? cF : cF - 1);
  out.gamma[k] = mt.dq * (F / mt.S) * cFF;
  out.dv0[k] = mt.disc * cV;
  out.mvDelta[k] = out.delta[k] + mt.rs * out.dv0[k];
  return pref * Math.abs(fine - sm[1]);
}

/** fourSums at x into plus and at -x into minus, from one phase rotation: Re(e^{iux} a) and Re(e^{-iux} a) share cos(ux) a_re and sin(ux) a_im. */
function pairSums(a: Kernels, n: number, h: number, x: number, plus: Float64Array, minus: Float64Array): void {
  const [pRe, pIm, dRe, dIm, gRe, gIm, vRe, vIm] = a;
  const stepC = Math.cos(h * x);
  const stepS = Math.sin(h * x);
  // Cosine and sine parts of each sum; the price's split into even and odd nodes (for the step-2h sum).
  let pcE = 0, pcO = 0, psE = 0, psO = 0, dc = 0, ds = 0, gc = 0, gs = 0, vc = 0, vs = 0;
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
    if (j & 1) {
      pcO += c * pRe[j];
      psO += s * pIm[j];
    } else {
      pcE += c * pRe[j];
      psE += s * pIm[j];
    }
    dc += c * dRe[j];
    ds += s * dIm[j];
    gc += c * gRe[j];
    gs += s * gIm[j];
    vc += c * vRe[j];
    vs += s * vIm[j];
  }
  const pH = 0.5 * pRe[0];
  plus[0] = h * (pH + (pcE - psE) + (pcO - psO));
  minus[0] = h * (pH + (pcE + psE) + (pcO + psO));
  plus[1] = 2 * h * (pH + (pcE - psE));
  minus[1] = 2 * h * (pH + (pcE + psE));
  plus[2] = h * (0.5 * dRe[0] + (dc - ds));
  minus[2] = h * (0.5 * dRe[0] + (dc + ds));
  plus[3] = h * (0.5 * gRe[0] + (gc - gs));
  minus[3] = h * (0.5 * gRe[0] + (gc + gs));
  plus[4] = h * (0.5 * vRe[0] + (vc - vs));
  minus[4] = h * (0.5 * vRe[0] + (vc + vs));
}

const sumsMinus = new Float64Array(5);

function kernels(g: LewisGrid): Kernels {
  return [...weightInto(g, 2, 'd', 0), ...weightInto(g, 1, 'd', 1), ...weightInto(g, 0, 'd', 2), ...weightInto(g, 2, 'v', 3)] as Kernels;
}

/** Checks and the maturity's set-up; the result when the payoff is deterministic (T = 0 or no variance), else the loop's constants. */
function prepare(
  p: HestonParams | BatesParams, S: number, T: number, r: number, q: number, strikes: ArrayLike<number>, isCall: ArrayLike<boolean> | boolean,
): { out: HestonGreeks; done: boolean; mt: Maturity; m: CfModel } {
  const ms = setupMaturity(p, S, T, r, q);
  checkStrikes(strikes);
  const nk = strikes.length;
  const out: HestonGreeks = {
    price: new Float64Array(nk),
    delta: new Float64Array(nk),
    gamma: new Float64Array(nk),
    dv0: new Float64Array(nk),
    mvDelta: new Float64Array(nk),
  };
  const { m, F, disc, w } = ms;
  const dq = Math.exp(-q * T);
  const mt: Maturity = { S, F, w, sw: Math.sqrt(w), disc, dq, rs: (m.rho * m.sigma) / S };
  if (T === 0 || deterministic(m)) {
    // Payoff at the forward: the kink's gamma is a point mass, reported as 0 off the strike.
    for (let k = 0; k < nk; k++) {
      const K = strikes[k];
      const call = callFlag(isCall, k, nk);
      out.price[k] = disc * (call ? Math.max(F - K, 0) : Math.max(K - F, 0));
      const itm = call ? F > K : K > F;
      out.delta[k] = itm ? (call ? dq : -dq) : 0;
      out.mvDelta[k] = out.delta[k];
    }
    return { out, done: true, mt, m };
  }
  return { out, done: false, mt, m };
}

/**
 * Price, delta, gamma, dV/dv0 and minimum-variance delta at one maturity for many strikes, from
 * one characteristic-function pass. isCall per strike or one boolean for all. For Bates params
 * (lambda > 0) the minimum-variance delta uses the diffusion's rho sigma only.
 */
export function hestonGreeks(
  p: HestonParams | BatesParams,
  S: number,
  T: number,
  r: number,
  q: number,
  strikes: ArrayLike<number>,
  isCall: ArrayLike<boolean> | boolean,
  opts?: HestonPricingOptions,
): HestonGreeks {
  const { out, done, mt, m } = prepare(p, S, T, r, q, strikes, isCall);
  if (done) return out;
  const nk = strikes.length;
  const { tailTol, accept } = integrationTolerances(opts, mt.F, strikes);
  // The gamma kernel has no 1/u^2 decay, so the grid runs until |psi| itself is negligible.
  let g = buildGrid(m, T, mt.w, initialStep(mt.w), tailTol, 0, true, MAX_NODES);
  for (;;) {
    const a = kernels(g);
    let worst = 0;
    for (let k = 0; k < nk; k++) worst = Math.max(worst, strikeInto(mt, strikes[k], callFlag(isCall, k, nk), k, a, g.n, g.h, out));
    if (worst <= accept || 2 * g.n - 1 > MAX_NODES) break;
    g = refineGrid(g, m, T, mt.w, true);
  }
  return out;
}

/** Work units of hestonGreeksSteps: a characteristic-function sample costs about this many strike-node sums. */
const SAMPLE_UNITS = 8;

/**
 * hestonGreeks as resumable steps, with the same results to the last bit: a generator that yields
 * after the grid and after each strike the work just done, in units of one node of one strike's
 * sums (about 10 ns), and returns the greeks. Between steps it holds its own copy of the grid, so
 * other pricing may run in between (on a step-halving it rebuilds the grid, refined as many
 * times, before going on). For spreading one large pass over several rounds of a live stage.
 */
export function* hestonGreeksSteps(
  p: HestonParams | BatesParams,
  S: number,
  T: number,
  r: number,
  q: number,
  strikes: ArrayLike<number>,
  isCall: ArrayLike<boolean> | boolean,
  opts?: HestonPricingOptions,
): Generator<number, HestonGreeks, void> {
  const { out, done, mt, m } = prepare(p, S, T, r, q, strikes, isCall);
  if (done) return out;
  const nk = strikes.length;
  const { tailTol, accept } = integrationTolerances(opts, mt.F, strikes);
  for (let level = 0; ; level++) {
    let g = buildGrid(m, T, mt.w, initialStep(mt.w), tailTol, 0, true, MAX_NODES);
    let samples = g.n;
    for (let i = 0; i < level; i++) {
      g = refineGrid(g, m, T, mt.w, true);
      samples += g.n;
    }
    const a = kernels(g).map((x) => x.slice(0, g.n)) as Kernels;
    const { n, h } = g;
    yield SAMPLE_UNITS * samples;
    let worst = 0;
    for (let k = 0; k < nk; k++) {
      worst = Math.max(worst, strikeInto(mt, strikes[k], callFlag(isCall, k, nk), k, a, n, h, out));
      yield n;
    }
    if (worst <= accept || 2 * n - 1 > MAX_NODES) break;
  }
  return out;
}

/** Work units of a strike pair in hestonCurveSteps (one rotation and ten products per node, against two strikes' 2 x 13). */
const PAIR_UNITS = 1.4;

/**
 * The greeks a moneyness curve samples: calls at S = F = 1, r = q = 0 and strikes K_k = e^{-y_k},
 * given by their log-moneyness y_k = ln(F / K_k) itself, as resumable steps (hestonGreeksSteps).
 * Where the y are antisymmetric (y_{n-1-k} = -y_k exactly, as a symmetric grid gives them), the
 * two strikes of a pair share one pass over the grid: Re(e^{iuy} a) and Re(e^{-iuy} a) are the
 * cosine part minus and plus the sine part. Equal to hestonGreeks at those strikes up to
 * rounding (there x is ln(1 / K), here y).
 */
export function* hestonCurveSteps(p: HestonParams | BatesParams, T: number, y: Float64Array, opts?: HestonPricingOptions): Generator<number, HestonGreeks, void> {
  const n = y.length;
  const K = new Float64Array(n);
  for (let k = 0; k < n; k++) K[k] = Math.exp(-y[k]);
  const { out, done, mt, m } = prepare(p, 1, T, 0, 0, K, true);
  if (done) return out;
  const { tailTol, accept } = integrationTolerances(opts, mt.F, K);
  for (let level = 0; ; level++) {
    let g = buildGrid(m, T, mt.w, initialStep(mt.w), tailTol, 0, true, MAX_NODES);
    let samples = g.n;
    for (let i = 0; i < level; i++) {
      g = refineGrid(g, m, T, mt.w, true);
      samples += g.n;
    }
    const a = kernels(g).map((x) => x.slice(0, g.n)) as Kernels;
    const { n: nodes, h } = g;
    yield SAMPLE_UNITS * samples;
    let worst = 0;
    for (let k = 0; 2 * k < n; k++) {
      const k2 = n - 1 - k;
      if (k2 > k && y[k2] === -y[k]) {
        pairSums(a, nodes, h, y[k], sums, sumsMinus);
        worst = Math.max(worst, fromSums(mt, K[k], y[k], true, k, sums, out), fromSums(mt, K[k2], y[k2], true, k2, sumsMinus, out));
        yield Math.ceil(PAIR_UNITS * nodes);
        continue;
      }
      for (const j of k2 > k ? [k, k2] : [k]) {
        fourSums(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], nodes, h, y[j], sums);
        worst = Math.max(worst, fromSums(mt, K[j], y[j], true, j, sums, out));
        yield nodes;
      }
    }
    if (worst <= accept || 2 * nodes - 1 > MAX_NODES) break;
  }
  return out;
}
