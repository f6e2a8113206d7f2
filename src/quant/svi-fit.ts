/**
 * Fitting raw SVI to one expiry's total variances by the quasi-explicit method of Zeliade
 * Systems ("Quasi-explicit calibration of Gatheral's SVI model", Zeliade white paper, 2009; also
 * De Marco and Martini): with y = (k - m)/sigma the slice is w = a + d y + c sqrt(y^2 + 1),
 * d = rho b sigma, c = b sigma, linear in (a, d, c). For fixed (m, sigma) the weighted least
 * squares in (a, d, c) over the polytope
 *   |d| <= c,  c + |d| <= slopeMax sigma  (wing slopes b(1 +- rho) <= slopeMax),
 *   a + sqrt(c^2 - d^2) >= 0  (w >= 0 everywhere; see CONSTRAINTS),  a <= max w,
 * is a small convex quadratic programme, solved exactly by an active-set method, and Nelder-Mead
 * searches (m, ln sigma) from the best point of a
 * coarse grid. slopeMax defaults to 2, Lee's moment bound on the wings of total variance.
 *
 * Hand-written numerics (no JS library offers SVI).
 */
import { nelderMead } from './nelder-mead.ts';
import type { SviRaw } from './svi-raw.ts';

/** Options of fitSviSlice. */
export interface SviFitOptions {
  /** Largest wing slope b(1 + |rho|) of total variance (default 2, Lee's bound). */
  slopeMax?: number;
  /** Nelder-Mead evaluation budget over (m, ln sigma) (default 400). */
  maxEvals?: number;
}

/** A fitted slice: parameters, weighted RMSE of total variance, and the work done. */
export interface SviSliceFit {
  params: SviRaw;
  rmseW: number;
  evals: number;
}

/**
 * The constraints g . (a, d, c) >= h of the inner problem, h in units of [0, sigma, max w]:
 * rows are [g_a, g_d, g_c, h_const, h_sigma, h_wmax]. The condition w >= 0 everywhere,
 * a + sqrt(c^2 - d^2) >= 0, is convex (sqrt(c^2 - d^2) is concave on |d| <= c); it is replaced by
 * the chords of sqrt(1 - r^2) between r = sin(t) for t in 12 equal steps over [-pi/2, pi/2]:
 * a + c L(d/c) >= 0 with L the chord interpolant, which lies below the circle by at most
 * 1 - cos(7.5 deg) < 0.9%, so the feasible set is a slightly smaller (safe) one.
 */
const CHORDS = 12;
const CONSTRAINTS: Float64Array[] = (() => {
  const rows: number[][] = [
    [0, -1, 1, 0, 0, 0], // c - d >= 0
    [0, 1, 1, 0, 0, 0], // c + d >= 0
    [0, -1, -1, 0, -1, 0], // c + d <= slopeMax sigma
    [0, 1, -1, 0, -1, 0], // c - d <= slopeMax sigma
    [-1, 0, 0, 0, 0, -1], // a <= max w
  ];
  for (let j = 0; j < CHORDS; j++) {
    const r0 = Math.sin(-Math.PI / 2 + (Math.PI * j) / CHORDS), r1 = Math.sin(-Math.PI / 2 + (Math.PI * (j + 1)) / CHORDS);
    const l0 = Math.sqrt(Math.max(0, 1 - r0 * r0)), l1 = Math.sqrt(Math.max(0, 1 - r1 * r1));
    const beta = (l1 - l0) / (r1 - r0), alpha = l0 - beta * r0;
    rows.push([1, beta, alpha, 0, 0, 0]); // a + alpha c + beta d >= 0
  }
  return rows.map((r) => Float64Array.from(r));
})();
const NC = CONSTRAINTS.length;

/** Solves the square system A x = b in place (partial pivoting); false when singular. */
function solve(A: Float64Array, b: Float64Array, n: number): boolean {
  for (let c = 0; c < n; c++) {
    let p = c, best = Math.abs(A[c * n + c]);
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r * n + c]) > best) { best = Math.abs(A[r * n + c]); p = r; }
    if (!(best > 1e-300)) return false;
    if (p !== c) {
      for (let j = 0; j < n; j++) { const t = A[c * n + j]; A[c * n + j] = A[p * n + j]; A[p * n + j] = t; }
      const t = b[c]; b[c] = b[p]; b[p] = t;
    }
    for (let r = c + 1; r < n; r++) {
      const f = A[r * n + c] / A[c * n + c];
      if (f === 0) continue;
      for (let j = c; j < n; j++) A[r * n + j] -= f * A[c * n + j];
      b[r] -= f * b[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let j = r + 1; j < n; j++) s -= A[r * n + j] * b[j];
    b[r] = s / A[r * n + r];
  }
  return true;
}

/** The inner problem: data of one slice, reused across (m, sigma) evaluations. */
export class SviInnerSolver {
  private readonly A = new Float64Array(36);
  private readonly rhs = new Float64Array(6);
  private readonly S = new Float64Array(9);
  private readonly r = new Float64Array(3);
  private readonly h = new Float64Array(NC);
  /** (a, d, c) of the last solve. */
  readonly x = new Float64Array(3);
  readonly wMax: number;
  readonly ww: number;

  constructor(readonly k: Float64Array, readonly w: Float64Array, readonly W: Float64Array, readonly slopeMax: number) {
    let wMax = 0, ww = 0;
    for (let i = 0; i < w.length; i++) { wMax = Math.max(wMax, w[i]); ww += W[i] * w[i] * w[i]; }
    this.wMax = wMax;
    this.ww = ww;
  }

  /** Weighted sum of squared residuals at the best (a, d, c) for this (m, sigma); sets x. */
  objective(m: number, sigma: number): number {
    const { k, w, W, S, r } = this;
    S.fill(0); r.fill(0);
    for (let i = 0; i < k.length; i++) {
      const y = (k[i] - m) / sigma, z = Math.sqrt(y * y + 1), wi = W[i], v = w[i];
      S[0] += wi; S[1] += wi * y; S[2] += wi * z;
      S[4] += wi * y * y; S[5] += wi * y * z; S[8] += wi * z * z;
      r[0] += wi * v; r[1] += wi * v * y; r[2] += wi * v * z;
    }
    S[3] = S[1]; S[6] = S[2]; S[7] = S[5];
    for (let q = 0; q < NC; q++) this.h[q] = CONSTRAINTS[q][4] * this.slopeMax * sigma + CONSTRAINTS[q][5] * this.wMax;
    this.activeSet();
    const [a, d, c] = this.x;
    let f = 0;
    for (let i = 0; i < k.length; i++) {
      const y = (k[i] - m) / sigma;
      const e = a + d * y + c * Math.sqrt(y * y + 1) - w[i];
      f += W[i] * e * e;
    }
    return f;
  }

  /**
   * Primal active-set method (Nocedal and Wright, Numerical Optimization, Algorithm 16.3) for
   * min x'Sx - 2r'x subject to the constraints, from the feasible point (max w / 2, 0, 0).
   */
  private activeSet(): void {
    const { S, r, h, x } = this;
    x[0] = 0.5 * this.wMax; x[1] = 0; x[2] = 0;
    const work: number[] = [];
    const xs = new Float64Array(3), mult = new Float64Array(3);
    const tol = 1e-13 * (1 + this.wMax);
    for (let iter = 0; iter < 60; iter++) {
      // Equality-constrained optimum with the working set active
      const n = 3 + work.length, A = this.A, b = this.rhs;
      A.fill(0, 0, n * n);
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) A[i * n + j] = S[i * 3 + j];
        b[i] = r[i];
      }
      work.forEach((c, q) => {
        const g = CONSTRAINTS[c];
        for (let j = 0; j < 3; j++) { A[(3 + q) * n + j] = g[j]; A[j * n + 3 + q] = g[j]; }
        b[3 + q] = h[c];
      });
      if (!solve(A, b, n)) { work.pop(); continue; }
      xs[0] = b[0]; xs[1] = b[1]; xs[2] = b[2];
      for (let q = 0; q < work.length; q++) mult[q] = -b[3 + q];
      // Step from x towards xs, stopped by the first constraint it would cross
      let alpha = 1, block = -1;
      for (let c = 0; c < NC; c++) {
        if (work.includes(c)) continue;
        const g = CONSTRAINTS[c];
        const gp = g[0] * (xs[0] - x[0]) + g[1] * (xs[1] - x[1]) + g[2] * (xs[2] - x[2]);
        if (gp >= 0) continue;
        const slack = g[0] * x[0] + g[1] * x[1] + g[2] * x[2] - h[c];
        const t = Math.max(0, slack) / -gp;
        if (t < alpha) { alpha = t; block = c; }
      }
      for (let j = 0; j < 3; j++) x[j] += alpha * (xs[j] - x[j]);
      if (block >= 0) {
        if (work.length < 3) { work.push(block); continue; }
      }
      // At the working set's optimum: done when every multiplier is >= 0
      let worst = -tol, drop = -1;
      for (let q = 0; q < work.length; q++) if (mult[q] < worst) { worst = mult[q]; drop = q; }
      if (drop < 0) return;
      work.splice(drop, 1);
    }
  }
}

function sviFromInner(x: Float64Array, m: number, sigma: number): SviRaw {
  const [a, d, c] = x;
  const b = c / sigma;
  return { a, b, rho: c > 0 ? Math.max(-1 + 1e-12, Math.min(1 - 1e-12, d / c)) : 0, m, sigma };
}

/**
 * Fits raw SVI to total variances w[i] at log-moneyness k[i] (optional weights W >= 0).
 * Needs at least 5 points with positive weight at 3 or more distinct k.
 */
export function fitSviSlice(k: ArrayLike<number>, w: ArrayLike<number>, W?: ArrayLike<number>, opts: SviFitOptions = {}): SviSliceFit {
  const n = k.length;
  if (w.length !== n) throw new RangeError(`fitSviSlice: w has ${w.length} entries, k has ${n}`);
  if (W && W.length !== n) throw new RangeError(`fitSviSlice: weights have ${W.length} entries, k has ${n}`);
  const slopeMax = opts.slopeMax ?? 2;
  if (!(slopeMax > 0 && Number.isFinite(slopeMax))) throw new RangeError(`slopeMax must be a finite number > 0, got ${slopeMax}`);
  const kk: number[] = [], ww: number[] = [], WW: number[] = [];
  for (let i = 0; i < n; i++) {
    const wi = W ? W[i] : 1;
    if (!Number.isFinite(k[i])) throw new RangeError(`fitSviSlice: k[${i}] must be finite, got ${k[i]}`);
    if (!(Number.isFinite(w[i]) && w[i] >= 0)) throw new RangeError(`fitSviSlice: w[${i}] must be a finite total variance >= 0, got ${w[i]}`);
    if (!(Number.isFinite(wi) && wi >= 0)) throw new RangeError(`fitSviSlice: weight[${i}] must be finite and >= 0, got ${wi}`);
    if (wi > 0) { kk.push(k[i]); ww.push(w[i]); WW.push(wi); }
  }
  if (kk.length < 5 || new Set(kk).size < 3) {
    throw new RangeError(`fitSviSlice: need at least 5 weighted points at 3 or more distinct k, got ${kk.length} points at ${new Set(kk).size} k`);
  }
  let sw = 0;
  for (const v of WW) sw += v;
  const inner = new SviInnerSolver(Float64Array.from(kk), Float64Array.from(ww), Float64Array.from(WW, (v) => v / sw), slopeMax);
  let kMin = Infinity, kMax = -Infinity;
  for (const v of kk) { kMin = Math.min(kMin, v); kMax = Math.max(kMax, v); }
  const span = Math.max(kMax - kMin, 1e-4);
  // Coarse grid over (m, sigma) so the simplex starts in the right basin
  let best = Infinity, m0 = 0, s0 = 0.1;
  let evals = 0;
  for (let i = 0; i <= 6; i++) {
    const m = kMin + (span * i) / 6;
    for (const f of [0.01, 0.03, 0.1, 0.3, 1]) {
      const s = f * span;
      const v = inner.objective(m, s);
      evals++;
      if (v < best) { best = v; m0 = m; s0 = s; }
    }
  }
  const sMin = 1e-6 * span, sMax = 20 * span;
  const obj = (x: Float64Array): number => {
    const s = Math.exp(x[1]);
    if (!(s >= sMin && s <= sMax) || x[0] < kMin - 2 * span || x[0] > kMax + 2 * span) return Infinity;
    return inner.objective(x[0], s);
  };
  const res = nelderMead(obj, [m0, Math.log(s0)], {
    step: [span / 12, 0.5],
    fTol: 1e-16 * Math.max(inner.ww / sw, 1e-300),
    xTol: 1e-10,
    maxEvals: opts.maxEvals ?? 400,
  });
  evals += res.evals;
  const m = res.x[0], sigma = Math.exp(res.x[1]);
  const f = inner.objective(m, sigma);
  return { params: sviFromInner(inner.x, m, sigma), rmseW: Math.sqrt(f), evals };
}
