/**
 * The policy: a GRU (4 inputs, hidden 64) and a linear head giving the hedge ratio at each
 * rebalancing date, the inputs first standardised by the training set's means and deviations.
 * Cell (gates in the order z, r, n along the 3H columns of Wx and Wh):
 *   z = sigmoid(x Wx_z + bx_z + h Wh_z + bh_z),  r = sigmoid(x Wx_r + bx_r + h Wh_r + bh_r),
 *   n = tanh(x Wx_n + bx_n + r * (h Wh_n + bh_n)),  h' = (1 - z) n + z h,  ratio = h' Wo + bo.
 * Two implementations of the same cell: tfjs ops for training (batched over paths, unrolled over
 * dates) and plain JS for live inference per position (gruStep), which the tests hold equal.
 */
import { randomStream } from '../../src/quant/mc-random.ts';
import { tf } from '../../src/tensor/backend.ts';
import { tanh } from '../../src/tensor/ops.ts';
import { N_FEATURES } from './features.ts';

/** The seed's hidden size. */
export const DEFAULT_HIDDEN = 64;

/** Plain arrays of a policy (what weights.json holds, decoded). */
export interface PolicyArrays {
  hidden: number;
  /** Input standardisation: (x - inMean) / inSd per feature. */
  inMean: Float64Array;
  inSd: Float64Array;
  /** N_FEATURES x 3H, row-major. */
  Wx: Float32Array;
  /** H x 3H, row-major. */
  Wh: Float32Array;
  bx: Float32Array;
  bh: Float32Array;
  /** H. */
  Wo: Float32Array;
  bo: number;
}

/** The trainable tensors of a policy. */
export interface TfPolicy {
  hidden: number;
  inMean: Float64Array;
  inSd: Float64Array;
  vars: Map<'Wx' | 'Wh' | 'bx' | 'bh' | 'Wo' | 'bo', tf.Variable>;
}

let created = 0;

/**
 * A fresh policy: GRU weights uniform on +-1/sqrt(H) (the usual GRU initialisation), the head
 * small, its bias 0.5 (a constant half hedge, the at-the-money delta's neighbourhood).
 */
export function initPolicyArrays(hidden: number, seed: number, inMean: Float64Array, inSd: Float64Array): PolicyArrays {
  if (!(Number.isInteger(hidden) && hidden >= 1 && hidden <= 1024)) throw new RangeError(`hidden must be an integer in [1, 1024], got ${hidden}`);
  const rng = randomStream(seed, 3);
  const a = 1 / Math.sqrt(hidden);
  const fill = (n: number, scale: number): Float32Array => Float32Array.from({ length: n }, () => (2 * rng.uniform() - 1) * scale);
  const H3 = 3 * hidden;
  return {
    hidden, inMean: Float64Array.from(inMean), inSd: Float64Array.from(inSd),
    Wx: fill(N_FEATURES * H3, a), Wh: fill(hidden * H3, a), bx: fill(H3, a), bh: fill(H3, a), Wo: fill(hidden, 0.1 * a), bo: 0.5,
  };
}

/** tfjs variables holding a copy of the arrays. */
export function toTfPolicy(p: PolicyArrays): TfPolicy {
  const H3 = 3 * p.hidden;
  const id = ++created;
  const v = (name: string, data: Float32Array, shape: number[]) => tf.variable(tf.tensor(data, shape), true, `deep-hedger/${id}/${name}`);
  return {
    hidden: p.hidden, inMean: p.inMean, inSd: p.inSd,
    vars: new Map([
      ['Wx', v('Wx', p.Wx, [N_FEATURES, H3])],
      ['Wh', v('Wh', p.Wh, [p.hidden, H3])],
      ['bx', v('bx', p.bx, [H3])],
      ['bh', v('bh', p.bh, [H3])],
      ['Wo', v('Wo', p.Wo, [p.hidden, 1])],
      ['bo', v('bo', Float32Array.of(p.bo), [1])],
    ]),
  };
}

/** The variables' current values as arrays. */
export function fromTfPolicy(p: TfPolicy): PolicyArrays {
  const d = (k: 'Wx' | 'Wh' | 'bx' | 'bh' | 'Wo' | 'bo') => Float32Array.from(p.vars.get(k)!.dataSync());
  return { hidden: p.hidden, inMean: p.inMean, inSd: p.inSd, Wx: d('Wx'), Wh: d('Wh'), bx: d('bx'), bh: d('bh'), Wo: d('Wo'), bo: d('bo')[0] };
}

/** Frees the variables. */
export function disposeTfPolicy(p: TfPolicy): void {
  for (const v of p.vars.values()) v.dispose();
}

/**
 * Hedge ratios [B, N] for raw features [N, B, N_FEATURES] (time-major), the GRU started from a
 * zero state. Call inside tf.tidy or dispose the result.
 */
export function forwardRatios(p: TfPolicy, x: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const [N, B] = x.shape;
    const H = p.hidden;
    const g = (k: 'Wx' | 'Wh' | 'bx' | 'bh' | 'Wo' | 'bo') => p.vars.get(k)!;
    const mean = tf.tensor1d(Float32Array.from(p.inMean));
    const inv = tf.tensor1d(Float32Array.from(p.inSd, (s) => 1 / s));
    // the input projections of every date in one matMul; only h Wh is sequential
    const xs = tf.mul(tf.sub(x.reshape([N * B, N_FEATURES]), mean), inv);
    const gxAll = tf.add(tf.matMul(xs, g('Wx')), g('bx')).reshape([N, B, 3 * H]);
    const gxs = tf.unstack(gxAll);
    let h: tf.Tensor2D = tf.zeros([B, H]);
    const hs: tf.Tensor2D[] = [];
    for (let t = 0; t < N; t++) {
      const gh = tf.add(tf.matMul(h, g('Wh')), g('bh'));
      const [xz, xr, xn] = tf.split(gxs[t], 3, 1);
      const [hz, hr, hn] = tf.split(gh, 3, 1);
      const z = tf.sigmoid(tf.add(xz, hz));
      const r = tf.sigmoid(tf.add(xr, hr));
      const n = tanh(tf.add(xn, tf.mul(r, hn)));
      h = tf.add(n, tf.mul(z, tf.sub(h, n))) as tf.Tensor2D;
      hs.push(h);
    }
    // head on all dates at once: [N B, H] x [H, 1]
    const out = tf.add(tf.matMul(tf.concat(hs, 0), g('Wo')), g('bo'));
    return tf.transpose(out.reshape([N, B])) as tf.Tensor2D;
  });
}

const sigmoid = (u: number): number => 1 / (1 + Math.exp(-u));

/**
 * One step of the cell in plain JS: reads state h (length H) and raw features x (N_FEATURES
 * from offset xAt), writes the next state into hOut (may be h itself) and returns the ratio.
 * scratch needs 6H entries.
 */
export function gruStep(p: PolicyArrays, h: Float64Array, x: ArrayLike<number>, xAt: number, hOut: Float64Array, scratch: Float64Array): number {
  const H = p.hidden;
  const H3 = 3 * H;
  const gx = scratch.subarray(0, H3);
  const gh = scratch.subarray(H3, 2 * H3);
  for (let j = 0; j < H3; j++) { gx[j] = p.bx[j]; gh[j] = p.bh[j]; }
  for (let k = 0; k < N_FEATURES; k++) {
    const xk = (x[xAt + k] - p.inMean[k]) / p.inSd[k];
    const row = k * H3;
    for (let j = 0; j < H3; j++) gx[j] += xk * p.Wx[row + j];
  }
  for (let i = 0; i < H; i++) {
    const hi = h[i];
    if (hi === 0) continue;
    const row = i * H3;
    for (let j = 0; j < H3; j++) gh[j] += hi * p.Wh[row + j];
  }
  let ratio = p.bo;
  for (let j = 0; j < H; j++) {
    const z = sigmoid(gx[j] + gh[j]);
    const r = sigmoid(gx[H + j] + gh[H + j]);
    const n = Math.tanh(gx[2 * H + j] + r * gh[2 * H + j]);
    const hn = n + z * (h[j] - n);
    gh[j] = hn; // gh[j] is read above only, so it can hold the new state until h is overwritten
    ratio += hn * p.Wo[j];
  }
  for (let j = 0; j < H; j++) hOut[j] = gh[j];
  return ratio;
}

/** Ratios n x N (path-major) for features n x N x N_FEATURES (path-major), in plain JS. */
export function ratiosJs(p: PolicyArrays, x: Float32Array, n: number, N: number): Float64Array {
  const out = new Float64Array(n * N);
  const h = new Float64Array(p.hidden);
  const scratch = new Float64Array(6 * p.hidden);
  for (let i = 0; i < n; i++) {
    h.fill(0);
    for (let t = 0; t < N; t++) out[i * N + t] = gruStep(p, h, x, (i * N + t) * N_FEATURES, h, scratch);
  }
  return out;
}
