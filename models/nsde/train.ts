/**
 * Training of the neural SDE on real VIX windows (train: up to 2015; validation 2016-2019 for
 * early stopping): minibatches of real windows, each start simulated twice, Adam on the
 * normalised expected-signature loss + mean penalty (loss.ts) + a penalty pulling kappa toward
 * the futures-implied speed of mean reversion and theta toward the historical level of X, cosine
 * learning-rate decay, gradient clipping by global norm, the best validation weights kept.
 * Then the evaluation on the test years (evaluate.ts); writes weights.json and metrics.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { randomStream } from '../../src/quant/mc-random.ts';
import { initTensorBackend, tf } from '../../src/tensor/backend.ts';
import { evaluateNsde, type NsdeEvaluation } from './evaluate.ts';
import { DEFAULT_CONFIG, initWeights, ouParams, type NsdeConfig } from './network.ts';
import { disposeLossContext, lossContext, nsdeLoss } from './loss.ts';
import { prepareData, type NsdeData, type SplitData } from './prepare.ts';
import { SIG_LEN } from './signature-step.ts';
import { disposeModel, makeModel, normals, rollout, type NsdeModel } from './simulate.ts';
import { DEFAULT_MODEL_DIR, restore, saveWeights, snapshot } from './weights.ts';

/** Training settings. */
export interface NsdeTrainConfig {
  network: NsdeConfig;
  /** Real windows per minibatch (each simulated twice). */
  batch: number;
  maxIters: number;
  lr: number;
  /** The learning rate decays by a cosine to lr * lrFloor at maxIters. */
  lrFloor: number;
  /** Gradients are scaled down to this global norm. */
  clipNorm: number;
  lambda: number;
  /** Weight of ((kappa - kappa_mkt) / kappa_mkt)^2 + ((theta - theta_hist) / 0.5)^2. */
  anchorWeight: number;
  validEvery: number;
  /** Validation windows (a fixed seeded subset) and the stop after this many validations without improvement. */
  validWindows: number;
  patience: number;
  /** Generated paths per test window in the evaluation. */
  evalPathsPerWindow: number;
}

/** The settings of the committed weights. */
export const DEFAULT_TRAIN: NsdeTrainConfig = {
  network: DEFAULT_CONFIG, batch: 128, maxIters: 900, lr: 2e-3, lrFloor: 0.05, clipNorm: 1, lambda: 10, anchorWeight: 0.1,
  validEvery: 30, validWindows: 512, patience: 8, evalPathsPerWindow: 4,
};
/** Seed of the committed weights. */
export const DEFAULT_SEED = 20261121;

/** A progress report (the CLI prints `phase: message`). */
export interface NsdeProgress {
  phase: 'data' | 'train' | 'evaluate';
  message?: string;
}

/** Options of trainNsde. */
export interface TrainNsdeOptions {
  seed?: number;
  /** Where weights.json and metrics.json go (default: this model's folder; null: not written). */
  outDir?: string | null;
  dataDir?: string;
  config?: Partial<NsdeTrainConfig>;
  onProgress?: (p: NsdeProgress) => void;
  signal?: AbortSignal;
  /** Prepared data (tests pass a cut-down copy). */
  data?: NsdeData;
}

/** What training measured. */
export interface NsdeMetrics {
  seed: number;
  config: NsdeTrainConfig;
  backend: string;
  windows: { train: number; valid: number; test: number };
  anchors: NsdeData['anchors'];
  learned: { kappa: number; theta: number };
  iterations: number;
  bestIteration: number;
  bestValidLoss: number;
  history: Array<{ iter: number; trainLoss: number; validLoss: number; lr: number }>;
  trainSeconds: number;
  evaluation: NsdeEvaluation;
  weightsPath: string | null;
}

/** Real mean running signatures [steps, 14] and mean V over the simulated steps of a set of windows. */
function realTargets(s: SplitData, idx: ArrayLike<number>, steps: number): { sig: Float32Array; meanV: number } {
  const sig = new Float32Array(steps * SIG_LEN);
  const len = s.seg.warm + steps + 1;
  let v = 0;
  for (let b = 0; b < idx.length; b++) {
    const r = idx[b];
    for (let j = 0; j < steps * SIG_LEN; j++) sig[j] += s.lossSigs[r * steps * SIG_LEN + j] / idx.length;
    for (let k = 1; k <= steps; k++) v += Math.exp(s.seg.x[r * len + s.seg.warm + k]);
  }
  return { sig, meanV: v / (idx.length * steps) };
}

/** Starting tensors of the windows idx, each twice (halves a and b). */
function startTensors(s: SplitData, idx: ArrayLike<number>): { x0: tf.Tensor2D; sig0: tf.Tensor2D } {
  const B = idx.length;
  const x0 = new Float32Array(2 * B);
  const sig0 = new Float32Array(2 * B * SIG_LEN);
  for (let h = 0; h < 2; h++) {
    for (let b = 0; b < B; b++) {
      const r = idx[b];
      x0[h * B + b] = s.starts.x0[r];
      sig0.set(s.starts.sig0.subarray(r * SIG_LEN, (r + 1) * SIG_LEN), (h * B + b) * SIG_LEN);
    }
  }
  return { x0: tf.tensor2d(x0, [2 * B, 1]), sig0: tf.tensor2d(sig0, [2 * B, SIG_LEN]) };
}

/** Trains from scratch (deterministic for a seed on one backend), evaluates, and writes weights and metrics. */
export async function trainNsde(opts: TrainNsdeOptions = {}): Promise<NsdeMetrics> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const cfg: NsdeTrainConfig = { ...DEFAULT_TRAIN, ...opts.config, network: { ...DEFAULT_TRAIN.network, ...opts.config?.network } };
  const net = cfg.network;
  const info = await initTensorBackend();
  opts.onProgress?.({ phase: 'data', message: `backend ${info.backend}` });
  const data = opts.data ?? prepareData({ warm: net.warm, steps: net.steps, dt: net.dt, dataDir: opts.dataDir });
  if (data.warm !== net.warm || data.steps !== net.steps) throw new Error(`data: prepared for warm ${data.warm}, steps ${data.steps}, but the network has ${net.warm}, ${net.steps}`);
  const { anchors } = data;
  const steps = net.steps;
  opts.onProgress?.({
    phase: 'data',
    message: `${data.train.seg.n} train, ${data.valid.seg.n} validation, ${data.test.seg.n} test windows; kappa from futures ${anchors.kappaMarket.toFixed(3)}, theta from history ${anchors.thetaHistory.toFixed(3)}`,
  });

  const w = initWeights(net, seed, { kappa: anchors.kappaMarket, theta: anchors.thetaHistory, inMean: data.inMean, inStd: data.inStd });
  const model: NsdeModel = makeModel(w);
  const ctx = lossContext(data.sigSd, steps, cfg.lambda);
  const opt = tf.train.adam(cfg.lr);
  const vars = [...w.vars.values()];
  const rng = randomStream(seed, 1);

  // Fixed validation set: a seeded subset of windows and fixed noise.
  const nv = Math.min(cfg.validWindows, data.valid.seg.n);
  const vIdx = Int32Array.from({ length: data.valid.seg.n }, (_, i) => i);
  for (let i = vIdx.length - 1; i > 0; i--) { const j = Math.floor(rng.uniform() * (i + 1)); [vIdx[i], vIdx[j]] = [vIdx[j], vIdx[i]]; }
  const vSel = vIdx.subarray(0, nv);
  const vT = realTargets(data.valid, vSel, steps);
  const vStart = startTensors(data.valid, vSel);
  const vNoise = tf.tensor2d(normals(seed, 2, steps, 2 * nv), [steps, 2 * nv]);
  const vSig = tf.tensor2d(vT.sig, [steps, SIG_LEN]);
  const validLoss = (): number => tf.tidy(() => {
    const r = rollout(model, vStart.x0, vStart.sig0, vNoise, steps);
    const l = nsdeLoss(ctx, r, vSig, vT.meanV);
    return tf.add(l.sig, l.mean).dataSync()[0];
  });

  const history: NsdeMetrics['history'] = [];
  let best = Infinity;
  let bestIter = 0;
  let bestValues = snapshot(w);
  let since = 0;
  let iters = 0;
  let runLoss = 0;
  let runCount = 0;
  const t0 = performance.now();
  try {
    for (let it = 1; it <= cfg.maxIters; it++) {
      // Yield to the event loop so that a SIGINT handler (which aborts the signal) gets to run.
      await new Promise((r) => setImmediate(r));
      if (opts.signal?.aborted) throw new Error('trainNsde: aborted');
      iters = it;
      const lr = cfg.lr * (cfg.lrFloor + (1 - cfg.lrFloor) * 0.5 * (1 + Math.cos((Math.PI * (it - 1)) / cfg.maxIters)));
      (opt as unknown as { learningRate: number }).learningRate = lr;
      const idx = Int32Array.from({ length: cfg.batch }, () => Math.floor(rng.uniform() * data.train.seg.n));
      const tgt = realTargets(data.train, idx, steps);
      const st = startTensors(data.train, idx);
      const z = tf.tensor2d(normals(seed, 1000 + it, steps, 2 * cfg.batch), [steps, 2 * cfg.batch]);
      const rs = tf.tensor2d(tgt.sig, [steps, SIG_LEN]);
      const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
        const r = rollout(model, st.x0, st.sig0, z, steps);
        const l = nsdeLoss(ctx, r, rs, tgt.meanV);
        const kappa = tf.exp(w.vars.get('logKappa')!);
        const anchor = tf.add(
          tf.square(tf.div(tf.sub(kappa, anchors.kappaMarket), anchors.kappaMarket)),
          tf.square(tf.div(tf.sub(w.vars.get('theta')!, anchors.thetaHistory), 0.5)),
        );
        return tf.add(tf.add(l.sig, l.mean), tf.mul(cfg.anchorWeight, anchor)) as tf.Scalar;
      }), vars);
      const norm = Math.sqrt(tf.tidy(() => tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))).dataSync()[0]));
      const scale = Number.isFinite(norm) && norm > cfg.clipNorm ? cfg.clipNorm / norm : 1;
      const clipped = tf.tidy(() => Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, scale)])));
      if (Number.isFinite(norm)) opt.applyGradients(clipped as unknown as Parameters<typeof opt.applyGradients>[0]);
      runLoss += value.dataSync()[0];
      runCount++;
      tf.dispose([value, grads, clipped, st.x0, st.sig0, z, rs] as unknown as tf.Tensor[]);
      if (it % cfg.validEvery === 0 || it === cfg.maxIters) {
        const vl = validLoss();
        const trainLoss = runLoss / runCount;
        runLoss = 0;
        runCount = 0;
        history.push({ iter: it, trainLoss, validLoss: vl, lr });
        const { kappa, theta } = ouParams(w);
        opts.onProgress?.({ phase: 'train', message: `iter ${it}: train loss ${trainLoss.toFixed(4)}, validation loss ${vl.toFixed(4)}, kappa ${kappa.toFixed(3)}, theta ${theta.toFixed(3)}, lr ${lr.toExponential(2)}` });
        if (vl < best) {
          best = vl;
          bestIter = it;
          bestValues = snapshot(w);
          since = 0;
        } else if (++since >= cfg.patience) {
          opts.onProgress?.({ phase: 'train', message: `early stop: no validation improvement in ${cfg.patience} checks; best iter ${bestIter}` });
          break;
        }
      }
    }
    const trainSeconds = (performance.now() - t0) / 1000;
    restore(w, bestValues);
    opts.onProgress?.({ phase: 'evaluate', message: 'test years 2020 on, against the log-OU baseline' });
    await new Promise((r) => setImmediate(r));
    const evaluation = evaluateNsde(model, data, { seed, pathsPerWindow: cfg.evalPathsPerWindow, signal: opts.signal });
    const out = opts.outDir === undefined ? DEFAULT_MODEL_DIR : opts.outDir;
    if (out !== null) mkdirSync(out, { recursive: true });
    const weightsPath = out === null ? null : relative(process.cwd(), saveWeights(w, out, seed, bestValues));
    const metrics: NsdeMetrics = {
      seed, config: cfg, backend: info.backend, windows: { train: data.train.seg.n, valid: data.valid.seg.n, test: data.test.seg.n },
      anchors, learned: ouParams(w), iterations: iters, bestIteration: bestIter, bestValidLoss: best, history, trainSeconds, evaluation, weightsPath,
    };
    if (out !== null) writeFileSync(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    return metrics;
  } finally {
    tf.dispose([vStart.x0, vStart.sig0, vNoise, vSig]);
    opt.dispose();
    disposeLossContext(ctx);
    disposeModel(model);
  }
}
