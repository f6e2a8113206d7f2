/**
 * Batched live inference of the deep hedger: one GRU step (network.ts's cell) for many positions
 * at once, as the live method does on every tick (method.ts: a preview of the current session's
 * step from each position's committed state).
 *
 * Two forms of the same step:
 * - `DeepHedgerBatch` (plain JS): the recurrent projection h Wh + bh of a committed state is
 *   computed once, when the state is committed (once per session), and kept; a tick then costs
 *   only the input projection of its 4 features and the gates, about 1/16 of a full step at H = 64.
 *   The result is the same step, not an approximation: gh depends on the committed state only.
 * - `previewRatiosTf` (tfjs): the full step as two matMuls over the batch, for a tensor backend
 *   (wasm, or a native/GPU one where installed); `recurrentProjectionTf` + `previewRatiosTfCached`
 *   split it the same way as the plain-JS batch (the projection once per committed state).
 */
import { N_FEATURES, featureRow, type HedgeFeatures } from './features.ts';
import type { PolicyArrays, TfPolicy } from './network.ts';
import { tf } from '../../src/tensor/backend.ts';
import { tanh } from '../../src/tensor/ops.ts';

/** Per-position committed states and their recurrent projections, for batched previews. */
export class DeepHedgerBatch {
  private readonly gh: Float64Array;
  private readonly states: Float64Array;
  private readonly H3: number;
  /** Per hidden unit, per gate (z, r, n): input bias then the N_FEATURES input weights (Wx, bx regrouped so a unit reads 15 neighbours). */
  private readonly wx: Float64Array;

  /** A batch of `size` positions over the policy, every state zero (as at inception). */
  constructor(readonly policy: PolicyArrays, readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`size must be an integer >= 1, got ${size}`);
    this.H3 = 3 * policy.hidden;
    this.gh = new Float64Array(size * this.H3);
    this.states = new Float64Array(size * policy.hidden);
    for (let i = 0; i < size; i++) this.gh.set(Float64Array.from(policy.bh), i * this.H3);
    if (N_FEATURES !== 4) throw new RangeError(`DeepHedgerBatch is written for 4 features, got ${N_FEATURES}`);
    const H = policy.hidden;
    this.wx = new Float64Array(H * 15);
    for (let j = 0; j < H; j++)
      for (let gate = 0; gate < 3; gate++) {
        const o = j * 15 + gate * 5, col = gate * H + j;
        this.wx[o] = policy.bx[col];
        for (let k = 0; k < N_FEATURES; k++) this.wx[o + 1 + k] = policy.Wx[k * this.H3 + col];
      }
  }

  /** Commits position i's state h (length H): its recurrent projection is computed now, once. */
  setState(i: number, h: ArrayLike<number>): void {
    const p = this.policy, H = p.hidden, H3 = this.H3;
    if (!(Number.isInteger(i) && i >= 0 && i < this.size)) throw new RangeError(`position index must be an integer in [0, ${this.size}), got ${i}`);
    if (h.length !== H) throw new RangeError(`state must have ${H} entries, got ${h.length}`);
    const gh = this.gh.subarray(i * H3, (i + 1) * H3);
    for (let j = 0; j < H3; j++) gh[j] = p.bh[j];
    for (let k = 0; k < H; k++) {
      const hk = h[k];
      this.states[i * H + k] = hk;
      if (hk === 0) continue;
      const row = k * H3;
      for (let j = 0; j < H3; j++) gh[j] += hk * p.Wh[row + j];
    }
  }

  /**
   * Ratios (calls, per unit) of positions 0..n-1 after one step with raw features x (n x
   * N_FEATURES, row-major), written into out; the committed states are left as they are.
   */
  preview(x: Float64Array, n: number, out: Float64Array = new Float64Array(n)): Float64Array {
    const p = this.policy, H = p.hidden, H3 = this.H3;
    if (!(Number.isInteger(n) && n >= 0 && n <= this.size)) throw new RangeError(`n must be an integer in [0, ${this.size}], got ${n}`);
    if (x.length < n * N_FEATURES) throw new RangeError(`x must hold ${n} x ${N_FEATURES} features, got ${x.length} numbers`);
    const w = this.wx, gh = this.gh, st = this.states, Wo = p.Wo;
    const m0 = p.inMean[0], m1 = p.inMean[1], m2 = p.inMean[2], m3 = p.inMean[3];
    const s0 = 1 / p.inSd[0], s1 = 1 / p.inSd[1], s2 = 1 / p.inSd[2], s3 = 1 / p.inSd[3];
    for (let i = 0; i < n; i++) {
      const xi = i * N_FEATURES;
      const x0 = (x[xi] - m0) * s0, x1 = (x[xi + 1] - m1) * s1, x2 = (x[xi + 2] - m2) * s2, x3 = (x[xi + 3] - m3) * s3;
      const g = i * H3, s = i * H;
      let ratio = p.bo;
      for (let j = 0, o = 0; j < H; j++, o += 15) {
        // Unit j's gates (z, r, n): bias then the 4 input weights each, contiguous (see the constructor).
        const xz = w[o] + x0 * w[o + 1] + x1 * w[o + 2] + x2 * w[o + 3] + x3 * w[o + 4];
        const xr = w[o + 5] + x0 * w[o + 6] + x1 * w[o + 7] + x2 * w[o + 8] + x3 * w[o + 9];
        const xn = w[o + 10] + x0 * w[o + 11] + x1 * w[o + 12] + x2 * w[o + 13] + x3 * w[o + 14];
        const z = 1 / (1 + Math.exp(-(xz + gh[g + j])));
        const r = 1 / (1 + Math.exp(-(xr + gh[g + H + j])));
        // tanh(u) = 2 / (1 + e^{-2u}) - 1: the same to rounding, and Math.tanh costs V8 about 1.6 exps.
        const nn = 2 / (1 + Math.exp(-2 * (xn + r * gh[g + 2 * H + j]))) - 1;
        ratio += (nn + z * (st[s + j] - nn)) * Wo[j];
      }
      out[i] = ratio;
    }
    return out;
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
