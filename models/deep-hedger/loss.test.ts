import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initTensorBackend, tf } from '../../src/tensor/backend.ts';
import { MSE_LOSS, SEED_LOSS, objectiveTf, parseLoss, shortfallJs, shortfallStats, shortfallTf } from './loss.ts';

await initTensorBackend();

/** The seed's own form: V_T = sum -dH S_t - c sum |dH| S_t + H_{N-1} S_N, L = payoff - p - V_T. */
function seedShortfall(H: number[], S: number[], K: number, p: number, c: number): number {
  const N = H.length;
  let V = 0, prev = 0;
  for (let t = 0; t < N; t++) {
    const dH = H[t] - prev;
    V += -dH * S[t] - c * Math.abs(dH) * S[t];
    prev = H[t];
  }
  V += H[N - 1] * S[N];
  return Math.max(S[N] - K, 0) - p - V;
}

const pathArb = fc.integer({ min: 1, max: 12 }).chain((N) =>
  fc.record({
    H: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: N, maxLength: N }),
    S: fc.array(fc.double({ min: 50, max: 150, noNaN: true }), { minLength: N + 1, maxLength: N + 1 }),
    c: fc.double({ min: 0, max: 0.01, noNaN: true }),
    p: fc.double({ min: 0, max: 10, noNaN: true }),
  }),
);

test('shortfallJs (gains form) equals the seed-form P&L with costs', () => {
  fc.assert(fc.property(pathArb, ({ H, S, c, p }) => {
    const L = shortfallJs(H, S, 1, H.length, 100, p, c)[0];
    const ref = seedShortfall(H, S, 100, p, c);
    assert.ok(Math.abs(L - ref) <= 1e-9 * (1 + Math.abs(ref)), `${L} vs ${ref}`);
  }));
});

test('shortfallTf equals shortfallJs (float32)', () => {
  fc.assert(fc.property(fc.array(pathArb, { minLength: 1, maxLength: 1 }), ([{ H, S, c, p }]) => {
    const N = H.length;
    const L = tf.tidy(() => shortfallTf(tf.tensor2d(H, [1, N]), tf.tensor2d(S, [1, N + 1]), 100, p, c).dataSync()[0]);
    const ref = shortfallJs(H, S, 1, N, 100, p, c)[0];
    assert.ok(Math.abs(L - ref) <= 1e-3 * (1 + Math.abs(ref)), `${L} vs ${ref}`);
  }), { numRuns: 40 });
});

test('shortfallStats: the CVaR is the mean of the worst 10%', () => {
  const L = Array.from({ length: 100 }, (_, i) => i + 1);
  const s = shortfallStats(L);
  assert.equal(s.var, 91);
  assert.equal(s.cvar, (91 + 100) / 2);
  assert.equal(s.mse, L.reduce((a, x) => a + x * x, 0) / 100);
  assert.equal(s.objective, s.cvar + 0.1 * s.mse);
  assert.throws(() => shortfallStats([]), /no paths/);
});

test('Rockafellar-Uryasev: the training objective at w = VaR equals the empirical CVaR + 0.1 MSE, and no w does better', () => {
  fc.assert(fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 20, maxLength: 20 }), fc.double({ min: -6, max: 6, noNaN: true }), (xs, w) => {
    // 20 paths: the worst 10% are exactly 2, so the RU minimum is attained at the VaR
    const s = shortfallStats(xs, SEED_LOSS);
    const at = (ww: number) => tf.tidy(() => objectiveTf(tf.tensor1d(xs), tf.scalar(ww), null, SEED_LOSS).dataSync()[0]);
    assert.ok(Math.abs(at(s.var) - s.objective) < 1e-4, `${at(s.var)} vs ${s.objective}`);
    assert.ok(at(w) >= s.objective - 1e-4);
  }), { numRuns: 40 });
});

test('the itm scope averages over the masked paths only', () => {
  const L = [1, 2, 3, 4];
  const v = tf.tidy(() => objectiveTf(tf.tensor1d(L), tf.scalar(10), tf.tensor1d([0, 1, 0, 1]), { ...SEED_LOSS, scope: 'itm' }).dataSync()[0]);
  // w = 10 above every L: tail term 0, MSE over {2, 4} = 10
  assert.ok(Math.abs(v - (10 + 0.1 * 10)) < 1e-5, String(v));
});

test('the mse objective is E[L^2] whatever w, and the CLI names resolve', () => {
  fc.assert(fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 5, maxLength: 30 }), fc.double({ min: -6, max: 6, noNaN: true }), (xs, w) => {
    const mse = xs.reduce((a, x) => a + x * x, 0) / xs.length;
    const v = tf.tidy(() => objectiveTf(tf.tensor1d(xs), tf.scalar(w), null, MSE_LOSS).dataSync()[0]);
    assert.ok(Math.abs(v - mse) < 1e-4 * Math.max(1, mse), `${v} vs ${mse}`);
    assert.ok(Math.abs(shortfallStats(xs, MSE_LOSS).objective - mse) < 1e-9 * Math.max(1, mse));
  }), { numRuns: 40 });
  assert.equal(parseLoss('seed'), SEED_LOSS);
  assert.equal(parseLoss('mse'), MSE_LOSS);
  assert.throws(() => parseLoss('constructor', '--loss'), /--loss: unknown objective "constructor" \(known: seed, mse\)/);
});
