import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chenUpdate, concatSignatures, pathSignature, segmentSignature, signatureLength, wordIndex } from './signature.ts';
import { BatchedRunningSignature, RunningSignature } from './signature-running.ts';

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected} (tol ${tol})`);
}

/** Random piecewise-linear paths: `points` rows of `dim` coordinates in [-2, 2]. */
const arbPath = (dim: number, minPoints = 2, maxPoints = 7) =>
  fc
    .array(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: dim, maxLength: dim }), { minLength: minPoints, maxLength: maxPoints })
    .map((rows) => Float64Array.from(rows.flat()));

describe('signature layout and reference values', () => {
  test('length d + d^2 + d^3 (14 for the path (t, X))', () => {
    assert.equal(signatureLength(2), 14);
    assert.equal(signatureLength(3), 39);
    assert.throws(() => signatureLength(0), /dimension/);
  });

  test('esig stream2sig example, depth 2 (esig 1.0.0 README on PyPI): [1, 7, 5, 24.5, 19, 16, 12.5]', () => {
    // esig prints the level-0 term 1 first; the stored levels 1 and 2 follow in the same order
    const s = pathSignature([1, 1, 3, 4, 5, 2, 8, 6], 2);
    const expected = [7, 5, 24.5, 19, 16, 12.5];
    for (let i = 0; i < expected.length; i++) close(s[i], expected[i], 1e-14, `term ${i}`);
  });

  test('a smooth path: X_t = (3 + t, (3 + t)^2), t in [0, 5], against its exact iterated integrals', () => {
    // Exact integrals, by hand: S1 = 5, S2 = 55, S11 = 25/2, S12 = int_0^5 t 2(3+t) dt = 475/3,
    // S21 = int_0^5 ((3+t)^2 - 9) dt = 350/3, S22 = 55^2/2; S111 = 125/6,
    // S112 = int_0^5 (t^2/2) 2(3+t) dt = 1125/4, S121 = int_0^5 (3t^2 + 2t^3/3) dt = 2750/12,
    // S211 = int_0^5 (3t^2 + t^3/3) dt = 2125/12, S222 = 55^3/6. Piecewise-linear interpolation
    // on N segments is second-order accurate, so N = 4000 leaves relative errors near 1e-7.
    const N = 4000;
    const pts = new Float64Array(2 * (N + 1));
    for (let k = 0; k <= N; k++) {
      const t = (5 * k) / N;
      pts[2 * k] = 3 + t;
      pts[2 * k + 1] = (3 + t) ** 2;
    }
    const s = pathSignature(pts, 2);
    const ref: Array<[number[], number]> = [
      [[0], 5],
      [[1], 55],
      [[0, 0], 12.5],
      [[0, 1], 475 / 3],
      [[1, 0], 350 / 3],
      [[1, 1], 1512.5],
      [[0, 0, 0], 125 / 6],
      [[0, 0, 1], 1125 / 4],
      [[0, 1, 0], 2750 / 12],
      [[1, 0, 0], 2125 / 12],
      [[1, 1, 1], 55 ** 3 / 6],
    ];
    for (const [w, v] of ref) close(s[wordIndex(2, ...w)], v, 1e-6, `S${w.map((l) => l + 1).join('')}`);
  });

  test('agrees with the defining iterated sums on a refined path (independent of Chen)', () => {
    // S^{ijk} = lim sum_{a<b<c} dx_a^i dx_b^j dx_c^k + diagonal terms that vanish as the mesh
    // goes to 0 (O(1/N) for a smooth path); computed by running sums, not by Chen's identity.
    const N = 20000;
    const d = 3;
    const pts = new Float64Array(d * (N + 1));
    for (let k = 0; k <= N; k++) {
      const u = k / N;
      pts[d * k] = Math.cos(3 * u);
      pts[d * k + 1] = Math.sin(5 * u) + u;
      pts[d * k + 2] = u * u - 0.5 * u;
    }
    const s1 = new Float64Array(d);
    const s2 = new Float64Array(d * d);
    const s3 = new Float64Array(d * d * d);
    for (let k = 0; k < N; k++) {
      const dx = [0, 1, 2].map((i) => pts[d * (k + 1) + i] - pts[d * k + i]);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let l = 0; l < d; l++) s3[(i * d + j) * d + l] += s2[i * d + j] * dx[l];
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s2[i * d + j] += s1[i] * dx[j];
      for (let i = 0; i < d; i++) s1[i] += dx[i];
    }
    const s = pathSignature(pts, d);
    for (let i = 0; i < d; i++) close(s[i], s1[i], 1e-12, `level 1 [${i}]`);
    for (let i = 0; i < d * d; i++) close(s[d + i], s2[i], 5e-4, `level 2 [${i}]`);
    for (let i = 0; i < d * d * d; i++) close(s[d + d * d + i], s3[i], 5e-4, `level 3 [${i}]`);
  });
});

describe('signature algebra', () => {
  test('a straight segment has the signature exp(dx): level k is dx^{⊗k} / k!', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }).chain((d) => fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d, maxLength: d })), (dx) => {
        const d = dx.length;
        const s = pathSignature([...new Array(d).fill(0.25), ...dx.map((x) => x + 0.25)], d);
        for (let i = 0; i < d; i++) {
          close(s[wordIndex(d, i)], dx[i], 1e-12, 'level 1');
          for (let j = 0; j < d; j++) {
            close(s[wordIndex(d, i, j)], (dx[i] * dx[j]) / 2, 1e-12, 'level 2');
            for (let k = 0; k < d; k++) close(s[wordIndex(d, i, j, k)], (dx[i] * dx[j] * dx[k]) / 6, 1e-12, 'level 3');
          }
        }
        const seg = segmentSignature(dx);
        for (let i = 0; i < s.length; i++) close(seg[i], s[i], 1e-12, `segmentSignature [${i}]`);
      }),
    );
  });

  test("Chen's identity: the signature of a concatenation is the product of the signatures", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }).chain((d) => fc.tuple(fc.constant(d), arbPath(d), arbPath(d))), ([d, a, b]) => {
        // b is translated so that it starts where a ends: a path's signature ignores its origin
        const last = a.subarray(a.length - d);
        const shifted = b.map((x, i) => x - b[i % d] + last[i % d]);
        const joined = Float64Array.from([...a, ...shifted.subarray(d)]);
        const prod = concatSignatures(pathSignature(a, d), pathSignature(b, d), d);
        const direct = pathSignature(joined, d);
        for (let i = 0; i < direct.length; i++) close(prod[i], direct[i], 1e-10, `term ${i}`);
      }),
    );
  });

  test('shuffle identities: S^i S^j = S^ij + S^ji and S^i S^jk = S^ijk + S^jik + S^jki', () => {
    fc.assert(
      fc.property(arbPath(3, 2, 9), (pts) => {
        const d = 3;
        const s = pathSignature(pts, d);
        const S = (...w: number[]) => s[wordIndex(d, ...w)];
        for (let i = 0; i < d; i++) {
          for (let j = 0; j < d; j++) {
            close(S(i) * S(j), S(i, j) + S(j, i), 1e-10, `shuffle ${i}${j}`);
            for (let k = 0; k < d; k++) close(S(i) * S(j, k), S(i, j, k) + S(j, i, k) + S(j, k, i), 1e-10, `shuffle ${i}|${j}${k}`);
          }
        }
      }),
    );
  });

  test('invariance under reparametrisation: subdividing segments and pausing change nothing', () => {
    fc.assert(
      fc.property(arbPath(2, 2, 6), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }), (pts, fracs) => {
        const d = 2;
        const n = pts.length / d;
        const refined: number[] = [];
        for (let p = 0; p < n; p++) {
          const x = Array.from(pts.subarray(p * d, (p + 1) * d));
          refined.push(...x, ...x); // a repeated point: the path pauses
          if (p + 1 < n) {
            const y = pts.subarray((p + 1) * d, (p + 2) * d);
            for (const f of [...fracs].sort((u, v) => u - v)) refined.push(...x.map((xi, i) => xi + f * (y[i] - xi)));
          }
        }
        const a = pathSignature(pts, d);
        const b = pathSignature(refined, d);
        for (let i = 0; i < a.length; i++) close(b[i], a[i], 1e-10, `term ${i}`);
      }),
    );
  });

  test('a path followed by its reversal has the trivial signature', () => {
    fc.assert(
      fc.property(arbPath(2, 2, 6), (pts) => {
        const d = 2;
        const n = pts.length / d;
        const back: number[] = Array.from(pts);
        for (let p = n - 2; p >= 0; p--) back.push(...pts.subarray(p * d, (p + 1) * d));
        for (const v of pathSignature(back, d)) assert.ok(Math.abs(v) < 1e-9, `term ${v} should vanish`);
      }),
    );
  });

  test('the signed area (level 2 antisymmetric part) of the unit square loop is 1', () => {
    const s = pathSignature([0, 0, 1, 0, 1, 1, 0, 1, 0, 0], 2);
    close(0.5 * (s[wordIndex(2, 0, 1)] - s[wordIndex(2, 1, 0)]), 1, 1e-15, 'Levy area');
  });

  test('bad input is refused with the reason', () => {
    assert.throws(() => pathSignature([1, 2, 3], 2), /whole number of 2-dimensional rows/);
    assert.throws(() => pathSignature([0, 0, NaN, 1], 2), /not finite/);
    assert.throws(() => wordIndex(2, 0, 2), /outside/);
    const s = new Float64Array(14);
    assert.throws(() => concatSignatures(s, s, 2, s), /alias/);
  });
});

describe('running signatures', () => {
  test('RunningSignature after each step equals the signature of the path so far', () => {
    fc.assert(
      fc.property(arbPath(3, 2, 10), (pts) => {
        const d = 3;
        const run = new RunningSignature(d);
        for (let p = 1; p < pts.length / d; p++) {
          const dx = [0, 1, 2].map((i) => pts[p * d + i] - pts[(p - 1) * d + i]);
          run.update(dx);
          const direct = pathSignature(pts.subarray(0, (p + 1) * d), d);
          for (let i = 0; i < direct.length; i++) close(run.values[i], direct[i], 1e-12, `step ${p} term ${i}`);
        }
        run.reset();
        assert.ok(run.values.every((v) => v === 0));
      }),
    );
  });

  for (const d of [2, 3]) {
    test(`BatchedRunningSignature (dim ${d}) matches one RunningSignature per path, bit for bit`, () => {
      const nPaths = 37;
      const batch = new BatchedRunningSignature(nPaths, d);
      const single = Array.from({ length: nPaths }, () => new RunningSignature(d));
      const dx = new Float64Array(nPaths * d);
      let x = 0.3;
      for (let step = 0; step < 15; step++) {
        for (let k = 0; k < dx.length; k++) dx[k] = x = (x * 3.9 * (1 - x)) % 1; // a deterministic chaotic sequence
        for (let k = 0; k < dx.length; k++) dx[k] -= 0.5;
        batch.update(dx);
        for (let p = 0; p < nPaths; p++) single[p].update(dx, p * d);
      }
      for (let p = 0; p < nPaths; p++) assert.deepEqual(batch.signature(p), single[p].values, `path ${p}`);
    });
  }

  for (const d of [2, 4]) {
    test(`updateWithTime (dim ${d}) is the time-augmented path (t, X)`, () => {
      const nPaths = 5;
      const m = d - 1;
      const batch = new BatchedRunningSignature(nPaths, d);
      const dt = 1 / 252;
      const paths: number[][] = Array.from({ length: nPaths }, () => new Array(d).fill(0));
      const dy = new Float64Array(nPaths * m);
      for (let step = 1; step <= 20; step++) {
        for (let p = 0; p < nPaths; p++) {
          for (let i = 0; i < m; i++) dy[p * m + i] = 0.1 * Math.sin(step * (p + 1) + i);
          const prev = paths[p].slice(paths[p].length - d);
          paths[p].push(prev[0] + dt, ...prev.slice(1).map((v, i) => v + dy[p * m + i]));
        }
        batch.updateWithTime(dt, dy);
      }
      for (let p = 0; p < nPaths; p++) {
        const direct = pathSignature(paths[p], d);
        const got = batch.signature(p);
        for (let i = 0; i < direct.length; i++) close(got[i], direct[i], 1e-13, `path ${p} term ${i}`);
        close(got[wordIndex(d, 0, 0, 0)], (20 * dt) ** 3 / 6, 1e-13, 'pure-time term ttt');
      }
    });
  }

  test('chenUpdate works at an offset without touching its neighbours', () => {
    const buf = new Float64Array(3 * 14).fill(7);
    buf.fill(0, 14, 28);
    chenUpdate(buf, 14, [9, 0.5, -0.25, 9], 1, 2);
    const ref = segmentSignature([0.5, -0.25]);
    assert.deepEqual(buf.subarray(14, 28), ref);
    assert.ok(buf.subarray(0, 14).every((v) => v === 7) && buf.subarray(28).every((v) => v === 7));
  });

  test('batched updates refuse wrongly sized increments', () => {
    const b = new BatchedRunningSignature(4, 2);
    assert.throws(() => b.update(new Float64Array(7)), /nPaths x dim = 8/);
    assert.throws(() => b.updateWithTime(0.1, new Float64Array(3)), /nPaths x \(dim - 1\) = 4/);
    assert.throws(() => b.updateWithTime(NaN, new Float64Array(4)), /dt must be finite/);
    assert.throws(() => new BatchedRunningSignature(0, 2), /nPaths/);
  });
});
