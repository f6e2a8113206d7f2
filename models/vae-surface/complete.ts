/**
 * Completion of a sparse surface with the decoder: the latent z that best explains the known
 * (k, T, iv) points is found by Adam on z alone (the weights fixed), minimising the posterior
 * loss sum_i ((dec(z; k_i, T_i) - iv_i) / sigma)^2 / 2 + |z|^2 / 2 (Gaussian noise of sd sigma
 * on the vols, the VAE's standard normal prior), from several starts at once (z = 0 and draws
 * from the prior), keeping the best. The encoder is not used: it reads a whole grid, and real
 * quotes lie off it.
 */
import { tf } from '../../src/tensor/backend.ts';
import { randomStream } from '../../src/quant/mc-random.ts';
import { decode, pointFeatures, type VaeWeights } from './network.ts';

/** Options of completeSurface. */
export interface CompleteOptions {
  /** Adam steps (default 300), learning rate (default 0.05), starts (default 8). */
  steps?: number;
  lr?: number;
  starts?: number;
  /** Vol noise sd of the fit (default 0.005, as in training). */
  sigma?: number;
  /** Seed of the random starts (default 0). */
  seed?: number;
}

/** A completed surface: its latent, fit RMSE on the known points, and a pointwise predictor. */
export interface CompletedSurface {
  z: Float32Array;
  fitRmse: number;
  predict(k: ArrayLike<number>, T: ArrayLike<number>): Float64Array;
}

/** Decodes one latent at points (k, T). */
export function decodeAt(w: VaeWeights, z: ArrayLike<number>, k: ArrayLike<number>, T: ArrayLike<number>): Float64Array {
  if (z.length !== w.config.latent) throw new RangeError(`z has ${z.length} values, the model's latent ${w.config.latent}`);
  if (k.length === 0) return new Float64Array(0);
  const out = tf.tidy(() => decode(w, tf.tensor2d(Float32Array.from(z), [1, z.length]), tf.tensor2d(pointFeatures(k, T), [k.length, 4])));
  const v = Float64Array.from(out.dataSync());
  out.dispose();
  return v;
}

/** Finds the latent of the known points (see the module header) and returns the completed surface. */
export function completeSurface(w: VaeWeights, pts: { k: ArrayLike<number>; T: ArrayLike<number>; iv: ArrayLike<number> }, opts: CompleteOptions = {}): CompletedSurface {
  const n = pts.iv.length;
  if (n === 0 || pts.k.length !== n || pts.T.length !== n) throw new RangeError(`points: k, T and iv must have the same non-zero length, got ${pts.k.length}, ${pts.T.length}, ${n}`);
  for (let i = 0; i < n; i++) if (!(pts.iv[i] > 0 && Number.isFinite(pts.iv[i]))) throw new RangeError(`points.iv[${i}] must be a finite vol > 0, got ${pts.iv[i]}`);
  const steps = opts.steps ?? 300, lr = opts.lr ?? 0.05, R = opts.starts ?? 8, sigma = opts.sigma ?? 0.005;
  const L = w.config.latent;
  const rng = randomStream(opts.seed ?? 0, 7);
  const z0 = new Float32Array(R * L);
  for (let i = L; i < z0.length; i++) z0[i] = rng.normal();
  const feats = tf.tensor2d(pointFeatures(pts.k, pts.T), [n, 4]);
  const target = tf.tensor2d(Float32Array.from(pts.iv), [1, n]);
  const zInit = tf.tensor2d(z0, [R, L]);
  const z = tf.variable(zInit, true);
  zInit.dispose();
  const opt = tf.train.adam(lr);
  // Per-start loss scaled by 1/n so one learning rate suits any number of points
  const perStart = (): tf.Tensor1D => tf.tidy(() => {
    const r = tf.div(tf.sub(decode(w, z, feats), target), sigma);
    return tf.div(tf.add(tf.mul(0.5, tf.sum(tf.square(r), 1)), tf.mul(0.5, tf.sum(tf.square(z), 1))), n) as tf.Tensor1D;
  });
  try {
    for (let s = 0; s < steps; s++) {
      const l = opt.minimize(() => tf.sum(perStart()) as tf.Scalar, false, [z]);
      l?.dispose();
    }
    const losses = perStart();
    const lv = losses.dataSync();
    losses.dispose();
    let best = 0;
    for (let r = 1; r < R; r++) if (lv[r] < lv[best]) best = r;
    const zAll = z.dataSync();
    const zBest = Float32Array.from(zAll.subarray(best * L, (best + 1) * L));
    const fit = decodeAt(w, zBest, pts.k, pts.T);
    let se = 0;
    for (let i = 0; i < n; i++) se += (fit[i] - pts.iv[i]) ** 2;
    return { z: zBest, fitRmse: Math.sqrt(se / n), predict: (k, T) => decodeAt(w, zBest, k, T) };
  } finally {
    opt.dispose();
    z.dispose();
    feats.dispose();
    target.dispose();
  }
}
