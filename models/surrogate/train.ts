/**
 * The surrogate's training pipeline behind `volrisk train surrogate`: exact surfaces over the
 * parameter box (generate.ts, cached), a seeded split of the usable surfaces into train,
 * validation and test, PCA on the training surfaces, the ResMLP trained by Adam with exponential
 * learning-rate decay on the seed's loss (loss.ts), early stopping on the validation RMSE with the
 * best weights kept, then, once, the test evaluation; writes weights.json/.bin and metrics.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initTensorBackend, tf, type BackendInfo } from '../../src/tensor/backend.ts';
import { randomStream } from '../../src/quant/mc-random.ts';
import { N_GRID } from './grid.ts';
import { N_PARAMS, PARAM_BOX, feller, normaliseParams, vectorToParams } from './param-box.ts';
import { generateDataset } from './generate.ts';
import { explainedVariance, fitPca } from './pca.ts';
import { SEED_NET, forwardSurface, initWeights, type NetConfig, type PcaHead } from './network.ts';
import { DEFAULT_LOSS, pointWeights, surrogateLoss, type LossConfig } from './loss.ts';
import { evaluateSurfaces, type SurfaceMetrics } from './evaluate.ts';
import { DEFAULT_MODEL_DIR, saveWeights } from './weights.ts';

/** The default seed (data, split, initial weights, batches, dropout). */
export const DEFAULT_SEED = 20240605;

/** Training settings. */
export interface SurrogateTrainConfig {
  /** Surfaces generated (before dropping flagged ones). */
  nSurfaces: number;
  nComp: number;
  width: number;
  blocks: number;
  dropout: number;
  batch: number;
  maxEpochs: number;
  /** Wall-clock budget of the epoch loop in seconds (stops after the epoch that crosses it). */
  maxSeconds: number;
  lr: number;
  /** Learning rate multiplier per epoch. */
  lrDecay: number;
  /** Epochs without a better validation RMSE before stopping. */
  patience: number;
  validShare: number;
  testShare: number;
  loss: LossConfig;
  workers?: number;
}

/** Defaults of the committed run. */
export const DEFAULT_TRAIN: SurrogateTrainConfig = {
  nSurfaces: 100_000, nComp: 30, ...SEED_NET, batch: 256, maxEpochs: 60, maxSeconds: 1500, lr: 1e-3, lrDecay: 0.95, patience: 8,
  validShare: 0.05, testShare: 0.05, loss: DEFAULT_LOSS,
};

/** A progress event. */
export interface SurrogateProgress {
  phase: 'data' | 'pca' | 'train' | 'evaluate' | 'write' | 'done';
  done?: number;
  total?: number;
  epoch?: number;
  trainLoss?: number;
  validRmse?: number;
  message?: string;
}

/** Options of trainSurrogate. */
export interface TrainSurrogateOptions {
  seed?: number;
  /** Where weights.json/.bin and metrics.json go (default models/surrogate). */
  outDir?: string;
  onProgress?: (e: SurrogateProgress) => void;
  signal?: AbortSignal;
  config?: Partial<SurrogateTrainConfig>;
  /** Generated-set cache file (default under os.tmpdir(); null: none). */
  cachePath?: string | null;
}

/** metrics.json. */
export interface SurrogateTrainMetrics {
  version: 1;
  model: 'heston-surrogate';
  seed: number;
  config: SurrogateTrainConfig;
  backend: string;
  data: { generated: number; flagged: number; fellerViolating: number; train: number; valid: number; test: number; generateSeconds: number; workers: number };
  pca: { nComp: number; unexplainedVariance: number; testReconstructionRmse: number };
  training: { epochs: number; bestEpoch: number; stoppedBy: string; seconds: number; validRmse: number; trace: Array<[number, number, number]> };
  test: SurfaceMetrics;
  /** Indices (into the generated set) of the first test surfaces, for the reproduction test. */
  testIndices: number[];
}

function shuffle(idx: number[], seed: number): number[] {
  const rng = randomStream(seed);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx;
}

function gatherRows(src: ArrayLike<number>, width: number, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => { for (let d = 0; d < width; d++) out[i * width + d] = src[r * width + d]; });
  return out;
}

function predictAll(c: NetConfig, w: ReturnType<typeof initWeights>, head: PcaHead, x: tf.Tensor2D): Float32Array {
  const n = x.shape[0], out = new Float32Array(n * N_GRID), step = 4096;
  for (let a = 0; a < n; a += step) {
    const p = tf.tidy(() => forwardSurface(c, w, head, tf.slice(x, [a, 0], [Math.min(step, n - a), -1])));
    out.set(p.dataSync() as Float32Array, a * N_GRID);
    p.dispose();
  }
  return out;
}

function rmse(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / a.length);
}

/** Generates the data, trains, evaluates and writes the model; returns the metrics written. */
export async function trainSurrogate(opts: TrainSurrogateOptions = {}): Promise<SurrogateTrainMetrics> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const cfg: SurrogateTrainConfig = { ...DEFAULT_TRAIN, ...opts.config, loss: { ...DEFAULT_LOSS, ...opts.config?.loss } };
  const outDir = opts.outDir ?? DEFAULT_MODEL_DIR;
  const emit = opts.onProgress ?? (() => {});
  const aborted = (): void => { if (opts.signal?.aborted) throw new Error('trainSurrogate: aborted'); };
  const backend: BackendInfo = await initTensorBackend();

  const t0 = performance.now();
  const workers = cfg.workers ?? 2;
  const data = await generateDataset({
    n: cfg.nSurfaces, seed, workers, cachePath: opts.cachePath, signal: opts.signal,
    onProgress: (done, total) => emit({ phase: 'data', done, total }),
  });
  const generateSeconds = (performance.now() - t0) / 1000;
  aborted();
  const usable: number[] = [];
  let fellerViolating = 0;
  for (let s = 0; s < data.n; s++) {
    if (data.flagged[s] === 0) usable.push(s);
    if (!feller(vectorToParams(data.params, s * N_PARAMS))) fellerViolating++;
  }
  shuffle(usable, seed + 1);
  const nTest = Math.max(1, Math.round(cfg.testShare * usable.length)), nValid = Math.max(1, Math.round(cfg.validShare * usable.length));
  const testRows = usable.slice(0, nTest), validRows = usable.slice(nTest, nTest + nValid), trainRows = usable.slice(nTest + nValid);

  emit({ phase: 'pca', message: `PCA on ${trainRows.length} surfaces` });
  const pca = fitPca(data.iv, N_GRID, trainRows, cfg.nComp);
  const basis = new Float32Array(cfg.nComp * N_GRID);
  for (let c = 0; c < cfg.nComp; c++) {
    const sd = Math.sqrt(Math.max(pca.eigenvalues[c], 0));
    for (let g = 0; g < N_GRID; g++) basis[c * N_GRID + g] = pca.components[c * N_GRID + g] * sd;
  }
  const head: PcaHead = { mean: tf.tensor1d(Float32Array.from(pca.mean)), basis: tf.tensor2d(basis, [cfg.nComp, N_GRID]) };

  const normRows = (rows: number[]): Float32Array => {
    const out = new Float32Array(rows.length * N_PARAMS), tmp = new Float64Array(N_PARAMS);
    rows.forEach((r, i) => { normaliseParams(data.params, tmp, r * N_PARAMS); out.set(tmp, i * N_PARAMS); });
    return out;
  };
  const xTrain = tf.tensor2d(normRows(trainRows), [trainRows.length, N_PARAMS]);
  const yTrain = tf.tensor2d(gatherRows(data.iv, N_GRID, trainRows), [trainRows.length, N_GRID]);
  const xValid = tf.tensor2d(normRows(validRows), [validRows.length, N_PARAMS]);
  const yValid = gatherRows(data.iv, N_GRID, validRows);
  const xTest = tf.tensor2d(normRows(testRows), [testRows.length, N_PARAMS]);
  const yTest = gatherRows(data.iv, N_GRID, testRows);

  // PCA floor: the test error of the exact surfaces' own projection.
  const projTest = tf.tidy(() => {
    const y = tf.tensor2d(yTest, [testRows.length, N_GRID]);
    const coef = tf.matMul(tf.sub(y, head.mean), tf.transpose(tf.matMul(tf.diag(tf.tensor1d(Float32Array.from({ length: cfg.nComp }, (_, c) => 1 / Math.max(pca.eigenvalues[c], 1e-30)))), head.basis)));
    return tf.add(tf.matMul(coef, head.basis), head.mean);
  });
  const pcaRmse = rmse(projTest.dataSync() as Float32Array, yTest);
  projTest.dispose();

  const net: NetConfig = { inputs: N_PARAMS, width: cfg.width, blocks: cfg.blocks, dropout: cfg.dropout, nComp: cfg.nComp, dim: N_GRID };
  const w = initWeights(net, seed + 2);
  const vars = w.vars as tf.Variable[];
  const opt = tf.train.adam(cfg.lr);
  const lw = tf.tensor1d(pointWeights(cfg.loss.putWeight));
  const order = Array.from({ length: trainRows.length }, (_, i) => i);
  let best = Infinity, bestEpoch = 0, stoppedBy = 'maxEpochs', epochs = 0;
  let bestWeights = vars.map((v) => v.dataSync().slice() as Float32Array);
  const trace: Array<[number, number, number]> = [];
  const tTrain = performance.now();
  for (let epoch = 1; epoch <= cfg.maxEpochs; epoch++) {
    epochs = epoch;
    (opt as unknown as { learningRate: number }).learningRate = cfg.lr * cfg.lrDecay ** (epoch - 1);
    shuffle(order, seed + 1000 + epoch);
    let lossSum = 0, nb = 0;
    for (let a = 0; a + cfg.batch <= order.length; a += cfg.batch) {
      aborted();
      const idx = tf.tensor1d(Int32Array.from(order.slice(a, a + cfg.batch)), 'int32');
      const l = opt.minimize(() => {
        const xb = tf.gather(xTrain, idx) as tf.Tensor2D, yb = tf.gather(yTrain, idx) as tf.Tensor2D;
        return surrogateLoss(forwardSurface(net, w, head, xb, true), yb, lw, cfg.loss);
      }, true, vars);
      idx.dispose();
      if (nb % 20 === 0) lossSum += l!.dataSync()[0];
      l!.dispose();
      nb++;
      if (nb % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    const vr = rmse(predictAll(net, w, head, xValid), yValid);
    const trainLoss = lossSum / Math.ceil(nb / 20);
    trace.push([epoch, trainLoss, vr]);
    emit({ phase: 'train', epoch, trainLoss, validRmse: vr, total: cfg.maxEpochs });
    if (vr < best) { best = vr; bestEpoch = epoch; bestWeights = vars.map((v) => v.dataSync().slice() as Float32Array); }
    else if (epoch - bestEpoch >= cfg.patience) { stoppedBy = 'patience'; break; }
    if ((performance.now() - tTrain) / 1000 > cfg.maxSeconds) { stoppedBy = 'maxSeconds'; break; }
  }
  const trainSeconds = (performance.now() - tTrain) / 1000;
  tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(bestWeights[i], v.shape))));

  emit({ phase: 'evaluate' });
  const predTest = predictAll(net, w, head, xTest);
  const test = evaluateSurfaces(predTest, yTest, testRows.length);

  emit({ phase: 'write' });
  saveWeights(outDir, net, explainedVariance(pca), [
    ...w.names.map((name, i) => ({ name, shape: vars[i].shape, data: bestWeights[i] })),
    { name: 'pca/mean', shape: [N_GRID], data: Float32Array.from(pca.mean) },
    { name: 'pca/basis', shape: [cfg.nComp, N_GRID], data: basis },
  ]);
  const metrics: SurrogateTrainMetrics = {
    version: 1, model: 'heston-surrogate', seed, config: cfg, backend: `${backend.backend} (${backend.package})`,
    data: { generated: data.n, flagged: data.n - usable.length, fellerViolating, train: trainRows.length, valid: validRows.length, test: testRows.length, generateSeconds, workers },
    pca: { nComp: cfg.nComp, unexplainedVariance: 1 - explainedVariance(pca), testReconstructionRmse: pcaRmse },
    training: { epochs, bestEpoch, stoppedBy, seconds: trainSeconds, validRmse: best, trace },
    test,
    testIndices: testRows.slice(0, 50),
  };
  writeFileSync(join(outDir, 'metrics.json'), JSON.stringify(metrics, null, 1) + '\n');
  for (const t of [xTrain, yTrain, xValid, xTest, lw, head.mean, head.basis, ...vars]) t.dispose();
  opt.dispose();
  void PARAM_BOX;
  emit({ phase: 'done' });
  return metrics;
}
