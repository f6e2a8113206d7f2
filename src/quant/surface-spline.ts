/**
 * Interpolating splines on a rectangular grid, as FITPACK's RectBivariateSpline with s = 0 (the
 * seed's grid surface): degree 1 (bilinear) or degree 3, whose s = 0 knots make each axis a
 * not-a-knot cubic spline. The bicubic surface is the tensor product: cubic in k along each
 * maturity row, then a cubic in T through the row values. Outside the grid the point is clamped
 * to the border, as FITPACK's evaluator does.
 *
 * Hand-written numerics (no JS library offers these splines).
 */

/**
 * Node slopes of the not-a-knot cubic spline through (x[i], y[i]) (x strictly increasing).
 * Fewer than 4 nodes: the interpolating polynomial's slopes (parabola, line, constant).
 */
export function notAKnotSlopes(x: ArrayLike<number>, y: ArrayLike<number>, out: Float64Array = new Float64Array(x.length)): Float64Array {
  const n = x.length;
  if (n === 1) { out[0] = 0; return out; }
  if (n === 2) { out[0] = out[1] = (y[1] - y[0]) / (x[1] - x[0]); return out; }
  if (n === 3) {
    const d1 = (y[1] - y[0]) / (x[1] - x[0]), d2 = (y[2] - y[1]) / (x[2] - x[1]);
    const c = (d2 - d1) / (x[2] - x[0]); // the parabola's second divided difference
    out[0] = d1 - c * (x[1] - x[0]);
    out[1] = d1 + c * (x[1] - x[0]);
    out[2] = d2 + c * (x[2] - x[1]);
    return out;
  }
  // Tridiagonal system for the slopes s (de Boor's formulation, as MATLAB's spline.m)
  const dx = new Float64Array(n - 1), dd = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) { dx[i] = x[i + 1] - x[i]; dd[i] = (y[i + 1] - y[i]) / dx[i]; }
  const lo = new Float64Array(n), di = new Float64Array(n), up = new Float64Array(n), b = new Float64Array(n);
  const x31 = x[2] - x[0];
  di[0] = dx[1]; up[0] = x31;
  b[0] = ((dx[0] + 2 * x31) * dx[1] * dd[0] + dx[0] * dx[0] * dd[1]) / x31;
  for (let i = 1; i < n - 1; i++) {
    lo[i] = dx[i]; di[i] = 2 * (dx[i - 1] + dx[i]); up[i] = dx[i - 1];
    b[i] = 3 * (dx[i] * dd[i - 1] + dx[i - 1] * dd[i]);
  }
  const xn = x[n - 1] - x[n - 3];
  lo[n - 1] = xn; di[n - 1] = dx[n - 3];
  b[n - 1] = (dx[n - 2] * dx[n - 2] * dd[n - 3] + (2 * xn + dx[n - 2]) * dx[n - 3] * dd[n - 2]) / xn;
  // Thomas algorithm
  for (let i = 1; i < n; i++) {
    const m = lo[i] / di[i - 1];
    di[i] -= m * up[i - 1];
    b[i] -= m * b[i - 1];
  }
  out[n - 1] = b[n - 1] / di[n - 1];
  for (let i = n - 2; i >= 0; i--) out[i] = (b[i] - up[i] * out[i + 1]) / di[i];
  return out;
}

/** Index i of the interval [x[i], x[i+1]] holding t (x ascending, t clamped inside). */
export function interval(x: ArrayLike<number>, t: number): number {
  let lo = 0, hi = x.length - 1;
  if (hi <= 0) return 0;
  if (t <= x[0]) return 0;
  if (t >= x[hi]) return hi - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= t) lo = mid; else hi = mid;
  }
  return lo;
}

/** Cubic Hermite (degree 3) or linear (degree 1) evaluation of a 1-D spline at t, clamped. */
export function evalSpline1d(x: ArrayLike<number>, y: ArrayLike<number>, s: ArrayLike<number> | null, t: number): number {
  const n = x.length;
  if (n === 1) return y[0];
  const tc = Math.min(x[n - 1], Math.max(x[0], t));
  const i = interval(x, tc);
  const h = x[i + 1] - x[i], u = (tc - x[i]) / h;
  if (s === null) return y[i] + u * (y[i + 1] - y[i]);
  const u2 = u * u, u3 = u2 * u;
  return (2 * u3 - 3 * u2 + 1) * y[i] + (u3 - 2 * u2 + u) * h * s[i] + (-2 * u3 + 3 * u2) * y[i + 1] + (u3 - u2) * h * s[i + 1];
}

/** A tensor-product interpolating spline through values z[j * nx + i] at (x[i], y[j]). */
export class GridSpline {
  private readonly rowSlopes: Float64Array[] | null;
  private readonly col = new Float64Array(0);
  private readonly colSlopes: Float64Array;

  /** degree 1 (bilinear) or 3 (not-a-knot bicubic); x and y strictly increasing. */
  constructor(
    readonly x: Float64Array,
    readonly y: Float64Array,
    readonly z: Float64Array,
    readonly degree: 1 | 3,
  ) {
    if (degree !== 1 && degree !== 3) throw new RangeError(`spline degree must be 1 or 3, got ${String(degree)}`);
    if (z.length !== x.length * y.length) throw new RangeError(`grid values have ${z.length} entries, need ${x.length} x ${y.length}`);
    for (const [name, a] of [['x', x], ['y', y]] as const) {
      if (a.length === 0) throw new RangeError(`spline ${name} nodes are empty`);
      for (let i = 1; i < a.length; i++) if (!(a[i] > a[i - 1])) throw new RangeError(`spline ${name} nodes must increase strictly (index ${i})`);
    }
    const nx = x.length;
    this.rowSlopes = degree === 3 ? Array.from({ length: y.length }, (_, j) => notAKnotSlopes(x, z.subarray(j * nx, (j + 1) * nx))) : null;
    this.col = new Float64Array(y.length);
    this.colSlopes = new Float64Array(y.length);
  }

  /** The spline's value at (t, u), clamped to the grid. */
  at(t: number, u: number): number {
    const nx = this.x.length, ny = this.y.length;
    if (this.degree === 1) {
      // Bilinear: only the two rows around u matter
      const j = interval(this.y, Math.min(this.y[ny - 1], Math.max(this.y[0], u)));
      const r0 = evalSpline1d(this.x, this.z.subarray(j * nx, (j + 1) * nx), null, t);
      if (ny === 1) return r0;
      const r1 = evalSpline1d(this.x, this.z.subarray((j + 1) * nx, (j + 2) * nx), null, t);
      const uc = Math.min(this.y[j + 1], Math.max(this.y[j], u));
      return r0 + ((uc - this.y[j]) / (this.y[j + 1] - this.y[j])) * (r1 - r0);
    }
    for (let j = 0; j < ny; j++) this.col[j] = evalSpline1d(this.x, this.z.subarray(j * nx, (j + 1) * nx), this.rowSlopes![j], t);
    notAKnotSlopes(this.y, this.col, this.colSlopes);
    return evalSpline1d(this.y, this.col, this.colSlopes, u);
  }
}
