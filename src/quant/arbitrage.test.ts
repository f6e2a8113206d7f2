// Arbitrage diagnostics on surfaces without closed-form derivatives (finite differences) and
// calendar checks, against cases whose answer is known by construction.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { arbitrageReport, densityFactor } from './arbitrage.ts';
import { sviG, sviW, type SviRaw } from './svi-raw.ts';
import { SviSurface } from './svi-surface.ts';
import type { VolSurface } from './surface-types.ts';
import { gridByPoints } from './surface-types.ts';

const VOGT: SviRaw = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 };

/** A surface that only predicts vols (no derivatives), from a function of (k, T). */
function plain(f: (k: number, T: number) => number): VolSurface {
  const s = {
    method: 'test',
    predict(k: ArrayLike<number>, T: ArrayLike<number>) { return Float64Array.from(k, (x, i) => f(x, T[i])); },
    predictGrid(k: ArrayLike<number>, T: ArrayLike<number>) { return gridByPoints(s, k, T); },
  };
  return s;
}

describe('arbitrage diagnostics', () => {
  test("finite differences find Vogt's butterfly where the closed form does", () => {
    const s = plain((k, T) => Math.sqrt(sviW(VOGT, k) / T));
    const k = Array.from({ length: 301 }, (_, i) => -1.5 + 0.01 * i);
    const g = densityFactor(s, 1, k);
    for (let i = 0; i < k.length; i++) assert.ok(Math.abs(g[i] - sviG(VOGT, k[i])) < 1e-5, `k = ${k[i]}`);
    const rep = arbitrageReport(s, [1], { k });
    assert.equal(rep.butterfly.length, 1);
    assert.ok(rep.butterfly[0].k > 0.8 && rep.butterfly[0].k < 0.95);
    assert.ok(rep.minG < -0.032);
  });

  test('flat vol: no flags; crossing slices: a calendar flag where w falls, with both expiries', () => {
    assert.equal(arbitrageReport(plain(() => 0.2), [0.1, 0.5, 1]).ok, true);
    // Two SVI slices whose total variances cross: the later one is lower for k > 0
    const early: SviRaw = { a: 0.02, b: 0.2, rho: 0.3, m: 0, sigma: 0.2 };
    const late: SviRaw = { a: 0.03, b: 0.1, rho: -0.5, m: 0, sigma: 0.2 };
    const s = new SviSurface([{ T: 0.5, params: early, n: 0, rmseIv: 0 }, { T: 1, params: late, n: 0, rmseIv: 0 }]);
    const rep = arbitrageReport(s, [0.5, 1]);
    assert.equal(rep.calendar.length, 1);
    const f = rep.calendar[0];
    assert.equal(f.T0, 0.5);
    assert.equal(f.T, 1);
    // Crossing point: w_late(k) = w_early(k); every k beyond it is flagged
    let kx = -1.5;
    while (sviW(late, kx) >= sviW(early, kx)) kx += 1e-4;
    assert.ok(Math.abs(f.kFrom - kx) < 0.016 && f.kTo === 1.5, JSON.stringify(f));
    assert.ok(Math.abs(f.value - (sviW(late, 1.5) - sviW(early, 1.5))) < 1e-12);
  });

  test('bad expiries are refused', () => {
    assert.throws(() => arbitrageReport(plain(() => 0.2), [0]), /expiries must be/);
  });
});
