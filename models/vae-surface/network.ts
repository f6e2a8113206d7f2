/**
 * The seed's pointwise VAE in tfjs: an encoder from a whole surface on the fixed grid (96 vols)
 * to a Gaussian latent (mean, log variance), and a pointwise decoder from the latent plus an
 * embedding of one (k, T) to that point's implied vol, so a decoded surface can be read at any
 * (k, T), on the grid or off it. Weights are plain tf.Variables (no layers API), so they save
 * and load as named flat arrays (weights.ts).
 */
import { tf } from '../../src/tensor/backend.ts';
import { N_GRID } from '../surrogate/grid.ts';

/** Sizes of the network. */
export interface VaeConfig {
  latent: number;
  hidden: number;
  embed: number;
}

/** The default sizes: 8 latent dimensions, 64-wide hidden layers, a 16-wide (k, T) embedding. */
export const DEFAULT_CONFIG: VaeConfig = { latent: 8, hidden: 64, embed: 16 };

/** Centre and scale of the vols the encoder reads. */
export const IV_CENTRE = 0.25;
export const IV_SCALE = 0.15;
/** Raw (k, T) features per point. */
export const N_FEATURES = 4;

/** Weight names and shapes of a config, in a fixed order. */
export function weightShapes(c: VaeConfig): Array<[string, number[]]> {
  const { latent: L, hidden: H, embed: E } = c;
  return [
    ['enc1.w', [N_GRID, H]], ['enc1.b', [H]], ['enc2.w', [H, H]], ['enc2.b', [H]], ['enc3.w', [H, 2 * L]], ['enc3.b', [2 * L]],
    ['emb.w', [N_FEATURES, E]], ['emb.b', [E]],
    ['dec1.w', [L + E, H]], ['dec1.b', [H]], ['dec2.w', [H, H]], ['dec2.b', [H]], ['dec3.w', [H, 1]], ['dec3.b', [1]],
  ];
}

/** The network's variables by name, with its config. */
export interface VaeWeights {
  config: VaeConfig;
  vars: Map<string, tf.Variable>;
}

// tfjs variable names must be unique in the process
let made = 0;

/** Fresh weights: Glorot-uniform matrices (seeded), zero biases. */
export function initWeights(config: VaeConfig, seed: number): VaeWeights {
  const vars = new Map<string, tf.Variable>();
  weightShapes(config).forEach(([name, shape], i) => {
    const init = shape.length === 2 ? tf.initializers.glorotUniform({ seed: seed * 100 + i }).apply(shape) : tf.zeros(shape);
    vars.set(name, tf.variable(init, true, `vae/${name}/${++made}`));
    init.dispose();
  });
  return { config, vars };
}

/** Disposes every variable. */
export function disposeWeights(w: VaeWeights): void {
  for (const v of w.vars.values()) v.dispose();
}

function get(w: VaeWeights, name: string): tf.Variable {
  const v = w.vars.get(name);
  if (!v) throw new Error(`VAE weights lack ${name}`);
  return v;
}

function dense(w: VaeWeights, name: string, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, get(w, `${name}.w`)), get(w, `${name}.b`));
}

/** Encoder: vols [B, N_GRID] -> latent mean and log variance, each [B, latent]. */
export function encode(w: VaeWeights, iv: tf.Tensor2D): { mean: tf.Tensor2D; logVar: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.div(tf.sub(iv, IV_CENTRE), IV_SCALE) as tf.Tensor2D;
    const h = tf.tanh(dense(w, 'enc2', tf.tanh(dense(w, 'enc1', x))));
    const o = dense(w, 'enc3', h);
    const L = w.config.latent;
    return { mean: tf.slice(o, [0, 0], [-1, L]), logVar: tf.clipByValue(tf.slice(o, [0, L], [-1, L]), -12, 4) };
  });
}

/**
 * Raw features of points, [n, N_FEATURES]: standardised moneyness k / (0.2 sqrt T) / 2, k * 2,
 * sqrt T and ln T / 2 (ln of one year = 0), all of order one over the grid.
 */
export function pointFeatures(k: ArrayLike<number>, T: ArrayLike<number>): Float32Array {
  if (k.length !== T.length) throw new RangeError(`k has ${k.length} points and T ${T.length}`);
  const f = new Float32Array(k.length * N_FEATURES);
  for (let i = 0; i < k.length; i++) {
    if (!(Number.isFinite(k[i]) && T[i] > 0 && Number.isFinite(T[i]))) throw new RangeError(`point ${i}: k must be finite and T > 0, got k = ${k[i]}, T = ${T[i]}`);
    const st = Math.sqrt(T[i]);
    f.set([k[i] / (0.2 * st) / 2, 2 * k[i], st, Math.log(T[i]) / 2], i * N_FEATURES);
  }
  return f;
}

/**
 * Decoder: latents z [B, latent] and point features [P, N_FEATURES] -> vols [B, P], every
 * surface read at every point (the decoder itself is pointwise: one MLP per (z, point) pair).
 */
export function decode(w: VaeWeights, z: tf.Tensor2D, feats: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const B = z.shape[0], P = feats.shape[0], L = w.config.latent, E = w.config.embed;
    const e = tf.tanh(dense(w, 'emb', feats)); // [P, E]
    // First layer split into its latent and embedding parts, so the [B*P, L+E] concat is never built
    const w1 = get(w, 'dec1.w');
    const zPart = tf.matMul(z, tf.slice(w1, [0, 0], [L, -1])); // [B, H]
    const ePart = tf.add(tf.matMul(e, tf.slice(w1, [L, 0], [E, -1])), get(w, 'dec1.b')); // [P, H]
    const h1 = tf.tanh(tf.add(tf.expandDims(zPart, 1), tf.expandDims(ePart, 0))); // [B, P, H]
    const H = w.config.hidden;
    const h2 = tf.tanh(dense(w, 'dec2', tf.reshape(h1, [B * P, H])));
    const o = dense(w, 'dec3', h2);
    // softplus keeps vols positive; the floor stops a dead unit from giving a zero vol
    return tf.reshape(tf.add(tf.softplus(o), 0.005), [B, P]);
  });
}
