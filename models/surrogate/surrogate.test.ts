import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../../src/tensor/backend.ts';
import { N_GRID } from './grid.ts';
import { N_PARAMS, latinHypercube, vectorToParams } from './param-box.ts';
import { exactSurface } from './exact-surface.ts';
import { evaluateSurfaces } from './evaluate.ts';
import { loadSurrogate } from './surrogate.ts';
import { DEFAULT_MODEL_DIR } from './weights.ts';
import type { SurrogateTrainMetrics } from './train.ts';

const absent = !existsSync(join(DEFAULT_MODEL_DIR, 'weights.json')) || !existsSync(join(DEFAULT_MODEL_DIR, 'metrics.json'));

test('committed weights reproduce the committed test errors on the first test surfaces', { skip: absent ? 'no committed weights' : false }, async () => {
  const m = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'metrics.json'), 'utf8')) as SurrogateTrainMetrics;
  const all = latinHypercube(m.config.nSurfaces, m.seed);
  const n = m.testIndices.length;
  const params = new Float64Array(n * N_PARAMS), exact = new Float64Array(n * N_GRID);
  m.testIndices.forEach((r, i) => {
    params.set(all.subarray(r * N_PARAMS, (r + 1) * N_PARAMS), i * N_PARAMS);
    assert.equal(exactSurface(vectorToParams(all, r * N_PARAMS), exact, i * N_GRID), 0);
  });
  const s = await loadSurrogate();
  try {
    const ev = evaluateSurfaces(s.predict(params), exact, n);
    assert.ok(ev.all.maxAbs <= m.test.all.maxAbs + 1e-5, `max ${ev.all.maxAbs} > test max ${m.test.all.maxAbs}`);
    assert.ok(ev.all.rmse < 2 * m.test.all.rmse && ev.all.rmse > 0.25 * m.test.all.rmse, `rmse ${ev.all.rmse} vs test ${m.test.all.rmse}`);
  } finally {
    s.dispose();
  }
});

test('network Jacobian matches central differences; no tensor leaks; bad input named', { skip: absent ? 'no committed weights' : false }, async () => {
  const s = await loadSurrogate();
  const base = tf.memory().numTensors;
  try {
    const u = Float64Array.of(-0.3, 0.2, 0.1, -0.4, 0.5);
    const { iv, jac } = s.jacobianNormalised(u);
    const same = s.predictNormalised(u);
    for (let g = 0; g < N_GRID; g++) assert.ok(Math.abs(iv[g] - same[g]) < 1e-6);
    const h = 1e-2;
    for (let d = 0; d < N_PARAMS; d++) {
      const up = Float64Array.from(u), dn = Float64Array.from(u);
      up[d] += h; dn[d] -= h;
      const a = s.predictNormalised(up), b = s.predictNormalised(dn);
      let worst = 0, scale = 0;
      for (let g = 0; g < N_GRID; g++) {
        worst = Math.max(worst, Math.abs((a[g] - b[g]) / (2 * h) - jac[g * N_PARAMS + d]));
        scale = Math.max(scale, Math.abs(jac[g * N_PARAMS + d]));
      }
      assert.ok(worst < 0.02 * scale + 1e-4, `param ${d}: ${worst} vs scale ${scale}`);
    }
    assert.equal(tf.memory().numTensors, base);
    assert.throws(() => s.predict([0.04, 1]), /multiple of 5/);
  } finally {
    s.dispose();
  }
  assert.ok(tf.memory().numTensors < base);
});
