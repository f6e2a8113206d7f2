/**
 * Box-constrained Levenberg-Marquardt for small least-squares problems (hand-written: the quant
 * core's optimize.ts has BFGS and Nelder-Mead, no least-squares solver). Each step solves
 * (J'J + mu diag(J'J)) dx = -J'r by Cholesky, projects x + dx onto the box, and accepts it when
 * the sum of squares falls (mu / 3), else raises mu (x 4) and retries. Unknowns on a bound with
 * the descent direction pointing outward are held fixed for the step (an active set).
 */

/**
 * Residuals at x and, when `withJac`, their Jacobian (row-major m x n). Trial steps ask for the
 * residuals only; the Jacobian is asked for at accepted points.
 */
export type ResidualFn = (x: Float64Array, withJac: boolean) => { r: Float64Array; jac?: Float64Array };

/** Options. */
export interface LmOptions {
  maxIter?: number;
  /** Stop when a step lowers the sum of squares by less than this share. */
  ftol?: number;
  /** Stop when the largest step component is below this. */
  xtol?: number;
  mu0?: number;
}

/** Result: the minimiser, its sum of squares, counts and why it stopped. */
export interface LmResult {
  x: Float64Array;
  ss: number;
  iterations: number;
  evaluations: number;
  reason: 'ftol' | 'xtol' | 'maxIter' | 'mu';
}

function solveSpd(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) { if (!(s > 0)) return null; L[i * n + i] = Math.sqrt(s); } else L[i * n + j] = s / L[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) { let s = b[i]; for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k]; y[i] = s / L[i * n + i]; }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) { let s = y[i]; for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k]; x[i] = s / L[i * n + i]; }
  return x;
}

const sumSq = (r: Float64Array): number => r.reduce((a, v) => a + v * v, 0);

/** Minimises sum r(x)^2 over lo <= x <= hi from x0 (clamped into the box). */
export function levenbergMarquardt(f: ResidualFn, x0: ArrayLike<number>, lo: ArrayLike<number>, hi: ArrayLike<number>, opts: LmOptions = {}): LmResult {
  const n = x0.length;
  if (lo.length !== n || hi.length !== n) throw new RangeError(`bounds have ${lo.length}/${hi.length} entries for ${n} unknowns`);
  const maxIter = opts.maxIter ?? 100, ftol = opts.ftol ?? 1e-10, xtol = opts.xtol ?? 1e-8;
  const clamp = (v: Float64Array): Float64Array => v.map((z, i) => Math.min(hi[i], Math.max(lo[i], z)));
  let x = clamp(Float64Array.from(x0));
  const full = (v: Float64Array): { r: Float64Array; jac: Float64Array } => {
    const e = f(v, true);
    if (!e.jac || e.jac.length !== e.r.length * n) throw new RangeError(`the residual function must return an ${e.r.length} x ${n} Jacobian`);
    return { r: e.r, jac: e.jac };
  };
  let cur = full(x), ss = sumSq(cur.r), evaluations = 1, mu = opts.mu0 ?? 1e-3;
  const m = cur.r.length;
  for (let it = 1; it <= maxIter; it++) {
    const A = new Float64Array(n * n), g = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      const ri = cur.r[i];
      if (!Number.isFinite(ri)) continue;
      for (let a = 0; a < n; a++) {
        const ja = cur.jac[i * n + a];
        g[a] += ja * ri;
        for (let b = 0; b <= a; b++) A[a * n + b] += ja * cur.jac[i * n + b];
      }
    }
    for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) A[b * n + a] = A[a * n + b];
    // Unknowns on a bound whose descent direction points out of the box are held there.
    const held = Array.from({ length: n }, (_, a) => (x[a] <= lo[a] && g[a] > 0) || (x[a] >= hi[a] && g[a] < 0));
    for (;;) {
      const M = Float64Array.from(A);
      for (let a = 0; a < n; a++) M[a * n + a] += mu * Math.max(A[a * n + a], 1e-12);
      const rhs = g.map((v, a) => (held[a] ? 0 : -v));
      for (let a = 0; a < n; a++) {
        if (!held[a]) continue;
        for (let b = 0; b < n; b++) { M[a * n + b] = 0; M[b * n + a] = 0; }
        M[a * n + a] = 1;
      }
      const dx = solveSpd(M, rhs, n);
      if (!dx) { mu *= 4; if (mu > 1e12) return { x, ss, iterations: it, evaluations, reason: 'mu' }; continue; }
      const xn = clamp(x.map((v, i) => v + dx[i]));
      let step = 0;
      for (let i = 0; i < n; i++) step = Math.max(step, Math.abs(xn[i] - x[i]));
      if (step < xtol) return { x, ss, iterations: it, evaluations, reason: 'xtol' };
      const next = f(xn, false);
      evaluations++;
      const ssn = sumSq(next.r);
      if (ssn < ss) {
        const drop = (ss - ssn) / Math.max(ss, 1e-300);
        x = xn; ss = ssn; mu = Math.max(mu / 3, 1e-12);
        if (drop < ftol) return { x, ss, iterations: it, evaluations, reason: 'ftol' };
        cur = full(x);
        break;
      }
      mu *= 4;
      if (mu > 1e12) return { x, ss, iterations: it, evaluations, reason: 'mu' };
    }
  }
  return { x, ss, iterations: maxIter, evaluations, reason: 'maxIter' };
}
