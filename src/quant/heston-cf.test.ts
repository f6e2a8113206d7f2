import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { logCf, toCfModel, type BatesParams } from './heston-cf.ts';

const out = new Float64Array(4);
function lnPhi(p: Parameters<typeof toCfModel>[0], T: number, zRe: number, zIm: number): [number, number] {
  logCf(toCfModel(p), T, zRe, zIm, out, 0);
  return [out[0], out[1]];
}

const hestonArb = fc.record({
  v0: fc.double({ min: 0.001, max: 0.5, noNaN: true }),
  kappa: fc.double({ min: 0.05, max: 10, noNaN: true }),
  theta: fc.double({ min: 0.005, max: 0.5, noNaN: true }),
  sigma: fc.double({ min: 0.01, max: 3, noNaN: true }),
  rho: fc.double({ min: -0.99, max: 0.5, noNaN: true }),
});
const batesArb = fc.record({
  v0: fc.double({ min: 0.001, max: 0.5, noNaN: true }),
  kappa: fc.double({ min: 0.05, max: 10, noNaN: true }),
  theta: fc.double({ min: 0.005, max: 0.5, noNaN: true }),
  sigma: fc.double({ min: 0.01, max: 3, noNaN: true }),
  rho: fc.double({ min: -0.99, max: 0.5, noNaN: true }),
  lambda: fc.double({ min: 0.01, max: 3, noNaN: true }),
  muJ: fc.double({ min: -0.4, max: 0.2, noNaN: true }),
  sigmaJ: fc.double({ min: 0, max: 0.4, noNaN: true }),
});

describe('Heston / Bates characteristic function', () => {
  test('phi(0) = 1 and the martingale condition phi(-i) = 1 (E[S_T] = F)', () => {
    fc.assert(
      fc.property(fc.oneof(hestonArb, batesArb), fc.double({ min: 0.001, max: 30, noNaN: true }), (p, T) => {
        const [a, b] = lnPhi(p, T, 0, 0);
        const [c, d] = lnPhi(p, T, 0, -1);
        return Math.abs(a) < 1e-13 && Math.abs(b) < 1e-13 && Math.abs(c) < 1e-12 && Math.abs(d) < 1e-12;
      }),
      { numRuns: 300 },
    );
  });

  test('psi(-u) = conj(psi(u)) on the Lewis contour, which makes the pricing integrands even', () => {
    fc.assert(
      fc.property(hestonArb, fc.double({ min: 0.01, max: 10, noNaN: true }), fc.double({ min: 0, max: 200, noNaN: true }), (p, T, u) => {
        const [a, b] = lnPhi(p, T, u, -0.5);
        const [c, d] = lnPhi(p, T, -u, -0.5);
        return Math.abs(a - c) < 1e-9 * (1 + Math.abs(a)) && Math.abs(b + d) < 1e-9 * (1 + Math.abs(b));
      }),
    );
  });

  test('sigma = 0 gives the Black-Scholes characteristic function of the integrated deterministic variance', () => {
    const p = { v0: 0.09, kappa: 1.3, theta: 0.04, sigma: 0, rho: -0.6 };
    for (const T of [0.01, 0.5, 3, 30]) {
      const w = p.theta * T + ((p.v0 - p.theta) * (1 - Math.exp(-p.kappa * T))) / p.kappa;
      for (const u of [0.1, 1, 7.5, 40]) {
        // BS: ln phi(z) = -(w/2)(z^2 + iz); on z = u - i/2 that is -(w/2)(u^2 + 1/4)
        const [a, b] = lnPhi(p, T, u, -0.5);
        assert.ok(Math.abs(a + 0.5 * w * (u * u + 0.25)) < 1e-12 * (1 + w * u * u), `T=${T} u=${u}: ${a}`);
        assert.ok(Math.abs(b) < 1e-12, `T=${T} u=${u}: ${b}`);
      }
    }
  });

  test('tiny sigma stays on the sigma = 0 limit (no 0/0 cancellation)', () => {
    const base = { v0: 0.05, kappa: 2, theta: 0.03, rho: -0.7 };
    const [a0, b0] = lnPhi({ ...base, sigma: 0 }, 2, 3, -0.5);
    const [a1, b1] = lnPhi({ ...base, sigma: 1e-9 }, 2, 3, -0.5);
    assert.ok(Math.abs(a1 - a0) < 1e-9 && Math.abs(b1 - b0) < 1e-9, `${a1 - a0} ${b1 - b0}`);
  });

  test('Bates = Heston + the Merton lognormal jump exponent', () => {
    fc.assert(
      fc.property(batesArb, fc.double({ min: 0.01, max: 10, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), (p: BatesParams, T, u) => {
        const [ha, hb] = lnPhi({ ...p, lambda: 0 }, T, u, -0.5);
        const [ba, bb] = lnPhi(p, T, u, -0.5);
        // Merton (1976): lambda T (E[e^{izJ}] - 1 - iz (E[e^J] - 1)), z = u - i/2 (written out)
        const zRe = u;
        const zIm = -0.5;
        const k = Math.exp(p.muJ + 0.5 * p.sigmaJ ** 2) - 1;
        const eRe = -zIm * p.muJ - 0.5 * p.sigmaJ ** 2 * (zRe * zRe - zIm * zIm);
        const eIm = zRe * p.muJ - p.sigmaJ ** 2 * zRe * zIm;
        const jRe = p.lambda * T * (Math.exp(eRe) * Math.cos(eIm) - 1 + zIm * k);
        const jIm = p.lambda * T * (Math.exp(eRe) * Math.sin(eIm) - zRe * k);
        const tol = 1e-10 * (1 + Math.abs(ha) + Math.abs(jRe));
        // the imaginary part is a phase: compare modulo 2 pi
        const dIm = bb - hb - jIm;
        return Math.abs(ba - ha - jRe) < tol && Math.abs(dIm - 2 * Math.PI * Math.round(dIm / (2 * Math.PI))) < 1e-9 * (1 + Math.abs(jIm));
      }),
    );
  });

  test('finite with no branch-cut jumps for long maturities and Feller-violating parameters', () => {
    // Kahl-Jaeckel (2005) "Not-so-complex logarithms in the Heston model" case, T up to 30 years:
    // the textbook form jumps by 2 pi in Im ln phi; the little-trap form must be continuous in u.
    const p = { v0: 0.16, kappa: 1, theta: 0.16, sigma: 2, rho: -0.8 };
    for (const T of [10, 30]) {
      let prev = lnPhi(p, T, 0, -0.5);
      for (let u = 0.01; u <= 60; u += 0.01) {
        const cur = lnPhi(p, T, u, -0.5);
        assert.ok(Number.isFinite(cur[0]) && Number.isFinite(cur[1]));
        assert.ok(Math.abs(cur[1] - prev[1]) < 0.1, `phase jump at T=${T} u=${u.toFixed(2)}: ${prev[1]} -> ${cur[1]}`);
        prev = cur;
      }
    }
  });

  test('bad parameters are rejected with the parameter named', () => {
    const ok = { v0: 0.04, kappa: 1, theta: 0.04, sigma: 0.5, rho: -0.5 };
    assert.throws(() => toCfModel({ ...ok, v0: -0.01 }), /params\.v0/);
    assert.throws(() => toCfModel({ ...ok, rho: -1.5 }), /params\.rho/);
    assert.throws(() => toCfModel({ ...ok, sigma: Number.NaN }), /params\.sigma/);
    assert.throws(() => toCfModel({ ...ok, lambda: 0.5 } as BatesParams), /params\.muJ/);
    assert.throws(() => toCfModel({ ...ok, lambda: 0.5, muJ: 0, sigmaJ: -1 }), /params\.sigmaJ/);
    assert.throws(() => toCfModel({ ...ok, lambda: -1, muJ: 0, sigmaJ: 0.1 }), /params\.lambda/);
  });
});
