/**
 * The ResMLP of the seed in tfjs ops: normalised Heston parameters (param-box.ts) -> dense to the
 * width -> residual blocks h <- elu(h + W2 dropout(elu(W1 h + b1)) + b2) -> dense to the PCA
 * coefficients (in units of each component's standard deviation) -> the IV surface through the
 * fixed PCA basis. ELU rather than ReLU because calibration differentiates the network: ELU's
 * Jacobian is continuous in the parameters.
 */
import { tf } from '../../src/tensor/backend.ts';
import { randomStream } from '../../src/quant/mc-random.ts';

/** Architecture. */
export interface NetConfig {
  inputs: number;
  width: number;
  blocks: number;
  dropout: number;
  /** PCA components predicted. */
  nComp: number;
  /** Surface points. */
  dim: number;
}

/** The seed's architecture: 8 blocks of width 128, dropout 0.1. */
export const SEED_NET: Omit<NetConfig, 'inputs' | 'nComp' | 'dim'> = { width: 128, blocks: 8, dropout: 0.1 };

/** Trainable weights, in the order they are saved. */
export interface NetWeights {
  names: string[];
  vars: tf.Tensor[];
}

/** The fixed PCA head: surface = mean + coef (nComp) @ basis (nComp x dim), basis rows scaled by sd. */
export interface PcaHead {
  mean: tf.Tensor1D;
  basis: tf.Tensor2D;
}

/** Weight names and shapes of a config, in save order. */
export function weightShapes(c: NetConfig): Array<[string, number[]]> {
  const out: Array<[string, number[]]> = [['in/W', [c.inputs, c.width]], ['in/b', [c.width]]];
  for (let b = 0; b < c.blocks; b++) {
    out.push([`block${b}/W1`, [c.width, c.width]], [`block${b}/b1`, [c.width]], [`block${b}/W2`, [c.width, c.width]], [`block${b}/b2`, [c.width]]);
  }
  out.push(['out/W', [c.width, c.nComp]], ['out/b', [c.nComp]]);
  return out;
}

/**
 * Seeded initial weights: He-normal for the input and first block layers, the second layer of each
 * block scaled down (0.1 of He) so that every block starts close to the identity, zero biases.
 */
export function initWeights(c: NetConfig, seed: number): NetWeights {
  const rng = randomStream(seed);
  const names: string[] = [], vars: tf.Variable[] = [];
  for (const [name, shape] of weightShapes(c)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(size);
    if (shape.length === 2) {
      const sd = Math.sqrt(2 / shape[0]) * (name.endsWith('W2') || name.startsWith('out') ? 0.1 : 1);
      for (let i = 0; i < size; i++) v[i] = sd * rng.normal();
    }
    names.push(name);
    const t = tf.tensor(v, shape);
    vars.push(tf.variable(t, true));
    t.dispose();
  }
  return { names, vars };
}

/** Coefficients (batch x nComp) of normalised inputs x (batch x inputs); dropout only when training. */
export function forwardCoef(c: NetConfig, w: NetWeights, x: tf.Tensor2D, training = false): tf.Tensor2D {
  return tf.tidy(() => {
    const v = w.vars;
    let h = tf.elu(tf.add(tf.matMul(x, v[0] as tf.Tensor2D), v[1])) as tf.Tensor2D;
    for (let b = 0; b < c.blocks; b++) {
      const o = 2 + 4 * b;
      let u = tf.elu(tf.add(tf.matMul(h, v[o] as tf.Tensor2D), v[o + 1])) as tf.Tensor2D;
      if (training && c.dropout > 0) u = tf.dropout(u, c.dropout) as tf.Tensor2D;
      u = tf.add(tf.matMul(u, v[o + 2] as tf.Tensor2D), v[o + 3]) as tf.Tensor2D;
      h = tf.elu(tf.add(h, u)) as tf.Tensor2D;
    }
    const o = 2 + 4 * c.blocks;
    return tf.add(tf.matMul(h, v[o] as tf.Tensor2D), v[o + 1]) as tf.Tensor2D;
  });
}

/** IV surfaces (batch x dim) of normalised inputs x. */
export function forwardSurface(c: NetConfig, w: NetWeights, head: PcaHead, x: tf.Tensor2D, training = false): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.matMul(forwardCoef(c, w, x, training), head.basis), head.mean) as tf.Tensor2D);
}

/** elu'(z) from z: 1 above 0, e^z = elu(z) + 1 below. */
function eluPrime(z: tf.Tensor): tf.Tensor {
  return tf.add(tf.minimum(tf.elu(z), 0), 1);
}

/**
 * Surface and its Jacobian at one normalised input x (1 x inputs), by forward-mode
 * differentiation: the value row and the `inputs` tangent rows travel through the network as one
 * (1 + inputs) x width matrix, so it costs about one forward pass of a batch of 1 + inputs.
 * Returns [surface (1 x dim), jacobian transposed (inputs x dim)].
 */
export function forwardWithJacobian(c: NetConfig, w: NetWeights, head: PcaHead, x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  return tf.tidy(() => {
    const v = w.vars;
    const n = c.inputs;
    // Rows: the value, then d/dx_d for each input d.
    const layer = (m: tf.Tensor2D, W: tf.Tensor, b: tf.Tensor, act: boolean): tf.Tensor2D => {
      const lin = tf.matMul(m, W as tf.Tensor2D);
      const val = tf.add(tf.slice(lin, [0, 0], [1, -1]), b);
      const tan = tf.slice(lin, [1, 0], [n, -1]);
      if (!act) return tf.concat([val, tan], 0) as tf.Tensor2D;
      return tf.concat([tf.elu(val), tf.mul(tan, eluPrime(val))], 0) as tf.Tensor2D;
    };
    let h = layer(tf.concat([x, tf.eye(n)], 0) as tf.Tensor2D, v[0], v[1], true);
    // The identity tangent rows need no bias, and layer() adds the bias to row 0 only.
    for (let b = 0; b < c.blocks; b++) {
      const o = 2 + 4 * b;
      const u = layer(h, v[o], v[o + 1], true);
      const s = tf.add(h, layer(u, v[o + 2], v[o + 3], false)) as tf.Tensor2D;
      const sv = tf.slice(s, [0, 0], [1, -1]);
      h = tf.concat([tf.elu(sv), tf.mul(tf.slice(s, [1, 0], [n, -1]), eluPrime(sv))], 0) as tf.Tensor2D;
    }
    const o = 2 + 4 * c.blocks;
    const coef = layer(h, v[o], v[o + 1], false);
    const surf = tf.matMul(coef, head.basis);
    return [tf.add(tf.slice(surf, [0, 0], [1, -1]), head.mean) as tf.Tensor2D, tf.slice(surf, [1, 0], [n, -1]) as tf.Tensor2D];
  });
}
