/**
 * Fitting an SSVI surface (ssvi.ts) to quotes under its no-arbitrage constraints:
 * 1. theta_t per expiry starts from the quotes' ATM total variance (a weighted quadratic in k
 *    through the quotes nearest k = 0), made non-decreasing by pool-adjacent-violators;
 * 2. Nelder-Mead over the global parameters (rho = tanh u, eta or lambda = e^u, gamma =
 *    logistic u), with any point breaking Theorem 4.2 on the fitted theta range rejected;
 * 3. each theta_t is refitted by golden-section search between its neighbours (so the curve
 *    stays non-decreasing: Theorem 4.1), then step 2 again.
 * The objective is the weighted squared error in total variance.
 *
 * Warm start (opts.init): a live surface refits every minute or so on quotes that moved little,
 * so the global parameters start from the previous fit's, with a smaller first simplex; the
 * theta curve always starts from the quotes. Cost: phi(theta) is computed once per expiry per
 * objective call (it does not depend on k), and for the power law Theorem 4.2 is checked at the
 * maxima of its two sides (theta phi rises with theta; theta phi^2 peaks at theta = 1 - 2 gamma)
 * rather than on a grid.
 *
 * Between expiries theta is linear in T; before the first it scales as T/T1, after the last as
 * T/Tn, so theta stays non-decreasing everywhere. Hand-written numerics.
 */
import { nelderMead } from './nelder-mead.ts';
import { checkSsviParams, ssviButterflyViolations, ssviDerivs, ssviPhi, type SsviParams, type SsviPhi } from './ssvi.ts';
import { bracket } from './svi-surface.ts';
import { checkPoints, gridByPoints, groupByMaturity, predictArgs, type SurfaceFitter, type SurfaceGrid, type SurfacePoints, type VolSurface } from './surface-types.ts';

/** Options of fitSsvi. */
export interface SsviFitOptions {
  /** The phi family (default 'power-law'). */
  phi?: SsviPhi['kind'];
  /** Alternations of global fit and theta refit (default 2). */
  rounds?: number;
  /** Start of the global parameters, e.g. the previous fit of the same surface (its phi kind must match). */
  init?: SsviParams;
}

/** A fitted SSVI surface. */
export class SsviSurface implements VolSurface {
  readonly method = 'ssvi';

  /** thetas[j] is the ATM total variance at expiries[j] (both increasing). */
  constructor(readonly params: SsviParams, readonly expiries: Float64Array, readonly thetas: Float64Array, readonly rmseIv = NaN) {
    checkSsviParams(params);
    if (expiries.length === 0 || expiries.length !== thetas.length) throw new RangeError('SsviSurface needs one theta per expiry, at least one');
    for (let j = 0; j < thetas.length; j++) {
      if (!(thetas[j] > 0)) throw new RangeError(`SsviSurface theta[${j}] must be > 0, got ${thetas[j]}`);
      if (j > 0 && !(expiries[j] > expiries[j - 1])) throw new RangeError(`SsviSurface expiries must increase (index ${j})`);
      if (j > 0 && thetas[j] < thetas[j - 1]) throw new RangeError(`SsviSurface theta must not decrease (index ${j}): calendar arbitrage`);
    }
  }

  /** ATM total variance at T. */
  theta(T: number): number {
    const { lo, hi, u, scale } = bracket(this.expiries, T);
    return lo === hi ? this.thetas[lo] * scale : this.thetas[lo] + u * (this.thetas[hi] - this.thetas[lo]);
  }

  /** [w, dw/dk, d2w/dk2] at (k, T). */
  totalVarianceDerivs(k: number, T: number): [number, number, number] {
    return ssviDerivs(this.params, this.theta(T), k);
  }

  /** Implied vols at the points. */
  predict(k: ArrayLike<number>, T: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = predictArgs(k, T, out);
    for (let i = 0; i < k.length; i++) o[i] = Math.sqrt(this.totalVarianceDerivs(k[i], T[i])[0] / T[i]);
    return o;
  }

  /** Implied vols on the grid k x T. */
  predictGrid(k: ArrayLike<number>, T: ArrayLike<number>): SurfaceGrid {
    return gridByPoints(this, k, T);
  }
}

/** Pool-adjacent-violators: the weighted non-decreasing sequence closest to y in least squares. */
export function isotonic(y: ArrayLike<number>, w: ArrayLike<number>): Float64Array {
  const vals: number[] = [], wts: number[] = [], lens: number[] = [];
  for (let i = 0; i < y.length; i++) {
    vals.push(y[i]); wts.push(w[i]); lens.push(1);
    while (vals.length > 1 && vals[vals.length - 2] > vals[vals.length - 1]) {
      const w2 = wts.pop()!, v2 = vals.pop()!, l2 = lens.pop()!;
      const w1 = wts[wts.length - 1], v1 = vals[vals.length - 1];
      vals[vals.length - 1] = (w1 * v1 + w2 * v2) / (w1 + w2);
      wts[wts.length - 1] = w1 + w2;
      lens[lens.length - 1] += l2;
    }
  }
  const out = new Float64Array(y.length);
  let i = 0;
  vals.forEach((v, b) => { for (let l = 0; l < lens[b]; l++) out[i++] = v; });
  return out;
}

/** ATM total variance of one expiry's quotes: weighted quadratic through the 7 nearest k = 0. */
function atmVariance(k: number[], w: number[], W: number[]): number {
  const idx = k.map((_, i) => i).sort((a, b) => Math.abs(k[a]) - Math.abs(k[b])).slice(0, 7);
  // Normal equations of w = c0 + c1 k + c2 k^2 (fewer terms when fewer quotes)
  const deg = Math.min(2, idx.length - 1);
  const n = deg + 1;
  const A = new Float64Array(n * n), b = new Float64Array(n);
  for (const i of idx) {
    const p = [1, k[i], k[i] * k[i]];
    for (let r = 0; r < n; r++) {
      b[r] += W[i] * p[r] * w[i];
      for (let c = 0; c < n; c++) A[r * n + c] += W[i] * p[r] * p[c];
    }
  }
  // Tiny system: Gaussian elimination without pivoting is fine for this positive-definite matrix
  for (let c = 0; c < n; c++) {
    for (let r = c + 1; r < n; r++) {
      const f = A[r * n + c] / A[c * n + c];
      for (let j = c; j < n; j++) A[r * n + j] -= f * A[c * n + j];
      b[r] -= f * b[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let j = r + 1; j < n; j++) s -= A[r * n + j] * b[j];
    b[r] = s / A[r * n + r];
  }
  const c0 = b[0];
  if (Number.isFinite(c0) && c0 > 0) return c0;
  let m = Infinity;
  for (const i of idx) m = Math.min(m, w[i]);
  return m;
}

interface Slice { T: number; k: Float64Array; w: Float64Array; W: Float64Array }

/** Weighted squared error of one slice at ATM total variance theta with phi = phi(theta): ssviDerivs' w, phi hoisted. */
function sliceError(rho: number, phi: number, theta: number, s: Slice): number {
  const rr = rho * rho, h = 0.5 * theta;
  const k = s.k, w = s.w, W = s.W;
  let e = 0;
  for (let i = 0; i < k.length; i++) {
    const u = phi * k[i] + rho;
    const d = h * (1 + rho * phi * k[i] + Math.sqrt(u * u + 1 - rr)) - w[i];
    e += W[i] * d * d;
  }
  return e;
}

/**
 * Whether Theorem 4.2 holds on [lo, hi]. Power law: theta phi(theta) = eta (theta/(1+theta))^(1-gamma)
 * rises with theta, and theta phi^2 = eta^2 theta^(1-2 gamma) (1+theta)^(2 gamma-2) peaks at
 * 1 - 2 gamma, so checking each at its maximum on the range is exact (and at least as strict as
 * the grid of ssviButterflyViolations, whose nodes lie in the range). Heston-like phi: that grid.
 */
export function ssviButterflyFree(p: SsviParams, lo: number, hi: number): boolean {
  const f = p.phi;
  if (f.kind !== 'power-law') return ssviButterflyViolations(p, lo, hi).length === 0;
  const s = 1 + Math.abs(p.rho);
  // The grid's last node, lo (hi/lo)^(64/64), can exceed hi by an ulp: check the larger
  const top = Math.max(hi, lo * Math.pow(hi / lo, 1));
  if (top * ssviPhi(f, top) * s >= 4) return false;
  const star = Math.min(Math.max(1 - 2 * f.gamma, lo), top);
  const phiStar = ssviPhi(f, star);
  return star * phiStar * phiStar * s <= 4;
}

/** The unconstrained coordinates of `p` (the inverse of decode, clamped to finite values). */
function encode(kind: SsviPhi['kind'], p: SsviParams): Float64Array {
  const clamp = (v: number) => Math.min(Math.max(v, -20), 20);
  const x0 = clamp(Math.atanh(Math.min(Math.max(p.rho / 0.999, -1 + 1e-12), 1 - 1e-12)));
  if (kind === 'power-law' && p.phi.kind === 'power-law') {
    const g = Math.min(Math.max((p.phi.gamma - 1e-3) / 0.998, 1e-9), 1 - 1e-9);
    return Float64Array.of(x0, clamp(Math.log(p.phi.eta)), clamp(Math.log(g / (1 - g))));
  }
  if (kind === 'heston' && p.phi.kind === 'heston') return Float64Array.of(x0, clamp(Math.log(p.phi.lambda)));
  throw new RangeError(`opts.init: phi kind ${p.phi.kind} differs from the fitted kind ${kind}`);
}

function decode(kind: SsviPhi['kind'], x: Float64Array): SsviParams {
  const rho = 0.999 * Math.tanh(x[0]);
  if (kind === 'power-law') return { rho, phi: { kind, eta: Math.exp(x[1]), gamma: 1e-3 + 0.998 / (1 + Math.exp(-x[2])) } };
  return { rho, phi: { kind, lambda: Math.exp(x[1]) } };
}

/**
 * Fits an SSVI surface to the quotes (grouped by exact T; NaN vols ignored). Each expiry needs at
 * least one quote; the fit is only as good as the quotes near the money.
 */
export function fitSsvi(points: SurfacePoints, opts: SsviFitOptions = {}): SsviSurface {
  const p = checkPoints(points);
  const kind = opts.phi ?? 'power-law';
  if (kind !== 'power-law' && kind !== 'heston') throw new RangeError(`opts.phi must be 'power-law' or 'heston', got ${String(kind)}`);
  const rounds = opts.rounds ?? 2;
  const { expiries, index } = groupByMaturity(p.T);
  const slices: Slice[] = [];
  const theta0: number[] = [], thetaW: number[] = [];
  let sw = 0;
  for (let i = 0; i < p.n; i++) if (!Number.isNaN(p.iv[i])) sw += p.weight[i];
  if (!(sw > 0)) throw new RangeError('points: no finite vol with a positive weight to fit');
  expiries.forEach((T, j) => {
    const k: number[] = [], w: number[] = [], W: number[] = [];
    for (let i = 0; i < p.n; i++) {
      if (index[i] !== j || Number.isNaN(p.iv[i]) || p.weight[i] === 0) continue;
      k.push(p.k[i]); w.push(p.iv[i] * p.iv[i] * T); W.push(p.weight[i] / sw);
    }
    if (k.length === 0) return;
    slices.push({ T, k: Float64Array.from(k), w: Float64Array.from(w), W: Float64Array.from(W) });
    theta0.push(atmVariance(k, w, W));
    thetaW.push(W.reduce((a, b) => a + b, 0));
  });
  const thetas = isotonic(theta0, thetaW);
  const feasible = (q: SsviParams, th: Float64Array) => ssviButterflyFree(q, th[0], th[th.length - 1]);
  // ln theta and ln(1 + theta) per expiry, for the power law's phi = eta exp(-gamma ln theta + (gamma - 1) ln(1 + theta)):
  // one exp per expiry per objective call instead of two pows (the thetas stay put during a Nelder-Mead run)
  const lnT = new Float64Array(slices.length), ln1T = new Float64Array(slices.length);
  const total = (q: SsviParams, th: Float64Array) => {
    const f = q.phi;
    let e = 0;
    for (let j = 0; j < slices.length; j++) {
      const phi = f.kind === 'power-law' ? f.eta * Math.exp(-f.gamma * lnT[j] + (f.gamma - 1) * ln1T[j]) : ssviPhi(f, th[j]);
      e += sliceError(q.rho, phi, th[j], slices[j]);
    }
    return e;
  };
  // Start: the previous fit's parameters, else mild skew and curvature, well inside the constraints
  if (opts.init) checkSsviParams(opts.init);
  let x: Float64Array = opts.init ? encode(kind, opts.init) : kind === 'power-law' ? Float64Array.of(-0.5, Math.log(0.5), 0) : Float64Array.of(-0.5, Math.log(5));
  // A warm start sits near the optimum already: a small simplex converges in fewer evaluations
  let step = opts.init ? 0.05 : 0.3;
  for (let round = 0; round <= rounds; round++) {
    for (let j = 0; j < slices.length; j++) { lnT[j] = Math.log(thetas[j]); ln1T[j] = Math.log1p(thetas[j]); }
    const obj = (u: Float64Array) => {
      const q = decode(kind, u);
      return feasible(q, thetas) ? total(q, thetas) : Infinity;
    };
    if (!Number.isFinite(obj(x))) {
      x = kind === 'power-law' ? Float64Array.of(0, Math.log(0.1), 0) : Float64Array.of(0, Math.log(50));
      step = 0.3;
    }
    x = nelderMead(obj, x, { step: x.map(() => step), fTol: 1e-18, xTol: 1e-9, maxEvals: 600 }).x;
    if (round === rounds) break;
    const q = decode(kind, x);
    // Refit each theta between its neighbours by golden-section search
    for (let j = 0; j < slices.length; j++) {
      let lo = j > 0 ? thetas[j - 1] : 0.5 * thetas[0];
      let hi = j < slices.length - 1 ? thetas[j + 1] : 2 * thetas[j];
      const f = (t: number) => {
        const old = thetas[j];
        thetas[j] = t;
        const v = feasible(q, thetas) ? sliceError(q.rho, ssviPhi(q.phi, t), t, slices[j]) : Infinity;
        thetas[j] = old;
        return v;
      };
      const g = (Math.sqrt(5) - 1) / 2;
      let a = hi - g * (hi - lo), b = lo + g * (hi - lo), fa = f(a), fb = f(b);
      for (let it = 0; it < 60 && hi - lo > 1e-12 * hi; it++) {
        if (fa < fb) { hi = b; b = a; fb = fa; a = hi - g * (hi - lo); fa = f(a); } else { lo = a; a = b; fa = fb; b = lo + g * (hi - lo); fb = f(b); }
      }
      const t = fa < fb ? a : b;
      if (Math.min(fa, fb) < f(thetas[j])) thetas[j] = t;
    }
  }
  const q = decode(kind, x);
  let se = 0, wsum = 0;
  for (let j = 0; j < slices.length; j++) {
    const s = slices[j];
    for (let i = 0; i < s.k.length; i++) {
      const e = Math.sqrt(ssviDerivs(q, thetas[j], s.k[i])[0] / s.T) - Math.sqrt(s.w[i] / s.T);
      se += s.W[i] * e * e;
      wsum += s.W[i];
    }
  }
  return new SsviSurface(q, Float64Array.from(slices, (s) => s.T), Float64Array.from(thetas), Math.sqrt(se / wsum));
}

/** The SSVI fitter behind the common interface. */
export function ssviFitter(opts: SsviFitOptions = {}): SurfaceFitter<SsviSurface> {
  return { fit: (points) => fitSsvi(points, opts) };
}
