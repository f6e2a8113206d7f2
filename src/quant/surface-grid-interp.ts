/**
 * Grid-interpolation surface, after the seed's GridInterpVolSurface: quotes are binned to the
 * nearest node of a k x T grid, empty cells are filled linearly (Delaunay, in grid indices) and
 * then by nearest neighbour at the borders, and a spline (bicubic by default, bilinear on
 * request) passes through the grid. Outside the grid, predictions clamp to its border.
 *
 * One change from the seed: a cell's value is the local linear fit of its quotes evaluated at
 * the node, not their plain mean, so a border cell (half of whose area lies outside the data)
 * is not biased by half a cell's slope. With fewer than three quotes, or quotes all on a line,
 * it is their (weighted) mean.
 */
import { fillGrid } from './surface-delaunay.ts';
import { GridSpline } from './surface-spline.ts';
import { checkPoints, gridByPoints, predictArgs, type SurfaceFitter, type SurfaceGrid, type SurfacePoints, type VolSurface } from './surface-types.ts';

/** Options of the grid surface. */
export interface GridInterpOptions {
  /** k nodes (strictly increasing); default `nodes` evenly spaced over the quotes' k range. */
  kGrid?: ArrayLike<number>;
  /** T nodes (strictly increasing); default `nodes` evenly spaced over the quotes' T range. */
  TGrid?: ArrayLike<number>;
  /** Nodes per axis when a grid is not given (default 11, as the seed). */
  nodes?: number;
  /** Spline degree in k and in T: 3 (bicubic, default) or 1 (bilinear). */
  degree?: 1 | 3;
}

function axis(given: ArrayLike<number> | undefined, values: Float64Array, nodes: number, name: string): Float64Array {
  if (given) {
    const a = Float64Array.from(given);
    if (a.length === 0) throw new RangeError(`${name} must have at least one node`);
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) throw new RangeError(`${name}[${i}] must be finite, got ${a[i]}`);
      if (i > 0 && !(a[i] > a[i - 1])) throw new RangeError(`${name} must increase strictly, ${name}[${i}] = ${a[i]} after ${a[i - 1]}`);
    }
    return a;
  }
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (hi === lo) return Float64Array.of(lo);
  return Float64Array.from({ length: nodes }, (_, i) => lo + ((hi - lo) * i) / (nodes - 1));
}

/** Index of the node nearest to v (ties to the upper node, as numpy's digitize on midpoints). */
function nearestNode(nodes: Float64Array, v: number): number {
  let lo = 0, hi = nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (mid < nodes.length - 1 && v >= 0.5 * (nodes[mid] + nodes[mid + 1])) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** The cell value at the node: local linear fit of the cell's quotes, or their mean. */
function cellValue(dk: number[], dt: number[], v: number[], w: number[]): number {
  let sw = 0, sv = 0;
  for (let i = 0; i < v.length; i++) { sw += w[i]; sv += w[i] * v[i]; }
  const mean = sv / sw;
  if (v.length < 3) return mean;
  // Weighted normal equations of v = c0 + c1 dk + c2 dt, centred on the weighted means
  let mk = 0, mt = 0;
  for (let i = 0; i < v.length; i++) { mk += w[i] * dk[i]; mt += w[i] * dt[i]; }
  mk /= sw; mt /= sw;
  let skk = 0, stt = 0, skt = 0, skv = 0, stv = 0;
  for (let i = 0; i < v.length; i++) {
    const a = dk[i] - mk, b = dt[i] - mt, c = v[i] - mean;
    skk += w[i] * a * a; stt += w[i] * b * b; skt += w[i] * a * b; skv += w[i] * a * c; stv += w[i] * b * c;
  }
  const det = skk * stt - skt * skt;
  if (!(det > 1e-9 * Math.max(skk * stt, 1e-300))) return mean; // all on a line or a point
  const c1 = (skv * stt - stv * skt) / det, c2 = (stv * skk - skv * skt) / det;
  return mean - c1 * mk - c2 * mt;
}

/** A fitted grid surface: the filled grid and its spline. */
export class GridInterpSurface implements VolSurface {
  readonly method = 'grid';
  private readonly spline: GridSpline;

  /** grid.iv[j * nk + i] is the filled value at (grid.k[i], grid.T[j]). */
  constructor(readonly grid: SurfaceGrid, readonly degree: 1 | 3) {
    this.spline = new GridSpline(grid.k, grid.T, grid.iv, degree);
  }

  /** Spline values at the points, clamped to the grid. */
  predict(k: ArrayLike<number>, T: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = predictArgs(k, T, out);
    for (let i = 0; i < k.length; i++) o[i] = this.spline.at(k[i], T[i]);
    return o;
  }

  /** Spline values on the grid k x T. */
  predictGrid(k: ArrayLike<number>, T: ArrayLike<number>): SurfaceGrid {
    return gridByPoints(this, k, T);
  }
}

/** Fits a GridInterpSurface. NaN vols are treated as missing quotes. */
export function fitGridInterp(points: SurfacePoints, opts: GridInterpOptions = {}): GridInterpSurface {
  const p = checkPoints(points);
  const degree = opts.degree ?? 3;
  if (degree !== 1 && degree !== 3) throw new RangeError(`degree must be 1 or 3, got ${String(degree)}`);
  const nodes = opts.nodes ?? 11;
  if (!(Number.isInteger(nodes) && nodes >= 2)) throw new RangeError(`nodes must be an integer >= 2, got ${nodes}`);
  const kk: number[] = [], tt: number[] = [], vv: number[] = [], ww: number[] = [];
  for (let i = 0; i < p.n; i++) {
    if (Number.isNaN(p.iv[i]) || p.weight[i] === 0) continue;
    kk.push(p.k[i]); tt.push(p.T[i]); vv.push(p.iv[i]); ww.push(p.weight[i]);
  }
  if (vv.length === 0) throw new RangeError('points: no finite vol with a positive weight to fit');
  const kg = axis(opts.kGrid, Float64Array.from(kk), nodes, 'kGrid');
  const tg = axis(opts.TGrid, Float64Array.from(tt), nodes, 'TGrid');
  const nk = kg.length, nt = tg.length;
  const cells = Array.from({ length: nk * nt }, () => ({ dk: [] as number[], dt: [] as number[], v: [] as number[], w: [] as number[] }));
  for (let i = 0; i < vv.length; i++) {
    const a = nearestNode(kg, kk[i]), b = nearestNode(tg, tt[i]);
    const c = cells[b * nk + a];
    c.dk.push(kk[i] - kg[a]); c.dt.push(tt[i] - tg[b]); c.v.push(vv[i]); c.w.push(ww[i]);
  }
  const z = new Float64Array(nk * nt);
  for (let c = 0; c < z.length; c++) z[c] = cells[c].v.length ? cellValue(cells[c].dk, cells[c].dt, cells[c].v, cells[c].w) : NaN;
  fillGrid(z, nk);
  return new GridInterpSurface({ k: kg, T: tg, iv: z }, degree);
}

/** The grid fitter behind the common interface. */
export function gridInterpFitter(opts: GridInterpOptions = {}): SurfaceFitter<GridInterpSurface> {
  return { fit: (points) => fitGridInterp(points, opts) };
}
