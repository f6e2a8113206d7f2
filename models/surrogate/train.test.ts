import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTensorBackend, tf } from '../../src/tensor/backend.ts';
import { N_GRID } from './grid.ts';
import { N_PARAMS, latinHypercube, vectorToParams } from './param-box.ts';
import { exactSurface } from './exact-surface.ts';
import { evaluateSurfaces } from './evaluate.ts';
import { loadSurrogate } from './surrogate.ts';
import { trainSurrogate, type SurrogateProgress } from './train.ts';

const tiny = { nSurfaces: 160, width: 16, blocks: 2, nComp: 8, maxEpochs: 2, batch: 32, workers: 0, validShare: 0.1, testShare: 0.1 };

test('smoke run: trains, writes, reloads to the same test metrics, leaks no tensors', async () => {
  await initTensorBackend();
  const dir = mkdtempSync(join(tmpdir(), 'surrogate-train-'));
  try {
    const before = tf.memory().numTensors;
    const phases = new Set<SurrogateProgress['phase']>();
    const m = await trainSurrogate({ seed: 3, outDir: dir, cachePath: null, config: tiny, onProgress: (e) => phases.add(e.phase) });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual([...phases], ['data', 'pca', 'train', 'evaluate', 'write', 'done']);
    assert.equal(m.training.epochs, 2);
    assert.equal(m.data.train + m.data.valid + m.data.test, m.data.generated - m.data.flagged);
    assert.equal(m.testIndices.length, m.data.test);

    const s = await loadSurrogate(dir);
    const all = latinHypercube(tiny.nSurfaces, 3);
    const params = new Float64Array(m.testIndices.length * N_PARAMS);
    const exact = new Float64Array(m.testIndices.length * N_GRID);
    m.testIndices.forEach((r, i) => {
      params.set(all.subarray(r * N_PARAMS, (r + 1) * N_PARAMS), i * N_PARAMS);
      exactSurface(vectorToParams(all, r * N_PARAMS), exact, i * N_GRID);
    });
    const loaded = tf.memory().numTensors;
    const pred = s.predict(params);
    s.jacobianNormalised(new Float64Array(N_PARAMS));
    assert.equal(tf.memory().numTensors, loaded);
    const ev = evaluateSurfaces(pred, exact, m.testIndices.length);
    assert.ok(Math.abs(ev.all.rmse - m.test.all.rmse) < 1e-6, `${ev.all.rmse} vs ${m.test.all.rmse}`);
    s.dispose();
    assert.equal(tf.memory().numTensors, before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an aborted signal stops training', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(trainSurrogate({ outDir: tmpdir(), cachePath: null, config: tiny, signal: ac.signal }), /aborted/);
});
