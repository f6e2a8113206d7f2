/**
 * HN-GARCH, GARCH(1,1) and the volatility-integrated HN-GRU: training pipeline, committed
 * weights, live variance filter (README.md describes the model and its measured results).
 */
export { trainHnGru, DEFAULT_SEED, type Metrics, type TrainOptions, type TrainProgress } from './train.ts';
export { loadHnGru, checkWeights, DEFAULT_WEIGHTS_PATH, type HnGruWeights, type FilterStates } from './weights.ts';
export {
  createVarianceFilter,
  type DailyBar,
  type FilterOptions,
  type PerModel,
  type VarianceFilter,
  type VarianceState,
  type VolForecast,
} from './filter.ts';
export { hnImpliedAtmVol30d } from './implied-atm-vol.ts';
export { dailyRealizedVariance, loadDailySeries, type DailySeries } from './data.ts';
export { evaluate, type TestMetrics } from './evaluate.ts';
export { dieboldMariano, type DmResult } from './diebold-mariano.ts';
export { viStep, viExpectedTotalVariance, type ViState } from './vi-gru-cell.ts';
