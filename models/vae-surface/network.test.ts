import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { initTensorBackend, tf } from '../../src/tensor/backend.ts';
import { N_GRID, gridPoints } from '../surrogate/grid.ts';
import { completeSurface } from './complete.ts';
import { sviSurfaces } from './data.ts';
import { DEFAULT_CONFIG, decode, disposeWeights, encode, initWeights, pointFeatures } from './network.ts';

describe('VAE network', () => {
  test('forward pass shapes: encoder [B, 96] -> [B, L] twice, decoder [B, L] x [P, 4] -> [B, P], positive vols', async () => {
    await initTensorBackend();
    const w = initWeights(DEFAULT_CONFIG, 1);
    const before = tf.memory().numTensors;
    const iv = sviSurfaces(3, 1);
    const g = gridPoints();
    const out = tf.tidy(() => {
      const { mean, logVar } = encode(w, tf.tensor2d(iv, [3, N_GRID]));
      assert.deepEqual(mean.shape, [3, DEFAULT_CONFIG.latent]);
      assert.deepEqual(logVar.shape, [3, DEFAULT_CONFIG.latent]);
      return decode(w, mean, tf.tensor2d(pointFeatures(g.k.subarray(0, 7), g.T.subarray(0, 7)), [7, 4]));
    });
    assert.deepEqual(out.shape, [3, 7]);
    for (const v of out.dataSync()) assert.ok(v > 0 && Number.isFinite(v));
    out.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked by encode/decode');
    disposeWeights(w);
  });

  test('completion leaks no tensors and rejects bad points by name', async () => {
    await initTensorBackend();
    const w = initWeights(DEFAULT_CONFIG, 2);
    const before = tf.memory().numTensors;
    const c = completeSurface(w, { k: [0, 0.1, -0.1], T: [0.5, 0.5, 1], iv: [0.2, 0.19, 0.22] }, { steps: 5, starts: 2 });
    assert.equal(c.z.length, DEFAULT_CONFIG.latent);
    assert.equal(c.predict([0.05], [0.7]).length, 1);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked by completeSurface');
    assert.throws(() => completeSurface(w, { k: [0], T: [1], iv: [Number.NaN] }), /points\.iv\[0\]/);
    assert.throws(() => pointFeatures([0], [0]), /T > 0/);
    disposeWeights(w);
  });
});
