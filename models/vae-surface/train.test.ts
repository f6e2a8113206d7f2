import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initTensorBackend, tf } from '../../src/tensor/backend.ts';
import { trainVaeSurface } from './train.ts';

test('a tiny training run gives finite metrics and leaks no tensors', async () => {
  await initTensorBackend();
  const before = tf.memory().numTensors;
  const epochs: number[] = [];
  const m = await trainVaeSurface({
    seed: 7, outDir: null, workers: 0, cachePath: null,
    config: { nHeston: 12, nBates: 6, nSvi: 30, epochs: 2, batch: 16, nCompletion: 1 },
    onProgress: (p) => { if (p.epoch) epochs.push(p.epoch); },
  });
  assert.deepEqual(epochs, [1, 2]);
  assert.ok(Number.isFinite(m.finalLoss) && Number.isFinite(m.valRmse.all));
  assert.equal(m.weightsPath, null);
  assert.equal(m.surfaces.train + m.surfaces.val, m.surfaces.byFamily.heston + m.surfaces.byFamily.bates + m.surfaces.byFamily.svi);
  assert.equal(tf.memory().numTensors, before);
});
