/**
 * The neural SDE for VIX: a signature-conditioned SDE for log variance trained on real VIX,
 * its diagnostics and pricing, and the loader the live `nsde` stage uses (README.md gives the
 * model and its measured results).
 */
export { trainNsde, DEFAULT_SEED, DEFAULT_TRAIN, type NsdeMetrics, type NsdeProgress, type NsdeTrainConfig, type TrainNsdeOptions } from './train.ts';
export { loadWeights, saveWeights, DEFAULT_MODEL_DIR } from './weights.ts';
export { DEFAULT_CONFIG, initWeights, type NsdeConfig, type NsdeWeights } from './network.ts';
export { makeModel, disposeModel, simulatePaths, windowSignature, normals, type NsdeModel, type Starts } from './simulate.ts';
export { evaluateNsde, pathStats, type NsdeEvaluation, type PathStats } from './evaluate.ts';
export { prepareData, type NsdeData } from './prepare.ts';
export { loadNsdeModel } from './load.ts';
