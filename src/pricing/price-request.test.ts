import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { evaluatePriceRequest } from './price-request.ts';
import { parseJsonSequence } from './json-sequence.ts';

const close = (a: unknown, b: number, tol: number, what: string) => assert.ok(typeof a === 'number' && Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

describe('price requests', () => {
  test('Black-Scholes: Haug (2007) p. 3, S=60 K=65 T=0.25 r=0.08 sigma=0.30 call = 2.1334', () => {
    const r = evaluatePriceRequest({ model: 'bs', right: 'call', S: 60, K: 65, T: 0.25, r: 0.08, params: { sigma: 0.3 } });
    close(r.price, 2.1334, 5e-5, 'price');
  });

  test('Heston: Fang & Oosterlee (2008) Table 4 reference 5.785155450 (T=1), as an array of one strike', () => {
    const r = evaluatePriceRequest({
      model: 'heston', right: 'call', S: 100, K: [100], T: 1, r: 0, q: 0, greeks: true,
      params: { v0: 0.0175, kappa: 1.5768, theta: 0.0398, sigma: 0.5751, rho: -0.5711 },
    });
    assert.ok(Array.isArray(r.price));
    // The published value is itself about 1.6e-8 off (see src/quant/heston.test.ts).
    close((r.price as number[])[0], 5.785155450, 3e-8, 'price');
    for (const k of ['delta', 'gamma', 'vega', 'dv0', 'mvDelta']) assert.ok(Array.isArray(r[k]) && typeof (r[k] as number[])[0] === 'number', k);
    // Minimum-variance delta = delta + rho sigma / S * dC/dv0 (rho < 0, dC/dv0 > 0: below delta).
    const [d, mv, dv0] = [r.delta, r.mvDelta, r.dv0].map((x) => (x as number[])[0]);
    close(mv, d + (-0.5711 * 0.5751 / 100) * dv0, 1e-12, 'mvDelta');
  });

  test('Heston-Nandi: fOptions HNGOption example, S=X=100, 252 days, r=0.05 -> call 8.9921, put 4.115042', () => {
    const params = { omega: 2.3e-6, alpha: 2.9e-6, beta: 0.85, gamma: 184.25, lambda: -0.5 };
    const c = evaluatePriceRequest({ model: 'hn', right: 'call', S: 100, K: 100, T: 1, r: 0.05, params });
    const p = evaluatePriceRequest({ model: 'hn', right: 'put', S: 100, K: 100, T: 1, r: 0.05, params, greeks: true });
    close(c.price, 8.9921, 5e-5, 'call');
    close(p.price, 4.115042, 5e-7, 'put');
    close(p.delta, -0.3260466, 5e-8, 'put delta (fOptions HNGGreeks)');
  });

  test('Bates with lambda = 0 is Heston', () => {
    const base = { right: 'put', S: 100, K: [80, 100, 120], T: 0.5, r: 0.02, q: 0.01 };
    const hp = { v0: 0.04, kappa: 2, theta: 0.04, sigma: 0.5, rho: -0.7 };
    const h = evaluatePriceRequest({ ...base, model: 'heston', params: hp });
    const b = evaluatePriceRequest({ ...base, model: 'bates', params: { ...hp, lambda: 0, muJ: -0.1, sigmaJ: 0.1 } });
    (h.price as number[]).forEach((x, i) => close((b.price as number[])[i], x, 1e-10, `K[${i}]`));
  });

  test('implied vol inverts Black-Scholes prices; a price below intrinsic gives null with its reason', () => {
    const K = [80, 100, 130];
    const priced = evaluatePriceRequest({ model: 'bs', right: 'call', S: 100, K, T: 0.5, r: 0.03, q: 0.01, params: { sigma: 0.27 } });
    const iv = evaluatePriceRequest({ op: 'iv', right: 'call', S: 100, K, T: 0.5, r: 0.03, q: 0.01, price: priced.price });
    (iv.iv as number[]).forEach((v, i) => close(v, 0.27, 1e-12, `iv[${i}]`));
    const bad = evaluatePriceRequest({ op: 'iv', right: 'call', S: 100, K: 80, T: 0.5, r: 0, price: 1 });
    assert.deepEqual(bad, { iv: null, status: 'below_intrinsic' });
  });

  test('a bad field is named, and nothing throws', () => {
    const base = { model: 'bs', right: 'call', S: 100, K: 100, T: 1, r: 0, params: { sigma: 0.2 } };
    assert.deepEqual(evaluatePriceRequest({ ...base, S: -1 }), { error: 'S: must be > 0, got -1' });
    assert.deepEqual(evaluatePriceRequest({ ...base, K: [100, 'x'] }), { error: 'K[1]: expected a finite number, got "x"' });
    assert.deepEqual(evaluatePriceRequest({ ...base, model: 'sabr' }), { error: 'model: expected "bs", "heston", "bates" or "hn", got "sabr"' });
    assert.deepEqual(evaluatePriceRequest({ ...base, params: {} }), { error: 'params.sigma: missing' });
    assert.deepEqual(evaluatePriceRequest({ ...base, right: 'straddle' }), { error: 'right: expected "call" or "put", got "straddle"' });
    assert.match(String(evaluatePriceRequest({ ...base, model: 'heston', params: { v0: 0.04, kappa: 1, theta: 0.04, sigma: 0.3, rho: 2 } }).error), /^params\.rho: must be in \[-1, 1\]/);
    assert.match(String(evaluatePriceRequest({ ...base, model: 'hn', params: { omega: 1e-6, alpha: 1e-6, beta: 0.99, gamma: 500, lambda: 0 } }).error), /h0 is required: the risk-neutral persistence/);
    assert.deepEqual(evaluatePriceRequest(42), { error: 'request: expected a JSON object' });
  });
});

describe('JSON sequences on stdin', () => {
  test('one value, an array, values per line, pretty-printed values, and bad parts in between', () => {
    const parts = parseJsonSequence('{"a":1}\n[{"b":2},{"c":3}]\n{"broken":\n  {\n  "d": "}"\n}\nnot json\n');
    assert.deepEqual(parts.map((p) => (p.ok ? p.value : 'ERR')), [{ a: 1 }, [{ b: 2 }, { c: 3 }], 'ERR', 'ERR', 'ERR', 'ERR', 'ERR']);
  });
});

describe('volrisk price', () => {
  test('answers one JSON result per request on stdout, and goes on after a bad one', () => {
    const bin = resolve(import.meta.dirname, '../../bin/volrisk.js');
    const input = [
      JSON.stringify([{ model: 'bs', right: 'call', S: 60, K: 65, T: 0.25, r: 0.08, params: { sigma: 0.3 } }, { model: 'bs', right: 'put', S: 60, K: [60, 65], T: 0.25, r: 0.08, params: { sigma: 0.3 } }]),
      '{oops',
      JSON.stringify({ op: 'iv', right: 'call', S: 60, K: 65, T: 0.25, r: 0.08, price: 2.1333684449162007 }),
    ].join('\n');
    const r = spawnSync(process.execPath, [bin, 'price'], { input, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, 4);
    close(out[0].price, 2.1334, 5e-5, 'first');
    assert.equal(out[1].price.length, 2);
    assert.match(out[2].error, /^bad JSON/);
    close(out[3].iv, 0.3, 1e-12, 'iv');
  });
});
