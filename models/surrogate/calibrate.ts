/**
 * Heston calibration to an IV surface on the surrogate's grid, by box-constrained
 * Levenberg-Marquardt (lm.ts) in the normalised parameters (the box of param-box.ts is [-1, 1]^5):
 * - 'surrogate': surfaces and exact Jacobians from the network (surrogate.ts);
 * - 'exact': surfaces from the Fourier pricer, Jacobian by forward differences (5 more surfaces).
 * Residuals are (model - target) / spread, so quotes count by their bid-ask width; points with a
 * NaN target or weight 0 are left out. Every surrogate calibration reports the exact re-pricing of
 * its parameters (exactRmse), so a fit that only the network believes shows up.
 */
import type { HestonParams } from '../../src/quant/heston.ts';
import { N_GRID } from './grid.ts';
import { N_PARAMS, denormaliseParams, normaliseParams, paramsToVector, vectorToParams } from './param-box.ts';
import { exactSurface } from './exact-surface.ts';
import { levenbergMarquardt, type LmOptions } from './lm.ts';
import type { HestonSurrogate } from './surrogate.ts';

/** A calibration target on the grid. */
export interface CalibrationTarget {
  /** IVs in grid layout (NaN where there is no quote). */
  iv: ArrayLike<number>;
  /** Bid-ask spread in IV per point (default 1 everywhere); residuals are divided by it. */
  spread?: ArrayLike<number>;
}

/** Options. */
export interface CalibrateOptions {
  engine: 'surrogate' | 'exact';
  surrogate?: HestonSurrogate;
  /** Warm start, e.g. the previous fit (default the centre of the box). */
  init?: HestonParams;
  lm?: LmOptions;
  /** Re-price the result with the exact pricer (default true for the surrogate). */
  exactCheck?: boolean;
}

/** Result. */
export interface CalibrationResult {
  params: HestonParams;
  /** Unweighted IV RMSE of the engine's own surface over the used points. */
  rmse: number;
  /** Unweighted IV RMSE of the exact surface at `params` (when checked). */
  exactRmse?: number;
  iterations: number;
  evaluations: number;
  reason: string;
  ms: number;
}

const FD_STEP = 1e-5;

function ivRmse(model: ArrayLike<number>, target: ArrayLike<number>, use: Uint8Array): number {
  let s = 0, n = 0;
  for (let g = 0; g < N_GRID; g++) if (use[g] && Number.isFinite(model[g])) { s += (model[g] - target[g]) ** 2; n++; }
  return n ? Math.sqrt(s / n) : NaN;
}

/** Calibrates Heston to the target surface with the chosen engine. */
export function calibrateHeston(target: CalibrationTarget, opts: CalibrateOptions): CalibrationResult {
  if (target.iv.length !== N_GRID) throw new RangeError(`target.iv must have ${N_GRID} grid points, got ${target.iv.length}`);
  if (target.spread && target.spread.length !== N_GRID) throw new RangeError(`target.spread must have ${N_GRID} grid points, got ${target.spread.length}`);
  if (opts.engine === 'surrogate' && !opts.surrogate) throw new TypeError('calibrateHeston: engine "surrogate" needs opts.surrogate (loadSurrogate())');
  const t0 = performance.now();
  const use = new Uint8Array(N_GRID), inv = new Float64Array(N_GRID);
  for (let g = 0; g < N_GRID; g++) {
    const sp = target.spread ? target.spread[g] : 1;
    use[g] = Number.isFinite(target.iv[g]) && sp > 0 && Number.isFinite(sp) ? 1 : 0;
    inv[g] = use[g] ? 1 / sp : 0;
  }
  const resid = (iv: ArrayLike<number>, r: Float64Array): void => {
    for (let g = 0; g < N_GRID; g++) r[g] = use[g] && Number.isFinite(iv[g]) ? (iv[g] - target.iv[g]) * inv[g] : 0;
  };
  const exactAt = (u: Float64Array): Float64Array => {
    const iv = new Float64Array(N_GRID);
    exactSurface(vectorToParams(denormaliseParams(u)), iv);
    return iv;
  };
  const f = (u: Float64Array, withJac: boolean): { r: Float64Array; jac?: Float64Array } => {
    const r = new Float64Array(N_GRID), jac = new Float64Array(N_GRID * N_PARAMS);
    if (!withJac) {
      resid(opts.engine === 'surrogate' ? opts.surrogate!.predictNormalised(u) : exactAt(u), r);
      return { r };
    }
    if (opts.engine === 'surrogate') {
      const { iv, jac: J } = opts.surrogate!.jacobianNormalised(u);
      resid(iv, r);
      for (let g = 0; g < N_GRID; g++) for (let d = 0; d < N_PARAMS; d++) jac[g * N_PARAMS + d] = J[g * N_PARAMS + d] * inv[g];
    } else {
      const iv = exactAt(u);
      resid(iv, r);
      for (let d = 0; d < N_PARAMS; d++) {
        const h = u[d] + FD_STEP <= 1 ? FD_STEP : -FD_STEP;
        const up = Float64Array.from(u);
        up[d] += h;
        const ivd = exactAt(up);
        for (let g = 0; g < N_GRID; g++) {
          const v = (ivd[g] - iv[g]) / h;
          jac[g * N_PARAMS + d] = use[g] && Number.isFinite(v) ? v * inv[g] : 0;
        }
      }
    }
    return { r, jac };
  };
  const u0 = opts.init ? normaliseParams(paramsToVector(opts.init)).map((v) => Math.min(1, Math.max(-1, v))) : new Float64Array(N_PARAMS);
  const lo = new Float64Array(N_PARAMS).fill(-1), hi = new Float64Array(N_PARAMS).fill(1);
  const res = levenbergMarquardt(f, u0, lo, hi, opts.lm);
  const params = vectorToParams(denormaliseParams(res.x));
  const own = opts.engine === 'surrogate' ? opts.surrogate!.predictNormalised(res.x) : exactAt(res.x);
  const out: CalibrationResult = {
    params, rmse: ivRmse(own, target.iv, use), iterations: res.iterations, evaluations: res.evaluations, reason: res.reason, ms: 0,
  };
  out.ms = performance.now() - t0;
  if (opts.exactCheck ?? opts.engine === 'surrogate') out.exactRmse = ivRmse(exactAt(res.x), target.iv, use);
  return out;
}
