/**
 * Joint Gaussian MLE of the VI-HN-GRU: full-batch Adam on the exact adjoint gradient of the mean
 * training NLL, with early stopping on the validation NLL (the recursion runs on from the end of
 * the training days into the validation days with the same weights). Keeps the weights of the
 * best validation epoch.
 */
import { adamState, adamStep } from './adam.ts';
import { adjointWork, viNllGrad } from './vi-gru-adjoint.ts';
import { viRun, type ViState } from './vi-gru-cell.ts';
import { VI_N, viUnpack } from './vi-gru-params.ts';

/** Training settings (the defaults are the committed run's). */
export interface ViFitConfig {
  /** Adam learning rate on theta (default 0.01). */
  lr: number;
  /** Epoch cap (default 3000). */
  maxEpochs: number;
  /** Stop after this many epochs without a better validation NLL (default 300). */
  patience: number;
}

/** The committed run's settings. */
export const DEFAULT_VI_FIT: ViFitConfig = { lr: 0.01, maxEpochs: 3000, patience: 300 };

/** One epoch's numbers (mean NLL per day, percent units). */
export interface EpochReport {
  epoch: number;
  trainNll: number;
  validNll: number;
}

/** Outcome of fitVi. */
export interface ViFitResult {
  theta: Float64Array;
  /** w = viUnpack(theta) of the best epoch. */
  w: Float64Array;
  bestEpoch: number;
  epochs: number;
  bestValidNll: number;
  trainNllAtBest: number;
  initialTrainNll: number;
  stoppedBy: 'patience' | 'maxEpochs';
}

/**
 * Fits theta (a copy of theta0) on days train[0]..train[1] - 1 of y and rv (percent units) from
 * state st0, validating on valid[0]..valid[1] - 1 (which must follow the training days).
 * onEpoch gets every epoch's report; throwing from it stops the fit. Every 25 epochs the loop
 * yields to the event loop, so the caller's progress output and abort signal get a turn.
 */
export async function fitVi(
  theta0: Float64Array,
  y: ArrayLike<number>,
  rv: ArrayLike<number>,
  train: [number, number],
  valid: [number, number],
  st0: ViState,
  cfg: ViFitConfig = DEFAULT_VI_FIT,
  onEpoch?: (r: EpochReport) => void,
): Promise<ViFitResult> {
  if (valid[0] !== train[1]) throw new RangeError(`validation days must follow the training days: train ends at ${train[1]}, validation starts at ${valid[0]}`);
  const theta = Float64Array.from(theta0);
  const grad = new Float64Array(VI_N);
  const work = adjointWork(train[1] - train[0]);
  const adam = adamState(VI_N, cfg.lr);
  const wv = new Float64Array(VI_N);
  let best = { theta: Float64Array.from(theta), epoch: 0, valid: Infinity, train: NaN };
  let initialTrainNll = NaN;
  let epoch: number;
  let stoppedBy: ViFitResult['stoppedBy'] = 'maxEpochs';
  for (epoch = 1; epoch <= cfg.maxEpochs; epoch++) {
    // the gradient pass evaluates the current theta: its train NLL and end state give the epoch's report
    const { nll, end } = viNllGrad(theta, y, rv, train[0], train[1], st0, grad, work);
    const validNll = viRun(viUnpack(theta, wv), end, y, rv, valid[0], valid[1]) / (valid[1] - valid[0]);
    if (epoch === 1) initialTrainNll = nll;
    if (validNll < best.valid) best = { theta: Float64Array.from(theta), epoch, valid: validNll, train: nll };
    onEpoch?.({ epoch, trainNll: nll, validNll });
    if (epoch % 25 === 0) await new Promise<void>((r) => setImmediate(r));
    if (epoch - best.epoch >= cfg.patience) {
      stoppedBy = 'patience';
      break;
    }
    if (!grad.every(Number.isFinite)) throw new RangeError(`non-finite gradient at epoch ${epoch}`);
    adamStep(adam, theta, grad);
  }
  return {
    theta: best.theta,
    w: viUnpack(best.theta),
    bestEpoch: best.epoch,
    epochs: Math.min(epoch, cfg.maxEpochs),
    bestValidNll: best.valid,
    trainNllAtBest: best.train,
    initialTrainNll,
    stoppedBy,
  };
}
