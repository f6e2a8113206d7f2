import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomStream } from '../../src/quant/mc-random.ts';
import { simulateLogOu } from './calibrate.ts';
import { logOuVixMean, smileFromLogReturns, spotLogReturns } from './pricing.ts';

test("the log-OU model's closed-form E[VIX_T] agrees with its exact simulation", () => {
  const p = { kappa: 4.2, theta: -3.36, sigma: 2 };
  const n = 40000;
  const steps = 20;
  const z = new Float64Array(n * steps);
  randomStream(5, 0).fillNormals(z);
  const x = simulateLogOu(p, new Array(n).fill(-2.5), steps, 1 / 252, z);
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = 100 * Math.exp(x[i * (steps + 1) + steps] / 2);
    s += v;
    s2 += v * v;
  }
  const mean = s / n;
  const se = Math.sqrt((s2 / n - mean * mean) / n);
  const cf = logOuVixMean(p, -2.5, steps / 252);
  assert.ok(Math.abs(mean - cf) < 4 * se, `MC ${mean} ± ${se} vs closed form ${cf}`);
});

test('a constant variance gives a flat smile at its volatility (Black-Scholes), whatever rho', () => {
  const n = 40000;
  const steps = 20;
  const dt = 1 / 252;
  const x = new Float64Array(n * (steps + 1)).fill(Math.log(0.04));
  const z = new Float64Array(n * steps);
  randomStream(6, 0).fillNormals(z);
  for (const rho of [-0.7, 0]) {
    const r = spotLogReturns(x, n, steps, dt, rho, Float32Array.from(z), 9);
    const iv = smileFromLogReturns(r, 4700, steps * dt, [-0.05, 0, 0.05]);
    // MC error of a 20-day ATM vol from 40,000 paths is about 0.2 vol points.
    for (const v of iv) assert.ok(Math.abs(v - 0.2) < 0.006, `iv ${v} at rho ${rho}`);
  }
});
