import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chenUpdate } from '../../src/quant/signature.ts';
import { tf } from '../../src/tensor/backend.ts';
import { chenStepMatrix, chenStepTf, SIG_LEN, STEP_ROWS } from './signature-step.ts';

const step64 = (W: Float64Array, s: ArrayLike<number>, y: number): Float64Array => {
  const f = [...Array.from(s), ...Array.from(s, (v) => v * y), ...Array.from(s, (v) => v * y * y), 1, y, y * y, y * y * y];
  const out = new Float64Array(SIG_LEN);
  for (let k = 0; k < SIG_LEN; k++) for (let r = 0; r < STEP_ROWS; r++) out[k] += f[r] * W[r * SIG_LEN + k];
  return out;
};

test('from the trivial signature one step gives the tensor exponential of the segment (dt, y)', () => {
  // A straight segment's signature is exp(dx) truncated: dx, dx⊗dx / 2!, dx⊗dx⊗dx / 3!
  // (Lyons, Caruana and Lévy, "Differential equations driven by rough paths", 2007, section 2.2).
  const dt = 0.5;
  const y = -0.8;
  const dx = [dt, y];
  const expected = [...dx];
  for (const i of dx) for (const j of dx) expected.push((i * j) / 2);
  for (const i of dx) for (const j of dx) for (const k of dx) expected.push((i * j * k) / 6);
  const got = step64(chenStepMatrix(dt), new Float64Array(SIG_LEN), y);
  expected.forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 1e-14, `word ${i}: ${got[i]} vs ${v}`));
});

test('the matrix step equals the quant core Chen update for any signature, dt and increment', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: SIG_LEN, maxLength: SIG_LEN }),
      fc.double({ min: 1e-4, max: 1, noNaN: true }),
      fc.double({ min: -3, max: 3, noNaN: true }),
      (s, dt, y) => {
        const ref = Float64Array.from(s);
        chenUpdate(ref, 0, [dt, y], 0, 2);
        const got = step64(chenStepMatrix(dt), s, y);
        for (let i = 0; i < SIG_LEN; i++) assert.ok(Math.abs(got[i] - ref[i]) <= 1e-11 * (1 + Math.abs(ref[i])), `word ${i}: ${got[i]} vs ${ref[i]}`);
      },
    ),
    { numRuns: 200 },
  );
});

test('the tfjs step runs a batch of paths as the quant core does (float32 tolerance) and is differentiable', () => {
  const dt = 1 / 252;
  const W = tf.tensor2d(Float32Array.from(chenStepMatrix(dt)), [STEP_ROWS, SIG_LEN]);
  const ys = [[0.1, -0.05, 0.2], [-0.3, 0.02, 0.07]];
  let sig = tf.zeros([2, SIG_LEN]) as tf.Tensor2D;
  const ref = [new Float64Array(SIG_LEN), new Float64Array(SIG_LEN)];
  for (let k = 0; k < 3; k++) {
    const next = chenStepTf(sig, tf.tensor2d([ys[0][k], ys[1][k]], [2, 1]), W);
    sig.dispose();
    sig = next;
    ref.forEach((r, p) => chenUpdate(r, 0, [dt, ys[p][k]], 0, 2));
  }
  const got = sig.arraySync();
  ref.forEach((r, p) => r.forEach((v, i) => assert.ok(Math.abs(got[p][i] - v) < 1e-6 * (1 + Math.abs(v)), `path ${p} word ${i}: ${got[p][i]} vs ${v}`)));
  // d(XX)/dy = y for one step from 0 (XX = y^2 / 2)
  const g = tf.grad((y: tf.Tensor) => tf.sum(tf.slice(chenStepTf(tf.zeros([1, SIG_LEN]) as tf.Tensor2D, y as tf.Tensor2D, W), [0, 5], [1, 1])))(tf.tensor2d([[0.3]]));
  assert.ok(Math.abs(g.dataSync()[0] - 0.3) < 1e-6);
  tf.dispose([sig, W, g]);
});

test('a bad dt is rejected by name', () => {
  assert.throws(() => chenStepMatrix(0), /dt must be a finite number > 0/);
});
