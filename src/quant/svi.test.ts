// Raw SVI, jump-wings and the quasi-explicit fit. Reference values: Gatheral and Jacquier,
// "Arbitrage-free SVI volatility surfaces", Quantitative Finance 14(1), 2014 (GJ below).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { arbitrageReport } from './arbitrage.ts';
import { fitSviSlice } from './svi-fit.ts';
import { jumpWingsToRaw, rawToJumpWings } from './svi-jump-wings.ts';
import { checkSviRaw, sviDerivs, sviG, sviW, type SviRaw } from './svi-raw.ts';
import { fitSviSurface, SviSurface } from './svi-surface.ts';

// GJ Example 3.1 (Axel Vogt's parameters), T = 1: butterfly arbitrage
const VOGT: SviRaw = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 };

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

describe('raw SVI and jump-wings', () => {
  test("Vogt's parameters in jump-wings: GJ's published v, psi, p, c, vTilde (7 significant digits)", () => {
    const jw = rawToJumpWings(VOGT, 1);
    close(jw.v, 0.01742625, 5e-9, 'v');
    close(jw.psi, -0.1752111, 5e-8, 'psi');
    close(jw.p, 0.6997381, 5e-8, 'p');
    close(jw.c, 1.316798, 5e-7, 'c');
    close(jw.vTilde, 0.0116249, 5e-8, 'vTilde');
  });

  test("Vogt's smile has g(k) < 0 (GJ Figure 3.1), and the diagnostics flag it there", () => {
    assert.ok(sviG(VOGT, 0.9) < -0.03);
    const s = new SviSurface([{ T: 1, params: VOGT, n: 0, rmseIv: 0 }]);
    const rep = arbitrageReport(s, [1]);
    assert.equal(rep.ok, false);
    assert.equal(rep.butterfly.length, 1);
    const f = rep.butterfly[0];
    assert.equal(f.T, 1);
    // g < 0 on about (0.64, 1.26), deepest (-0.0329) near k = 0.88 (computed from the closed form)
    assert.ok(f.kFrom > 0.6 && f.kFrom < 0.7 && f.kTo > 1.2 && f.kTo < 1.3, JSON.stringify(f));
    assert.ok(f.k > 0.8 && f.k < 0.95 && f.value < -0.032 && f.value > -0.034, JSON.stringify(f));
  });

  test("GJ Section 5.1's arbitrage-free repair (c' = 0.8564763) has g >= 0 everywhere", () => {
    const fixed = jumpWingsToRaw({ v: 0.01742625, psi: -0.1752111, p: 0.6997381, c: 0.8564763, vTilde: 0.0116249 }, 1);
    const s = new SviSurface([{ T: 1, params: fixed, n: 0, rmseIv: 0 }]);
    const rep = arbitrageReport(s, [1], { k: Array.from({ length: 801 }, (_, i) => -4 + 0.01 * i) });
    assert.equal(rep.ok, true, JSON.stringify(rep.butterfly));
  });

  test('jump-wings round trip raw -> jw -> raw (property)', () => {
    fc.assert(fc.property(
      fc.double({ min: 0.01, max: 0.3, noNaN: true }), fc.double({ min: -0.95, max: 0.95, noNaN: true }),
      fc.double({ min: -0.5, max: 0.5, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 0.1, noNaN: true }), fc.double({ min: 0.02, max: 3, noNaN: true }),
      (b, rho, m, sigma, aPlus, T) => {
        // m near 0 with rho near 0 is ill-conditioned in jump-wings (m enters v - vTilde at second order)
        fc.pre(Math.abs(m) > 0.02);
        const p: SviRaw = { a: aPlus - b * sigma * Math.sqrt(1 - rho * rho) + 1e-4, b, rho, m, sigma };
        const q = jumpWingsToRaw(rawToJumpWings(p, T), T);
        const tol = 1e-8 * (1 + Math.abs(p.a) + p.b + Math.abs(p.m) + p.sigma);
        return Math.abs(q.a - p.a) < tol && Math.abs(q.b - p.b) < tol && Math.abs(q.rho - p.rho) < 1e-7 && Math.abs(q.m - p.m) < tol && Math.abs(q.sigma - p.sigma) < tol;
      }), { numRuns: 200 });
  });

  test('analytic derivatives match central differences', () => {
    for (const k of [-1, -0.2, 0, 0.3586, 1.5]) {
      const [, w1, w2] = sviDerivs(VOGT, k);
      const h = 1e-4;
      close(w1, (sviW(VOGT, k + h) - sviW(VOGT, k - h)) / (2 * h), 1e-8, `w' at ${k}`);
      close(w2, (sviW(VOGT, k + h) - 2 * sviW(VOGT, k) + sviW(VOGT, k - h)) / (h * h), 1e-5, `w'' at ${k}`);
    }
  });

  test('bad parameters are refused by name', () => {
    assert.throws(() => checkSviRaw({ ...VOGT, rho: 1 }), /svi.rho must lie in/);
    assert.throws(() => checkSviRaw({ ...VOGT, sigma: 0 }), /svi.sigma must be > 0/);
    assert.throws(() => checkSviRaw({ ...VOGT, a: -1 }), /negative total variance/);
    assert.throws(() => rawToJumpWings(VOGT, 0), /T must be/);
    assert.throws(() => jumpWingsToRaw({ v: 0.02, psi: 5, p: 0.5, c: 0.5, vTilde: 0.01 }, 1), /beta/);
  });
});

describe('quasi-explicit SVI fit', () => {
  const ks = Float64Array.from({ length: 25 }, (_, i) => -0.8 + 0.06 * i);

  for (const [name, p] of [['a skewed equity smile', { a: 0.02, b: 0.15, rho: -0.6, m: 0.05, sigma: 0.2 }], ["Vogt's (a < 0)", VOGT], ['a steep short-dated smile', { a: 0.0005, b: 0.05, rho: -0.9, m: 0.01, sigma: 0.02 }]] as const) {
    test(`recovers ${name} from exact points`, () => {
      const fit = fitSviSlice(ks, ks.map((k) => sviW(p, k)));
      for (const f of ['a', 'b', 'rho', 'm', 'sigma'] as const) close(fit.params[f], p[f], 1e-6 * (1 + Math.abs(p[f])), f);
      assert.ok(fit.rmseW < 1e-9);
    });
  }

  test('noisy smile: fit error close to the noise, parameters feasible', () => {
    const p = { a: 0.02, b: 0.15, rho: -0.6, m: 0.05, sigma: 0.2 };
    const noise = ks.map((_, i) => 2e-4 * Math.sin(7.3 * i));
    const fit = fitSviSlice(ks, ks.map((k, i) => sviW(p, k) + noise[i]));
    assert.ok(fit.rmseW < 2e-4, String(fit.rmseW));
    checkSviRaw(fit.params);
    assert.ok(fit.params.b * (1 + Math.abs(fit.params.rho)) <= 2 + 1e-12);
  });

  test('the SVI surface fits each expiry and interpolates total variance in T', () => {
    const p1 = { a: 0.01, b: 0.1, rho: -0.5, m: 0, sigma: 0.2 }, p2 = { a: 0.03, b: 0.12, rho: -0.4, m: 0.02, sigma: 0.3 };
    const k: number[] = [], T: number[] = [], iv: number[] = [];
    for (const [t, p] of [[0.5, p1], [1, p2]] as const) for (const x of ks) { k.push(x); T.push(t); iv.push(Math.sqrt(sviW(p, x) / t)); }
    const s = fitSviSurface({ k, T, iv });
    assert.equal(s.slices.length, 2);
    for (const sl of s.slices) assert.ok(sl.rmseIv < 1e-8);
    const w = s.totalVarianceDerivs(0.1, 0.75)[0];
    close(w, 0.5 * (sviW(p1, 0.1) + sviW(p2, 0.1)), 1e-9, 'w halfway');
    close(s.predict([0.1], [2])[0], Math.sqrt(sviW(p2, 0.1) / 1), 1e-8, 'flat vol after the last expiry');
    assert.equal(arbitrageReport(s, [0.5, 1]).ok, true);
  });

  test('too few quotes or bad values are refused', () => {
    assert.throws(() => fitSviSlice([0, 0.1, 0.2], [0.04, 0.04, 0.04]), /at least 5/);
    assert.throws(() => fitSviSlice([0, 0.1, 0.2, 0.3, 0.4], [0.04, NaN, 0.04, 0.04, 0.04]), /w\[1\]/);
    assert.throws(() => fitSviSurface({ k: [0, 0.1], T: [1, 1], iv: [0.2, 0.2] }), /no expiry has the 5 quotes/);
  });
});
