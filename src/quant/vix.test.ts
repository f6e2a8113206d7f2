import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { hestonPrices } from './heston.ts';
import {
  batesVix,
  expectedLogAffineCir,
  expectedSqrtAffineCir,
  hestonVix,
  jumpVariance,
  modelVvix,
  vixFuture,
  vixSquaredCoefficients,
  VIX_TAU,
} from './vix.ts';

const EULER_GAMMA = 0.5772156649015329;
const close = (x: number, y: number, rel: number, what: string) =>
  assert.ok(Math.abs(x - y) <= rel * Math.abs(y), `${what}: ${x} vs ${y} (rel tol ${rel})`);

/** Exact draws of the CIR transition: v_T = c X, X noncentral chi-square, as a Poisson mixture of gammas. */
function cirSampler(seed: number, v0: number, kappa: number, theta: number, sigma: number, T: number) {
  const rng = xoroshiro128plus(seed);
  const u = () => uniformFloat64(rng);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  // Marsaglia and Tsang (2000), with the u^{1/shape} boost for shape < 1.
  const gamma = (shape: number): number => {
    if (shape < 1) return gamma(shape + 1) * Math.pow(u(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const z = normal();
      const w = 1 + c * z;
      if (w <= 0) continue;
      const v = w * w * w;
      if (Math.log(1 - u()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  const e = Math.exp(-kappa * T);
  const c = (sigma * sigma * (1 - e)) / (4 * kappa);
  const df = (4 * kappa * theta) / (sigma * sigma);
  const halfLambda = (v0 * e) / (2 * c);
  return (): number => {
    let n = 0;
    let p = Math.exp(-halfLambda);
    let cdf = p;
    const x = u();
    while (x > cdf && n < 1000) {
      n++;
      p *= halfLambda / n;
      cdf += p;
    }
    return c * 2 * gamma(df / 2 + n);
  };
}

describe('VIX from Heston/Bates', () => {
  test('VIX^2 is the average expected variance over 30 days', () => {
    const p = { kappa: 2, theta: 0.04, sigma: 0.5 };
    // At v = theta the expected variance is flat: VIX = 100 sqrt(theta) for any tau.
    close(hestonVix(0.04, p), 20, 1e-14, 'v = theta');
    // Derivable: (1/tau) int_0^tau (theta + (v - theta) e^{-kappa t}) dt, integrated by the midpoint rule.
    const v = 0.09;
    let s = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) s += 0.04 + (v - 0.04) * Math.exp(-2 * VIX_TAU * ((i + 0.5) / n));
    close(hestonVix(v, p), 100 * Math.sqrt(s / n), 1e-9, 'average expected variance');
    // kappa -> 0: the variance is a martingale, VIX = 100 sqrt(v).
    close(hestonVix(0.0625, { kappa: 0, theta: 0.04, sigma: 0.5 }), 25, 1e-12, 'kappa = 0');
  });

  test('Bates adds the log-contract jump variance 2 lambda (E[e^J] - 1 - E[J])', () => {
    const p = { kappa: 2, theta: 0.04, sigma: 0.5, lambda: 0.5, muJ: -0.1, sigmaJ: 0.15 };
    // E[e^J] - 1 - E[J] = e^{-0.1 + 0.01125} - 1 + 0.1, times 2 lambda = 1.
    const jv = Math.exp(-0.08875) - 1 + 0.1;
    close(jumpVariance(p), jv, 1e-14, 'jump variance');
    close(batesVix(0.04, p), 100 * Math.sqrt(0.04 + jv), 1e-14, 'Bates VIX at v = theta');
    assert.equal(jumpVariance({ lambda: 0 }), 0);
    assert.ok(batesVix(0.04, p) > hestonVix(0.04, p));
  });

  test('VIX equals the CBOE log-contract replication over the pricer\'s own option prices', () => {
    // VIX^2 = (2 e^{rT}/T) int Q(K)/K^2 dK over out-of-the-money options (CBOE VIX white paper;
    // Demeterfi, Derman, Kamal and Zou 1999), integrated on a fine log-strike grid.
    const cases = [
      { v0: 0.03, kappa: 1.6, theta: 0.07, sigma: 0.45, rho: -0.7 },
      { v0: 0.05, kappa: 1.6, theta: 0.07, sigma: 0.48, rho: -0.7, lambda: 0.77, muJ: -0.044, sigmaJ: 0.038 },
    ];
    for (const p of cases) {
      const S = 100;
      const r = 0.03;
      const q = 0.01;
      const T = VIX_TAU;
      const F = S * Math.exp((r - q) * T);
      const n = 6001;
      const lo = Math.log(F) - 2.5;
      const h = 4 / (n - 1);
      const K = new Float64Array(n);
      const call: boolean[] = [];
      for (let i = 0; i < n; i++) {
        K[i] = Math.exp(lo + i * h);
        call.push(K[i] >= F);
      }
      const Q = hestonPrices(p, S, T, r, q, K, call);
      let s = 0;
      for (let i = 0; i < n; i++) s += ((i === 0 || i === n - 1 ? 0.5 : 1) * Q[i] * h) / K[i];
      const replicated = 100 * Math.sqrt(((2 * Math.exp(r * T)) / T) * s);
      close('lambda' in p ? batesVix(p.v0, p) : hestonVix(p.v0, p), replicated, 1e-4, 'replicated VIX');
    }
  });

  test('bad input is named', () => {
    assert.throws(() => hestonVix(-1, { kappa: 1, theta: 0.04, sigma: 0.3 }), /v: expected/);
    assert.throws(() => vixFuture(0.04, { kappa: 1, theta: 0, sigma: 0.3 }, 1), /theta: expected/);
    assert.throws(() => vixFuture(0.04, { kappa: 1, theta: 0.04, sigma: 0.3 }, NaN), /T: expected/);
  });
});

describe('CIR transform integrals', () => {
  // v0 = 0, a = 0, b = 1: v_T = c X with X ~ chi-square(d), c = sigma^2 (1 - e^{-kappa T})/(4 kappa),
  // d = 4 kappa theta / sigma^2. Chi moments (Johnson, Kotz and Balakrishnan, Continuous Univariate
  // Distributions vol. 1, ch. 18): E[sqrt X] = sqrt(2) Gamma((d+1)/2)/Gamma(d/2), E[log X] = psi(d/2) + log 2.
  const cases: Array<[d: number, sqrtRef: number, logRef: number]> = [
    [1, Math.sqrt(2 / Math.PI), -EULER_GAMMA - Math.log(2)],
    [2, Math.sqrt(Math.PI / 2), Math.log(2) - EULER_GAMMA],
    [4, Math.sqrt(2) * 0.75 * Math.sqrt(Math.PI), 1 - EULER_GAMMA + Math.log(2)],
  ];
  for (const [d, sqrtRef, logRef] of cases) {
    test(`chi-square(${d}) moments`, () => {
      const kappa = 2;
      const T = 0.5;
      const sigma = 0.5;
      const p = { kappa, theta: (d * sigma * sigma) / (4 * kappa), sigma };
      const c = (sigma * sigma * (1 - Math.exp(-kappa * T))) / (4 * kappa);
      close(expectedSqrtAffineCir(0, 1, 0, p, T) / Math.sqrt(c), sqrtRef, 1e-10, 'E[sqrt X]');
      assert.ok(Math.abs(expectedLogAffineCir(0, 1, 0, p, T) - Math.log(c) - logRef) < 1e-10, 'E[log X]');
    });
  }
});

describe('VIX futures', () => {
  const p = { kappa: 1.5, theta: 0.05, sigma: 0.6, rho: -0.7, v0: 0.03 };

  test('sigma -> 0: the future is the square root of the deterministic expected VIX^2', () => {
    const q = { ...p, sigma: 1e-7 };
    const { a, b } = vixSquaredCoefficients(q);
    for (const T of [0.05, 0.5, 2]) {
      const ev = q.theta + (0.03 - q.theta) * Math.exp(-q.kappa * T);
      close(vixFuture(0.03, q, T), 100 * Math.sqrt(a + b * ev), 1e-9, `T=${T}`);
    }
    const ev1 = q.theta + (0.03 - q.theta) * Math.exp(-q.kappa);
    close(vixFuture(0.03, { ...p, sigma: 0 }, 1), 100 * Math.sqrt(a + b * ev1), 1e-12, 'sigma = 0');
  });

  test('T = 0: the future is spot VIX', () => {
    close(vixFuture(0.03, p, 0), hestonVix(0.03, p), 1e-12, 'T=0');
  });

  test('matches an exact-sampling Monte Carlo of the CIR variance within 3 standard errors', () => {
    const { a, b } = vixSquaredCoefficients(p);
    for (const [v0, T, seed] of [
      [0.03, 0.25, 1],
      [0.12, 0.1, 2],
      [0.01, 1, 3],
    ]) {
      const draw = cirSampler(seed, v0, p.kappa, p.theta, p.sigma, T);
      const n = 40000;
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const x = 100 * Math.sqrt(a + b * draw());
        s += x;
        s2 += x * x;
      }
      const mean = s / n;
      const se = Math.sqrt((s2 / n - mean * mean) / n);
      const f = vixFuture(v0, p, T);
      assert.ok(Math.abs(f - mean) < 3 * se, `v0=${v0} T=${T}: ${f} vs MC ${mean} +- ${se}`);
    }
  });

  test('Jensen: E[VIX_T] <= sqrt(E[VIX_T^2]), and the future is positive', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0.05, max: 10, noNaN: true }),
        fc.double({ min: 0.005, max: 0.3, noNaN: true }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (v0, kappa, theta, sigma, T) => {
          const q = { kappa, theta, sigma };
          const { a, b } = vixSquaredCoefficients(q);
          const ev = theta + (v0 - theta) * Math.exp(-kappa * T);
          const f = vixFuture(v0, q, T);
          return f > 0 && f <= 100 * Math.sqrt(a + b * ev) * (1 + 1e-10);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('model VVIX', () => {
  const p = { kappa: 3, theta: 0.04, sigma: 0.4 };

  test('matches the VIX-style log-contract on Monte Carlo VIX at +30 days', () => {
    const { a, b } = vixSquaredCoefficients(p);
    const batches = 20;
    const per = 5000;
    const vals: number[] = [];
    for (let k = 0; k < batches; k++) {
      const draw = cirSampler(100 + k, 0.03, p.kappa, p.theta, p.sigma, VIX_TAU);
      let s = 0;
      let sl = 0;
      for (let i = 0; i < per; i++) {
        const x = Math.sqrt(a + b * draw());
        s += x;
        sl += Math.log(x);
      }
      vals.push(100 * Math.sqrt((2 * (Math.log(s / per) - sl / per)) / VIX_TAU));
    }
    const mean = vals.reduce((x, y) => x + y, 0) / batches;
    const sd = Math.sqrt(vals.reduce((x, y) => x + (y - mean) ** 2, 0) / (batches - 1));
    const se = sd / Math.sqrt(batches);
    const m = modelVvix(0.03, p);
    assert.ok(Math.abs(m - mean) < 3 * se + 0.05, `${m} vs MC ${mean} +- ${se}`);
  });

  test('zero without vol of vol, increasing in sigma', () => {
    assert.equal(modelVvix(0.03, { ...p, sigma: 0 }), 0);
    let last = 0;
    for (const sigma of [0.1, 0.2, 0.4, 0.8]) {
      const x = modelVvix(0.03, { ...p, sigma });
      assert.ok(x > last, `sigma ${sigma}: ${x} <= ${last}`);
      last = x;
    }
  });
});
