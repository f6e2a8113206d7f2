import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fft } from './fft.ts';
import { FgnSampler, fgnAutocovariance, fractionalBrownianMotion } from './fbm.ts';
import { randomStream } from './mc-random.ts';

describe('fft', () => {
  test('matches the direct DFT sum_j x_j exp(-2 pi i j k / n)', () => {
    const rng = randomStream(1);
    for (const n of [1, 2, 8, 64]) {
      const re = rng.fillNormals(new Float64Array(n));
      const im = rng.fillNormals(new Float64Array(n));
      const [r0, i0] = [re.slice(), im.slice()];
      fft(re, im);
      for (let k = 0; k < n; k++) {
        let sr = 0;
        let si = 0;
        for (let j = 0; j < n; j++) {
          const a = (-2 * Math.PI * j * k) / n;
          sr += r0[j] * Math.cos(a) - i0[j] * Math.sin(a);
          si += r0[j] * Math.sin(a) + i0[j] * Math.cos(a);
        }
        assert.ok(Math.abs(re[k] - sr) < 1e-12 * n && Math.abs(im[k] - si) < 1e-12 * n, `n ${n}, k ${k}`);
      }
    }
    assert.throws(() => fft(new Float64Array(6), new Float64Array(6)), /power of two/);
  });
});

describe('fractional Gaussian noise (Davies-Harte)', () => {
  test('autocovariance formula: white noise at H = 1/2, and gamma(0) = 1', () => {
    assert.equal(fgnAutocovariance(0, 0.3), 1);
    for (let k = 1; k < 5; k++) assert.ok(Math.abs(fgnAutocovariance(k, 0.5)) < 1e-15);
    assert.ok(fgnAutocovariance(1, 0.2) < 0 && fgnAutocovariance(1, 0.8) > 0);
  });

  for (const H of [0.1, 0.75]) {
    test(`H = ${H}: sample autocovariances at lags 0..4 match gamma(k) within 4 standard errors`, () => {
      // each replicate gives c_k = mean_t X_t X_{t+k}; replicates are independent, so the
      // standard error of their mean is their standard deviation / sqrt(R)
      const n = 64;
      const R = 3000;
      const s = new FgnSampler(n, H);
      const rng = randomStream(17);
      const c = Array.from({ length: 5 }, () => new Float64Array(R));
      const x = new Float64Array(n);
      for (let r = 0; r < R; r++) {
        s.sample(rng, x);
        for (let k = 0; k < 5; k++) {
          let acc = 0;
          for (let t = 0; t + k < n; t++) acc += x[t] * x[t + k];
          c[k][r] = acc / (n - k);
        }
      }
      for (let k = 0; k < 5; k++) {
        const m = c[k].reduce((a, b) => a + b, 0) / R;
        const sd = Math.sqrt(c[k].reduce((a, b) => a + (b - m) ** 2, 0) / (R - 1));
        const g = fgnAutocovariance(k, H);
        assert.ok(Math.abs(m - g) < (4 * sd) / Math.sqrt(R), `lag ${k}: ${m} vs ${g}`);
      }
    });
  }

  test('fBm has Var B_H(T) = T^2H (over many paths) and starts at 0', () => {
    const H = 0.3;
    const T = 2;
    const rng = randomStream(23);
    const R = 4000;
    let s2 = 0;
    for (let r = 0; r < R; r++) {
      const p = fractionalBrownianMotion(16, H, rng, T);
      assert.equal(p[0], 0);
      s2 += p[16] ** 2;
    }
    const v = T ** (2 * H);
    // the mean of R squared normals of variance v has standard error v sqrt(2 / R)
    assert.ok(Math.abs(s2 / R - v) < 4 * v * Math.sqrt(2 / R), `Var ${s2 / R} vs ${v}`);
  });

  test('refuses bad parameters', () => {
    assert.throws(() => new FgnSampler(10, 1), /hurst must be in \(0, 1\)/);
    assert.throws(() => new FgnSampler(0, 0.5), /n must be an integer/);
    assert.throws(() => new FgnSampler(8, 0.5).sample(randomStream(1), new Float64Array(7)), /length 8/);
  });
});
