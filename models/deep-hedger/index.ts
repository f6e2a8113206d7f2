/**
 * The deep hedger: a GRU hedging policy trained on CVaR + MSE over Monte Carlo paths
 * (README.md gives the setup and the measured results), and its live form (live.ts).
 */
export { trainDeepHedger, DEFAULT_SEED, DEFAULT_TRAIN, type DeepHedgerMetrics, type DeepHedgerProgress, type DeepHedgerTrainConfig, type TrainDeepHedgerOptions, type TrainResult } from './train.ts';
export { makeSetup, parseDynamics, DYNAMICS, type Dynamics, type HedgeSetup } from './setup.ts';
export { loadWeights, saveWeights, DEFAULT_MODEL_DIR, type TrainedPolicy } from './weights.ts';
export { evaluatePolicy, type EvalReport } from './evaluate.ts';
export { kamalDermanStd, classicalRatios } from './benchmarks.ts';
export { MSE_LOSS, SEED_LOSS, parseLoss, shortfallStats, type LossSpec, type ShortfallStats } from './loss.ts';
export { featureRow, N_FEATURES, type HedgeFeatures } from './features.ts';
export { loadDeepHedger, deepHedgerFrom, type DeepHedger, type DeepHedgerState } from './live.ts';
export { deepHedgerMethod, loadDeepHedgerMethod, DEEP_METHOD, type DeepMemory } from './method.ts';
