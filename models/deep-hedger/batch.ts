/**
 * Batched live inference of the deep hedger: one GRU step (network.ts's cell) for many positions
 * at once, as the live method does on every tick (method.ts: a preview of the current session's
 * step from each position's committed state).
 *
 * Two forms of the same step:
 * - `DeepHedgerBatch` (plain JS): positions by index over fast-step.ts's folded step; the
 *   recurrent projection of a committed state is computed once, when the state is committed
 *   (once per session), the vol and time terms when the vol moves, and a tick costs the price
 *   and log-return terms and the gates, with exponentials from fast-exp.ts's table. The same step,
 *   not an approximation (within 1e-12 of gruStep in the tests).
 * - `previewRatiosTf` (tfjs): the full step as two matMuls over the batch, for a tensor backend
 *   (wasm, or a native/GPU one where installed); `recurrentProjectionTf` + `previewRatiosTfCached`
 *   split it the same way as the plain-JS batch (the projection once per committed state).
 */
import { N_FEATURES, featureRow, type HedgeFeatures } from './features.ts';
import type { PolicyArrays, TfPolicy } from './network.ts';
import { FoldedGru, type FoldedState } from './fast-step.ts';
import { tf } from '../../src/tensor/backend.ts';
import { tanh } from '../../src/tensor/ops.ts';

/** Per-position committed states, folded for batched previews (fast-step.ts). */
export class DeepHedgerBatch {
  private readonly gru: FoldedGru;
  private readonly slots: FoldedState[];

  /** A batch of `size` positions over the policy, every state zero (as at inception). */
  constructor(readonly policy: PolicyArrays, readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`size must be an integer >= 1, got ${size}`);
    const gru = new FoldedGru(policy);
    this.gru = gru;
    this.slots = Array.from({ length: size }, () => gru.newState());
  }

  /** Commits position i's state h (length H): its recurrent projection is computed now, once. */
  setState(i: number, h: ArrayLike<number>): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.size)) throw new RangeError(`position index must be an integer in [0, ${this.size}), got ${i}`);
    this.gru.commit(this.slots[i], h);
  }

  /**
   * Ratios (calls, per unit) of positions 0..n-1 after one step with raw features x (n x
   * N_FEATURES, row-major), written into out; the committed states are left as they are.
   */
  preview(x: Float64Array, n: number, out: Float64Array = new Float64Array(n)): Float64Array {
    if (!(Number.isInteger(n) && n >= 0 && n <= this.size)) throw new RangeError(`n must be an integer in [0, ${this.size}], got ${n}`);
    if (x.length < n * N_FEATURES) throw new RangeError(`x must hold ${n} x ${N_FEATURES} features, got ${x.length} numbers`);
    if (out.length < n) throw new RangeError(`out must hold ${n} ratios, got ${out.length}`);
    return this.gru.preview(this.slots, x, n, out);
  }
}

/** Features of many positions as one row-major array (n x N_FEATURES); throws naming a non-finite field. */
export function featureRows(fs: readonly HedgeFeatures[], out: Float64Array = new Float64Array(fs.length * N_FEATURES)): Float64Array {
  for (let i = 0; i < fs.length; i++) featureRow(fs[i], out, i * N_FEATURES);
  return out;
}

/**
 * One full GRU step for a batch in tfjs: states h [B, H] and raw features x [B, N_FEATURES]
 * -> ratios [B]. Call inside tf.tidy or dispose the result.
 */
export function previewRatiosTf(p: TfPolicy, h: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => previewRatiosTfCached(p, recurrentProjectionTf(p, h), h, x));
}

/** The recurrent projection h Wh + bh [B, 3H] of committed states h [B, H]: once per committed state. */
export function recurrentProjectionTf(p: TfPolicy, h: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.matMul(h, p.vars.get('Wh')!), p.vars.get('bh')!) as tf.Tensor2D);
}

/**
 * One GRU step for a batch given the committed states' recurrent projections gh [B, 3H]
 * (recurrentProjectionTf), states h [B, H] and raw features x [B, N_FEATURES] -> ratios [B].
 * Call inside tf.tidy or dispose the result.
 */
export function previewRatiosTfCached(p: TfPolicy, gh: tf.Tensor2D, h: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const g = (k: 'Wx' | 'Wh' | 'bx' | 'bh' | 'Wo' | 'bo') => p.vars.get(k)!;
    const mean = tf.tensor1d(Float32Array.from(p.inMean));
    const inv = tf.tensor1d(Float32Array.from(p.inSd, (s) => 1 / s));
    const gx = tf.add(tf.matMul(tf.mul(tf.sub(x, mean), inv), g('Wx')), g('bx'));
    const [xz, xr, xn] = tf.split(gx, 3, 1);
    const [hz, hr, hn] = tf.split(gh, 3, 1);
    const z = tf.sigmoid(tf.add(xz, hz));
    const r = tf.sigmoid(tf.add(xr, hr));
    const n = tanh(tf.add(xn, tf.mul(r, hn)));
    const next = tf.add(n, tf.mul(z, tf.sub(h, n)));
    return tf.add(tf.matMul(next, g('Wo')), g('bo')).reshape([-1]) as tf.Tensor1D;
  });
}
