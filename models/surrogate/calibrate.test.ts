import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { exactSurfaceArray } from './exact-surface.ts';
import { calibrateHeston } from './calibrate.ts';
import { loadSurrogate } from './surrogate.ts';
import { DEFAULT_MODEL_DIR } from './weights.ts';

const truth = { v0: 0.04, kappa: 2, theta: 0.05, sigma: 0.6, rho: -0.7 };
const noWeights = !existsSync(join(DEFAULT_MODEL_DIR, 'weights.json'));

test('LM on the exact pricer recovers the parameters of an exact surface from the box centre', () => {
  const { iv } = exactSurfaceArray(truth);
  const res = calibrateHeston({ iv }, { engine: 'exact' });
  for (const k of ['v0', 'kappa', 'theta', 'sigma', 'rho'] as const) {
    assert.ok(Math.abs(res.params[k] - truth[k]) < 1e-3 * Math.max(1, Math.abs(truth[k])), `${k} ${res.params[k]}`);
  }
  assert.ok(res.rmse < 1e-6);
});

test('bad targets are named', () => {
  assert.throws(() => calibrateHeston({ iv: [0.2] }, { engine: 'exact' }), /target.iv must have/);
  assert.throws(() => calibrateHeston({ iv: new Float64Array(96) }, { engine: 'surrogate' }), /needs opts.surrogate/);
});

test('surrogate calibration re-priced exactly fits the exact surface', { skip: noWeights ? 'no committed weights' : false }, async () => {
  const s = await loadSurrogate();
  try {
    const { iv } = exactSurfaceArray(truth);
    const res = calibrateHeston({ iv }, { engine: 'surrogate', surrogate: s });
    assert.ok(res.exactRmse !== undefined && res.exactRmse < 0.005, `exact re-pricing RMSE ${res.exactRmse}`);
    assert.ok(Math.abs(res.params.rho - truth.rho) < 0.1, `rho ${res.params.rho}`);
  } finally {
    s.dispose();
  }
});
