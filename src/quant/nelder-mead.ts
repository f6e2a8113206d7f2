/**
 * Nelder-Mead simplex minimisation (Nelder and Mead 1965, with the standard coefficients
 * reflection 1, expansion 2, contraction 1/2, shrink 1/2), for the project's few-parameter fits. Hand-written: no JS numerics library is a dependency of the project.
 */

/** Stopping rules and start simplex of nelderMead. */
export interface NelderMeadOptions {
  /** Initial step per coordinate (default 10% of |x0|, or 0.05 where x0 is 0). */
  step?: ArrayLike<number>;
  /** Stop when the simplex's function values differ by less than this (default 1e-12). */
  fTol?: number;
  /** ...and its vertices by less than this in every coordinate (default 1e-9). */
  xTol?: number;
  /** Function-evaluation budget (default 200 per dimension). */
  maxEvals?: number;
}

/** The best point found, its value and the work done. */
export interface NelderMeadResult {
  x: Float64Array;
  f: number;
  evals: number;
  converged: boolean;
}

/** Minimises f from x0 by the Nelder-Mead simplex method. Non-finite values count as +Infinity. */
export function nelderMead(f: (x: Float64Array) => number, x0: ArrayLike<number>, opts: NelderMeadOptions = {}): NelderMeadResult {
  const n = x0.length;
  if (n === 0) throw new RangeError('nelderMead: x0 must have at least one coordinate');
  const fTol = opts.fTol ?? 1e-12, xTol = opts.xTol ?? 1e-9, maxEvals = opts.maxEvals ?? 200 * n;
  let evals = 0;
  const ev = (x: Float64Array): number => {
    evals++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const pts: Float64Array[] = [];
  const fv = new Float64Array(n + 1);
  pts.push(Float64Array.from(x0));
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(x0);
    const s = opts.step?.[i] ?? (p[i] !== 0 ? 0.1 * Math.abs(p[i]) : 0.05);
    p[i] += s;
    pts.push(p);
  }
  for (let i = 0; i <= n; i++) fv[i] = ev(pts[i]);
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const cen = new Float64Array(n), xr = new Float64Array(n), xe = new Float64Array(n), xc = new Float64Array(n);
  let converged = false;
  while (evals < maxEvals) {
    order.sort((a, b) => fv[a] - fv[b]);
    const best = order[0], worst = order[n], second = order[n - 1];
    let spread = 0;
    for (let i = 1; i <= n; i++) for (let d = 0; d < n; d++) spread = Math.max(spread, Math.abs(pts[order[i]][d] - pts[best][d]));
    if (Math.abs(fv[worst] - fv[best]) <= fTol && spread <= xTol) {
      converged = true;
      break;
    }
    cen.fill(0);
    for (let i = 0; i < n; i++) for (let d = 0; d < n; d++) cen[d] += pts[order[i]][d] / n;
    for (let d = 0; d < n; d++) xr[d] = cen[d] + (cen[d] - pts[worst][d]);
    const fr = ev(xr);
    if (fr < fv[best]) {
      for (let d = 0; d < n; d++) xe[d] = cen[d] + 2 * (cen[d] - pts[worst][d]);
      const fe = ev(xe);
      if (fe < fr) { pts[worst].set(xe); fv[worst] = fe; } else { pts[worst].set(xr); fv[worst] = fr; }
      continue;
    }
    if (fr < fv[second]) { pts[worst].set(xr); fv[worst] = fr; continue; }
    // Contraction: outside when the reflection beat the worst point, inside otherwise
    const outside = fr < fv[worst];
    for (let d = 0; d < n; d++) xc[d] = outside ? cen[d] + 0.5 * (xr[d] - cen[d]) : cen[d] + 0.5 * (pts[worst][d] - cen[d]);
    const fc = ev(xc);
    if (fc < (outside ? fr : fv[worst])) { pts[worst].set(xc); fv[worst] = fc; continue; }
    for (let i = 1; i <= n; i++) {
      const p = pts[order[i]];
      for (let d = 0; d < n; d++) p[d] = pts[best][d] + 0.5 * (p[d] - pts[best][d]);
      fv[order[i]] = ev(p);
    }
  }
  let b = 0;
  for (let i = 1; i <= n; i++) if (fv[i] < fv[b]) b = i;
  return { x: Float64Array.from(pts[b]), f: fv[b], evals, converged };
}
