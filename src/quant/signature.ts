/**
 * Path signatures truncated at level 3, hand-written (no JS library offers them).
 *
 * The signature of a path X: [0, T] -> R^d is the sequence of its iterated integrals
 * S^{i1..ik} = int_{0<u1<..<uk<T} dX^{i1}_{u1} .. dX^{ik}_{uk}; level 0 is the constant 1 and is
 * not stored. A truncated signature of dimension d is one flat Float64Array of
 * d + d^2 + d^3 numbers: level 1 (index i), then level 2 (d + i d + j), then level 3
 * (d + d^2 + (i d + j) d + k), the last letter varying fastest. That is iisignature's `sig(path, 3)`
 * layout and esig's `stream2sig(path, 3)` without its leading 1. For the time-augmented path
 * (t, X) of the neural SDE, d = 2 and the 14 numbers are t, X, tt, tX, Xt, XX, ttt, ..., XXX.
 *
 * A piecewise-linear path is built segment by segment with Chen's identity: the signature of
 * the path extended by an increment dx is S ⊗ exp(dx), where exp(dx) has levels dx,
 * dx⊗dx/2, dx⊗dx⊗dx/6; the update costs O(d^3) and allocates nothing.
 */

const SIXTH = 1 / 6;

/** The number of stored terms of a level-3 signature of a d-dimensional path: d + d^2 + d^3. */
export function signatureLength(dim: number): number {
  checkDim(dim);
  return dim + dim * dim + dim * dim * dim;
}

/** Throws unless `dim` is a positive integer of a sensible size (a level-3 signature is O(d^3)). */
export function checkDim(dim: number): void {
  if (!(Number.isInteger(dim) && dim >= 1 && dim <= 64)) {
    throw new RangeError(`signature dimension must be an integer in [1, 64], got ${String(dim)}`);
  }
}

/**
 * In place: sig[off .. off + signatureLength(d)) becomes sig ⊗ exp(dx), dx being
 * dx[dxOff .. dxOff + d). The level-3 term of the product is
 * c_ijk + b_ij dx_k + a_i dx_j dx_k / 2 + dx_i dx_j dx_k / 6, computed as
 * c_ijk + (b_ij + (a_i / 2 + dx_i / 6) dx_j) dx_k with levels updated from the top down so that
 * each reads the old lower levels.
 */
export function chenUpdate(sig: Float64Array, off: number, dx: ArrayLike<number>, dxOff: number, d: number): void {
  const o2 = off + d;
  const o3 = o2 + d * d;
  for (let i = 0; i < d; i++) {
    const a = sig[off + i];
    const xi = dx[dxOff + i];
    const h3 = 0.5 * a + SIXTH * xi;
    const h2 = a + 0.5 * xi;
    for (let j = 0; j < d; j++) {
      const ij = o2 + i * d + j;
      const xj = dx[dxOff + j];
      const coef = sig[ij] + h3 * xj;
      const base = o3 + (i * d + j) * d;
      for (let k = 0; k < d; k++) sig[base + k] += coef * dx[dxOff + k];
      sig[ij] += h2 * xj;
    }
  }
  for (let i = 0; i < d; i++) sig[off + i] += dx[dxOff + i];
}

/**
 * The signature of the piecewise-linear path through `points` (nPoints rows of `dim`
 * coordinates, row-major); written into `out` (length signatureLength(dim)) and returned.
 * A path of one point has the trivial signature (all stored terms 0).
 */
export function pathSignature(points: ArrayLike<number>, dim: number, out?: Float64Array): Float64Array {
  const len = signatureLength(dim);
  if (points.length === 0 || points.length % dim !== 0) {
    throw new RangeError(`points must hold a positive whole number of ${dim}-dimensional rows, got length ${points.length}`);
  }
  const sig = out ?? new Float64Array(len);
  if (sig.length !== len) throw new RangeError(`out must have length ${len}, got ${sig.length}`);
  sig.fill(0);
  const dx = new Float64Array(dim);
  const n = points.length / dim;
  for (let p = 1; p < n; p++) {
    for (let i = 0; i < dim; i++) {
      dx[i] = points[p * dim + i] - points[(p - 1) * dim + i];
      if (!Number.isFinite(dx[i])) throw new RangeError(`points: row ${p - 1} or ${p}, coordinate ${i} is not finite`);
    }
    chenUpdate(sig, 0, dx, 0, dim);
  }
  return sig;
}

/**
 * The signature of `dx` as a straight segment: exp(dx) truncated at level 3
 * (levels dx, dx⊗dx/2!, dx⊗dx⊗dx/3!).
 */
export function segmentSignature(dx: ArrayLike<number>, out?: Float64Array): Float64Array {
  const d = dx.length;
  const sig = out ?? new Float64Array(signatureLength(d));
  if (sig.length !== signatureLength(d)) throw new RangeError(`out must have length ${signatureLength(d)}, got ${sig.length}`);
  sig.fill(0);
  chenUpdate(sig, 0, dx, 0, d);
  return sig;
}

/**
 * Chen's product: the signature of path a followed by path b, from their signatures
 * (level 1 a1 + b1; level 2 a2 + a1⊗b1 + b2; level 3 a3 + a2⊗b1 + a1⊗b2 + b3).
 * `out` may not alias `a` or `b`.
 */
export function concatSignatures(a: Float64Array, b: Float64Array, dim: number, out?: Float64Array): Float64Array {
  const len = signatureLength(dim);
  if (a.length !== len || b.length !== len) throw new RangeError(`signatures must have length ${len} for dimension ${dim}, got ${a.length} and ${b.length}`);
  const c = out ?? new Float64Array(len);
  if (c === a || c === b) throw new RangeError('out must not alias an input signature');
  const d = dim;
  const o2 = d;
  const o3 = d + d * d;
  for (let i = 0; i < d; i++) c[i] = a[i] + b[i];
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) c[o2 + i * d + j] = a[o2 + i * d + j] + a[i] * b[j] + b[o2 + i * d + j];
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const a2 = a[o2 + i * d + j];
      for (let k = 0; k < d; k++) {
        const ijk = o3 + (i * d + j) * d + k;
        c[ijk] = a[ijk] + a2 * b[k] + a[i] * b[o2 + j * d + k] + b[ijk];
      }
    }
  }
  return c;
}

/** Index of the word (i) in a signature of dimension d (letters 0-based). */
export function wordIndex(dim: number, ...letters: number[]): number {
  for (const l of letters) {
    if (!(Number.isInteger(l) && l >= 0 && l < dim)) throw new RangeError(`letter ${l} is outside 0..${dim - 1}`);
  }
  switch (letters.length) {
    case 1:
      return letters[0];
    case 2:
      return dim + letters[0] * dim + letters[1];
    case 3:
      return dim + dim * dim + (letters[0] * dim + letters[1]) * dim + letters[2];
    default:
      throw new RangeError(`words have 1 to 3 letters at truncation level 3, got ${letters.length}`);
  }
}
