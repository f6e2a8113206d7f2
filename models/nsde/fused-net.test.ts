import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initTensorBackend, tf } from '../../src/tensor/backend.ts';
import { disposeModel, makeModel, normals, rollout, simulatePaths } from './simulate.ts';
import { loadWeights } from './weights.ts';
import { SIG_LEN } from './signature-step.ts';

await initTensorBackend();
const model = makeModel(loadWeights());
after(() => disposeModel(model));

test('the fused inference network simulates the same paths as the differentiable one (committed weights, float32)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e6 }), fc.double({ min: Math.log(0.008), max: Math.log(0.4), noNaN: true }), fc.double({ min: -0.05, max: 0.05, noNaN: true }), (seed, x0, sigScale) => {
      const n = 16, steps = 21;
      const sig0 = Float64Array.from({ length: n * SIG_LEN }, (_, i) => sigScale * Math.sin(i + seed));
      const z = normals(seed, 0, steps, n);
      const fast = simulatePaths(model, { n, x0: new Float64Array(n).fill(x0), sig0 }, steps, z);
      const slow = tf.tidy(() => {
        const r = rollout(model, tf.fill([n, 1], x0) as tf.Tensor2D, tf.tensor2d(Float32Array.from(sig0), [n, SIG_LEN]), tf.tensor2d(z, [steps, n]), steps, false);
        return r.xs.map((t) => t.dataSync().slice());
      });
      for (let k = 0; k < steps; k++)
        for (let p = 0; p < n; p++) {
          const a = fast[p * (steps + 1) + k + 1], b = slow[k][p];
          // Float32 rounding through 21 steps of two 3-layer networks: 1e-4 in log variance is 0.005% of VIX.
          assert.ok(Math.abs(a - b) < 1e-4, `path ${p} step ${k + 1}: fused ${a} vs differentiable ${b}`);
        }
    }),
    { numRuns: 20 },
  );
});
