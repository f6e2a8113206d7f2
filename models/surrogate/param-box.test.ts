import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hestonPrices } from '../../src/quant/heston.ts';
import { impliedVols } from '../../src/quant/implied-vol.ts';
import { GRID_T, N_K, kRow } from './grid.ts';
import { N_PARAMS, PARAM_BOX, PARAM_NAMES, denormaliseParams, feller, inBox, latinHypercube, normaliseParams, vectorToParams } from './param-box.ts';
import { exactSurfaceArray } from './exact-surface.ts';

test('Latin hypercube: one point per stratum per coordinate, inside the box, seeded', () => {
  const n = 500;
  const x = latinHypercube(n, 11);
  const u = new Float64Array(N_PARAMS);
  const hits = Array.from({ length: N_PARAMS }, () => new Uint8Array(n));
  for (let s = 0; s < n; s++) {
    assert.ok(inBox(x, s * N_PARAMS));
    normaliseParams(x, u, s * N_PARAMS);
    for (let d = 0; d < N_PARAMS; d++) hits[d][Math.min(n - 1, Math.floor(((u[d] + 1) / 2) * n))]++;
  }
  for (let d = 0; d < N_PARAMS; d++) assert.ok(hits[d].every((h) => h === 1), `coordinate ${PARAM_NAMES[d]}`);
  assert.deepEqual(latinHypercube(n, 11), x);
  assert.notDeepEqual(latinHypercube(n, 12), x);
  assert.throws(() => latinHypercube(0, 1), /n must be/);
});

test('the box holds Feller-violating and Feller-satisfying points', () => {
  const n = 2000, x = latinHypercube(n, 3);
  let ok = 0;
  for (let s = 0; s < n; s++) if (feller(vectorToParams(x, s * N_PARAMS))) ok++;
  assert.ok(ok > 0.2 * n && ok < 0.8 * n, `Feller share ${ok / n}`);
});

test('normalise and denormalise are inverse; the box corners map to -1 and 1', () => {
  const lo = Float64Array.from(PARAM_NAMES, (p) => PARAM_BOX[p].lo), hi = Float64Array.from(PARAM_NAMES, (p) => PARAM_BOX[p].hi);
  assert.ok(normaliseParams(lo).every((v) => Math.abs(v + 1) < 1e-12));
  assert.ok(normaliseParams(hi).every((v) => Math.abs(v - 1) < 1e-12));
  fc.assert(fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: N_PARAMS, maxLength: N_PARAMS }), (u) => {
    const back = normaliseParams(denormaliseParams(u));
    return back.every((v, i) => Math.abs(v - u[i]) < 1e-9);
  }));
});

test('exact surface at the money matches Fang and Oosterlee (2008) reference price', () => {
  // Fang & Oosterlee (2008), SIAM J. Sci. Comput. 31(2), Heston test: S = K = 100, T = 1, r = q = 0,
  // call 5.785155450 (reference to 9 decimals).
  const p = { v0: 0.0175, kappa: 1.5768, theta: 0.0398, sigma: 0.5751, rho: -0.5711 };
  const ref = impliedVols(5.785155450, 100, 100, 1, 0, 0, true);
  const j = GRID_T.indexOf(1), i = kRow(j).indexOf(0);
  const { iv } = exactSurfaceArray(p);
  assert.ok(Math.abs(iv[j * N_K + i] - ref.iv[0]) < 1e-8, `${iv[j * N_K + i]} vs ${ref.iv[0]}`);
});

test('IVs at k = ln(K/F) do not depend on r or q (why r is not a surrogate input)', () => {
  const p = { v0: 0.05, kappa: 1.2, theta: 0.06, sigma: 0.9, rho: -0.7 };
  const { iv } = exactSurfaceArray(p);
  const S = 4500, r = 0.05, q = 0.015;
  for (const j of [0, 4, 7]) {
    const T = GRID_T[j], F = S * Math.exp((r - q) * T);
    const K = Float64Array.from(kRow(j), (k) => F * Math.exp(k));
    const isCall = Array.from(kRow(j), (k) => k >= 0);
    const price = hestonPrices(p, S, T, r, q, K, isCall, undefined, { relTol: 1e-13 });
    const ivs = impliedVols(price, S, K, T, r, q, Uint8Array.from(isCall, Number));
    for (let i = 0; i < N_K; i++) assert.ok(Math.abs(ivs.iv[i] - iv[j * N_K + i]) < 1e-7, `T ${T} point ${i}`);
  }
});
