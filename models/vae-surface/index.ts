/**
 * The surface VAE (after the seed's pointwise VAE): an encoder of a whole grid surface to a
 * latent, a pointwise decoder of latent plus (k, T) embedding to one vol, trained on Heston,
 * Bates and SVI surfaces, and completion of sparse quotes by fitting the latent
 * (README.md describes the model and its measured results).
 */
export { FAMILIES, batesSurfaces, sviSurfaces, generateVaeData, type Family, type VaeData, type VaeDataOptions } from './data.ts';
export { DEFAULT_CONFIG, IV_CENTRE, IV_SCALE, N_FEATURES, decode, disposeWeights, encode, initWeights, pointFeatures, weightShapes, type VaeConfig, type VaeWeights } from './network.ts';
export { DEFAULT_MODEL_DIR, WEIGHTS_FILE, loadWeights, saveWeights, type WeightsFile } from './weights.ts';
export { completeSurface, decodeAt, type CompleteOptions, type CompletedSurface } from './complete.ts';
export { reconRmse, reconstructionRmse, REFERENCE_N, REFERENCE_SVI_SEED } from './reconstruct.ts';
export {
  trainVaeSurface, syntheticCompletion, DEFAULT_SEED, DEFAULT_TRAIN, type TrainVaeOptions, type VaeProgress, type VaeTrainConfig, type VaeTrainMetrics,
} from './train.ts';
export { chainFiles, chainPoints, compareChain, summarizeComparisons, type ChainComparison, type HiddenError } from './evaluate-chains.ts';
