/**
 * The seed's training loss on IV surfaces (in vol points, IV x 100): Huber of the error with
 * double weight on OTM puts, plus Sobolev-type penalties on the second differences of the error
 * along k (within each maturity) and along T (at each standardised moneyness). Penalising the
 * error's curvature rather than the prediction's leaves the true smile's curvature unbiased while
 * still punishing wiggles the target does not have.
 */
import { tf } from '../../src/tensor/backend.ts';
import { GRID_Z, N_K, N_T } from './grid.ts';

/** Loss weights. */
export interface LossConfig {
  /** Huber threshold in vol points. */
  huberDelta: number;
  /** Weight of OTM put points (z < -0.5) relative to the others. */
  putWeight: number;
  lambdaK: number;
  lambdaT: number;
}

/** Defaults: Huber 1 vol point, puts x2, penalties 0.1 each. */
export const DEFAULT_LOSS: LossConfig = { huberDelta: 1, putWeight: 2, lambdaK: 0.1, lambdaT: 0.1 };

/** Point weights in surface layout, normalised to mean 1. */
export function pointWeights(putWeight: number): Float32Array {
  const w = new Float32Array(N_T * N_K);
  for (let j = 0; j < N_T; j++) for (let i = 0; i < N_K; i++) w[j * N_K + i] = GRID_Z[i] < -0.5 ? putWeight : 1;
  const m = w.reduce((a, b) => a + b, 0) / w.length;
  return w.map((x) => x / m);
}

/** Scalar loss of predicted vs target surfaces (batch x N_T*N_K, IV units). */
export function surrogateLoss(pred: tf.Tensor2D, target: tf.Tensor2D, weights: tf.Tensor1D, c: LossConfig): tf.Scalar {
  return tf.tidy(() => {
    const e = tf.mul(tf.sub(pred, target), 100);
    const a = tf.abs(e);
    const quad = tf.minimum(a, c.huberDelta);
    const huber = tf.add(tf.mul(0.5, tf.square(quad)), tf.mul(c.huberDelta, tf.sub(a, quad)));
    let loss = tf.mean(tf.mul(huber, weights)) as tf.Scalar;
    const e3 = tf.reshape(e, [-1, N_T, N_K]);
    if (c.lambdaK > 0) {
      const dk = tf.add(tf.sub(tf.slice(e3, [0, 0, 2], [-1, -1, N_K - 2]), tf.mul(2, tf.slice(e3, [0, 0, 1], [-1, -1, N_K - 2]))), tf.slice(e3, [0, 0, 0], [-1, -1, N_K - 2]));
      loss = tf.add(loss, tf.mul(c.lambdaK, tf.mean(tf.square(dk))));
    }
    if (c.lambdaT > 0) {
      const dt = tf.add(tf.sub(tf.slice(e3, [0, 2, 0], [-1, N_T - 2, -1]), tf.mul(2, tf.slice(e3, [0, 1, 0], [-1, N_T - 2, -1]))), tf.slice(e3, [0, 0, 0], [-1, N_T - 2, -1]));
      loss = tf.add(loss, tf.mul(c.lambdaT, tf.mean(tf.square(dt))));
    }
    return loss;
  });
}
