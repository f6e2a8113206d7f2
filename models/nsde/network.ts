/**
 * The neural SDE for X = log V, V = (VIX / 100)^2:
 * dX = kappa (theta - X) dt + driftScale N_mu(z) dt + (floor + scale sigmoid(N_sigma(z))) dW,
 * z = the running level-3 signature of (t, X) and X (15 numbers), standardised by constants taken
 * from the real training windows. N_mu and N_sigma are MLPs 15 -> 64 -> 64 -> 64 -> 1 with tanh.
 * kappa = exp(logKappa) and theta are learnable, regularised toward market values (train.ts).
 */
import { randomStream } from '../../src/quant/mc-random.ts';
import { tf } from '../../src/tensor/backend.ts';
import { tanh } from '../../src/tensor/ops.ts';
import { SIG_LEN } from './signature-step.ts';

/** Network inputs: the 14 signature terms and X. */
export const N_IN = SIG_LEN + 1;

/** Shape and scales of the model. */
export interface NsdeConfig {
  hidden: number;
  depth: number;
  /** Days of history that seed the running signature before the simulated steps. */
  warm: number;
  /** Simulated daily steps per training window. */
  steps: number;
  /** Time step in years (1/252). */
  dt: number;
  /** N_mu's output is multiplied by this (per year). */
  driftScale: number;
  /** The diffusion is floor + scale sigmoid(N_sigma), per sqrt(year). */
  diffScale: number;
  diffFloor: number;
}

/** The committed model's shape. */
export const DEFAULT_CONFIG: NsdeConfig = { hidden: 64, depth: 3, warm: 10, steps: 20, dt: 1 / 252, driftScale: 10, diffScale: 8, diffFloor: 0.2 };

/** Trainable variables and the fixed input standardisation. */
export interface NsdeWeights {
  config: NsdeConfig;
  vars: Map<string, tf.Variable>;
  /** Standardisation of the 15 inputs (mean, sd), from the real training windows. */
  inMean: Float32Array;
  inStd: Float32Array;
}

/** Names and shapes of the variables of a config, in a fixed order. */
export function weightShapes(c: NsdeConfig): Array<[string, number[]]> {
  const out: Array<[string, number[]]> = [];
  for (const net of ['mu', 'sigma']) {
    let fanIn = N_IN;
    for (let l = 0; l < c.depth; l++) {
      out.push([`${net}/w${l}`, [fanIn, c.hidden]], [`${net}/b${l}`, [c.hidden]]);
      fanIn = c.hidden;
    }
    out.push([`${net}/wOut`, [fanIn, 1]], [`${net}/bOut`, [1]]);
  }
  out.push(['logKappa', []], ['theta', []]);
  return out;
}

let created = 0;

/**
 * Seeded Glorot-uniform weights (output layers scaled by 0.1 so training starts near the log-OU
 * part), kappa and theta at the given starting values.
 */
export function initWeights(c: NsdeConfig, seed: number, start: { kappa: number; theta: number; inMean: Float32Array; inStd: Float32Array }): NsdeWeights {
  const rng = randomStream(seed, 3);
  const vars = new Map<string, tf.Variable>();
  const id = ++created;
  for (const [name, shape] of weightShapes(c)) {
    let data: Float32Array;
    if (name === 'logKappa') data = Float32Array.of(Math.log(start.kappa));
    else if (name === 'theta') data = Float32Array.of(start.theta);
    else if (shape.length === 1) data = new Float32Array(shape[0]);
    else {
      const lim = Math.sqrt(6 / (shape[0] + shape[1])) * (name.endsWith('wOut') ? 0.1 : 1);
      data = Float32Array.from({ length: shape[0] * shape[1] }, () => (2 * rng.uniform() - 1) * lim);
    }
    const t = tf.tensor(data, shape);
    vars.set(name, tf.variable(t, true, `nsde/${id}/${name}`));
    t.dispose();
  }
  return { config: c, vars, inMean: start.inMean, inStd: start.inStd };
}

/** Frees the variables. */
export function disposeWeights(w: NsdeWeights): void {
  for (const v of w.vars.values()) v.dispose();
}

function mlp(w: NsdeWeights, net: string, z: tf.Tensor2D): tf.Tensor2D {
  let h = z;
  for (let l = 0; l < w.config.depth; l++) h = tanh(tf.add(tf.matMul(h, w.vars.get(`${net}/w${l}`)!), w.vars.get(`${net}/b${l}`)!));
  return tf.add(tf.matMul(h, w.vars.get(`${net}/wOut`)!), w.vars.get(`${net}/bOut`)!) as tf.Tensor2D;
}

/**
 * Drift and diffusion of X per year at the state (sig [B, 14], x [B, 1]), both [B, 1]; mean/std
 * are the input standardisation as tensors [15].
 */
export function driftDiffusion(w: NsdeWeights, sig: tf.Tensor2D, x: tf.Tensor2D, mean: tf.Tensor1D, std: tf.Tensor1D): { drift: tf.Tensor2D; diffusion: tf.Tensor2D } {
  const c = w.config;
  const z = tf.div(tf.sub(tf.concat([sig, x], 1), mean), std) as tf.Tensor2D;
  const kappa = tf.exp(w.vars.get('logKappa')!);
  const ou = tf.mul(kappa, tf.sub(w.vars.get('theta')!, x));
  const drift = tf.add(ou, tf.mul(c.driftScale, mlp(w, 'mu', z))) as tf.Tensor2D;
  const diffusion = tf.add(c.diffFloor, tf.mul(c.diffScale, tf.sigmoid(mlp(w, 'sigma', z)))) as tf.Tensor2D;
  return { drift, diffusion };
}

/** The current kappa and theta. */
export function ouParams(w: NsdeWeights): { kappa: number; theta: number } {
  return { kappa: Math.exp(w.vars.get('logKappa')!.dataSync()[0]), theta: w.vars.get('theta')!.dataSync()[0] };
}
