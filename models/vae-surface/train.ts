/**
 * Training of the VAE: the three-family set (data.ts), 5% of it held out, minibatch Adam on the
 * negative ELBO per grid point, (sum_g ((dec - iv) / sigma)^2 / 2 + KL(q(z|x) || N(0, I))) / N_GRID,
 * with vol noise sd sigma = 0.005 (half a vol point), the latent drawn by the
 * reparameterisation trick. Writes weights.json to outDir and returns the metrics.
 */
import { randomStream } from '../../src/quant/mc-random.ts';
import { initTensorBackend, tf } from '../../src/tensor/backend.ts';
import { N_GRID, gridPoints } from '../surrogate/grid.ts';
import { completeSurface } from './complete.ts';
import { FAMILIES, generateVaeData, type VaeData } from './data.ts';
import { DEFAULT_CONFIG, decode, disposeWeights, encode, initWeights, pointFeatures, type VaeConfig, type VaeWeights } from './network.ts';
import { reconRmse } from './reconstruct.ts';
import { saveWeights } from './weights.ts';

/** Training settings. */
export interface VaeTrainConfig {
  nHeston: number;
  nBates: number;
  nSvi: number;
  epochs: number;
  batch: number;
  lr: number;
  sigma: number;
  network: VaeConfig;
  /** Held-out surfaces whose sparse completion is measured (30% of grid points known). */
  nCompletion: number;
}

/** The settings the committed weights were trained with. */
export const DEFAULT_TRAIN: VaeTrainConfig = {
  nHeston: 3000, nBates: 1500, nSvi: 3000, epochs: 80, batch: 128, lr: 3e-3, sigma: 0.005, network: DEFAULT_CONFIG, nCompletion: 60,
};
/** Seed of the committed weights. */
export const DEFAULT_SEED = 20261121;

/** A progress report. */
export interface VaeProgress {
  phase: 'data' | 'train' | 'evaluate';
  epoch?: number;
  loss?: number;
  valRmse?: number;
}

/** Options of trainVaeSurface. */
export interface TrainVaeOptions {
  seed?: number;
  /** Where weights.json goes (null: not written). */
  outDir?: string | null;
  config?: Partial<VaeTrainConfig>;
  onProgress?: (p: VaeProgress) => void;
  signal?: AbortSignal;
  /** Heston data cache (as generateDataset's; null: none) and workers. */
  cachePath?: string | null;
  workers?: number;
}

/** What training measured. */
export interface VaeTrainMetrics {
  seed: number;
  config: VaeTrainConfig;
  backend: string;
  surfaces: { train: number; val: number; byFamily: Record<string, number> };
  finalLoss: number;
  /** Held-out reconstruction RMSE (encoder mean -> decoder), by family and overall. */
  valRmse: Record<string, number>;
  /** Held-out completion from 30% of the grid: RMSE on the other 70%, VAE and a constant (mean of the known). */
  completion: { surfaces: number; vaeRmse: number; constantRmse: number };
  dataSeconds: number;
  trainSeconds: number;
  weightsPath: string | null;
}

/** Trains the VAE from scratch (deterministic for a seed on one backend) and writes its weights. */
export async function trainVaeSurface(opts: TrainVaeOptions = {}): Promise<VaeTrainMetrics> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const cfg: VaeTrainConfig = { ...DEFAULT_TRAIN, ...opts.config };
  const info = await initTensorBackend();
  opts.onProgress?.({ phase: 'data' });
  const t0 = performance.now();
  const data: VaeData = await generateVaeData({ seed, nHeston: cfg.nHeston, nBates: cfg.nBates, nSvi: cfg.nSvi, cachePath: opts.cachePath, workers: opts.workers, signal: opts.signal });
  const dataSeconds = (performance.now() - t0) / 1000;

  // Seeded shuffle, then the last 5% held out
  const rng = randomStream(seed, 11);
  const order = Int32Array.from({ length: data.n }, (_, i) => i);
  for (let i = data.n - 1; i > 0; i--) { const j = Math.floor(rng.uniform() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
  const nVal = Math.max(1, Math.round(0.05 * data.n));
  const nTrain = data.n - nVal;
  const pick = (idx: ArrayLike<number>): Float32Array => {
    const o = new Float32Array(idx.length * N_GRID);
    for (let i = 0; i < idx.length; i++) o.set(data.iv.subarray(idx[i] * N_GRID, (idx[i] + 1) * N_GRID), i * N_GRID);
    return o;
  };
  const trainIv = pick(order.subarray(0, nTrain));
  const valIdx = order.subarray(nTrain);
  const valIv = pick(valIdx);

  const w = initWeights(cfg.network, seed);
  const grid = gridPoints();
  const feats = tf.tensor2d(pointFeatures(grid.k, grid.T), [N_GRID, 4]);
  const opt = tf.train.adam(cfg.lr);
  const vars = [...w.vars.values()];
  const t1 = performance.now();
  let finalLoss = NaN, step = 0;
  try {
    const perm = Int32Array.from({ length: nTrain }, (_, i) => i);
    for (let ep = 0; ep < cfg.epochs; ep++) {
      for (let i = nTrain - 1; i > 0; i--) { const j = Math.floor(rng.uniform() * (i + 1)); [perm[i], perm[j]] = [perm[j], perm[i]]; }
      // Cosine decay of the learning rate over the epochs
      (opt as unknown as { learningRate: number }).learningRate = cfg.lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * ep) / cfg.epochs)));
      let sum = 0, cnt = 0;
      for (let a = 0; a + cfg.batch <= nTrain; a += cfg.batch) {
        if (opts.signal?.aborted) throw new Error('trainVaeSurface: aborted');
        const xb = new Float32Array(cfg.batch * N_GRID);
        for (let i = 0; i < cfg.batch; i++) xb.set(trainIv.subarray(perm[a + i] * N_GRID, (perm[a + i] + 1) * N_GRID), i * N_GRID);
        const x = tf.tensor2d(xb, [cfg.batch, N_GRID]);
        const s = step++;
        const loss = opt.minimize(() => tf.tidy(() => {
          const { mean, logVar } = encode(w, x);
          const eps = tf.randomNormal(mean.shape, 0, 1, 'float32', seed * 7919 + s);
          const z = tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps)) as tf.Tensor2D;
          const r = tf.div(tf.sub(decode(w, z, feats), x), cfg.sigma);
          const recon = tf.mul(0.5, tf.sum(tf.square(r), 1));
          const kl = tf.mul(0.5, tf.sum(tf.sub(tf.sub(tf.add(tf.exp(logVar), tf.square(mean)), 1), logVar), 1));
          return tf.div(tf.mean(tf.add(recon, kl)), N_GRID) as tf.Scalar;
        }), true, vars);
        x.dispose();
        if (loss) { sum += loss.dataSync()[0]; cnt++; loss.dispose(); }
      }
      finalLoss = sum / cnt;
      const rm = reconRmse(w, valIv, nVal, feats);
      opts.onProgress?.({ phase: 'train', epoch: ep + 1, loss: finalLoss, valRmse: Math.sqrt(rm.reduce((a, v) => a + v * v, 0) / nVal) });
    }
    const trainSeconds = (performance.now() - t1) / 1000;

    opts.onProgress?.({ phase: 'evaluate' });
    const rm = reconRmse(w, valIv, nVal, feats);
    const valRmse: Record<string, number> = {};
    FAMILIES.forEach((f, fi) => {
      let se = 0, c = 0;
      for (let i = 0; i < nVal; i++) if (data.family[valIdx[i]] === fi) { se += rm[i] ** 2; c++; }
      if (c > 0) valRmse[f] = Math.sqrt(se / c);
    });
    valRmse.all = Math.sqrt(rm.reduce((a, v) => a + v * v, 0) / nVal);
    const completion = syntheticCompletion(w, valIv, Math.min(cfg.nCompletion, nVal), seed);
    const byFamily: Record<string, number> = {};
    FAMILIES.forEach((f, fi) => { byFamily[f] = data.family.reduce((a, x) => a + (x === fi ? 1 : 0), 0); });
    const weightsPath = opts.outDir === null || opts.outDir === undefined ? null : await saveWeights(w, opts.outDir, seed);
    return {
      seed, config: cfg, backend: info.backend, surfaces: { train: nTrain, val: nVal, byFamily }, finalLoss, valRmse, completion,
      dataSeconds, trainSeconds, weightsPath,
    };
  } finally {
    opt.dispose();
    feats.dispose();
    disposeWeights(w);
  }
}

/**
 * Completion of held-out grid surfaces from a seeded 30% of their points: RMSE on the other 70%
 * of the VAE completion and of the constant equal to the known points' mean.
 */
export function syntheticCompletion(w: VaeWeights, iv: Float32Array, n: number, seed: number): { surfaces: number; vaeRmse: number; constantRmse: number } {
  const grid = gridPoints();
  const rng = randomStream(seed, 13);
  let seV = 0, seC = 0, cnt = 0;
  for (let s = 0; s < n; s++) {
    const known: number[] = [], hidden: number[] = [];
    for (let g = 0; g < N_GRID; g++) (rng.uniform() < 0.3 ? known : hidden).push(g);
    if (known.length < 3 || hidden.length === 0) continue;
    const at = (idx: number[], a: ArrayLike<number>): Float64Array => Float64Array.from(idx, (g) => a[g]);
    const surf = iv.subarray(s * N_GRID, (s + 1) * N_GRID);
    const kIv = at(known, surf);
    const c = completeSurface(w, { k: at(known, grid.k), T: at(known, grid.T), iv: kIv }, { seed: s });
    const pred = c.predict(at(hidden, grid.k), at(hidden, grid.T));
    const mean = kIv.reduce((a, v) => a + v, 0) / kIv.length;
    hidden.forEach((g, i) => { seV += (pred[i] - surf[g]) ** 2; seC += (mean - surf[g]) ** 2; cnt++; });
  }
  return { surfaces: n, vaeRmse: Math.sqrt(seV / cnt), constantRmse: Math.sqrt(seC / cnt) };
}
