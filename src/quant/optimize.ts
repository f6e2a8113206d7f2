/**
 * Small unconstrained minimisers for the project's fits: BFGS with central-difference gradients
 * and an Armijo backtracking line search, a central-difference Hessian and a symmetric
 * positive-definite inverse (used by the Heston-Nandi likelihood), and Nelder-Mead (re-exported
 * from nelder-mead.ts, used by the SVI and SSVI fits). Hand-written: no maintained JS library
 * offers these. Constraints are the caller's business (minimise over an unconstrained
 * reparametrisation).
 */

/** Objective: returns +Infinity (or NaN) where undefined; the minimisers treat that as "worse". */
export type Objective = (x: Float64Array) => number;

/** Outcome of a minimisation. */
export interface MinResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  /** Infinity norm of the last gradient (BFGS) or the simplex's value spread (Nelder-Mead). */
  gradNorm: number;
  converged: boolean;
  /** Why it stopped, in words. */
  message: string;
}

/** Settings shared by the minimisers. */
export interface MinOptions {
  maxIter?: number;
  /** Stop when the gradient's infinity norm is below this (BFGS). */
  gradTol?: number;
  /** Stop when an iteration improves f by less than this, relative to 1 + |f|. */
  fTol?: number;
}

function finiteOrInf(v: number): number {
  return Number.isFinite(v) ? v : Infinity;
}

/** Central-difference gradient with steps 1e-6 (1 + |x_i|) (about cube-root-of-epsilon accuracy). */
export function numericGradient(f: Objective, x: Float64Array, out: Float64Array, counter?: { n: number }): Float64Array {
  const xi = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const h = 1e-6 * (1 + Math.abs(x[i]));
    xi[i] = x[i] + h;
    const fp = f(xi);
    xi[i] = x[i] - h;
    const fm = f(xi);
    xi[i] = x[i];
    out[i] = (fp - fm) / (2 * h);
  }
  if (counter) counter.n += 2 * x.length;
  return out;
}

/** Central-difference Hessian with steps `rel` (1 + |x_i|) (default 1e-4). */
export function numericHessian(f: Objective, x: Float64Array, rel = 1e-4): Float64Array[] {
  const n = x.length;
  const H = Array.from({ length: n }, () => new Float64Array(n));
  const h = Float64Array.from(x, (v) => rel * (1 + Math.abs(v)));
  const y = Float64Array.from(x);
  const f0 = f(x);
  for (let i = 0; i < n; i++) {
    y[i] = x[i] + h[i];
    const fp = f(y);
    y[i] = x[i] - h[i];
    const fm = f(y);
    y[i] = x[i];
    H[i][i] = (fp - 2 * f0 + fm) / (h[i] * h[i]);
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (const [a, b] of [[1, 1], [1, -1], [-1, 1], [-1, -1]] as const) {
        y[i] = x[i] + a * h[i];
        y[j] = x[j] + b * h[j];
        s += a * b * f(y);
      }
      y[i] = x[i];
      y[j] = x[j];
      H[i][j] = H[j][i] = s / (4 * h[i] * h[j]);
    }
  }
  return H;
}

/** Inverse of a symmetric positive-definite matrix by Cholesky; null when it is not positive definite. */
export function invertSpd(A: Float64Array[]): Float64Array[] | null {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  // inverse of L, then L^-T L^-1
  const Li = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    Li[i][i] = 1 / L[i][i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i][k] * Li[k][j];
      Li[i][j] = s / L[i][i];
    }
  }
  const inv = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += Li[k][i] * Li[k][j];
      inv[i][j] = inv[j][i] = s;
    }
  }
  return inv;
}

/** |d2f/dx_i^2| by central differences with steps 1e-3 (1 + |x_i|), floored so it is never 0. */
function diagonalCurvature(f: Objective, x: Float64Array, f0: number): Float64Array {
  const y = Float64Array.from(x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const h = 1e-3 * (1 + Math.abs(x[i]));
    y[i] = x[i] + h;
    const fp = f(y);
    y[i] = x[i] - h;
    const fm = f(y);
    y[i] = x[i];
    const c = Math.abs((fp - 2 * f0 + fm) / (h * h));
    out[i] = Number.isFinite(c) && c > 1e-12 ? c : 1;
  }
  return out;
}

/**
 * BFGS on the inverse Hessian with numeric gradients, started from the inverse diagonal
 * curvature at x0.
 */
export function bfgs(f: Objective, x0: Float64Array, opts: MinOptions = {}): MinResult {
  const n = x0.length;
  const maxIter = opts.maxIter ?? 500;
  const gradTol = opts.gradTol ?? 1e-7;
  const fTol = opts.fTol ?? 1e-13;
  const counter = { n: 0 };
  const F: Objective = (x) => {
    counter.n++;
    return finiteOrInf(f(x));
  };
  let x = Float64Array.from(x0);
  let fx = F(x);
  if (!Number.isFinite(fx)) throw new RangeError(`the objective is not finite at the starting point [${Array.from(x0).join(', ')}]`);
  let g = numericGradient(F, x, new Float64Array(n));
  // Start from the inverse of the diagonal curvature, not the identity: likelihood coordinates can
  // differ in curvature by orders of magnitude (a risk premium's is ~ the daily variance), and
  // BFGS would spend most of its iterations learning that scale.
  const diag = diagonalCurvature(F, x, fx);
  const identityScaled = (): Float64Array[] =>
    Array.from({ length: n }, (_, i) => {
      const r = new Float64Array(n);
      r[i] = 1 / diag[i];
      return r;
    });
  let Hi = identityScaled();
  const d = new Float64Array(n);
  const xn = new Float64Array(n);
  const gn = new Float64Array(n);
  let it = 0;
  let stall = 0;
  let message = 'iteration limit reached';
  let converged = false;
  const norm = (v: Float64Array): number => v.reduce((m, a) => Math.max(m, Math.abs(a)), 0);
  for (; it < maxIter; it++) {
    if (norm(g) < gradTol) {
      converged = true;
      message = 'gradient below tolerance';
      break;
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s -= Hi[i][j] * g[j];
      d[i] = s;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += d[i] * g[i];
    if (!(slope < 0)) {
      // lost descent (numeric noise): restart from the scaled steepest descent
      Hi = identityScaled();
      slope = 0;
      for (let i = 0; i < n; i++) {
        d[i] = -g[i] / diag[i];
        slope += d[i] * g[i];
      }
    }
    let step = 1;
    let fn = Infinity;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < n; i++) xn[i] = x[i] + step * d[i];
      fn = F(xn);
      if (fn <= fx + 1e-4 * step * slope) break;
      step *= ls < 2 ? 0.5 : 0.25;
    }
    if (!(fn < fx)) {
      message = 'line search found no decrease';
      converged = norm(g) < 1e3 * gradTol;
      break;
    }
    numericGradient(F, xn, gn);
    // BFGS update of the inverse Hessian with s = xn - x, y = gn - g
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xn[i] - x[i];
      y[i] = gn[i] - g[i];
      sy += s[i] * y[i];
    }
    if (sy > 1e-300) {
      const Hy = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Hy[i] += Hi[i][j] * y[j];
      let yHy = 0;
      for (let i = 0; i < n; i++) yHy += y[i] * Hy[i];
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          Hi[i][j] += (1 + yHy * rho) * rho * s[i] * s[j] - rho * (Hy[i] * s[j] + s[i] * Hy[j]);
        }
      }
    }
    const improvement = fx - fn;
    x = Float64Array.from(xn);
    g = Float64Array.from(gn);
    fx = fn;
    if (improvement < fTol * (1 + Math.abs(fx))) {
      if (++stall >= 3) {
        converged = true;
        message = 'objective stopped improving';
        it++;
        break;
      }
    } else stall = 0;
  }
  return { x, f: fx, iterations: it, evaluations: counter.n, gradNorm: norm(g), converged, message };
}

export { nelderMead, type NelderMeadOptions, type NelderMeadResult } from './nelder-mead.ts';
