/**
 * Heston calibration of a chain's fitted surface: grid targets from the SVI slices
 * (heston-targets.ts), Levenberg-Marquardt on the neural surrogate weighted by bid-ask spread
 * (models/surrogate/calibrate.ts), its result re-priced with the exact pricer (so a fit only the
 * network believes shows up as rmseExact >> rmseSurrogate), and optionally the same LM on the
 * exact pricer for comparison. The surrogate is passed in loaded (loading is async and costs
 * about a second; a fit must stay synchronous).
 */
import { calibrateHeston, type CalibrationResult } from '../../models/surrogate/calibrate.ts';
import type { HestonSurrogate } from '../../models/surrogate/surrogate.ts';
import type { HestonParams } from '../quant/heston.ts';
import type { ExpiryFit } from './expiry-fit.ts';
import { hestonTargets } from './heston-targets.ts';

/** Options of the Heston calibration of a surface. */
export interface HestonFitOptions {
  surrogate: HestonSurrogate;
  /** Warm start, e.g. the previous calibration (default the centre of the parameter box). */
  init?: HestonParams;
  /** Also calibrate by LM on the exact pricer, for comparison (default false: it is ~10x slower). */
  exact?: boolean;
  /** Fewest grid cells with a target to calibrate 5 parameters (default 10). */
  minCells?: number;
}

/** The exact-pricer calibration, when asked for. */
export interface HestonExactOut {
  params: HestonParams;
  /** IV RMSE over the targets. */
  rmse: number;
  ms: number;
  iterations: number;
  reason: string;
}

/** The calibration as published in a surface. */
export interface HestonOut {
  params: HestonParams;
  /** IV RMSE over the grid targets of the surrogate's surface, and of the exact surface, at `params`. */
  rmseSurrogate: number;
  rmseExact: number;
  /** Milliseconds of the surrogate calibration (the exact re-pricing excluded). */
  ms: number;
  /** Event time of the surface calibrated to, epoch microseconds. */
  ts: number;
  /** Grid cells with a target (of 96). */
  cells: number;
  iterations: number;
  reason: string;
  exact?: HestonExactOut;
}

/** Calibrates Heston to the fitted expiries' surface; throws (with why) when there is too little of it. */
export function calibrateSurfaceHeston(expiries: readonly ExpiryFit[], ts: number, opts: HestonFitOptions, minIvSpread?: number): HestonOut {
  const target = hestonTargets(expiries, minIvSpread);
  const minCells = opts.minCells ?? 10;
  if (target.cells < minCells) throw new RangeError(`too few grid cells inside the fitted expiries: ${target.cells} (need ${minCells})`);
  const s: CalibrationResult = calibrateHeston(target, { engine: 'surrogate', surrogate: opts.surrogate, init: opts.init, exactCheck: true });
  const out: HestonOut = {
    params: s.params, rmseSurrogate: s.rmse, rmseExact: s.exactRmse!, ms: s.ms, ts, cells: target.cells, iterations: s.iterations, reason: s.reason,
  };
  if (opts.exact) {
    const x = calibrateHeston(target, { engine: 'exact', init: opts.init });
    out.exact = { params: x.params, rmse: x.rmse, ms: x.ms, iterations: x.iterations, reason: x.reason };
  }
  return out;
}
