import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initTensorBackend, tf } from './backend.ts';

test('auto picks the fastest backend that loads here, and tfjs ops run on it', async () => {
  const info = await initTensorBackend('auto');
  // CI has neither native package (they download libtensorflow at install), so WASM is expected
  // there; a machine with tfjs-node(-gpu) installed reports "tensorflow".
  assert.ok(['tensorflow', 'wasm', 'cpu'].includes(info.backend), info.backend);
  assert.equal(tf.getBackend(), info.backend);
  const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]])).dataSync());
  assert.deepEqual(Array.from(y), [17, 39]);
  if (info.backend !== 'tensorflow') assert.ok(info.skipped.some((s) => s.includes('tfjs-node')), 'says why the native backends were passed over');
});
