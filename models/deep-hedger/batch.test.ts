import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initTensorBackend, tf } from '../../src/tensor/backend.ts';
import { DeepHedgerBatch, featureRows, previewRatiosTf } from './batch.ts';
import type { HedgeFeatures } from './features.ts';
import { loadDeepHedger, type DeepHedgerState } from './live.ts';
import { disposeTfPolicy, toTfPolicy } from './network.ts';

await initTensorBackend();
const hedger = await loadDeepHedger('heston');

const feature = fc.record({
  price: fc.double({ min: 0.85, max: 1.15, noNaN: true }),
  timeToMaturity: fc.double({ min: 0, max: 1, noNaN: true }),
  logReturn: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
  vol: fc.double({ min: 0.08, max: 0.5, noNaN: true }),
});

/** Each position: a history of committed steps (its state) and the features of the step previewed now. */
const positions = fc.array(fc.record({ history: fc.array(feature, { maxLength: 5 }), now: feature }), { minLength: 1, maxLength: 12 });

const stateAfter = (history: readonly HedgeFeatures[]): DeepHedgerState => history.reduce((s, f) => hedger.ratio(s, f).next, hedger.initialState());

test('the batched preview (folded step, fast-step.ts) equals a full step of each position (committed weights)', () => {
  fc.assert(
    fc.property(positions, (ps) => {
      const batch = new DeepHedgerBatch(hedger.policy, ps.length + 2);
      const states = ps.map((p) => stateAfter(p.history));
      states.forEach((s, i) => batch.setState(i, s.h));
      const got = batch.preview(featureRows(ps.map((p) => p.now)), ps.length);
      ps.forEach((p, i) => {
        const want = hedger.ratio(states[i], p.now).ratio;
        // The same step rearranged, exponentials from a table within 1e-15: about 1e-15 apart.
        assert.ok(Math.abs(got[i] - want) < 1e-12, `position ${i}: ${got[i]} vs ${want}`);
      });
    }),
    { numRuns: 50 },
  );
});

test('the tfjs batched step equals the plain-JS step within float32 rounding', () => {
  const tp = toTfPolicy(hedger.policy);
  try {
    fc.assert(
      fc.property(positions, (ps) => {
        const states = ps.map((p) => stateAfter(p.history));
        const H = hedger.policy.hidden;
        const h = new Float32Array(ps.length * H);
        states.forEach((s, i) => h.set(s.h, i * H));
        const x = Float32Array.from(featureRows(ps.map((p) => p.now)));
        const got = tf.tidy(() => previewRatiosTf(tp, tf.tensor2d(h, [ps.length, H]), tf.tensor2d(x, [ps.length, 4])).dataSync());
        ps.forEach((p, i) => {
          const want = hedger.ratio(states[i], p.now).ratio;
          assert.ok(Math.abs(got[i] - want) < 1e-4, `position ${i}: ${got[i]} vs ${want}`);
        });
      }),
      { numRuns: 20 },
    );
  } finally {
    disposeTfPolicy(tp);
  }
});

test('bad input is named', () => {
  assert.throws(() => new DeepHedgerBatch(hedger.policy, 0), /size must be/);
  const b = new DeepHedgerBatch(hedger.policy, 2);
  assert.throws(() => b.setState(2, new Float64Array(hedger.policy.hidden)), /position index/);
  assert.throws(() => b.setState(0, new Float64Array(3)), /state must have/);
  assert.throws(() => b.preview(new Float64Array(4), 2), /x must hold 2 x 4/);
  assert.throws(() => featureRows([{ price: 1, timeToMaturity: NaN, logReturn: 0, vol: 0.2 }]), /timeToMaturity/);
});
