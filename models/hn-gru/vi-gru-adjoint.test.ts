import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hnSimulateReturns } from '../../src/quant/hn-simulate.ts';
import { randomStream } from '../../src/quant/mc-random.ts';
import { viNll, viNllGrad } from './vi-gru-adjoint.ts';
import { VI_N, viInitialTheta } from './vi-gru-params.ts';

// HN parameters of the heston-nandi bench (natural units), in percent units for the model
const HN_PCT = { omega: 2.3e-6 * 1e4, alpha: 2.9e-6 * 1e4, beta: 0.85, gamma: 184.25 / 100, lambda: -0.5 / 100 };

function series(n: number, seed: number): { y: Float64Array; rv: Float64Array } {
  const s = hnSimulateReturns({ omega: 2.3e-6, alpha: 2.9e-6, beta: 0.85, gamma: 184.25, lambda: 2 }, n, { seed });
  const rng = randomStream(seed + 1);
  const y = s.returns.map((r) => 100 * r);
  // a noisy realized variance around the true variance (as Garman-Klass is)
  const rv = Float64Array.from(s.h.subarray(0, n), (h) => 1e4 * h * (0.5 + rng.uniform()));
  return { y, rv };
}

function checkGradient(theta: Float64Array, y: Float64Array, rv: Float64Array, from: number, to: number): void {
  const st0 = { s: 0.2, eta: 1.1, h: 0.9 };
  const g = new Float64Array(VI_N);
  const { nll } = viNllGrad(theta, y, rv, from, to, st0, g);
  assert.equal(nll, viNll(theta, y, rv, from, to, st0), 'the adjoint forward pass is the plain forward pass');
  for (let i = 0; i < VI_N; i++) {
    const e = 1e-5 * (1 + Math.abs(theta[i]));
    const a = Float64Array.from(theta);
    const b = Float64Array.from(theta);
    a[i] += e;
    b[i] -= e;
    const fd = (viNll(a, y, rv, from, to, st0) - viNll(b, y, rv, from, to, st0)) / (2 * e);
    // central differences are good to about e^2 ~ 1e-10 relative; the adjoint must agree to 1e-6
    assert.ok(Math.abs(g[i] - fd) <= 1e-6 * Math.abs(fd) + 1e-9, `d nll / d theta[${i}]: adjoint ${g[i]} vs central difference ${fd}`);
  }
}

test('adjoint gradient equals central differences at the initial weights', () => {
  const { y, rv } = series(400, 11);
  checkGradient(viInitialTheta(HN_PCT, 1.2, 5), y, rv, 0, 400);
});

test('adjoint gradient equals central differences at random weights, over a window not starting at day 0', () => {
  const { y, rv } = series(500, 12);
  const rng = randomStream(99);
  const theta = viInitialTheta(HN_PCT, 1.2, 6);
  for (let i = 0; i < VI_N; i++) theta[i] += 0.4 * rng.normal();
  checkGradient(theta, y, rv, 100, 500);
});
