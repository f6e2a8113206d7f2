import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTensorBackend, tf } from '../../src/tensor/backend.ts';
import { N_GRID, gridPoints } from '../surrogate/grid.ts';
import { completeSurface } from './complete.ts';
import { sviSurfaces } from './data.ts';
import { DEFAULT_CONFIG, disposeWeights, initWeights } from './network.ts';
import { REFERENCE_N, REFERENCE_SVI_SEED, reconstructionRmse } from './reconstruct.ts';
import { DEFAULT_MODEL_DIR, loadWeights, saveWeights } from './weights.ts';

describe('VAE weights', () => {
  test('save then load gives the same values', async () => {
    await initTensorBackend();
    const dir = mkdtempSync(join(tmpdir(), 'vae-w-'));
    try {
      const w = initWeights(DEFAULT_CONFIG, 3);
      await saveWeights(w, dir, 3);
      const r = loadWeights(dir);
      for (const [name, v] of w.vars) assert.deepEqual(r.vars.get(name)?.dataSync(), v.dataSync(), name);
      disposeWeights(w);
      disposeWeights(r);
    } finally {
      rmSync(dir, { recursive: true });
    }
    assert.throws(() => loadWeights(join(tmpdir(), 'no-such-vae-dir')), /cannot read VAE weights/);
  });

  test('committed weights reproduce the reconstruction RMSE stored in metrics.json', async () => {
    await initTensorBackend();
    const m = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'metrics.json'), 'utf8')) as { reference: { sviSeed: number; n: number; reconRmse: number } };
    assert.equal(m.reference.sviSeed, REFERENCE_SVI_SEED);
    const w = loadWeights();
    const before = tf.memory().numTensors;
    const r = reconstructionRmse(w, sviSurfaces(REFERENCE_N, REFERENCE_SVI_SEED), REFERENCE_N);
    assert.equal(tf.memory().numTensors, before);
    // float32 network; the stored value was computed by the same code on the same kind of backend
    assert.ok(Math.abs(r - m.reference.reconRmse) < 1e-5, `${r} vs stored ${m.reference.reconRmse}`);
    disposeWeights(w);
  });

  test('completion of a synthetic surface from 30% of its grid beats a constant on the rest', async () => {
    await initTensorBackend();
    const w = loadWeights();
    const g = gridPoints();
    // A surface from a seed the training set did not use
    const iv = sviSurfaces(1, 4242);
    const known: number[] = [], hidden: number[] = [];
    for (let i = 0; i < N_GRID; i++) ((i * 7) % 10 < 3 ? known : hidden).push(i);
    const pick = (idx: number[], a: ArrayLike<number>): number[] => idx.map((i) => a[i]);
    const kIv = pick(known, iv);
    const c = completeSurface(w, { k: pick(known, g.k), T: pick(known, g.T), iv: kIv }, { steps: 200, starts: 4 });
    const pred = c.predict(pick(hidden, g.k), pick(hidden, g.T));
    const mean = kIv.reduce((a, v) => a + v, 0) / kIv.length;
    let seV = 0, seC = 0;
    hidden.forEach((i, j) => { seV += (pred[j] - iv[i]) ** 2; seC += (mean - iv[i]) ** 2; });
    assert.ok(seV < 0.25 * seC, `VAE RMSE ${Math.sqrt(seV / hidden.length)} vs constant ${Math.sqrt(seC / hidden.length)}`);
    disposeWeights(w);
  });
});
