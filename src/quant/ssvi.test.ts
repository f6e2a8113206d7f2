// SSVI (Gatheral and Jacquier 2014, Section 4): parameters satisfying Theorems 4.1/4.2 give no
// arbitrage flags, breaking them does, and the constrained fit reproduces a Heston surface.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { arbitrageReport } from './arbitrage.ts';
import { hestonIvPoints } from './heston-iv-points.ts';
import { checkSsviParams, ssviButterflyViolations, ssviPhi, type SsviParams } from './ssvi.ts';
import { fitSsvi, isotonic, SsviSurface } from './ssvi-fit.ts';

const expiries = Float64Array.of(0.1, 0.25, 0.5, 1, 2);
const thetas = Float64Array.of(0.004, 0.01, 0.02, 0.04, 0.08);

describe('SSVI', () => {
  test('power law with eta(1+|rho|) <= 2, gamma = 1/2 (GJ Remark 4.4): no flags', () => {
    const p: SsviParams = { rho: -0.7, phi: { kind: 'power-law', eta: 2 / 1.7, gamma: 0.5 } };
    assert.deepEqual(ssviButterflyViolations(p, 1e-4, 10), []);
    const rep = arbitrageReport(new SsviSurface(p, expiries, thetas), expiries, { k: Array.from({ length: 401 }, (_, i) => -2 + 0.01 * i) });
    assert.equal(rep.ok, true, JSON.stringify(rep));
  });

  test('Heston-like phi with lambda >= (1+|rho|)/4 (GJ Corollary 4.1): no flags', () => {
    const p: SsviParams = { rho: -0.6, phi: { kind: 'heston', lambda: 0.4 } };
    assert.deepEqual(ssviButterflyViolations(p, 1e-4, 10), []);
    assert.equal(arbitrageReport(new SsviSurface(p, expiries, thetas), expiries).ok, true);
  });

  test('breaking theta phi^2 (1+|rho|) <= 4 is reported by the theorem check and by the density', () => {
    const p: SsviParams = { rho: -0.9, phi: { kind: 'power-law', eta: 4, gamma: 0.7 } };
    const v = ssviButterflyViolations(p, thetas[0], thetas[4]);
    assert.ok(v.some((x) => x.condition === 'theta*phi^2*(1+|rho|) <= 4'), JSON.stringify(v));
    const rep = arbitrageReport(new SsviSurface(p, expiries, thetas), expiries, { k: Array.from({ length: 601 }, (_, i) => -3 + 0.01 * i) });
    assert.ok(rep.butterfly.length > 0);
    assert.equal(rep.butterfly[0].T, 0.1); // the shortest expiry has the largest phi
  });

  test('Heston-like phi: phi(0+) = 1/2 (series branch agrees with the closed form)', () => {
    const f = { kind: 'heston', lambda: 1 } as const;
    assert.ok(Math.abs(ssviPhi(f, 1e-9) - 0.5) < 1e-9);
    // Either side of the switch to the series (lambda theta = 1e-4) the values join up
    assert.ok(Math.abs(ssviPhi(f, 1e-4 * (1 - 1e-9)) - ssviPhi(f, 1e-4 * (1 + 1e-9))) < 1e-12);
  });

  test('a decreasing theta curve is refused as calendar arbitrage; bad params by name', () => {
    const p: SsviParams = { rho: -0.5, phi: { kind: 'power-law', eta: 1, gamma: 0.5 } };
    assert.throws(() => new SsviSurface(p, Float64Array.of(0.5, 1), Float64Array.of(0.02, 0.01)), /calendar/);
    assert.throws(() => checkSsviParams({ rho: 1, phi: p.phi }), /rho/);
    assert.throws(() => checkSsviParams({ rho: 0, phi: { kind: 'power-law', eta: 1, gamma: 1 } }), /gamma/);
  });

  test('isotonic regression pools violators', () => {
    assert.deepEqual(Array.from(isotonic([1, 3, 2, 4], [1, 1, 1, 1])), [1, 2.5, 2.5, 4]);
    assert.deepEqual(Array.from(isotonic([3, 1], [3, 1])), [2.5, 2.5]);
  });

  test('fit on a Heston surface: RMSE under 0.5 vol points, constraints hold, no flags', () => {
    const hp = { v0: 0.04, kappa: 1.5, theta: 0.04, sigma: 0.5, rho: -0.7 };
    const { k, T, iv } = hestonIvPoints(hp);
    const s = fitSsvi({ k, T, iv });
    assert.ok(s.rmseIv < 0.005, `rmse ${s.rmseIv}`);
    // Heston's correlation shows through as a clearly negative SSVI rho
    assert.ok(s.params.rho < -0.4, String(s.params.rho));
    assert.deepEqual(ssviButterflyViolations(s.params, s.thetas[0], s.thetas[3]), []);
    for (let j = 1; j < 4; j++) assert.ok(s.thetas[j] >= s.thetas[j - 1]);
    assert.equal(arbitrageReport(s, s.expiries).ok, true);
    // ATM vol of the shortest expiry within one vol point of Heston's (one rho for all
    // expiries is the family's limit there: about 0.6 points off)
    assert.ok(Math.abs(Math.sqrt(s.thetas[0] / 0.25) - iv[7]) < 0.01);
  });
});
