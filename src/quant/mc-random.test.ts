import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { randomStream, randomStreams } from './mc-random.ts';
import { topStripMismatch, ZIG_R, ZIG_X } from './mc-ziggurat.ts';
import { normCdf } from './normal.ts';

/** Kolmogorov-Smirnov statistic sqrt(n) D of a sample against a continuous cdf. */
function ksStatistic(sample: Float64Array, cdf: (x: number) => number): number {
  const s = Float64Array.from(sample).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const F = cdf(s[i]);
    d = Math.max(d, Math.abs(F - i / n), Math.abs((i + 1) / n - F));
  }
  return d * Math.sqrt(n);
}

function correlation(a: Float64Array, b: Float64Array): number {
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  const n = a.length;
  for (let i = 0; i < n; i++) {
    sa += a[i];
    sb += b[i];
    saa += a[i] * a[i];
    sbb += b[i] * b[i];
    sab += a[i] * b[i];
  }
  const ca = saa / n - (sa / n) ** 2;
  const cb = sbb / n - (sb / n) ** 2;
  return (sab / n - (sa / n) * (sb / n)) / Math.sqrt(ca * cb);
}

// 1% critical value of the asymptotic Kolmogorov distribution (sqrt(n) D), Smirnov's table
const KS_CRITICAL_1PCT = 1.628;

describe('ziggurat tables', () => {
  test('the published R and V close the ziggurat: the top strip has area V too', () => {
    // Marsaglia & Tsang give R and V to about 10 digits, so the mismatch is about 1e-9
    assert.ok(topStripMismatch() < 1e-8, `top strip mismatch ${topStripMismatch()}`);
    assert.equal(ZIG_X[1], ZIG_R);
    for (let i = 1; i < 256; i++) assert.ok(ZIG_X[i + 1] < ZIG_X[i], `edges decrease at ${i}`);
  });
});

describe('random streams', () => {
  test('same seed and stream give the same draws; another stream or seed does not', () => {
    const a = randomStream(42, 3).fillNormals(new Float64Array(1000));
    const b = randomStream(42, 3).fillNormals(new Float64Array(1000));
    assert.deepEqual(a, b);
    const c = randomStream(42, 4).fillNormals(new Float64Array(1000));
    const d = randomStream(43, 3).fillNormals(new Float64Array(1000));
    assert.notDeepEqual(a, c);
    assert.notDeepEqual(a, d);
  });

  test('randomStreams(seed, n)[k] is randomStream(seed, k)', () => {
    const all = randomStreams(9, 4);
    for (let k = 0; k < 4; k++) {
      assert.deepEqual(all[k].fillUniforms(new Float64Array(64)), randomStream(9, k).fillUniforms(new Float64Array(64)));
    }
  });

  test('block fills and one-at-a-time draws give the same sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2147483648, max: 4294967295 }), fc.integer({ min: 1, max: 400 }), (seed, n) => {
        const s1 = randomStream(seed);
        const s2 = randomStream(seed);
        const z = s1.fillNormals(new Float64Array(n));
        for (let i = 0; i < n; i++) if (s2.normal() !== z[i]) return false;
        const u = s1.fillUniforms(new Float64Array(n));
        for (let i = 0; i < n; i++) if (s2.uniform() !== u[i]) return false;
        return true;
      }),
      { numRuns: 50 },
    );
  });

  test('a clone repeats the stream from where it was cloned', () => {
    const s = randomStream(5);
    s.fillNormals(new Float64Array(17));
    const c = s.clone();
    assert.deepEqual(s.fillNormals(new Float64Array(100)), c.fillNormals(new Float64Array(100)));
  });

  test('neighbouring seeds and streams are uncorrelated', () => {
    const n = 100_000;
    const bound = 4 / Math.sqrt(n); // 4 standard errors of a sample correlation under independence
    const pairs: Array<[Float64Array, Float64Array]> = [
      [randomStream(1).fillNormals(new Float64Array(n)), randomStream(2).fillNormals(new Float64Array(n))],
      [randomStream(7, 0).fillNormals(new Float64Array(n)), randomStream(7, 1).fillNormals(new Float64Array(n))],
      [randomStream(0).fillUniforms(new Float64Array(n)), randomStream(1).fillUniforms(new Float64Array(n))],
    ];
    for (const [a, b] of pairs) assert.ok(Math.abs(correlation(a, b)) < bound, `correlation ${correlation(a, b)}`);
    // lag-1 correlation within one stream
    const z = randomStream(3).fillNormals(new Float64Array(n + 1));
    assert.ok(Math.abs(correlation(z.subarray(0, n), z.subarray(1))) < bound);
  });

  test('uniforms lie in (0, 1) and pass Kolmogorov-Smirnov at 1%', () => {
    const u = randomStream(11).fillUniforms(new Float64Array(200_000));
    for (const x of u) assert.ok(x > 0 && x < 1);
    const ks = ksStatistic(u, (x) => x);
    assert.ok(ks < KS_CRITICAL_1PCT, `KS ${ks}`);
  });

  test('normals: moments, Kolmogorov-Smirnov at 1%, and the tail beyond the ziggurat base', () => {
    const n = 1_000_000;
    const z = randomStream(12).fillNormals(new Float64Array(n));
    let m1 = 0, m2 = 0, m4 = 0, tail = 0, far = 0;
    for (const x of z) {
      m1 += x;
      m2 += x * x;
      m4 += x ** 4;
      if (Math.abs(x) > ZIG_R) tail++;
      if (Math.abs(x) > 4.5) far++;
    }
    m1 /= n;
    m2 /= n;
    m4 /= n;
    // 4 standard errors: sd of the mean 1/sqrt(n), of m2 sqrt(2/n), of m4 sqrt(96/n)
    assert.ok(Math.abs(m1) < 4 / Math.sqrt(n), `mean ${m1}`);
    assert.ok(Math.abs(m2 - 1) < 4 * Math.sqrt(2 / n), `variance ${m2}`);
    assert.ok(Math.abs(m4 - 3) < 4 * Math.sqrt(96 / n), `fourth moment ${m4}`);
    const pTail = 2 * normCdf(-ZIG_R);
    assert.ok(Math.abs(tail - n * pTail) < 4 * Math.sqrt(n * pTail), `tail count ${tail} vs ${n * pTail}`);
    const pFar = 2 * normCdf(-4.5);
    assert.ok(Math.abs(far - n * pFar) < 4 * Math.sqrt(n * pFar) + 1, `far tail count ${far} vs ${n * pFar}`);
    const ks = ksStatistic(z.subarray(0, 200_000), normCdf);
    assert.ok(ks < KS_CRITICAL_1PCT, `KS ${ks}`);
  });

  test('bad seeds and stream indices are rejected by name', () => {
    assert.throws(() => randomStream(1.5), /seed must be an integer/);
    assert.throws(() => randomStream(2 ** 40), /seed must be an integer/);
    assert.throws(() => randomStream(1, -1), /stream index must be an integer/);
    assert.throws(() => randomStreams(1, 0.5), /n must be an integer/);
  });
});

test('mirrored fills equal fresh draws spread into antithetic pairs', () => {
  for (const n of [2, 64, 1000, 4096]) {
    const a = randomStream(11, 2);
    const b = randomStream(11, 2);
    const half = a.fillNormals(new Float64Array(n / 2));
    const mirrored = b.fillNormalsMirrored(new Float64Array(n), n);
    for (let i = 0; i < n / 2; i++) {
      assert.equal(mirrored[2 * i], half[i]);
      assert.equal(mirrored[2 * i + 1], -half[i]);
    }
    const u = a.fillUniforms(new Float64Array(n / 2));
    const um = b.fillUniformsMirrored(new Float64Array(n), n);
    for (let i = 0; i < n / 2; i++) {
      assert.equal(um[2 * i], u[i]);
      assert.equal(um[2 * i + 1], 1 - u[i]);
    }
  }
});
