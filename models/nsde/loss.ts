/**
 * The training loss: generated paths' expected running signatures matched to real ones, each
 * component at each step scaled by its real standard deviation, the pure-time words (t, tt, ttt)
 * given zero weight, plus lambda ((mean V_fake - mean V_real) / mean V_real)^2 against the Jensen
 * bias of exponentiating X (relative, so that lambda = 10 weighs a 1% miss as 1e-3; the seed's
 * absolute form would be invisible at V of about 0.04).
 *
 * Each real start is simulated twice with independent noise (halves a and b) and the squares are
 * taken as products (f_a - r)(f_b - r): unbiased for (E f - r)^2, where (f - r)^2 would add
 * Var(f) / B and so reward a generator for having less variance.
 */
import { tf } from '../../src/tensor/backend.ts';
import { PURE_TIME, SIG_LEN } from './signature-step.ts';
import type { Rollout } from './simulate.ts';

/** Per-component weights: 1, but 0 on the pure-time words. */
export function signatureMask(): Float32Array {
  const m = new Float32Array(SIG_LEN).fill(1);
  for (const i of PURE_TIME) m[i] = 0;
  return m;
}

/** Constant tensors of the loss: real sd per step and component [steps, 14] (zeros where constant) and the mask. */
export interface LossContext {
  invSd: tf.Tensor2D;
  mask: tf.Tensor1D;
  lambda: number;
  /** Number of weighted terms (steps x non-pure-time words), the divisor. */
  terms: number;
}

/** Builds the loss context from the real sd (steps x 14, row-major). */
export function lossContext(sd: Float64Array, steps: number, lambda: number): LossContext {
  const mask = signatureMask();
  const inv = Float32Array.from(sd, (s, i) => (mask[i % SIG_LEN] > 0 && s > 0 ? 1 / s : 0));
  return { invSd: tf.tensor2d(inv, [steps, SIG_LEN]), mask: tf.tensor1d(mask), lambda, terms: steps * mask.reduce((a, v) => a + v, 0) };
}

/**
 * The loss of a rollout of 2B paths (halves a, b from the same B starts) against the real batch's
 * mean running signatures [steps, 14] and mean V over its simulated steps. Returns the signature
 * term and the mean penalty separately (scalars).
 */
export function nsdeLoss(ctx: LossContext, r: Rollout, realSig: tf.Tensor2D, realMeanV: number): { sig: tf.Scalar; mean: tf.Scalar } {
  const steps = r.lossSigs.length;
  const all = tf.stack(r.lossSigs) as tf.Tensor3D; // [steps, 2B, 14]
  const half = all.shape[1] / 2;
  const ea = tf.mean(tf.slice(all, [0, 0, 0], [steps, half, SIG_LEN]), 1);
  const eb = tf.mean(tf.slice(all, [0, half, 0], [steps, half, SIG_LEN]), 1);
  const da = tf.mul(tf.sub(ea, realSig), ctx.invSd);
  const db = tf.mul(tf.sub(eb, realSig), ctx.invSd);
  const sig = tf.div(tf.sum(tf.mul(da, db)), ctx.terms) as tf.Scalar;
  const v = tf.exp(tf.concat(r.xs, 1)); // [2B, steps]
  const va = tf.mean(tf.slice(v, [0, 0], [half, steps]));
  const vb = tf.mean(tf.slice(v, [half, 0], [half, steps]));
  const mean = tf.mul(ctx.lambda / (realMeanV * realMeanV), tf.mul(tf.sub(va, realMeanV), tf.sub(vb, realMeanV))) as tf.Scalar;
  return { sig, mean };
}

/** Frees the context's tensors. */
export function disposeLossContext(ctx: LossContext): void {
  ctx.invSd.dispose();
  ctx.mask.dispose();
}
