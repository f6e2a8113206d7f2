/**
 * Training of the deep hedger on Monte Carlo paths (paths.ts): minibatch Adam on the seed's
 * objective (loss.ts), the CVaR level w set each epoch to the validation VaR (its exact
 * minimiser) and trained with the policy in between; ReduceLROnPlateau on the validation
 * objective (halve the rate after lrPatience epochs without improvement) and early stopping
 * (stopPatience epochs), the best epoch's weights kept; then the test-set evaluation
 * (evaluate.ts). Writes weights-<dynamics>.json and metrics-<dynamics>.json to outDir.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { randomStream } from '../../src/quant/mc-random.ts';
import { initTensorBackend, tf } from '../../src/tensor/backend.ts';
import { evaluatePolicy, type EvalReport } from './evaluate.ts';
import { N_FEATURES } from './features.ts';
import { SEED_LOSS, objectiveTf, shortfallJs, shortfallStats, shortfallTf, type LossSpec } from './loss.ts';
import { DEFAULT_HIDDEN, disposeTfPolicy, forwardRatios, fromTfPolicy, initPolicyArrays, ratiosJs, toTfPolicy, type PolicyArrays } from './network.ts';
import { premium as optionPremium, simulatePathSet, type PathSet } from './paths.ts';
import { makeSetup, type Dynamics, type HedgeSetup } from './setup.ts';
import { defaultVolSource, type VolFeatureSource } from './vol-feature.ts';
import { DEFAULT_MODEL_DIR, saveWeights } from './weights.ts';

/** Training settings. */
export interface DeepHedgerTrainConfig {
  trainPaths: number;
  valPaths: number;
  testPaths: number;
  batch: number;
  /** Upper bound on epochs (the seed's 300); early stopping usually ends sooner. */
  maxEpochs: number;
  lr: number;
  lrFactor: number;
  lrPatience: number;
  minLr: number;
  stopPatience: number;
  hidden: number;
  loss: LossSpec;
}

/** The settings of the committed weights (sized for about 5 minutes of one core each). */
export const DEFAULT_TRAIN: DeepHedgerTrainConfig = {
  trainPaths: 8192, valPaths: 2048, testPaths: 8192, batch: 512, maxEpochs: 300,
  lr: 3e-3, lrFactor: 0.5, lrPatience: 4, minLr: 1e-5, stopPatience: 10, hidden: DEFAULT_HIDDEN, loss: SEED_LOSS,
};
/** Seed of the committed weights. */
export const DEFAULT_SEED = 20261121;

/** A progress report. */
export interface DeepHedgerProgress {
  phase: 'data' | 'train' | 'evaluate';
  message?: string;
}

/** Options of trainDeepHedger. */
export interface TrainDeepHedgerOptions {
  dynamics?: Dynamics;
  seed?: number;
  /** Proportional transaction cost (fraction of traded value). */
  cost?: number;
  /** Overrides of the hedging setup (steps, T, ...). */
  setup?: Partial<Omit<HedgeSetup, 'dynamics'>>;
  config?: Partial<DeepHedgerTrainConfig>;
  /** Where the weights and metrics go (default: the model folder; null: nothing written). */
  outDir?: string | null;
  /** The variance model for the vol feature (default: the committed HN-GRU weights). */
  volSource?: VolFeatureSource;
  onProgress?: (p: DeepHedgerProgress) => void;
  signal?: AbortSignal;
}

/** One epoch's numbers. */
export interface EpochRecord {
  epoch: number;
  train: number;
  val: number;
  lr: number;
}

/** What training measured. */
export interface DeepHedgerMetrics {
  seed: number;
  setup: HedgeSetup;
  config: DeepHedgerTrainConfig;
  backend: string;
  premium: number;
  epochs: number;
  bestEpoch: number;
  bestVal: number;
  history: EpochRecord[];
  dataSeconds: number;
  trainSeconds: number;
  evalSeconds: number;
  test: EvalReport;
  weightsPath: string | null;
}

/** The trained policy with its metrics. */
export interface TrainResult {
  policy: PolicyArrays;
  metrics: DeepHedgerMetrics;
}

function aborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new Error('deep-hedger: training aborted');
}

/** Per-feature mean and standard deviation over every path and date. */
function featureScaling(x: Float32Array): { mean: Float64Array; sd: Float64Array } {
  const mean = new Float64Array(N_FEATURES);
  const sd = new Float64Array(N_FEATURES);
  const m = x.length / N_FEATURES;
  for (let k = 0; k < x.length; k++) mean[k % N_FEATURES] += x[k];
  for (let f = 0; f < N_FEATURES; f++) mean[f] /= m;
  for (let k = 0; k < x.length; k++) sd[k % N_FEATURES] += (x[k] - mean[k % N_FEATURES]) ** 2;
  // a feature that never moves (the vol under a flat filter) keeps unit scale
  for (let f = 0; f < N_FEATURES; f++) sd[f] = Math.sqrt(sd[f] / m) || 1;
  return { mean, sd };
}

/** Time-major features [N, B, F] and prices [B, N + 1] of the paths idx. */
function gather(ps: PathSet, idx: ArrayLike<number>): { x: tf.Tensor3D; S: tf.Tensor2D } {
  const N = ps.steps;
  const B = idx.length;
  const x = new Float32Array(N * B * N_FEATURES);
  const S = new Float32Array(B * (N + 1));
  for (let b = 0; b < B; b++) {
    const i = idx[b];
    for (let t = 0; t < N; t++) x.set(ps.x.subarray((i * N + t) * N_FEATURES, (i * N + t + 1) * N_FEATURES), (t * B + b) * N_FEATURES);
    for (let t = 0; t <= N; t++) S[b * (N + 1) + t] = ps.S[i * (N + 1) + t];
  }
  return { x: tf.tensor3d(x, [N, B, N_FEATURES]), S: tf.tensor2d(S, [B, N + 1]) };
}

/** Trains a policy from scratch (deterministic for a seed on one backend) and evaluates it. */
export async function trainDeepHedger(opts: TrainDeepHedgerOptions = {}): Promise<TrainResult> {
  const seed = opts.seed ?? DEFAULT_SEED;
  // an override left undefined (an absent CLI option) keeps the default
  const given = Object.fromEntries(Object.entries(opts.config ?? {}).filter(([, v]) => v !== undefined));
  const cfg: DeepHedgerTrainConfig = { ...DEFAULT_TRAIN, ...given };
  for (const k of ['trainPaths', 'valPaths', 'testPaths', 'batch', 'maxEpochs', 'lrPatience', 'stopPatience'] as const) {
    if (!(Number.isInteger(cfg[k]) && cfg[k] >= 1)) throw new RangeError(`config.${k} must be an integer >= 1, got ${String(cfg[k])}`);
  }
  if (cfg.batch > cfg.trainPaths) throw new RangeError(`config.batch (${cfg.batch}) must not exceed config.trainPaths (${cfg.trainPaths})`);
  if (!(cfg.lr > 0 && cfg.minLr > 0 && cfg.lrFactor > 0 && cfg.lrFactor < 1)) throw new RangeError('config.lr, minLr must be > 0 and lrFactor in (0, 1)');
  const setup = makeSetup(opts.dynamics ?? 'bs', { ...opts.setup, ...(opts.cost !== undefined ? { cost: opts.cost } : {}) });
  const spec = cfg.loss;
  const info = await initTensorBackend();
  const vol = opts.volSource ?? defaultVolSource();
  const say = (phase: DeepHedgerProgress['phase'], message?: string) => opts.onProgress?.({ phase, message });

  say('data', `${setup.dynamics}: ${cfg.trainPaths} + ${cfg.valPaths} + ${cfg.testPaths} paths of ${setup.steps} daily steps, cost ${setup.cost}`);
  const t0 = performance.now();
  const p = optionPremium(setup);
  const train = simulatePathSet(setup, cfg.trainPaths, seed, 0, vol, opts.signal);
  const val = simulatePathSet(setup, cfg.valPaths, seed, 1, vol, opts.signal);
  const test = simulatePathSet(setup, cfg.testPaths, seed, 2, vol, opts.signal);
  const dataSeconds = (performance.now() - t0) / 1000;
  aborted(opts.signal);

  const N = setup.steps;
  const { mean, sd } = featureScaling(train.x);
  const init = initPolicyArrays(cfg.hidden, seed, mean, sd);
  const pol = toTfPolicy(init);
  const valL = (arr: PolicyArrays) => shortfallJs(ratiosJs(arr, val.x, val.n, N), val.S, val.n, N, setup.K, p, setup.cost);
  const valMask = (): Float64Array | undefined => {
    if (spec.scope === 'all') return undefined;
    return Float64Array.from({ length: val.n }, (_, i) => (val.S[i * (N + 1) + N] > setup.K ? 1 : 0));
  };
  const w = tf.variable(tf.scalar(0), true, `deep-hedger/cvar-w/${seed}/${performance.now()}`);
  const opt = tf.train.adam(cfg.lr);
  const vars = [...pol.vars.values(), w];
  const rng = randomStream(seed, 4);
  const history: EpochRecord[] = [];
  let lr = cfg.lr;
  let best = Infinity, bestEpoch = 0, bestArrays = init, sinceBest = 0, sinceLr = 0;
  const t1 = performance.now();
  try {
    {
      const L0 = valL(init);
      w.assign(tf.scalar(shortfallStats(L0, spec, valMask()).var));
    }
    const perm = Int32Array.from({ length: train.n }, (_, i) => i);
    for (let ep = 1; ep <= cfg.maxEpochs; ep++) {
      for (let i = train.n - 1; i > 0; i--) { const j = Math.floor(rng.uniform() * (i + 1)); [perm[i], perm[j]] = [perm[j], perm[i]]; }
      (opt as unknown as { learningRate: number }).learningRate = lr;
      let sum = 0, cnt = 0;
      for (let a = 0; a + cfg.batch <= train.n; a += cfg.batch) {
        aborted(opts.signal);
        const { x, S } = gather(train, perm.subarray(a, a + cfg.batch));
        const mask = spec.scope === 'itm' ? tf.tidy(() => tf.cast(tf.greater(S.slice([0, N], [cfg.batch, 1]).reshape([cfg.batch]), setup.K), 'float32') as tf.Tensor1D) : null;
        const loss = opt.minimize(() => tf.tidy(() => objectiveTf(shortfallTf(forwardRatios(pol, x), S, setup.K, p, setup.cost), w, mask, spec)), true, vars);
        x.dispose(); S.dispose(); mask?.dispose();
        if (loss) { sum += loss.dataSync()[0]; cnt++; loss.dispose(); }
        // yield to the event loop so that SIGINT can abort between batches
        await new Promise<void>((r) => setImmediate(r));
      }
      const arr = fromTfPolicy(pol);
      const L = valL(arr);
      const st = shortfallStats(L, spec, valMask());
      w.assign(tf.scalar(st.var));
      history.push({ epoch: ep, train: sum / cnt, val: st.objective, lr });
      say('train', `epoch ${ep}: train objective ${(sum / cnt).toFixed(4)}, validation ${st.objective.toFixed(4)} (CVaR ${st.cvar.toFixed(4)}, std ${st.std.toFixed(4)}), lr ${lr.toExponential(1)}`);
      if (st.objective < best * (1 - 1e-4)) {
        best = st.objective; bestEpoch = ep; bestArrays = arr; sinceBest = 0; sinceLr = 0;
      } else {
        sinceBest++; sinceLr++;
        if (sinceBest >= cfg.stopPatience) break;
        if (sinceLr >= cfg.lrPatience) {
          if (lr <= cfg.minLr) break;
          lr = Math.max(cfg.minLr, lr * cfg.lrFactor);
          sinceLr = 0;
        }
      }
    }
  } finally {
    disposeTfPolicy(pol);
    w.dispose();
    opt.dispose();
  }
  const trainSeconds = (performance.now() - t1) / 1000;

  say('evaluate', `${test.n} test paths against the classical hedges`);
  const t2 = performance.now();
  const report = evaluatePolicy(bestArrays, setup, test, p, spec, opts.signal);
  const evalSeconds = (performance.now() - t2) / 1000;
  let weightsPath: string | null = null;
  const metrics: DeepHedgerMetrics = {
    seed, setup, config: cfg, backend: info.backend, premium: p, epochs: history.length, bestEpoch, bestVal: best, history,
    dataSeconds, trainSeconds, evalSeconds, test: report, weightsPath,
  };
  if (opts.outDir !== null) {
    const dir = opts.outDir ?? DEFAULT_MODEL_DIR;
    mkdirSync(dir, { recursive: true });
    weightsPath = saveWeights({ policy: bestArrays, setup, seed }, dir);
    metrics.weightsPath = relative(process.cwd(), weightsPath);
    writeFileSync(join(dir, `metrics-${setup.dynamics}.json`), JSON.stringify(metrics, null, 2) + '\n');
  }
  return { policy: bestArrays, metrics };
}
