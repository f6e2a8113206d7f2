// Nadaraya-Watson surface: exact on constants, a convex combination of the quotes, Silverman's
// bandwidth, and consistency (error falls as quotes are added, per the usual n^(-2/5) rate).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { fitKernel, silvermanBandwidth } from './surface-kernel.ts';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

describe('kernel regression surface', () => {
  test("Silverman's rule: 1.06 sd n^(-1/5)", () => {
    const x = [1, 2, 3, 4, 5];
    assert.ok(Math.abs(silvermanBandwidth(x) - 1.06 * Math.sqrt(2) * Math.pow(5, -0.2)) < 1e-15);
  });

  test('a constant surface is returned exactly', () => {
    const s = fitKernel({ k: [-0.2, 0, 0.1, 0.3], T: [0.1, 0.5, 1, 2], iv: [0.2, 0.2, 0.2, 0.2] });
    for (const v of s.predict([-3, 0, 5], [0.01, 1, 10])) assert.ok(Math.abs(v - 0.2) < 1e-15);
  });

  test('predictions lie within the quotes (property), far points included', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 3, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true })), { minLength: 2, maxLength: 30 }), fc.double({ min: -50, max: 50, noNaN: true }), (pts, kq) => {
      const s = fitKernel({ k: pts.map((p) => p[0]), T: pts.map((p) => p[1]), iv: pts.map((p) => p[2]) });
      const v = s.predict([kq], [1])[0];
      const lo = Math.min(...pts.map((p) => p[2])), hi = Math.max(...pts.map((p) => p[2]));
      return v >= lo - 1e-12 && v <= hi + 1e-12;
    }), { numRuns: 100 });
  });

  test('consistency: the error at interior points falls as the sample grows', () => {
    const f = (k: number, T: number) => 0.2 - 0.1 * k + 0.05 * k * k + 0.02 * T;
    const err = (n: number) => {
      const r = lcg(7);
      const k: number[] = [], T: number[] = [], iv: number[] = [];
      for (let i = 0; i < n; i++) { const a = 2 * r() - 1, b = 0.1 + 1.9 * r(); k.push(a); T.push(b); iv.push(f(a, b) + 0.01 * (r() - 0.5)); }
      const s = fitKernel({ k, T, iv });
      const qk = [-0.5, 0, 0.5, -0.5, 0, 0.5], qT = [0.5, 0.5, 0.5, 1.5, 1.5, 1.5];
      const p = s.predict(qk, qT);
      return Math.sqrt(p.reduce((acc, v, i) => acc + (v - f(qk[i], qT[i])) ** 2, 0) / p.length);
    };
    const e1 = err(100), e2 = err(1600), e3 = err(6400);
    assert.ok(e2 < e1 && e3 < e2, `${e1} ${e2} ${e3}`);
    assert.ok(e3 < 0.004, String(e3));
  });

  test('bad bandwidths are refused', () => {
    assert.throws(() => fitKernel({ k: [0], T: [1], iv: [0.2] }, { bandwidth: [0, 1] }), /bandwidth\[0\]/);
  });
});
