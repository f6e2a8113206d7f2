import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { black76Price, bsGreeks, bsPrice, normalisedBlack, type Right } from './black-scholes.ts';
import {
  IV_ABOVE_UPPER_BOUND, IV_BAD_INPUT, IV_BELOW_INTRINSIC, IV_OK, IV_STATUS, impliedVol, impliedVolBlack76,
  impliedVols, impliedVolsBlack76, quoteIv, quoteIvs,
} from './implied-vol.ts';

const EPS = 2.220446049250313e-16;
const MINUTE = 1 / (365 * 24 * 60);

function relErr(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a / b - 1);
}

/**
 * The round-trip domain. A price carries its own rounding, half an ulp of the price P; that
 * alone moves the implied vol by kappa = eps P / (sigma vega) in relative terms. Where kappa is
 * at most 1e-13 (so the round trip can be asked for 1e-12) and the out-of-the-money time value
 * is a normal number above 1e-300, the price is numerically meaningful and we require 1e-12.
 * Outside (deep in the money, where the intrinsic value swamps the time value; or so close to
 * the upper bound S e^{-qT} that vega underflows), we still require the error to be explained by
 * kappa: at most 1e-12 + 4 kappa, or a NaN with the bound the price has rounded onto.
 */
function kappa(S: number, K: number, T: number, r: number, q: number, v: number, right: Right): { price: number; kappa: number; otm: number } {
  const g = bsGreeks(S, K, T, r, q, v, right);
  const F = S * Math.exp((r - q) * T);
  const otmRight: Right = K > F ? 'C' : 'P';
  return { price: g.price, kappa: (EPS * g.price) / (v * g.vega), otm: bsPrice(S, K, T, r, q, v, otmRight) };
}

describe('reference values', () => {
  // vollib/py_lets_be_rational tests/test_public_functions.py (a port of Jaeckel's reference
  // code), tolerance 1e-12 there.
  test('Black call F = K = 100, T = 0.5, price 5.637197779701664 has vol 0.2', () => {
    const r = impliedVolBlack76(5.637197779701664, 100, 100, 0.5, 1, 'C');
    assert.equal(r.status, 'ok');
    assert.ok(Math.abs(r.iv - 0.2) < 1e-12);
  });
  test('normalised put at x = 0.1, s = 0.23232323888 inverts to s', () => {
    // F = e^{0.1}, K = 1, T = 1: the normalised inversion in Black-76 terms.
    const F = Math.exp(0.1);
    const beta = normalisedBlack(0.1, 0.23232323888, -1);
    const r = impliedVolBlack76(beta * Math.sqrt(F), F, 1, 1, 1, 'P');
    assert.ok(Math.abs(r.iv - 0.23232323888) < 1e-12);
  });
  // Haug, "Option Pricing Formulas" (1998) pag 2-8 values as in QuantLib europeanoption.cpp:
  // the 4-decimal prices invert to the stated vols within what 5e-5 of price rounding allows.
  test('Haug examples invert to their vols (tolerance: 5e-5 price rounding / vega)', () => {
    const rows: Array<[Right, number, number, number, number, number, number, number]> = [
      ['C', 65.0, 60.0, 0.0, 0.08, 0.25, 0.3, 2.1334],
      ['P', 95.0, 100.0, 0.05, 0.1, 0.5, 0.2, 2.4648],
      ['C', 19.0, 19.0, 0.1, 0.1, 0.75, 0.28, 1.7011],
      ['P', 70.0, 75.0, 0.05, 0.1, 0.5, 0.35, 4.087],
      ['C', 40.0, 42.0, 0.08, 0.04, 0.75, 0.35, 5.0975],
    ];
    for (const [right, K, S, q, r, T, v, price] of rows) {
      const res = impliedVol(price, S, K, T, r, q, right);
      const vega = bsGreeks(S, K, T, r, q, v, right).vega;
      assert.equal(res.status, 'ok');
      assert.ok(Math.abs(res.iv - v) <= 5e-5 / vega + 1e-12, `${right} K=${K}: ${res.iv} vs ${v}`);
    }
  });
});

describe('round trips', () => {
  test('iv -> price -> iv on a grid: log-moneyness -5..5 sd, T 1 minute..30 years, vol 1%..500%, both rights', () => {
    let worstInDomain = 0;
    let inDomain = 0;
    for (const T of [MINUTE, 10 * MINUTE, 1 / 365, 7 / 365, 0.25, 1, 5, 30]) {
      for (const v of [0.01, 0.03, 0.1, 0.25, 0.6, 1.5, 5]) {
        for (let k = -5; k <= 5; k += 0.25) {
          for (const right of ['C', 'P'] as const) {
            const S = 100, r = 0.04, q = 0.015;
            const K = S * Math.exp((r - q) * T + k * v * Math.sqrt(T));
            const d = kappa(S, K, T, r, q, v, right);
            const res = impliedVol(d.price, S, K, T, r, q, right);
            const e = Math.abs(res.iv / v - 1);
            const where = `${right} T=${T} v=${v} k=${k} price=${d.price} kappa=${d.kappa}: ${res.status} ${res.iv}`;
            if (d.kappa <= 1e-13 && d.otm > 1e-300) {
              inDomain++;
              assert.equal(res.status, 'ok', where);
              assert.ok(e < 1e-12, where);
              worstInDomain = Math.max(worstInDomain, e);
            } else if (res.status === 'ok') {
              assert.ok(e <= 1e-12 + 4 * d.kappa, where);
            } else {
              // Only a price rounded onto a bound may fail.
              const F = S * Math.exp((r - q) * T), df = Math.exp(-r * T);
              const upper = right === 'C' ? df * F : df * K;
              const lower = Math.max(right === 'C' ? df * (F - K) : df * (K - F), 0);
              assert.ok(
                (res.status === 'above_upper_bound' && d.price >= upper * (1 - 4 * EPS)) ||
                  (res.status === 'below_intrinsic' && d.price <= lower * (1 + 4 * EPS)),
                where,
              );
            }
          }
        }
      }
    }
    assert.ok(inDomain > 3000, `grid mostly in the domain (${inDomain})`);
    assert.ok(worstInDomain < 1e-12);
  });

  const quoteArb = fc.record({
    k: fc.double({ min: -5, max: 5, noNaN: true }),
    logT: fc.double({ min: Math.log(MINUTE), max: Math.log(30), noNaN: true }),
    logV: fc.double({ min: Math.log(0.01), max: Math.log(5), noNaN: true }),
    r: fc.double({ min: -0.02, max: 0.1, noNaN: true }),
    q: fc.double({ min: 0, max: 0.05, noNaN: true }),
    S: fc.double({ min: 0.01, max: 1e5, noNaN: true }),
    call: fc.boolean(),
  });

  test('iv -> price -> iv to 1e-12 relative wherever the price is meaningful (property)', () => {
    fc.assert(
      fc.property(quoteArb, ({ k, logT, logV, r, q, S, call }) => {
        const T = Math.exp(logT), v = Math.exp(logV), right: Right = call ? 'C' : 'P';
        const K = S * Math.exp((r - q) * T + k * v * Math.sqrt(T));
        const d = kappa(S, K, T, r, q, v, right);
        fc.pre(d.kappa <= 1e-13 && d.otm > 1e-300);
        const res = impliedVol(d.price, S, K, T, r, q, right);
        assert.equal(res.status, 'ok');
        assert.ok(relErr(res.iv, v) < 1e-12, `iv ${res.iv} vs ${v} (kappa ${d.kappa})`);
      }),
      { numRuns: 2000 },
    );
  });

  test('price -> iv -> price: any price strictly inside its bounds comes back (property)', () => {
    fc.assert(
      fc.property(quoteArb, fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), ({ k, logT, r, q, S, call }, u) => {
        const T = Math.exp(logT), right: Right = call ? 'C' : 'P';
        const K = S * Math.exp((r - q) * T + k * 0.3 * Math.sqrt(T));
        const F = S * Math.exp((r - q) * T), df = Math.exp(-r * T);
        const lower = Math.max(call ? df * (F - K) : df * (K - F), 0);
        const upper = call ? df * F : df * K;
        const price = lower + u * (upper - lower);
        fc.pre(price > lower && price < upper && price - lower > 1e-300);
        const res = impliedVol(price, S, K, T, r, q, right);
        assert.equal(res.status, 'ok');
        const back = bsPrice(S, K, T, r, q, res.iv, right);
        // The price's own rounding, and the vol's rounding passed back through vega.
        const g = bsGreeks(S, K, T, r, q, res.iv, right);
        const tol = 1e-13 * price + 4 * EPS * (price + Math.abs(g.vega * res.iv));
        assert.ok(Math.abs(back - price) <= tol, `${price} -> ${res.iv} -> ${back}`);
      }),
      { numRuns: 1000 },
    );
  });

  test('implied vol increases with the price (property)', () => {
    fc.assert(
      fc.property(quoteArb, fc.double({ min: 1e-3, max: 0.5, noNaN: true }), ({ k, logT, logV, r, q, S, call }, dv) => {
        const T = Math.exp(logT), v = Math.exp(logV), right: Right = call ? 'C' : 'P';
        const K = S * Math.exp((r - q) * T + k * v * Math.sqrt(T));
        const p1 = bsPrice(S, K, T, r, q, v, right), p2 = bsPrice(S, K, T, r, q, v * (1 + dv), right);
        const a = impliedVol(p1, S, K, T, r, q, right), b = impliedVol(p2, S, K, T, r, q, right);
        fc.pre(a.status === 'ok' && b.status === 'ok' && p2 > p1);
        assert.ok(b.iv > a.iv);
      }),
    );
  });

  test('Black-76 inversion on forward and discount factor round-trips too', () => {
    for (const [F, K, T, df, v] of [
      [100, 99.5, MINUTE * 30, 0.9999, 0.4],
      [4500, 5200, 0.1, 0.995, 0.12],
      [1, Math.exp(-40), 1, 1, 2],
      [50, 50, 10, 0.6, 0.05],
    ]) {
      for (const right of ['C', 'P'] as const) {
        const p = black76Price(F, K, T, df, v, right);
        const r = impliedVolBlack76(p, F, K, T, df, right);
        if (right === 'C' && K < F * 1e-10) continue; // deep ITM call: intrinsic swamps time value
        assert.equal(r.status, 'ok', `${right} F=${F} K=${K}`);
        assert.ok(relErr(r.iv, v) < 1e-12, `${right} F=${F} K=${K}: ${r.iv}`);
      }
    }
  });
});

describe('reason codes', () => {
  const S = 100, K = 90, T = 0.5, r = 0.05, q = 0.01;
  const F = S * Math.exp((r - q) * T), df = Math.exp(-r * T);
  test('below intrinsic, at intrinsic, zero price', () => {
    const intrinsic = df * (F - K);
    assert.deepEqual(impliedVol(intrinsic * 0.99, S, K, T, r, q, 'C'), { iv: NaN, status: 'below_intrinsic' });
    assert.equal(impliedVol(intrinsic, S, K, T, r, q, 'C').status, 'below_intrinsic');
    assert.equal(impliedVol(0, S, K, T, r, q, 'P').status, 'below_intrinsic');
    assert.equal(impliedVol(intrinsic * 1.01, S, K, T, r, q, 'C').status, 'ok');
  });
  test('at or above the upper bound', () => {
    assert.equal(impliedVol(df * F, S, K, T, r, q, 'C').status, 'above_upper_bound');
    assert.equal(impliedVol(df * F * 1.1, S, K, T, r, q, 'C').status, 'above_upper_bound');
    assert.equal(impliedVol(df * K, S, K, T, r, q, 'P').status, 'above_upper_bound');
    assert.ok(Number.isNaN(impliedVol(df * K, S, K, T, r, q, 'P').iv));
    assert.equal(impliedVol(df * K * 0.999, S, K, T, r, q, 'P').status, 'ok');
  });
  test('bad input never throws', () => {
    const bad: Array<[number, number, number, number, number, number, Right]> = [
      [NaN, S, K, T, r, q, 'C'], [Infinity, S, K, T, r, q, 'C'], [-1, S, K, T, r, q, 'C'],
      [5, 0, K, T, r, q, 'C'], [5, S, -K, T, r, q, 'C'], [5, S, NaN, T, r, q, 'C'],
      [5, S, K, 0, r, q, 'C'], [5, S, K, -1, r, q, 'C'], [5, S, K, Infinity, r, q, 'C'],
      [5, S, K, T, NaN, q, 'C'], [5, S, K, T, r, Infinity, 'C'], [5, S, K, T, r, q, 'X' as Right],
    ];
    for (const args of bad) {
      const res = impliedVol(...args);
      assert.equal(res.status, 'bad_input', JSON.stringify(args));
      assert.ok(Number.isNaN(res.iv));
    }
    assert.equal(impliedVolBlack76(5, 100, 100, 1, 0, 'C').status, 'bad_input');
  });
  test('batched status codes, caller-provided outputs, scalar agreement', () => {
    const price = new Float64Array([5, 0, 1e9, NaN, bsPrice(S, 120, T, r, q, 0.3, 'C')]);
    const Ks = new Float64Array([K, K, K, K, 120]);
    const out = { iv: new Float64Array(5), status: new Uint8Array(5) };
    const res = impliedVols(price, S, Ks, T, r, q, new Uint8Array([0, 0, 1, 1, 1]), out);
    assert.equal(res, out);
    assert.deepEqual(Array.from(res.status), [IV_OK, IV_BELOW_INTRINSIC, IV_ABOVE_UPPER_BOUND, IV_BAD_INPUT, IV_OK]);
    assert.deepEqual(Array.from(res.status, (c) => IV_STATUS[c]), ['ok', 'below_intrinsic', 'above_upper_bound', 'bad_input', 'ok']);
    assert.equal(res.iv[0], impliedVol(5, S, K, T, r, q, 'P').iv);
    assert.ok(relErr(res.iv[4], 0.3) < 1e-12);
    assert.ok(Number.isNaN(res.iv[1]) && Number.isNaN(res.iv[2]) && Number.isNaN(res.iv[3]));
    const b76 = impliedVolsBlack76(new Float64Array([black76Price(F, K, T, df, 0.2, 'P')]), F, K, T, df, false);
    assert.ok(relErr(b76.iv[0], 0.2) < 1e-12);
    assert.throws(() => impliedVols(new Float64Array(2), S, new Float64Array(3), T, r, q, true), /K has length 3 but price has length 2/);
  });
  test('bid, mid and ask per quote: a zero bid gives a NaN bid IV with its reason, not an exception', () => {
    const ask = bsPrice(S, 130, T, r, q, 0.25, 'C');
    const bid = new Float64Array([0, bsPrice(S, 120, T, r, q, 0.2, 'C'), 3]);
    const asks = new Float64Array([ask, bsPrice(S, 120, T, r, q, 0.22, 'C'), 2]);
    const res = quoteIvs(bid, asks, S, new Float64Array([130, 120, 100]), T, r, q, true);
    assert.equal(IV_STATUS[res.bid.status[0]], 'below_intrinsic');
    assert.ok(Number.isNaN(res.bid.iv[0]));
    assert.ok(relErr(res.ask.iv[0], 0.25) < 1e-12);
    assert.equal(res.mid.status[0], IV_OK);
    assert.ok(res.mid.iv[0] > 0 && res.mid.iv[0] < 0.25);
    assert.ok(relErr(res.bid.iv[1], 0.2) < 1e-12 && relErr(res.ask.iv[1], 0.22) < 1e-12);
    assert.ok(res.mid.iv[1] > 0.2 && res.mid.iv[1] < 0.22);
    assert.equal(IV_STATUS[res.mid.status[2]], 'bad_input'); // crossed: bid 3 > ask 2
    const one = quoteIv(0, ask, S, 130, T, r, q, 'C');
    assert.equal(one.bid.status, 'below_intrinsic');
    assert.equal(one.ask.status, 'ok');
  });
});
