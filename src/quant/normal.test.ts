/* eslint-disable no-loss-of-precision -- constants and reference values are written with the digits their sources publish, more than a double holds */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { erf, erfc, erfcx, inverseNormCdf, normCdf, normPdf } from './normal.ts';

/** |a/b - 1|, with exact zeros comparing equal. */
function relErr(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a / b - 1);
}

// Reference values below were computed with mpmath 1.3 at 50 significant digits
// (mpmath.ncdf, mpmath.erfc, mpmath.erf; the inverse by mpmath.findroot on log(ncdf(z)) = log(p))
// and rounded to 17 digits. Tolerances are the accuracy the sources claim: Cody's erfc is good
// to ~1e-18 before rounding and Wichura's AS241 to ~1e-16, so a few ulps after double rounding.
describe('normCdf', () => {
  const cases: Array<[number, number]> = [
    [-38.0, 2.8854283600687843e-316], // mpmath ncdf(-38) (subnormal: checked to 1e-8 only)
    [-37.0, 5.7255712225245768e-300], // mpmath ncdf(-37)
    [-20.0, 2.7536241186062337e-89], // mpmath ncdf(-20)
    [-10.0001, 7.6121622715638531e-24], // mpmath, just inside the asymptotic branch
    [-10.0, 7.6198530241605261e-24], // mpmath ncdf(-10)
    [-5.0, 2.8665157187919391e-7], // mpmath ncdf(-5)
    [-1.0, 0.15865525393145705], // mpmath ncdf(-1)
    [0.3, 0.61791142218895263], // mpmath ncdf(0.3)
    [1.0, 0.84134474606854295], // mpmath ncdf(1)
    [5.0, 0.99999971334842812], // mpmath ncdf(5)
  ];
  for (const [z, want] of cases) {
    test(`Phi(${z})`, () => {
      const tol = want < 1e-307 ? 1e-8 : 1e-14;
      assert.ok(relErr(normCdf(z), want) < tol, `Phi(${z}) = ${normCdf(z)}, want ${want}`);
    });
  }
  test('Phi(0) is exactly 1/2 and the upper tail saturates at 1', () => {
    assert.equal(normCdf(0), 0.5);
    assert.equal(normCdf(40), 1);
    assert.equal(normCdf(-40), 0);
  });
  test('symmetry Phi(z) + Phi(-z) = 1 and monotonicity (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -9, max: 9, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (z, dz) => {
        assert.ok(Math.abs(normCdf(z) + normCdf(-z) - 1) < 4e-16);
        assert.ok(normCdf(z + dz) >= normCdf(z));
      }),
    );
  });
  test('derivative of Phi is the density (central difference)', () => {
    for (const z of [-30, -12, -3, -0.5, 0, 1.5]) {
      const h = 1e-7;
      const fd = (normCdf(z + h) - normCdf(z - h)) / (2 * h);
      assert.ok(relErr(fd, normPdf(z)) < 1e-6, `z=${z}`);
    }
  });
});

describe('inverseNormCdf (AS241)', () => {
  const cases: Array<[number, number]> = [
    [5e-324, -38.467405617144346], // mpmath, smallest subnormal
    [1e-300, -37.047096299361199], // mpmath
    [1e-100, -21.273453560965324], // mpmath
    [1e-20, -9.2623400897984076], // mpmath
    [1e-10, -6.3613409024040562], // mpmath
    [0.001, -3.0902323061678135], // mpmath
    [0.025, -1.9599639845400542], // mpmath
    [0.25, -0.67448975019608174], // mpmath
    [0.6, 0.25334710313579974], // mpmath
    [0.975, 1.9599639845400539], // mpmath
    [1 - 1e-10, 6.3613408896974219], // mpmath, at the double nearest 1 - 1e-10
  ];
  for (const [p, want] of cases) {
    test(`inverse Phi(${p})`, () => {
      const tol = p < 1e-307 ? 1e-13 : 1e-15; // AS241: ~1e-16
      assert.ok(relErr(inverseNormCdf(p), want) < tol, `got ${inverseNormCdf(p)}, want ${want}`);
    });
  }
  test('edges and bad input', () => {
    assert.equal(inverseNormCdf(0.5), 0);
    assert.equal(inverseNormCdf(0), -Infinity);
    assert.equal(inverseNormCdf(1), Infinity);
    assert.ok(Number.isNaN(inverseNormCdf(-0.1)));
    assert.ok(Number.isNaN(inverseNormCdf(1.5)));
    assert.ok(Number.isNaN(inverseNormCdf(NaN)));
  });
  test('round trip Phi(inverse Phi(p)) = p in relative terms down to 1e-300 (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -300, max: Math.log10(0.5), noNaN: true }), (e) => {
        const p = 10 ** e;
        const z = inverseNormCdf(p);
        // AS241 is good to ~4e-16 relative in z, and Phi's relative change per relative change in
        // z is |z| phi(z)/Phi(z) ~ z^2 in the tail.
        const tol = 1e-15 * Math.max(1, z * z);
        assert.ok(relErr(normCdf(z), p) < tol, `p=${p} z=${z} Phi(z)=${normCdf(z)}`);
      }),
    );
  });
});

describe('erf, erfc, erfcx (Cody)', () => {
  // [x, erfc(x), erfcx(x), erf(x)] from mpmath at 50 digits.
  const cases: Array<[number, number, number, number]> = [
    [-5.0, 1.9999999999984625, 144009798674.66104, -0.99999999999846254],
    [-0.3, 1.3286267594591274, 1.4537492328427656, -0.32862675945912742],
    [0.1, 0.8875370839817151, 0.89645697996912664, 0.1124629160182849],
    [0.3, 0.67137324054087258, 0.73459933456765515, 0.32862675945912742],
    [1.0, 0.15729920705028513, 0.427583576155807, 0.84270079294971487],
    [3.0, 2.2090496998585441e-5, 0.17900115118138995, 0.99997790950300141],
    [5.0, 1.5374597944280349e-12, 0.11070463773306863, 0.99999999999846254],
    [10.0, 2.0884875837625448e-45, 0.056140992743822586, 1.0],
    [26.0, 5.6631924088561428e-296, 0.021683584850562907, 1.0],
  ];
  for (const [x, c, cx, e] of cases) {
    test(`x = ${x}`, () => {
      assert.ok(relErr(erfc(x), c) < 1e-15, `erfc(${x}) = ${erfc(x)}`);
      assert.ok(relErr(erfcx(x), cx) < 1e-15, `erfcx(${x}) = ${erfcx(x)}`);
      assert.ok(relErr(erf(x), e) < 1e-15, `erf(${x}) = ${erf(x)}`);
    });
  }
  test('erfcx for huge arguments tends to 1/(x sqrt(pi)) and overflows to Infinity below -26.628', () => {
    assert.ok(relErr(erfcx(1e8), 1 / (1e8 * Math.sqrt(Math.PI))) < 1e-15);
    assert.equal(erfcx(-27), Infinity);
  });
});
