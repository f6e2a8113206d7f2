import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initTensorBackend, tf } from './backend.ts';
import { tanh } from './ops.ts';

test('tanh through sigmoid equals tf.tanh in value and gradient (float32)', async () => {
  await initTensorBackend();
  const x = tf.linspace(-12, 12, 2001);
  const d = tf.max(tf.abs(tf.sub(tanh(x), tf.tanh(x)))).dataSync()[0];
  assert.ok(d < 5e-7, `max value difference ${d}`);
  const g1 = tf.grad((u: tf.Tensor) => tf.sum(tanh(u)))(x);
  const g2 = tf.grad((u: tf.Tensor) => tf.sum(tf.tanh(u)))(x);
  const dg = tf.max(tf.abs(tf.sub(g1, g2))).dataSync()[0];
  assert.ok(dg < 1e-6, `max gradient difference ${dg}`);
  tf.dispose([x, g1, g2]);
});
