// The SSVI fitter's fast paths: the analytic Theorem 4.2 check against the grid check of ssvi.ts,
// and a warm start (opts.init) against a cold start on the same quotes. The reference for both is
// the slower original path itself, on quotes from a Heston surface (Gatheral and Jacquier 2014,
// Section 4: theorems; Heston prices from ./heston.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { hestonIvPoints } from './heston-iv-points.ts';
import { ssviButterflyViolations, type SsviParams } from './ssvi.ts';
import { fitSsvi, ssviButterflyFree } from './ssvi-fit.ts';

describe('SSVI fit', () => {
  test('power law: the analytic Theorem 4.2 check agrees with the grid check of ssviButterflyViolations', () => {
    // GJ Remark 4.4: eta (1 + |rho|) <= 2 with gamma = 1/2 is free of butterfly arbitrage for every theta
    assert.equal(ssviButterflyFree({ rho: -0.7, phi: { kind: 'power-law', eta: 2 / 1.7, gamma: 0.5 } }, 1e-4, 10), true);
    // The breach of theta phi^2 (1 + |rho|) <= 4 that ssvi.test.ts shows in the density too
    assert.equal(ssviButterflyFree({ rho: -0.9, phi: { kind: 'power-law', eta: 4, gamma: 0.7 } }, 0.004, 0.08), false);
    fc.assert(
      fc.property(
        fc.double({ min: -0.99, max: 0.99, noNaN: true }),
        fc.double({ min: 0.05, max: 6, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
        fc.double({ min: 1, max: 200, noNaN: true }),
        (rho, eta, gamma, lo, ratio) => {
          const p: SsviParams = { rho, phi: { kind: 'power-law', eta, gamma } };
          assert.equal(ssviButterflyFree(p, lo, lo * ratio), ssviButterflyViolations(p, lo, lo * ratio).length === 0, JSON.stringify(p));
        },
      ),
      { numRuns: 2000, seed: 42 },
    );
  });

  test('Heston-like phi: the check is the grid check', () => {
    for (const lambda of [0.1, 0.4, 2, 20]) {
      const p: SsviParams = { rho: -0.6, phi: { kind: 'heston', lambda } };
      assert.equal(ssviButterflyFree(p, 1e-3, 1), ssviButterflyViolations(p, 1e-3, 1).length === 0);
    }
  });

  test('a warm start from the previous fit reaches the cold fit’s error on the next quotes', () => {
    // Yesterday's surface and today's (every Heston parameter moved): warm-start today's fit from
    // yesterday's parameters, and from today's own, and compare with today's cold fit.
    const before = hestonIvPoints({ v0: 0.04, kappa: 1.5, theta: 0.04, sigma: 0.5, rho: -0.7 });
    const after = hestonIvPoints({ v0: 0.05, kappa: 1.3, theta: 0.045, sigma: 0.6, rho: -0.65 });
    const prev = fitSsvi(before);
    const cold = fitSsvi(after);
    for (const init of [prev.params, cold.params]) {
      const warm = fitSsvi(after, { init });
      // The same optimum: weighted IV RMSE within 1e-5 (a thousandth of a vol point; the fit is 0.3-0.5 vol points off Heston)
      assert.ok(Math.abs(warm.rmseIv - cold.rmseIv) < 1e-5, `warm ${warm.rmseIv} vs cold ${cold.rmseIv}`);
      assert.ok(Math.abs(warm.params.rho - cold.params.rho) < 0.01, `rho ${warm.params.rho} vs ${cold.params.rho}`);
      for (let j = 0; j < cold.thetas.length; j++) assert.ok(Math.abs(warm.thetas[j] / cold.thetas[j] - 1) < 1e-3, `theta[${j}]`);
      assert.deepEqual(ssviButterflyViolations(warm.params, warm.thetas[0], warm.thetas[3]), []);
    }
    // The start the fit refuses: another phi family, named
    assert.throws(() => fitSsvi(after, { phi: 'heston', init: prev.params }), /init: phi kind power-law differs from the fitted kind heston/);
    // A start breaking Theorem 4.2 is not used as is: the fit falls back to the cold start's feasible point
    const bad = fitSsvi(after, { init: { rho: -0.95, phi: { kind: 'power-law', eta: 30, gamma: 0.9 } } });
    assert.ok(Math.abs(bad.rmseIv - cold.rmseIv) < 1e-4, `from an infeasible start ${bad.rmseIv} vs ${cold.rmseIv}`);
  });
});
