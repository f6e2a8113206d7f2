/**
 * Running (streaming) level-3 signatures: one path (`RunningSignature`) or many paths at once in
 * one typed array (`BatchedRunningSignature`), each step applying Chen's identity
 * S <- S ⊗ exp(dx) in place with no allocation. Layout of each signature as in signature.ts.
 * Hand-written: no JS library offers signatures.
 */
import { checkDim, chenUpdate, signatureLength } from './signature.ts';

/** The running signature of one d-dimensional path, updated increment by increment. */
export class RunningSignature {
  /** Path dimension d. */
  readonly dim: number;
  /** The current signature (levels 1..3, d + d^2 + d^3 numbers); updated in place. */
  readonly values: Float64Array;

  /** Starts with the trivial signature (a path that has not moved). */
  constructor(dim: number) {
    checkDim(dim);
    this.dim = dim;
    this.values = new Float64Array(signatureLength(dim));
  }

  /** Extends the path by the straight increment dx[offset .. offset + dim). */
  update(dx: ArrayLike<number>, offset = 0): this {
    if (dx.length < offset + this.dim) throw new RangeError(`dx must hold ${this.dim} numbers from offset ${offset}, got length ${dx.length}`);
    chenUpdate(this.values, 0, dx, offset, this.dim);
    return this;
  }

  /** Back to the trivial signature. */
  reset(): this {
    this.values.fill(0);
    return this;
  }
}

/**
 * Running signatures of nPaths paths of dimension dim, stored path-major in `values`
 * (path p's signature is values[p L .. (p + 1) L), L = signatureLength(dim)). Each step takes
 * all paths' increments at once; dimension 2, the neural SDE's (t, X), has an unrolled kernel.
 */
export class BatchedRunningSignature {
  /** Path dimension d. */
  readonly dim: number;
  /** Number of paths. */
  readonly nPaths: number;
  /** Terms per signature, d + d^2 + d^3. */
  readonly length: number;
  /** All signatures, nPaths x length, path-major. */
  readonly values: Float64Array;

  /** nPaths trivial signatures of dimension dim. */
  constructor(nPaths: number, dim: number) {
    checkDim(dim);
    if (!(Number.isInteger(nPaths) && nPaths >= 1)) throw new RangeError(`nPaths must be a positive integer, got ${String(nPaths)}`);
    this.dim = dim;
    this.nPaths = nPaths;
    this.length = signatureLength(dim);
    this.values = new Float64Array(nPaths * this.length);
  }

  /** Path p's signature, as a view into `values` (no copy). */
  signature(p: number): Float64Array {
    if (!(Number.isInteger(p) && p >= 0 && p < this.nPaths)) throw new RangeError(`path index must be in 0..${this.nPaths - 1}, got ${p}`);
    return this.values.subarray(p * this.length, (p + 1) * this.length);
  }

  /** Extends every path p by the increment dx[p dim .. (p + 1) dim) (dx is nPaths x dim, path-major). */
  update(dx: Float64Array): void {
    const d = this.dim;
    if (dx.length !== this.nPaths * d) throw new RangeError(`dx must have length nPaths x dim = ${this.nPaths * d}, got ${dx.length}`);
    if (d === 2) {
      updateDim2(this.values, this.nPaths, dx, 2, 0, 2, 1);
      return;
    }
    const L = this.length;
    for (let p = 0; p < this.nPaths; p++) chenUpdate(this.values, p * L, dx, p * d, d);
  }

  /**
   * Time-augmented step: channel 0 of every path is time and moves by the common `dt`; the other
   * channels move by dy[p (dim - 1) .. (p + 1)(dim - 1)). For dim = 2 this is the path (t, X)
   * with dy the nPaths increments of X.
   */
  updateWithTime(dt: number, dy: Float64Array): void {
    const d = this.dim;
    if (d < 2) throw new RangeError('updateWithTime needs dim >= 2 (time plus at least one channel)');
    if (!Number.isFinite(dt)) throw new RangeError(`dt must be finite, got ${dt}`);
    const m = d - 1;
    if (dy.length !== this.nPaths * m) throw new RangeError(`dy must have length nPaths x (dim - 1) = ${this.nPaths * m}, got ${dy.length}`);
    if (d === 2) {
      updateDim2(this.values, this.nPaths, dy, 0, dt, 1, 0);
      return;
    }
    const L = this.length;
    const dx = new Float64Array(d);
    dx[0] = dt;
    for (let p = 0; p < this.nPaths; p++) {
      for (let i = 0; i < m; i++) dx[i + 1] = dy[p * m + i];
      chenUpdate(this.values, p * L, dx, 0, d);
    }
  }

  /** Back to nPaths trivial signatures. */
  reset(): void {
    this.values.fill(0);
  }
}

/**
 * Chen's update for d = 2, unrolled over the 14 terms. Path p's increment is
 * (x, y) = (xStride ? src[p xStride + xOff] : x0, src[p yStride + yOff]) — so one kernel serves
 * both a full nPaths x 2 increment array (xStride 2) and a shared time step x0 (xStride 0).
 */
function updateDim2(s: Float64Array, n: number, src: Float64Array, xStride: number, x0: number, yStride: number, yOff: number): void {
  const sixth = 1 / 6;
  for (let p = 0, o = 0; p < n; p++, o += 14) {
    const x = xStride === 0 ? x0 : src[p * xStride];
    const y = src[p * yStride + yOff];
    const a0 = s[o];
    const a1 = s[o + 1];
    // level 3: c_ijk += (b_ij + (a_i / 2 + dx_i / 6) dx_j) dx_k
    const h0 = 0.5 * a0 + sixth * x;
    const h1 = 0.5 * a1 + sixth * y;
    const c00 = s[o + 2] + h0 * x;
    const c01 = s[o + 3] + h0 * y;
    const c10 = s[o + 4] + h1 * x;
    const c11 = s[o + 5] + h1 * y;
    s[o + 6] += c00 * x;
    s[o + 7] += c00 * y;
    s[o + 8] += c01 * x;
    s[o + 9] += c01 * y;
    s[o + 10] += c10 * x;
    s[o + 11] += c10 * y;
    s[o + 12] += c11 * x;
    s[o + 13] += c11 * y;
    // level 2: b_ij += (a_i + dx_i / 2) dx_j
    const g0 = a0 + 0.5 * x;
    const g1 = a1 + 0.5 * y;
    s[o + 2] += g0 * x;
    s[o + 3] += g0 * y;
    s[o + 4] += g1 * x;
    s[o + 5] += g1 * y;
    s[o] = a0 + x;
    s[o + 1] = a1 + y;
  }
}
