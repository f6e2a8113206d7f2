/**
 * The Heston surrogate pricer: fixed (k, T) grid, parameter box, exact training surfaces, PCA +
 * ResMLP network in tfjs, training pipeline, committed weights, and Levenberg-Marquardt calibration
 * on the network or on the exact pricer (README.md describes the model and its measured results).
 */
export { GRID_T, GRID_Z, N_GRID, N_K, N_T, SIGMA_REF, gridK, gridPoints, kRow, moneynessBucket, isShortMaturity, type Bucket } from './grid.ts';
export {
  PARAM_BOX, PARAM_NAMES, N_PARAMS, feller, inBox, latinHypercube, normaliseParams, denormaliseParams, paramsToVector, vectorToParams, type BoxRange,
} from './param-box.ts';
export { exactSurface, exactSurfaceArray, MIN_PRICE, PRICE_REL_TOL } from './exact-surface.ts';
export { generateDataset, defaultCachePath, type Dataset, type GenerateOptions } from './generate.ts';
export { fitPca, pcaProject, pcaReconstruct, explainedVariance, symmetricEigen, type Pca } from './pca.ts';
export { evaluateSurfaces, gridArbitrage, type ErrorStats, type SurfaceMetrics } from './evaluate.ts';
export {
  trainSurrogate, DEFAULT_SEED, DEFAULT_TRAIN, type SurrogateTrainConfig, type SurrogateProgress, type TrainSurrogateOptions, type SurrogateTrainMetrics,
} from './train.ts';
export { loadSurrogate, type HestonSurrogate } from './surrogate.ts';
export { DEFAULT_MODEL_DIR, readWeights, type SurrogateManifest } from './weights.ts';
export { calibrateHeston, type CalibrationTarget, type CalibrateOptions, type CalibrationResult } from './calibrate.ts';
export { levenbergMarquardt, type LmOptions, type LmResult, type ResidualFn } from './lm.ts';
export { gridIv } from './grid-interp.ts';
export { offGridError } from './off-grid.ts';
