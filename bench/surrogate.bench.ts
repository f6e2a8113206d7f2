/**
 * Heston surrogate speed against the exact Fourier pricer, on the surrogate's 96-point grid
 * (12 log-moneyness x 8 maturities, OTM prices inverted to IVs): one surface, a batch of 10,000
 * parameter sets, and Levenberg-Marquardt calibration to exact surfaces of fixed box points
 * (surrogate with network Jacobians vs exact with finite-difference Jacobians), with the exact
 * re-pricing RMSE of both in the note. Needs the committed weights (models/surrogate).
 */
import { opsPerSecond, percentile, type Bench, type BenchRow } from './harness.ts';
import { N_GRID } from '../models/surrogate/grid.ts';
import { N_PARAMS, latinHypercube, vectorToParams } from '../models/surrogate/param-box.ts';
import { exactSurface, exactSurfaceArray } from '../models/surrogate/exact-surface.ts';
import { loadSurrogate } from '../models/surrogate/surrogate.ts';
import { calibrateHeston } from '../models/surrogate/calibrate.ts';

const bench: Bench = async ({ quick }) => {
  const ms = quick ? 300 : 1500;
  const s = await loadSurrogate();
  const rows: BenchRow[] = [];
  try {
    const batch = 10_000;
    const params = latinHypercube(batch, 77);
    const one = params.subarray(0, N_PARAMS);
    const iv = new Float64Array(N_GRID);
    let e = 0;
    const exactOne = opsPerSecond(() => { exactSurface(vectorToParams(params, (e++ % batch) * N_PARAMS), iv); return 1; }, ms);
    const surOne = opsPerSecond(() => { s.predict(one); return 1; }, ms);
    rows.push({ name: 'surrogate surface (96 points), one at a time', unit: 'surfaces/s', value: surOne, baseline: 'exact Fourier surface + IV inversion', baselineValue: exactOne, note: `backend ${s.backend.backend}` });
    const surBatch = opsPerSecond(() => { s.predict(params); return batch; }, ms);
    rows.push({ name: `surrogate surfaces, batch of ${batch}`, unit: 'surfaces/s', value: surBatch, baseline: 'exact, one after another', baselineValue: exactOne, note: `batch of ${batch} in ${(1000 * batch / surBatch).toFixed(1)} ms` });

    const nCal = quick ? 4 : 12;
    const targets = latinHypercube(200, 5);
    const tSur: number[] = [], tEx: number[] = [], rSur: number[] = [], rEx: number[] = [];
    for (let c = 0, t = 0; c < nCal && t < 200; t++) {
      const { iv: target, flagged } = exactSurfaceArray(vectorToParams(targets, t * N_PARAMS));
      if (flagged) continue;
      c++;
      const a = calibrateHeston({ iv: target }, { engine: 'surrogate', surrogate: s });
      const b = calibrateHeston({ iv: target }, { engine: 'exact' });
      tSur.push(a.ms); tEx.push(b.ms); rSur.push(a.exactRmse!); rEx.push(b.rmse);
    }
    const med = (x: number[]): number => percentile(x, 50);
    rows.push({
      name: 'Heston calibration (LM, 96-point target, cold start), median', unit: 'ms', value: med(tSur), baseline: 'same LM on the exact pricer', baselineValue: med(tEx),
      goal: '<= 20 ms, >= 50x faster', note: `exact re-pricing IV RMSE median: surrogate fit ${med(rSur).toExponential(2)}, exact fit ${med(rEx).toExponential(2)} (${tSur.length} targets)`,
    });
  } finally {
    s.dispose();
  }
  return rows;
};

export default bench;
