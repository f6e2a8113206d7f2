/**
 * Chen's identity for the running level-3 signature of the path (t, X), as one matrix product
 * so that it runs inside a tfjs graph (differentiable in the increments of X).
 *
 * With a fixed time step dt, S ⊗ exp((dt, y)) is affine in S and a polynomial in y:
 * S_new = S A0 + y S A1 + y^2 S A2 + E0 + y E1 + y^2 E2 + y^3 E3 (the level-3 term
 * a_i dx_j dx_k / 2 makes S's coefficient quadratic in y, the segment's own exp(dx) is cubic).
 * The matrices are read off the quant core's chenUpdate (src/quant/signature.ts, same layout:
 * t, X, tt, tX, Xt, XX, ttt, ..., XXX) by applying it to basis signatures at y = 0, 1, -1, 2 and
 * solving the 4 x 4 Vandermonde system, so the two implementations cannot drift apart.
 * Hand-written: no JS library offers signatures.
 */
import { chenUpdate } from '../../src/quant/signature.ts';
import { tf } from '../../src/tensor/backend.ts';

/** Terms of a level-3 signature of a 2-dimensional path. */
export const SIG_LEN = 14;
/** Indices of the pure-time words t, tt, ttt (deterministic, so given zero weight in the loss). */
export const PURE_TIME = [0, 2, 6] as const;
/** Rows of the step matrix: S, y S, y^2 S, then 1, y, y^2, y^3. */
export const STEP_ROWS = 3 * SIG_LEN + 4;

/**
 * The (3 * 14 + 4) x 14 matrix W (row-major) with S ⊗ exp((dt, y)) = [S, y S, y^2 S, 1, y, y^2, y^3] W.
 */
export function chenStepMatrix(dt: number): Float64Array {
  if (!(Number.isFinite(dt) && dt > 0)) throw new RangeError(`dt must be a finite number > 0, got ${dt}`);
  const ys = [0, 1, -1, 2];
  const apply = (s: Float64Array, y: number): Float64Array => {
    const out = Float64Array.from(s);
    chenUpdate(out, 0, [dt, y], 0, 2);
    return out;
  };
  // Inverse of the Vandermonde matrix V[a][d] = ys[a]^d, by Gauss-Jordan (4 x 4, well conditioned).
  const inv = invert4(ys.map((y) => [1, y, y * y, y * y * y]));
  const coef = (vals: Float64Array[], d: number, k: number): number => vals.reduce((acc, v, a) => acc + inv[d][a] * v[k], 0);
  const W = new Float64Array(STEP_ROWS * SIG_LEN);
  const zero = new Float64Array(SIG_LEN);
  const e = ys.map((y) => apply(zero, y));
  for (let i = 0; i < SIG_LEN; i++) {
    const basis = new Float64Array(SIG_LEN);
    basis[i] = 1;
    const a = ys.map((y, j) => apply(basis, y).map((v, k) => v - e[j][k]));
    for (let d = 0; d < 3; d++) for (let k = 0; k < SIG_LEN; k++) W[(d * SIG_LEN + i) * SIG_LEN + k] = coef(a, d, k);
  }
  for (let d = 0; d < 4; d++) for (let k = 0; k < SIG_LEN; k++) W[(3 * SIG_LEN + d) * SIG_LEN + k] = coef(e, d, k);
  return W;
}

function invert4(m: number[][]): number[][] {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    const piv = a[c][c];
    for (let j = 0; j < 2 * n; j++) a[c][j] /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c];
      for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row) => row.slice(n));
}

/**
 * One Chen step of a batch of running signatures in tfjs: sig [B, 14], y [B, 1] (the increments
 * of X), W the tensor of chenStepMatrix(dt); returns the new [B, 14] signatures.
 */
export function chenStepTf(sig: tf.Tensor2D, y: tf.Tensor2D, W: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const y2 = tf.mul(y, y);
    const feats = tf.concat([sig, tf.mul(sig, y), tf.mul(sig, y2), tf.onesLike(y), y, y2, tf.mul(y2, y)], 1);
    return tf.matMul(feats, W) as tf.Tensor2D;
  });
}
