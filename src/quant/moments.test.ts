import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { excessKurtosis, kurtosis, mean, moments, perStepKurtosis, perStepMoments, RunningMoments, variance } from './moments.ts';
import { randomStream } from './mc-random.ts';

/**
 * Asymptotic standard error of the sample kurtosis of a symmetric distribution with central
 * moments mu2, mu4, mu6, mu8, by the delta method on (m2, m4):
 * n Var(b2) -> mu8/mu2^4 - 4 mu4 mu6/mu2^5 + 4 mu4^3/mu2^6 - mu4^2/mu2^4 (24 for the normal, the
 * textbook sqrt(24/n)).
 */
function kurtosisSe(n: number, mu2: number, mu4: number, mu6: number, mu8: number): number {
  return Math.sqrt((mu8 / mu2 ** 4 - (4 * mu4 * mu6) / mu2 ** 5 + (4 * mu4 ** 3) / mu2 ** 6 - mu4 ** 2 / mu2 ** 4) / n);
}

const N = 200_000;

describe('kurtosis of known distributions (seeded, within 4 standard errors)', () => {
  const rng = randomStream(7);
  const cases: Array<[string, () => number, number, number]> = [
    // [name, draw, plain kurtosis, standard error at N]
    ['normal', () => rng.normal(), 3, kurtosisSe(N, 1, 3, 15, 105)],
    // uniform on (-1, 1): mu_2k = 1 / (2k + 1)
    ['uniform', () => 2 * rng.uniform() - 1, 1.8, kurtosisSe(N, 1 / 3, 1 / 5, 1 / 7, 1 / 9)],
    // Laplace(0, 1): mu_2k = (2k)!
    [
      'Laplace',
      () => {
        const u = rng.uniform() - 0.5;
        return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
      },
      6,
      kurtosisSe(N, 2, 24, 720, 40320),
    ],
  ];
  for (const [name, draw, k, se] of cases) {
    test(`${name}: kurtosis ${k}, excess ${k - 3}`, () => {
      const xs = new Float64Array(N);
      for (let i = 0; i < N; i++) xs[i] = draw();
      const kk = kurtosis(xs);
      assert.ok(Math.abs(kk - k) < 4 * se, `kurtosis ${kk} vs ${k} (4 se = ${4 * se})`);
      assert.ok(Math.abs(excessKurtosis(xs) - (kk - 3)) < 1e-12);
    });
  }
});

describe('RunningMoments (Welford / Pébay)', () => {
  test('no cancellation on a large offset: 1e9 + {4, 7, 13, 16} has variance 30', () => {
    // Wikipedia, "Algorithms for calculating variance": the naive sum-of-squares formula fails on
    // this shifted sample; the exact answers are mean 1e9 + 10, sample variance 30, and (by hand,
    // deviations -6, -3, 3, 6) population kurtosis 688.5 / 22.5^2 = 1.36.
    const m = moments([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);
    assert.equal(m.mean, 1e9 + 10);
    assert.ok(Math.abs(m.variance() - 30) < 1e-9, `variance ${m.variance()}`);
    assert.ok(Math.abs(m.kurtosis() - 1.36) < 1e-9, `kurtosis ${m.kurtosis()}`);
    assert.ok(Math.abs(m.skewness()) < 1e-9);
  });

  test('agrees with two-pass formulas, and merging equals pushing both samples', () => {
    const arb = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 60 });
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const all = [...a, ...b];
        const n = all.length;
        const mu = all.reduce((s, x) => s + x, 0) / n;
        const c = (p: number) => all.reduce((s, x) => s + (x - mu) ** p, 0) / n;
        const whole = moments(all);
        const merged = moments(a).merge(moments(b));
        const scale = Math.max(1, c(2));
        for (const m of [whole, merged]) {
          assert.ok(Math.abs(m.mean - mu) <= 1e-9 * Math.max(1, Math.abs(mu)));
          assert.ok(Math.abs(m.variance(0) - c(2)) <= 1e-9 * scale);
          if (c(2) > 1e-6) assert.ok(Math.abs(m.kurtosis() - c(4) / c(2) ** 2) <= 1e-6 * Math.max(1, c(4) / c(2) ** 2));
        }
        assert.equal(merged.n, n);
      }),
    );
  });

  test('edge cases: empty and constant samples, non-finite input', () => {
    assert.ok(Number.isNaN(mean([])));
    assert.ok(Number.isNaN(variance([5])));
    assert.equal(variance([5], 0), 0);
    assert.ok(Number.isNaN(kurtosis([2, 2, 2])));
    assert.throws(() => moments([1, NaN]), /index 1 is not finite/);
    assert.throws(() => new RunningMoments().push(Infinity), /not finite/);
    assert.equal(new RunningMoments().merge(moments([1, 2, 3])).variance(), 1);
  });
});

describe('per-time-step marginal kurtosis', () => {
  test('is taken across paths at each step, not over the flattened ensemble', () => {
    // Normal at every step but with a variance that grows 100-fold along the path: each step's
    // kurtosis is 3, while the flattened array is a scale mixture with kurtosis
    // 3 E[s^4] / E[s^2]^2 > 3 (the seed notebook's mistake).
    const nPaths = 20_000;
    const nSteps = 20;
    const rng = randomStream(11);
    const sd = Float64Array.from({ length: nSteps }, (_, t) => 0.1 * 10 ** (t / (nSteps - 1)));
    const paths = new Float64Array(nPaths * nSteps);
    for (let p = 0; p < nPaths; p++) for (let t = 0; t < nSteps; t++) paths[p * nSteps + t] = 5 + sd[t] * rng.normal();
    const k = perStepKurtosis(paths, nPaths, nSteps);
    const se = kurtosisSe(nPaths, 1, 3, 15, 105);
    for (let t = 0; t < nSteps; t++) assert.ok(Math.abs(k[t] - 3) < 4 * se, `step ${t}: ${k[t]}`);
    const ex = perStepKurtosis(paths, nPaths, nSteps, { excess: true });
    for (let t = 0; t < nSteps; t++) assert.ok(Math.abs(ex[t] - (k[t] - 3)) < 1e-12);
    const s2 = sd.reduce((s, v) => s + v * v, 0) / nSteps;
    const s4 = sd.reduce((s, v) => s + v ** 4, 0) / nSteps;
    const mixture = (3 * s4) / (s2 * s2);
    assert.ok(mixture > 5, `the mixture kurtosis ${mixture} is far from 3`);
    assert.ok(Math.abs(kurtosis(paths) - mixture) < 0.1 * mixture, `flattened ${kurtosis(paths)} vs ${mixture}`);
    const m = perStepMoments(paths, nPaths, nSteps);
    for (let t = 0; t < nSteps; t++) {
      assert.ok(Math.abs(m.mean[t] - 5) < (4 * sd[t]) / Math.sqrt(nPaths));
      assert.ok(Math.abs(m.variance[t] / sd[t] ** 2 - 1) < 4 * Math.sqrt(2 / nPaths));
    }
  });

  test('a common starting value gives NaN at that step; bad shapes are refused', () => {
    const k = perStepKurtosis([1, 2, 1, 3, 1, 5], 3, 2);
    assert.ok(Number.isNaN(k[0]));
    assert.ok(Number.isFinite(k[1]));
    assert.throws(() => perStepKurtosis([1, 2, 3], 2, 2), /nPaths x nSteps = 4/);
    assert.throws(() => perStepKurtosis([1, 2], 1, 2), /nPaths must be an integer >= 2/);
    assert.throws(() => perStepKurtosis([1, 2, NaN, 4], 2, 2), /path 1, step 0/);
  });
});
