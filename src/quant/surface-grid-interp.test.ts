// The seed's GridInterpVolSurface scenarios (its tests/test_volsurface.py: linear function to
// 0.02, missing band, constant, NaN holes with a peak, complex NaN pattern), plus the spline's
// exactness on cubics and the Delaunay fill.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { fitGridInterp } from './surface-grid-interp.ts';
import { delaunay } from './surface-delaunay.ts';
import { GridSpline } from './surface-spline.ts';

/** Seeded uniform numbers in [0, 1) (mulberry32), so the scenarios are reproducible. */
function uniform(seed: number, n: number): Float64Array {
  let a = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  });
}

const linspace = (a: number, b: number, n: number) => Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

function bandData(removeBand: boolean) {
  const d = uniform(42, 10000), m = uniform(43, 10000);
  const k: number[] = [], T: number[] = [], iv: number[] = [];
  for (let i = 0; i < d.length; i++) {
    if (removeBand && ((d[i] > 0.4 && d[i] < 0.6) || (m[i] > 0.4 && m[i] < 0.6))) continue;
    k.push(d[i]); T.push(m[i] + 1e-3); iv.push(d[i] + m[i] + 1e-3);
  }
  return { k, T, iv };
}

describe('grid interpolation surface (seed scenarios)', () => {
  test('recovers a linear function to 0.02, and predictGrid has the grid shape', () => {
    const s = fitGridInterp(bandData(false), { degree: 1 });
    const p = s.predict([0.55], [0.8])[0];
    assert.ok(Math.abs(p - 1.35) < 0.02, `got ${p}`);
    const g = s.predictGrid(linspace(0.2, 0.8, 10), linspace(0.5, 1.5, 8));
    assert.equal(g.iv.length, 80);
    assert.equal(g.k.length, 10);
    assert.equal(g.T.length, 8);
  });

  test('bicubic recovers the linear function too', () => {
    const s = fitGridInterp(bandData(false));
    assert.ok(Math.abs(s.predict([0.55], [0.8])[0] - 1.35) < 0.02);
  });

  test('fills a missing band linearly (0.5, 1.0 -> 1.5 within 0.02)', () => {
    const s = fitGridInterp(bandData(true), { degree: 1 });
    const p = s.predict([0.5], [1.0])[0];
    assert.ok(Math.abs(p - 1.5) < 0.02, `got ${p}`);
  });

  test('a constant with a missing band stays constant, extrapolated too', () => {
    const d = bandData(true);
    const s = fitGridInterp({ ...d, iv: d.iv.map(() => 1) }, { degree: 1 });
    const g = s.predictGrid(linspace(0.2, 0.8, 10), linspace(0.5, 1.5, 8));
    for (const v of g.iv) assert.ok(Math.abs(v - 1) < 1e-12, `got ${v}`);
  });

  function pattern(n: number, fill: (r: number, c: number) => number) {
    const x = linspace(-0.5, 0.5, n), y = linspace(0.1, 2.0, n);
    const k: number[] = [], T: number[] = [], iv: number[] = [];
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) { k.push(x[c]); T.push(y[r]); iv.push(fill(r, c)); }
    const s = fitGridInterp({ k, T, iv }, { kGrid: x, TGrid: y, degree: 1 });
    const p = s.predict(k, T);
    return (r: number, c: number) => p[r * n + c];
  }

  test('NaN holes around a peak: ones everywhere, 2 at the peak', () => {
    const n = 7, mid = 3;
    const at = pattern(n, (r, c) => (r === mid && c === mid ? 2 : Math.abs(r - mid) <= 1 && Math.abs(c - mid) <= 1 ? 1 : NaN));
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) assert.ok(Math.abs(at(r, c) - (r === mid && c === mid ? 2 : 1)) < 1e-12, `(${r},${c}) = ${at(r, c)}`);
  });

  test('complex NaN pattern: a ring of ones, a peak of 2, NaN between and outside', () => {
    const n = 11, mid = 5;
    const at = pattern(n, (r, c) => {
      if (r === mid && c === mid) return 2;
      const ring = Math.max(Math.abs(r - mid), Math.abs(c - mid));
      return ring === 4 ? 1 : NaN;
    });
    for (let c = 0; c < n; c++) assert.ok(Math.abs(at(0, c) - 1) < 1e-12, `row 0 col ${c}`);
    // Seed: pred[mid-4 : mid+1, mid] == linspace(1, 2, 5); diag of pred[2..5, 2..5] == linspace(1, 2, 4)
    for (let r = 1; r <= 5; r++) assert.ok(Math.abs(at(r, mid) - (1 + (r - 1) / 4)) < 1e-12, `(${r},${mid}) = ${at(r, mid)}`);
    for (let i = 2; i <= 5; i++) assert.ok(Math.abs(at(i, i) - (1 + (i - 2) / 3)) < 1e-12, `(${i},${i}) = ${at(i, i)}`);
  });

  test('all-NaN input and bad options are refused with a clear error', () => {
    assert.throws(() => fitGridInterp({ k: [0, 1], T: [1, 1], iv: [NaN, NaN] }), /no finite vol/);
    assert.throws(() => fitGridInterp({ k: [0, 1], T: [1, 1], iv: [0.2, 0.2] }, { kGrid: [0, 0] }), /kGrid must increase/);
    assert.throws(() => fitGridInterp({ k: [0, 1], T: [1], iv: [0.2, 0.2] }), /points.T has 1 entries/);
    assert.throws(() => fitGridInterp({ k: [0], T: [-1], iv: [0.2] }), /points.T\[0\]/);
  });
});

describe('grid spline and Delaunay fill', () => {
  test('the not-a-knot bicubic reproduces any bicubic polynomial exactly (property)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 16, maxLength: 16 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (c, u, v) => {
      const f = (x: number, y: number) => { let s = 0; for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) s += c[i * 4 + j] * x ** i * y ** j; return s; };
      const x = Float64Array.of(0, 0.1, 0.35, 0.5, 0.8, 1), y = Float64Array.of(0, 0.3, 0.45, 0.7, 1);
      const z = new Float64Array(30);
      for (let j = 0; j < 5; j++) for (let i = 0; i < 6; i++) z[j * 6 + i] = f(x[i], y[j]);
      const s = new GridSpline(x, y, z, 3);
      return Math.abs(s.at(u, v) - f(u, v)) < 1e-10;
    }), { numRuns: 50 });
  });

  test('the triangulation of a 4 x 3 grid covers its rectangle with 12 triangles, none degenerate', () => {
    const px: number[] = [], py: number[] = [];
    for (let j = 0; j < 3; j++) for (let i = 0; i < 4; i++) { px.push(i); py.push(j); }
    const t = delaunay(Float64Array.from(px), Float64Array.from(py));
    assert.equal(t.length / 3, 12);
    let area = 0;
    for (let q = 0; q < t.length; q += 3) {
      const [a, b, c] = [t[q], t[q + 1], t[q + 2]];
      const det = (px[b] - px[a]) * (py[c] - py[a]) - (py[b] - py[a]) * (px[c] - px[a]);
      assert.ok(det > 0);
      area += det / 2;
    }
    assert.equal(area, 6);
  });
});
