import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bsGreeks } from './black-scholes.ts';
import { hestonGreeks } from './heston-greeks.ts';
import { hestonDeltaTable, modelImpliedVol, readTable } from './hedge-lsmc-baselines.ts';

describe('hedging baselines', () => {
  const params = { v0: 0.04, kappa: 2, theta: 0.04, sigma: 0.5, rho: -0.7 };
  const market = { S0: 100, r: 0.02, q: 0.01, T: 0.25, steps: 4 };

  test('the tabulated Heston delta and min-variance delta match heston-greeks between nodes', () => {
    const o = { K: 100, call: true };
    const t = hestonDeltaTable(params, market, o, { vMax: 0.16, nv: 33, nx: 401, xMax: 0.5 });
    for (const [k, S, v] of [[0, 100, 0.04], [2, 93.7, 0.0311], [3, 104.2, 0.0712]] as const) {
      const g = hestonGreeks({ ...params, v0: v }, S, market.T - k * (market.T / market.steps), market.r, market.q, [o.K], true);
      const x = Math.log(o.K / S);
      // bilinear interpolation error ~ h^2 f''/8 on these grids: well under 0.005 in delta
      assert.ok(Math.abs(readTable(t, t.delta[k], v, x) - g.delta[0]) < 5e-3, `delta at ${k}, ${S}, ${v}`);
      assert.ok(Math.abs(readTable(t, t.mvDelta[k], v, x) - g.mvDelta[0]) < 5e-3, `mvDelta at ${k}, ${S}, ${v}`);
      assert.ok(Math.abs(S * readTable(t, t.price[k], v, x) - g.price[0]) < 0.02, `price at ${k}, ${S}, ${v}`);
    }
  });

  test('sigma -> 0: the model implied vol is sqrt(v0) and the table delta is the Black-Scholes delta', () => {
    const flat = { v0: 0.04, kappa: 1, theta: 0.04, sigma: 0, rho: 0 };
    const o = { K: 95, call: false };
    assert.ok(Math.abs(modelImpliedVol(flat, market, o) - 0.2) < 1e-6);
    const t = hestonDeltaTable(flat, market, o, { vMax: 0.16, nv: 17, nx: 401, xMax: 0.5 });
    const bs = bsGreeks(100, 95, market.T, market.r, market.q, 0.2, 'P').delta;
    // v = 0.04 is the node sqrt v = 0.2 (index 4 of 17 up to 0.4); x = ln(0.95) lies between nodes
    assert.ok(Math.abs(readTable(t, t.delta[0], 0.04, Math.log(0.95)) - bs) < 2e-3);
  });
});
