/**
 * Closed-form European option prices, delta, gamma and the sensitivity to the current variance
 * under Heston-Nandi GARCH(1,1) (HN 2000), vectorised across strikes: one pass of the moment
 * generating function per quadrature node serves every strike.
 *
 * Method. With M(z) = E^Q[S_T^z] = S^z G(z) (hn-mgf.ts) the call is the single integral on the
 * line Re z = 1/2 (Lewis 2001 form, which has no singularity at the origin, unlike the two-integral
 * form of HN 2000 eq. (9) and fOptions):
 *   C = S e^{-qT} - sqrt(S K) e^{-rT} / pi * int_0^inf Re[G(1/2 + iu) e^{iu x}] / (u^2 + 1/4) du,
 *   x = ln(S / K);
 * and, since dM/dS = z M / S, dM/dh = B M and z(z - 1) = -(u^2 + 1/4) on that line,
 *   delta = e^{-qT} - sqrt(K / S) e^{-rT} / pi * int Re[(1/2 + iu) G e^{iux}] / (u^2 + 1/4) du,
 *   gamma = sqrt(K) e^{-rT} / (pi S^{3/2}) * int Re[G e^{iux}] du,
 *   dC/dh = -sqrt(S K) e^{-rT} / pi * int Re[B G e^{iux}] / (u^2 + 1/4) du.
 * Puts by parity: P = C - S e^{-qT} + K e^{-rT}, put delta = call delta - e^{-qT}.
 *
 * Quadrature (hand-written): composite 16-point Gauss-Legendre panels in u, narrow near the origin
 * (the poles of 1/(u^2 + 1/4) and of the moment generating function lie at distance >= 1/2 from
 * the real axis) and widening with u, capped by the scale 1/sqrt(V) on which |G| decays (V the
 * expected total variance) and by the fastest strike oscillation; panels are added until |G| has
 * fallen below tol * G(0) on two successive panels. Prices agree with a four-times-finer
 * reference to about 1e-12 of S (see hn-price.test.ts).
 *
 * Units: everything daily. Tdays whole trading days, rDaily and qDaily continuously compounded
 * per day (an annual rate r is r / 252 when a day is 1/252 year), h0 a daily variance.
 */
import { gaussLegendre } from './hn-quadrature.ts';
import { hnMgfCore } from './hn-mgf.ts';
import { checkHnParams, hnExpectedTotalVariance, hnPersistence, hnRiskNeutral, type HnParams } from './hn-params.ts';

/** Option right: 'call' | 'put' (or the project's 'C' | 'P'). */
export type HnRight = 'call' | 'put' | 'C' | 'P';

/** What to price: one spot and maturity, one or many strikes. */
export interface HnOptionSpec {
  S: number;
  /** One strike or many; results always come back as one entry per strike. */
  K: number | ArrayLike<number>;
  /** Whole trading days to expiry (>= 0; 0 gives the intrinsic value). */
  Tdays: number;
  /** Risk-free rate per day, continuously compounded (annual r / 252). */
  rDaily: number;
  /** Dividend yield per day (default 0). */
  qDaily?: number;
  /**
   * Variance of the first day's return, h_{t+1} (known today). Default: the risk-neutral
   * stationary variance (omega + alpha) / (1 - beta - alpha gamma*^2), gamma* = gamma + lambda + 1/2,
   * as R fOptions' HNGOption uses; it equals the physical one when lambda = -1/2.
   */
  h0?: number;
  /** One right for all strikes, or one per strike. */
  right: HnRight | ArrayLike<HnRight>;
}

/** Accuracy knob. */
export interface HnPricingOptions {
  /** Stop when |G(u)| < tol * G(0) (default 1e-14); prices are then good to about 1e-12 of S. */
  tol?: number;
}

/** Prices and sensitivities, one entry per strike. */
export interface HnGreeks {
  price: Float64Array;
  /** dV/dS. */
  delta: Float64Array;
  /** d2V/dS2. */
  gamma: Float64Array;
  /** dV/dh0: sensitivity to the current (next-day) variance. */
  dh0: Float64Array;
  /** The h0 used (the default when none was given). */
  h0: number;
}

const GL = gaussLegendre(16);
const NG = GL.x.length;
/** e^{i (u - a) x} at a panel's NG nodes for the current strike (evaluate). */
const offRe = new Float64Array(NG);
const offIm = new Float64Array(NG);
const DEFAULT_TOL = 1e-14;
/** Node cap: reached only by degenerate inputs (variance that can collapse to ~0). */
const MAX_NODES = 1 << 16;

/** The default h0 of HnOptionSpec: the risk-neutral stationary variance (fOptions' convention). */
export function hnDefaultH0(p: HnParams): number {
  const q = hnRiskNeutral(p);
  const pers = hnPersistence(q);
  if (!(pers < 1)) {
    throw new RangeError(
      `h0 is required: the risk-neutral persistence beta + alpha (gamma + lambda + 1/2)^2 = ${pers} >= 1, so there is no stationary variance to default to`,
    );
  }
  return (q.omega + q.alpha) / (1 - pers);
}

function isCallRight(r: unknown, what: string): boolean {
  if (r === 'call' || r === 'C') return true;
  if (r === 'put' || r === 'P') return false;
  throw new RangeError(`${what} must be "call" or "put", got ${JSON.stringify(r)}`);
}

interface Setup {
  S: number;
  strikes: Float64Array;
  calls: Uint8Array;
  Tdays: number;
  r: number;
  q: number;
  h0: number;
  pq: HnParams;
}

function setup(p: HnParams, spec: HnOptionSpec): Setup {
  checkHnParams(p);
  if (spec === null || typeof spec !== 'object') throw new TypeError('option spec must be an object {S, K, Tdays, rDaily, right}');
  const { S, Tdays, rDaily } = spec;
  const qDaily = spec.qDaily ?? 0;
  if (!(typeof S === 'number' && Number.isFinite(S) && S > 0)) throw new RangeError(`S must be a finite number > 0, got ${String(S)}`);
  if (!(typeof Tdays === 'number' && Number.isInteger(Tdays) && Tdays >= 0)) throw new RangeError(`Tdays must be a whole number of days >= 0, got ${String(Tdays)}`);
  if (!(typeof rDaily === 'number' && Number.isFinite(rDaily))) throw new RangeError(`rDaily must be a finite number, got ${String(rDaily)}`);
  if (!(typeof qDaily === 'number' && Number.isFinite(qDaily))) throw new RangeError(`qDaily must be a finite number, got ${String(qDaily)}`);
  const Kin = spec.K;
  if (typeof Kin !== 'number' && (Kin === null || typeof Kin !== 'object' || typeof (Kin as ArrayLike<number>).length !== 'number')) {
    throw new RangeError('K must be a number or an array of numbers');
  }
  const strikes = typeof Kin === 'number' ? Float64Array.of(Kin) : Float64Array.from(Kin);
  for (let k = 0; k < strikes.length; k++) {
    if (!(Number.isFinite(strikes[k]) && strikes[k] > 0)) throw new RangeError(`K[${k}] must be a finite number > 0, got ${String(typeof Kin === 'number' ? Kin : (Kin as ArrayLike<number>)[k])}`);
  }
  const calls = new Uint8Array(strikes.length);
  const right = spec.right;
  if (typeof right === 'string' || right === undefined || right === null) {
    calls.fill(isCallRight(right, 'right') ? 1 : 0);
  } else {
    if (right.length !== strikes.length) throw new RangeError(`right has ${right.length} entries for ${strikes.length} strikes`);
    for (let k = 0; k < strikes.length; k++) calls[k] = isCallRight(right[k], `right[${k}]`) ? 1 : 0;
  }
  let h0: number;
  if (spec.h0 === undefined) h0 = hnDefaultH0(p);
  else {
    h0 = spec.h0;
    if (!(typeof h0 === 'number' && Number.isFinite(h0) && h0 > 0)) throw new RangeError(`h0 must be a finite daily variance > 0, got ${String(h0)}`);
  }
  return { S, strikes, calls, Tdays, r: rDaily, q: qDaily, h0, pq: hnRiskNeutral(p) };
}

/** Quadrature nodes u_j, weights, and G, B at 1/2 + i u_j: strike-independent. */
interface Nodes {
  n: number;
  u: Float64Array;
  w: Float64Array;
  g: Float64Array; // (G re, G im, B re, B im) per node
  /** Per panel of NG nodes: its left end and width (node j is in panel floor(j / NG)). */
  pa: Float64Array;
  pw: Float64Array;
}

let scratch: Nodes = { n: 0, u: new Float64Array(512), w: new Float64Array(512), g: new Float64Array(2048), pa: new Float64Array(512 / 16), pw: new Float64Array(512 / 16) };

function grow(nodes: Nodes, need: number): Nodes {
  if (need <= nodes.u.length) return nodes;
  const cap = Math.max(need, nodes.u.length * 2);
  const u = new Float64Array(cap);
  const w = new Float64Array(cap);
  const g = new Float64Array(4 * cap);
  const pa = new Float64Array(Math.ceil(cap / NG));
  const pw = new Float64Array(Math.ceil(cap / NG));
  u.set(nodes.u.subarray(0, nodes.n));
  w.set(nodes.w.subarray(0, nodes.n));
  g.set(nodes.g.subarray(0, 4 * nodes.n));
  pa.set(nodes.pa.subarray(0, nodes.n / NG));
  pw.set(nodes.pw.subarray(0, nodes.n / NG));
  return { n: nodes.n, u, w, g, pa, pw };
}

/** Work units (hnGreeksSteps) of one day of the moment generating function's recursion at one node. */
const DAY_UNITS = 2;

/**
 * Builds the panels of the Lewis integral for one maturity into `into` (grown as needed), yielding
 * after each panel its work units; returns the nodes. `widthScale` < 1 refines (tests).
 */
function* hnNodePanels(su: Setup, tol: number, widthScale: number, into: Nodes): Generator<number, Nodes, void> {
  const { pq, Tdays, h0 } = su;
  const mu = su.r - su.q;
  const V = hnExpectedTotalVariance(pq, h0, Tdays);
  const sd = Math.sqrt(V);
  let xMax = 0;
  for (let k = 0; k < su.strikes.length; k++) xMax = Math.max(xMax, Math.abs(Math.log(su.S / su.strikes[k])));
  // fastest phase rotation of G e^{iux} in u: the strike term, the drift, the variance convexity
  const freq = xMax + Math.abs(mu * Tdays) + 0.5 * V + sd;
  const wDecay = 2.5 / sd;
  const wOsc = 6 / freq;
  let nodes = into;
  nodes.n = 0;
  const g0 = new Float64Array(4);
  hnMgfCore(pq, Tdays, mu, h0, 0.5, 0, g0);
  const stop = tol * Math.abs(g0[0]);
  let a = 0;
  let quiet = 0;
  while (nodes.n < MAX_NODES) {
    const width = widthScale * Math.min(Math.max(1, 0.5 * a), wDecay, wOsc);
    nodes = grow(nodes, nodes.n + NG);
    const half = 0.5 * width;
    nodes.pa[nodes.n / NG] = a;
    nodes.pw[nodes.n / NG] = width;
    let panelMax = 0;
    for (let i = 0; i < NG; i++) {
      const j = nodes.n + i;
      const u = a + half * (GL.x[i] + 1);
      nodes.u[j] = u;
      nodes.w[j] = half * GL.w[i];
      hnMgfCore(pq, Tdays, mu, h0, 0.5, u, nodes.g, 4 * j);
      panelMax = Math.max(panelMax, Math.hypot(nodes.g[4 * j], nodes.g[4 * j + 1]));
    }
    nodes.n += NG;
    a += width;
    yield DAY_UNITS * NG * Math.max(1, Tdays);
    if (!(panelMax >= stop)) {
      if (++quiet >= 2) break;
    } else quiet = 0;
  }
  return nodes;
}

/** hnNodePanels run through, into the module's scratch nodes. */
function hnNodes(su: Setup, tol: number, widthScale = 1): Nodes {
  const it = hnNodePanels(su, tol, widthScale, scratch);
  for (;;) {
    const r = it.next();
    if (r.done) {
      scratch = r.value;
      return r.value;
    }
  }
}

function intrinsic(su: Setup, withGreeks: boolean): HnGreeks {
  const n = su.strikes.length;
  const res: HnGreeks = { price: new Float64Array(n), delta: new Float64Array(n), gamma: new Float64Array(n), dh0: new Float64Array(n), h0: su.h0 };
  for (let k = 0; k < n; k++) {
    const K = su.strikes[k];
    const call = su.calls[k] === 1;
    res.price[k] = call ? Math.max(su.S - K, 0) : Math.max(K - su.S, 0);
    if (withGreeks) res.delta[k] = call ? (su.S > K ? 1 : su.S === K ? 0.5 : 0) : su.S < K ? -1 : su.S === K ? -0.5 : 0;
  }
  return res;
}

/** An empty result for the strikes of `su` (greeks left empty without `withGreeks`). */
function results(su: Setup, withGreeks: boolean): HnGreeks {
  const n = su.strikes.length;
  const empty = new Float64Array(0);
  return {
    price: new Float64Array(n),
    delta: withGreeks ? new Float64Array(n) : empty,
    gamma: withGreeks ? new Float64Array(n) : empty,
    dh0: withGreeks ? new Float64Array(n) : empty,
    h0: su.h0,
  };
}

/** The four Lewis integrals of one strike (price, delta, gamma, dh0 kernels), for one or two strikes (x and -x). */
const sumsP = new Float64Array(4);
const sumsM = new Float64Array(4);

/**
 * The sums of strike x into sumsP and, with `mirror`, of strike -x into sumsM from the same
 * phases: for -x, cos(ux) is the same and sin(ux) changes sign.
 */
function lewisSums(nodes: Nodes, x: number, withGreeks: boolean, mirror: boolean): void {
  const { u, w, g, pa, pw } = nodes;
  const panels = nodes.n / NG;
  let sP = 0, sD = 0, sG = 0, sH = 0;
  let mP = 0, mD = 0, mG = 0, mH = 0;
  let width = NaN;
  for (let pn = 0; pn < panels; pn++) {
    // e^{i u x} = e^{i a x} e^{i (u - a) x} on a panel [a, a + width]: the second factor is the
    // same on every panel of the same width (most are), so a panel costs one cos and sin,
    // not NG of each.
    if (pw[pn] !== width) {
      width = pw[pn];
      const half = 0.5 * width;
      for (let i = 0; i < NG; i++) {
        const t = half * (GL.x[i] + 1) * x;
        offRe[i] = Math.cos(t);
        offIm[i] = Math.sin(t);
      }
    }
    const pc = Math.cos(pa[pn] * x);
    const ps = Math.sin(pa[pn] * x);
    for (let i = 0; i < NG; i++) {
      const j = pn * NG + i;
      const uj = u[j];
      const c = pc * offRe[i] - ps * offIm[i];
      const s = pc * offIm[i] + ps * offRe[i];
      const gr = g[4 * j];
      const gi = g[4 * j + 1];
      const re = gr * c - gi * s;
      const wl = w[j] / (uj * uj + 0.25);
      sP += wl * re;
      if (withGreeks) {
        const im = gr * s + gi * c;
        sD += wl * (0.5 * re - uj * im);
        sG += w[j] * re;
        sH += wl * (g[4 * j + 2] * re - g[4 * j + 3] * im);
      }
      if (mirror) {
        const reM = gr * c + gi * s;
        const imM = gi * c - gr * s;
        mP += wl * reM;
        mD += wl * (0.5 * reM - uj * imM);
        mG += w[j] * reM;
        mH += wl * (g[4 * j + 2] * reM - g[4 * j + 3] * imM);
      }
    }
  }
  sumsP[0] = sP;
  sumsP[1] = sD;
  sumsP[2] = sG;
  sumsP[3] = sH;
  sumsM[0] = mP;
  sumsM[1] = mD;
  sumsM[2] = mG;
  sumsM[3] = mH;
}

/** Strike k's price (and greeks) into res from its sums (lewisSums' layout). */
function fromSums(su: Setup, k: number, sm: Float64Array, withGreeks: boolean, res: HnGreeks): void {
  const { S, Tdays } = su;
  const discR = Math.exp(-su.r * Tdays);
  const discQ = Math.exp(-su.q * Tdays);
  const K = su.strikes[k];
  const pref = (Math.sqrt(S * K) * discR) / Math.PI;
  const fwdS = S * discQ;
  const pvK = K * discR;
  // quadrature noise can cross the no-arbitrage bounds by ~1e-14 S: clamp
  const call = Math.min(fwdS, Math.max(fwdS - pref * sm[0], fwdS - pvK, 0));
  const isCall = su.calls[k] === 1;
  res.price[k] = isCall ? call : Math.max(call - fwdS + pvK, pvK - fwdS, 0);
  if (withGreeks) {
    const dCall = discQ - (pref / S) * sm[1];
    res.delta[k] = isCall ? dCall : dCall - discQ;
    res.gamma[k] = (pref / (S * S)) * sm[2];
    res.dh0[k] = -pref * sm[3];
  }
}

/** Strike k's price (and greeks) from the maturity's nodes, into res. */
function strikeInto(su: Setup, nodes: Nodes, k: number, withGreeks: boolean, res: HnGreeks): void {
  lewisSums(nodes, Math.log(su.S / su.strikes[k]), withGreeks, false);
  fromSums(su, k, sumsP, withGreeks, res);
}

function checkTol(opts: HnPricingOptions | undefined): number {
  const tol = opts?.tol ?? DEFAULT_TOL;
  if (!(tol > 0 && tol < 1)) throw new RangeError(`opts.tol must be in (0, 1), got ${tol}`);
  return tol;
}

function evaluate(p: HnParams, spec: HnOptionSpec, opts: HnPricingOptions | undefined, withGreeks: boolean, widthScale = 1): HnGreeks {
  const su = setup(p, spec);
  if (su.Tdays === 0) return intrinsic(su, withGreeks);
  const tol = checkTol(opts);
  const nodes = hnNodes(su, tol, widthScale);
  const res = results(su, withGreeks);
  for (let k = 0; k < su.strikes.length; k++) strikeInto(su, nodes, k, withGreeks, res);
  return res;
}

/**
 * hnGreeks as resumable steps, with the same results to the last bit: a generator that yields
 * after each quadrature panel and each strike the work just done (in units of about 10 ns: one
 * node of one strike's sums, or half a day of the recursion at one node) and returns the greeks.
 * It holds its own nodes, so other pricing may run between steps. For spreading one large pass
 * over several rounds of a live stage.
 */
export function* hnGreeksSteps(params: HnParams, spec: HnOptionSpec, opts?: HnPricingOptions): Generator<number, HnGreeks, void> {
  const su = setup(params, spec);
  if (su.Tdays === 0) return intrinsic(su, true);
  const tol = checkTol(opts);
  const own: Nodes = { n: 0, u: new Float64Array(0), w: new Float64Array(0), g: new Float64Array(0), pa: new Float64Array(0), pw: new Float64Array(0) };
  const nodes = yield* hnNodePanels(su, tol, 1, own);
  const res = results(su, true);
  for (let k = 0; k < su.strikes.length; k++) {
    strikeInto(su, nodes, k, true, res);
    yield nodes.n;
  }
  return res;
}

/**
 * European prices under Heston-Nandi GARCH(1,1), one per strike. `params` are the physical daily
 * parameters; pricing uses their risk-neutral version (hnRiskNeutral). h0 defaults to the
 * risk-neutral stationary variance (see HnOptionSpec.h0). Throws a RangeError naming any bad input.
 */
export function hnPrice(params: HnParams, spec: HnOptionSpec, opts?: HnPricingOptions): Float64Array {
  return evaluate(params, spec, opts, false).price;
}

/** Prices with delta, gamma and dV/dh0 from the same integrals (one pass per maturity). */
export function hnGreeks(params: HnParams, spec: HnOptionSpec, opts?: HnPricingOptions): HnGreeks {
  return evaluate(params, spec, opts, true);
}

/** hnGreeks with every quadrature panel `widthScale` times as wide (tests use 1/4 as a reference). */
export function hnGreeksWithPanelScale(params: HnParams, spec: HnOptionSpec, widthScale: number, opts?: HnPricingOptions): HnGreeks {
  if (!(widthScale > 0 && widthScale <= 1)) throw new RangeError(`widthScale must be in (0, 1], got ${widthScale}`);
  return evaluate(params, spec, opts, true, widthScale);
}

/** Whole trading days in T years (a day = 1/252 year), as `volrisk price` rounds them. */
export function hnDaysFromYears(T: number, daysPerYear = 252): number {
  if (!(Number.isFinite(T) && T >= 0)) throw new RangeError(`T must be a finite number of years >= 0, got ${T}`);
  return Math.round(T * daysPerYear);
}

/** Work units of a strike pair in hnCurveSteps, per node (against 2 for two strikes). */
const PAIR_UNITS = 1.5;

/**
 * The greeks a moneyness curve samples: calls at S = 1, zero rate and yield, Tdays days, variance
 * h0, strikes K_k = e^{-y_k} given by their log-moneyness y_k = ln(S / K_k) itself, as
 * resumable steps (hnGreeksSteps). Where the y are antisymmetric (y_{n-1-k} = -y_k exactly) the
 * two strikes of a pair share their phases: for -y the cosines are the same and the sines change
 * sign. Equal to hnGreeks at those strikes up to rounding (there x is ln(1 / K), here y).
 */
export function* hnCurveSteps(params: HnParams, Tdays: number, h0: number, y: Float64Array, opts?: HnPricingOptions): Generator<number, HnGreeks, void> {
  const n = y.length;
  const K = new Float64Array(n);
  for (let k = 0; k < n; k++) K[k] = Math.exp(-y[k]);
  const su = setup(params, { S: 1, K, Tdays, rDaily: 0, qDaily: 0, h0, right: 'C' });
  if (su.Tdays === 0) return intrinsic(su, true);
  const tol = checkTol(opts);
  const own: Nodes = { n: 0, u: new Float64Array(0), w: new Float64Array(0), g: new Float64Array(0), pa: new Float64Array(0), pw: new Float64Array(0) };
  const nodes = yield* hnNodePanels(su, tol, 1, own);
  const res = results(su, true);
  for (let k = 0; 2 * k < n; k++) {
    const k2 = n - 1 - k;
    const pair = k2 > k && y[k2] === -y[k];
    lewisSums(nodes, y[k], true, pair);
    fromSums(su, k, sumsP, true, res);
    if (pair) {
      fromSums(su, k2, sumsM, true, res);
      yield Math.ceil(PAIR_UNITS * nodes.n);
    } else {
      yield nodes.n;
      if (k2 > k) {
        lewisSums(nodes, y[k2], true, false);
        fromSums(su, k2, sumsP, true, res);
        yield nodes.n;
      }
    }
  }
  return res;
}
