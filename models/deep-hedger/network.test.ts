import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomStream } from '../../src/quant/mc-random.ts';
import { initTensorBackend, tf } from '../../src/tensor/backend.ts';
import { N_FEATURES } from './features.ts';
import { deepHedgerFrom } from './live.ts';
import { disposeTfPolicy, forwardRatios, fromTfPolicy, initPolicyArrays, ratiosJs, toTfPolicy } from './network.ts';
import { makeSetup } from './setup.ts';

await initTensorBackend();

function features(n: number, N: number, seed: number): Float32Array {
  const rng = randomStream(seed);
  const x = new Float32Array(n * N * N_FEATURES);
  for (let k = 0; k < x.length; k += N_FEATURES) {
    x[k] = 1 + 0.05 * rng.normal();
    x[k + 1] = rng.uniform();
    x[k + 2] = 0.01 * rng.normal();
    x[k + 3] = 0.15 + 0.05 * rng.uniform();
  }
  return x;
}

test('the plain-JS cell (live) and the tfjs cell (training) give the same ratios', () => {
  const n = 7, N = 9;
  const p = initPolicyArrays(16, 5, Float64Array.of(1, 0.5, 0, 0.15), Float64Array.of(0.05, 0.3, 0.01, 0.02));
  // a non-trivial head, so that every hidden unit matters
  p.Wo.forEach((_, j) => (p.Wo[j] = Math.sin(j + 1)));
  const x = features(n, N, 3);
  const js = ratiosJs(p, x, n, N);
  const tp = toTfPolicy(p);
  const xt = new Float32Array(N * n * N_FEATURES);
  for (let i = 0; i < n; i++) for (let t = 0; t < N; t++) for (let f = 0; f < N_FEATURES; f++) xt[(t * n + i) * N_FEATURES + f] = x[(i * N + t) * N_FEATURES + f];
  const r = tf.tidy(() => forwardRatios(tp, tf.tensor3d(xt, [N, n, N_FEATURES])).arraySync());
  for (let i = 0; i < n; i++) for (let t = 0; t < N; t++) assert.ok(Math.abs(r[i][t] - js[i * N + t]) < 1e-4, `path ${i} date ${t}: ${r[i][t]} vs ${js[i * N + t]}`);
  // the arrays round-trip through the variables
  const back = fromTfPolicy(tp);
  assert.deepEqual(back.Wh, p.Wh);
  disposeTfPolicy(tp);
});

test('DeepHedger.ratio steps one position like the batch, and leaves the given state alone', () => {
  const N = 6;
  const p = initPolicyArrays(8, 9, Float64Array.of(1, 0.5, 0, 0.15), Float64Array.of(0.05, 0.3, 0.01, 0.02));
  const x = features(1, N, 4);
  const batch = ratiosJs(p, x, 1, N);
  const d = deepHedgerFrom(p, makeSetup('bs'));
  let s = d.initialState();
  for (let t = 0; t < N; t++) {
    const f = { price: x[t * 4], timeToMaturity: x[t * 4 + 1], logReturn: x[t * 4 + 2], vol: x[t * 4 + 3] };
    const before = Float64Array.from(s.h);
    const { ratio, next } = d.ratio(s, f);
    assert.deepEqual(s.h, before);
    assert.ok(Math.abs(ratio - batch[t]) < 1e-12);
    assert.equal(next.steps, t + 1);
    s = next;
  }
  assert.throws(() => d.ratio({ h: new Float64Array(3), steps: 0 }, { price: 1, timeToMaturity: 1, logReturn: 0, vol: 0.2 }), /state\.h/);
  assert.throws(() => d.ratio(d.initialState(), { price: NaN, timeToMaturity: 1, logReturn: 0, vol: 0.2 }), /features\.price/);
});
