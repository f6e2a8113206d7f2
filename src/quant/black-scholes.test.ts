/* eslint-disable no-loss-of-precision -- constants and reference values are written with the digits their sources publish, more than a double holds */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  allocGreeksArrays, black76Greeks, black76Price, black76Prices, bsGreeks, bsGreeksBatch, bsGreeksTo, bsPrice, bsPrices,
  normalisedBlack, normalisedVega, type BsGreeks, type Right,
} from './black-scholes.ts';

function relErr(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a / b - 1);
}

describe('Black-Scholes-Merton values: Haug, "Option Pricing Formulas" (1998), as tabled in QuantLib test-suite/europeanoption.cpp testValues (tolerance 1e-4)', () => {
  // type, strike, spot, q, r, t, vol, value
  const rows: Array<[Right, number, number, number, number, number, number, number]> = [
    // Haug pag 2-8
    ['C', 65.0, 60.0, 0.0, 0.08, 0.25, 0.3, 2.1334],
    ['P', 95.0, 100.0, 0.05, 0.1, 0.5, 0.2, 2.4648],
    ['P', 19.0, 19.0, 0.1, 0.1, 0.75, 0.28, 1.7011],
    ['C', 19.0, 19.0, 0.1, 0.1, 0.75, 0.28, 1.7011],
    ['C', 1.6, 1.56, 0.08, 0.06, 0.5, 0.12, 0.0291],
    ['P', 70.0, 75.0, 0.05, 0.1, 0.5, 0.35, 4.087],
    // Haug pag 24
    ['C', 100.0, 90.0, 0.1, 0.1, 0.1, 0.15, 0.0205],
    ['C', 100.0, 100.0, 0.1, 0.1, 0.1, 0.15, 1.8734],
    ['C', 100.0, 110.0, 0.1, 0.1, 0.1, 0.15, 9.9413],
    ['C', 100.0, 90.0, 0.1, 0.1, 0.1, 0.25, 0.315],
    ['C', 100.0, 100.0, 0.1, 0.1, 0.1, 0.25, 3.1217],
    ['C', 100.0, 110.0, 0.1, 0.1, 0.1, 0.25, 10.3556],
    ['C', 100.0, 90.0, 0.1, 0.1, 0.1, 0.35, 0.9474],
    ['C', 100.0, 100.0, 0.1, 0.1, 0.1, 0.35, 4.3693],
    ['C', 100.0, 110.0, 0.1, 0.1, 0.1, 0.35, 11.1381],
    ['C', 100.0, 90.0, 0.1, 0.1, 0.5, 0.15, 0.8069],
    ['C', 100.0, 100.0, 0.1, 0.1, 0.5, 0.15, 4.0232],
    ['C', 100.0, 110.0, 0.1, 0.1, 0.5, 0.15, 10.5769],
    ['C', 100.0, 90.0, 0.1, 0.1, 0.5, 0.25, 2.7026],
    ['C', 100.0, 100.0, 0.1, 0.1, 0.5, 0.25, 6.6997],
    ['C', 100.0, 110.0, 0.1, 0.1, 0.5, 0.25, 12.7857],
    ['C', 100.0, 90.0, 0.1, 0.1, 0.5, 0.35, 4.9329],
    ['C', 100.0, 100.0, 0.1, 0.1, 0.5, 0.35, 9.3679],
    ['C', 100.0, 110.0, 0.1, 0.1, 0.5, 0.35, 15.3086],
    ['P', 100.0, 90.0, 0.1, 0.1, 0.1, 0.15, 9.921],
    ['P', 100.0, 100.0, 0.1, 0.1, 0.1, 0.15, 1.8734],
    ['P', 100.0, 110.0, 0.1, 0.1, 0.1, 0.15, 0.0408],
    ['P', 100.0, 90.0, 0.1, 0.1, 0.1, 0.25, 10.2155],
    ['P', 100.0, 100.0, 0.1, 0.1, 0.1, 0.25, 3.1217],
    ['P', 100.0, 110.0, 0.1, 0.1, 0.1, 0.25, 0.4551],
    ['P', 100.0, 90.0, 0.1, 0.1, 0.1, 0.35, 10.8479],
    ['P', 100.0, 100.0, 0.1, 0.1, 0.1, 0.35, 4.3693],
    ['P', 100.0, 110.0, 0.1, 0.1, 0.1, 0.35, 1.2376],
    ['P', 100.0, 90.0, 0.1, 0.1, 0.5, 0.15, 10.3192],
    ['P', 100.0, 100.0, 0.1, 0.1, 0.5, 0.15, 4.0232],
    ['P', 100.0, 110.0, 0.1, 0.1, 0.5, 0.15, 1.0646],
    ['P', 100.0, 90.0, 0.1, 0.1, 0.5, 0.25, 12.2149],
    ['P', 100.0, 100.0, 0.1, 0.1, 0.5, 0.25, 6.6997],
    ['P', 100.0, 110.0, 0.1, 0.1, 0.5, 0.25, 3.2734],
    ['P', 100.0, 90.0, 0.1, 0.1, 0.5, 0.35, 14.4452],
    ['P', 100.0, 100.0, 0.1, 0.1, 0.5, 0.35, 9.3679],
    ['P', 100.0, 110.0, 0.1, 0.1, 0.5, 0.35, 5.7963],
    // Haug pag 27
    ['C', 40.0, 42.0, 0.08, 0.04, 0.75, 0.35, 5.0975],
  ];
  test('all rows, scalar and batched', () => {
    const n = rows.length;
    const S = new Float64Array(n), K = new Float64Array(n), T = new Float64Array(n), r = new Float64Array(n);
    const q = new Float64Array(n), v = new Float64Array(n), c = new Uint8Array(n);
    rows.forEach(([right, k, s, qq, rr, t, vol, want], i) => {
      const got = bsPrice(s, k, t, rr, qq, vol, right);
      assert.ok(Math.abs(got - want) <= 1e-4, `${right} K=${k} S=${s} T=${t} vol=${vol}: ${got} vs ${want}`);
      S[i] = s; K[i] = k; T[i] = t; r[i] = rr; q[i] = qq; v[i] = vol; c[i] = right === 'C' ? 1 : 0;
    });
    const batch = bsPrices(S, K, T, r, q, v, c);
    rows.forEach((row, i) => assert.equal(batch[i], bsPrice(row[2], row[1], row[5], row[4], row[3], row[6], row[0])));
  });
  test('Black-76 (Haug pag 4: F = 19, K = 19, T = 0.75, r = 0.10, vol = 0.28 gives 1.7011 for call and put)', () => {
    const df = Math.exp(-0.1 * 0.75);
    assert.ok(Math.abs(black76Price(19, 19, 0.75, df, 0.28, 'C') - 1.7011) <= 1e-4);
    assert.ok(Math.abs(black76Price(19, 19, 0.75, df, 0.28, 'P') - 1.7011) <= 1e-4);
  });
});

describe('greeks: Haug pag 11-16, as tabled in QuantLib europeanoption.cpp testGreekValues (tolerance 1e-4)', () => {
  const cases: Array<[keyof BsGreeks, Right, number, number, number, number, number, number, number]> = [
    // greek, type, strike, spot, q, r, t, vol, value
    ['delta', 'C', 100, 105, 0.1, 0.1, 0.5, 0.36, 0.5946],
    ['delta', 'P', 100, 105, 0.1, 0.1, 0.5, 0.36, -0.3566],
    ['gamma', 'C', 60, 55, 0.0, 0.1, 0.75, 0.3, 0.0278],
    ['gamma', 'P', 60, 55, 0.0, 0.1, 0.75, 0.3, 0.0278],
    ['vega', 'C', 60, 55, 0.0, 0.1, 0.75, 0.3, 18.9358],
    ['vega', 'P', 60, 55, 0.0, 0.1, 0.75, 0.3, 18.9358],
    ['theta', 'P', 405, 430, 0.05, 0.07, 1 / 12, 0.2, -31.1924],
    ['rho', 'C', 75, 72, 0.0, 0.09, 1, 0.19, 38.7325],
    ['dividendRho', 'P', 490, 500, 0.05, 0.08, 0.25, 0.15, 42.2254],
  ];
  for (const [greek, right, k, s, q, r, t, v, want] of cases) {
    test(`${greek} ${right} K=${k} S=${s}`, () => {
      const got = bsGreeks(s, k, t, r, q, v, right)[greek];
      assert.ok(Math.abs(got - want) <= 1e-4, `${got} vs ${want}`);
    });
  }
  test('elasticity delta S / V of the put (Haug pag 11: -4.8775)', () => {
    const g = bsGreeks(105, 100, 0.5, 0.1, 0.1, 0.36, 'P');
    assert.ok(Math.abs((g.delta * 105) / g.price - -4.8775) <= 1e-4);
  });
});

describe('prices in the far wings keep relative accuracy', () => {
  // Reference: the textbook formula evaluated in mpmath 1.3 at 50 significant digits. Tolerance:
  // 1e-14 plus the rounding of the inputs themselves, 4 ulps of S times the elasticity
  // |S delta / V| (large for minute expiries, where a 1e-16 move of the forward is visible).
  const cases: Array<[number, number, number, number, number, number, Right, number]> = [
    [100, 300, 0.25, 0.02, 0, 0.2, 'C', 6.0115534984852755e-28],
    [100, 90, 1 / 365, 0.05, 0.01, 0.3, 'P', 1.9788165374421295e-12],
    [100, 100.5, 1 / 525600, 0.05, 0, 0.15, 'C', 9.4037295484169874e-132],
    [100, 100, 1 / 525600, 0.05, 0, 0.15, 'C', 0.0082589314455188665],
    [100, 40, 0.5, 0.03, 0, 0.2, 'P', 2.9273412142018866e-11],
    [100, 500, 30, 0.04, 0.02, 0.4, 'C', 31.447292171579363],
    [100, 50, 2, 0.03, 0.01, 0.25, 'C', 51.096627591733964],
  ];
  for (const [S, K, T, r, q, v, right, want] of cases) {
    test(`${right} S=${S} K=${K} T=${T.toPrecision(3)} vol=${v}`, () => {
      const g = bsGreeks(S, K, T, r, q, v, right);
      const tol = 1e-14 + 8.9e-16 * Math.abs((S * g.delta) / g.price);
      assert.ok(relErr(g.price, want) < tol, `${g.price} vs ${want} (rel ${relErr(g.price, want)}, tol ${tol})`);
    });
  }
});

describe("normalised Black (Jaeckel's functions; values from vollib/py_lets_be_rational tests/test_public_functions.py, tolerance 1e-12)", () => {
  test('black(F=100, K=100, sigma=0.2, T=0.5, call) = 5.637197779701664', () => {
    assert.ok(Math.abs(black76Price(100, 100, 0.5, 1, 0.2, 'C') - 5.637197779701664) < 1e-12);
  });
  test('normalised black at x = ln(100/95), s = 0.3 sqrt(0.5)', () => {
    const x = Math.log(100 / 95), s = 0.3 * Math.sqrt(0.5);
    assert.ok(Math.abs(normalisedBlack(x, s, -1) - 0.061296663817558904) < 1e-12);
    assert.ok(Math.abs(normalisedBlack(x, s, 1) - 0.11259558142181655) < 1e-12);
  });
  test('normalised black call in all four of its regions (reference: mpmath 1.3, 60 digits, of Phi(x/s+s/2)e^{x/2} - Phi(x/s-s/2)e^{-x/2})', () => {
    // Tolerance 1e-14 plus the input's own conditioning: d ln b / d ln s ~ h^2 + t^2 (h = x/s, t = s/2),
    // so one ulp of s moves b by that many ulps.
    const cases: Array<[number, number, number]> = [
      [-5.0, 0.2, 2.4254749210153428e-140], // asymptotic expansion
      [-30.0, 2.0, 2.9556608552583064e-52], // asymptotic expansion
      [-12.0, 0.9, 4.473380091260418e-42],
      [-0.5, 0.3, 0.0058982326105348202], // small-t expansion
      [-0.001, 0.01, 0.0035093369186425419], // small-t expansion
      [-0.05, 0.41, 0.1386656170637564],
      [-0.1, 2.0, 0.63412712270593896], // plain formula
      [0.0, 3.0, 0.86638559746228387],
      [0.0, 0.2, 0.079655674554057967],
      [-1.0, 1.0, 0.076991023141674131], // erfcx
      [-3.0, 0.8, 1.5654941824076771e-5],
      [-8.0, 3.0, 0.0013847336366358737],
      [-100.0, 12.0, 1.5419722980459376e-24],
      [2.0, 0.5, 2.3504058597636855], // in the money
      [0.3, 0.05, 0.30112626631104083],
    ];
    for (const [x, s, want] of cases) {
      const got = normalisedBlack(x, s, 1);
      const tol = 1e-14 + 2.2e-16 * ((x / s) ** 2 + s * s / 4);
      assert.ok(relErr(got, want) < tol, `b(${x}, ${s}) = ${got}, want ${want} (rel ${relErr(got, want)})`);
    }
  });
  test('normalised vega', () => {
    assert.ok(Math.abs(normalisedVega(0, 0) - 0.3989422804014327) < 1e-12);
    assert.ok(Math.abs(normalisedVega(0, 2.937528694999807) - 0.13566415614561067) < 1e-12);
    assert.ok(Math.abs(normalisedVega(0, 0.2) - 0.3969525474770118) < 1e-12);
  });
});

const arbInputs = fc.record({
  S: fc.double({ min: 1, max: 1000, noNaN: true }),
  m: fc.double({ min: -1.5, max: 1.5, noNaN: true }), // ln(K/S)
  T: fc.double({ min: 0.01, max: 10, noNaN: true }),
  r: fc.double({ min: -0.02, max: 0.15, noNaN: true }),
  q: fc.double({ min: 0, max: 0.1, noNaN: true }),
  v: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
});

describe('properties', () => {
  test('put-call parity C - P = S e^{-qT} - K e^{-rT}', () => {
    fc.assert(
      fc.property(arbInputs, ({ S, m, T, r, q, v }) => {
        const K = S * Math.exp(m);
        const lhs = bsPrice(S, K, T, r, q, v, 'C') - bsPrice(S, K, T, r, q, v, 'P');
        const rhs = S * Math.exp(-q * T) - K * Math.exp(-r * T);
        assert.ok(Math.abs(lhs - rhs) <= 1e-12 * Math.max(S, K), `${lhs} vs ${rhs}`);
      }),
    );
  });
  test('bounds and monotonicity: calls fall and puts rise with strike, both rise with vol', () => {
    fc.assert(
      fc.property(arbInputs, fc.double({ min: 1e-4, max: 0.5, noNaN: true }), ({ S, m, T, r, q, v }, d) => {
        const K = S * Math.exp(m);
        const c = bsPrice(S, K, T, r, q, v, 'C'), p = bsPrice(S, K, T, r, q, v, 'P');
        const tol = 1e-13 * Math.max(S, K);
        assert.ok(c >= Math.max(S * Math.exp(-q * T) - K * Math.exp(-r * T), 0) - tol && c <= S * Math.exp(-q * T));
        assert.ok(p >= Math.max(K * Math.exp(-r * T) - S * Math.exp(-q * T), 0) - tol && p <= K * Math.exp(-r * T));
        const K2 = K * (1 + d);
        assert.ok(bsPrice(S, K2, T, r, q, v, 'C') <= c + tol);
        assert.ok(bsPrice(S, K2, T, r, q, v, 'P') >= p - tol);
        assert.ok(bsPrice(S, K, T, r, q, v + d, 'C') >= c - tol);
        assert.ok(bsPrice(S, K, T, r, q, v + d, 'P') >= p - tol);
      }),
    );
  });
  test('greeks match central finite differences of the price', () => {
    fc.assert(
      fc.property(arbInputs, fc.boolean(), ({ S, m, T, r, q, v }, call) => {
        const right: Right = call ? 'C' : 'P';
        const K = S * Math.exp(m);
        const P = (s: number, t: number, rr: number, qq: number, vv: number): number => bsPrice(s, K, t, rr, qq, vv, right);
        const g = bsGreeks(S, K, T, r, q, v, right);
        // Steps small against the standard deviation sqrt(T) v, where the price curves.
        const sd = v * Math.sqrt(T);
        const hS = 1e-3 * S * sd, hv = 1e-3 * v, hT = 1e-3 * T, hr = 1e-3 * Math.min(sd / T, 1);
        const fd = {
          delta: (P(S + hS, T, r, q, v) - P(S - hS, T, r, q, v)) / (2 * hS),
          gamma: (P(S + hS, T, r, q, v) - 2 * P(S, T, r, q, v) + P(S - hS, T, r, q, v)) / (hS * hS),
          vega: (P(S, T, r, q, v + hv) - P(S, T, r, q, v - hv)) / (2 * hv),
          theta: -(P(S, T + hT, r, q, v) - P(S, T - hT, r, q, v)) / (2 * hT),
          rho: (P(S, T, r + hr, q, v) - P(S, T, r - hr, q, v)) / (2 * hr),
          dividendRho: (P(S, T, r, q + hr, v) - P(S, T, r, q - hr, v)) / (2 * hr),
          vanna: (P(S + hS, T, r, q, v + hv) - P(S + hS, T, r, q, v - hv) - P(S - hS, T, r, q, v + hv) + P(S - hS, T, r, q, v - hv)) / (4 * hS * hv),
          volga: (P(S, T, r, q, v + hv) - 2 * P(S, T, r, q, v) + P(S, T, r, q, v - hv)) / (hv * hv),
        };
        // Rounding of the differenced prices (a few ulps of the larger of S and K) over each denominator.
        const ulps = 8 * 2.2e-16 * Math.max(S, K);
        const denom: Record<keyof typeof fd, number> = {
          delta: hS, gamma: hS * hS, vega: hv, theta: hT, rho: hr, dividendRho: hr, vanna: hS * hv, volga: hv * hv,
        };
        // Natural size of each greek (its value near the money), for the absolute part of the tolerance.
        const sqT = Math.sqrt(T);
        const scale: Record<keyof typeof fd, number> = {
          delta: 1, gamma: 1 / (S * sd), vega: S * sqT, theta: (S * sd) / T, rho: S * T, dividendRho: S * T,
          vanna: sqT / sd, volga: S * sqT,
        };
        for (const k of Object.keys(fd) as Array<keyof typeof fd>) {
          const tol = 1e-6 * scale[k] + 1e-5 * Math.abs(g[k]) + ulps / denom[k];
          assert.ok(Math.abs(fd[k] - g[k]) <= tol, `${k}: analytic ${g[k]} vs fd ${fd[k]}`);
        }
      }),
      { numRuns: 200 },
    );
  });
  test('Black-76 equals Black-Scholes-Merton on S = F with q = r, and its rho is -T V', () => {
    fc.assert(
      fc.property(arbInputs, fc.boolean(), ({ S: F, m, T, r, v }, call) => {
        const right: Right = call ? 'C' : 'P';
        const K = F * Math.exp(m);
        const df = Math.exp(-r * T);
        const b = black76Greeks(F, K, T, df, v, right);
        // Black-76 sees only df; when r*T is below df's resolution (r ~ 1e-14, T = 0.01) the rate it
        // implies is not r, so compare with BSM at the rate df actually carries.
        const rDf = -Math.log(df) / T;
        const g = bsGreeks(F, K, T, rDf, rDf, v, right);
        assert.ok(Math.abs(b.price - g.price) <= 1e-13 * F);
        for (const k of ['delta', 'gamma', 'vega', 'theta', 'vanna', 'volga'] as const) {
          assert.ok(Math.abs(b[k] - g[k]) <= 1e-12 * (Math.abs(g[k]) + 1), k);
        }
        assert.ok(Math.abs(b.rho - (g.rho + g.dividendRho)) <= 1e-10 * (Math.abs(b.rho) + 1));
        const fdRho = (black76Price(F, K, T, Math.exp(-(r + 1e-6) * T), v, right) - black76Price(F, K, T, Math.exp(-(r - 1e-6) * T), v, right)) / 2e-6;
        assert.ok(Math.abs(fdRho - b.rho) <= 1e-6 * F * T);
      }),
    );
  });
});

describe('limits, batching and bad input', () => {
  test('zero vol or zero time gives the discounted forward intrinsic value', () => {
    const S = 100, K = 90, T = 1, r = 0.05, q = 0.02;
    const fwdIntrinsic = S * Math.exp(-q * T) - K * Math.exp(-r * T);
    assert.ok(Math.abs(bsPrice(S, K, T, r, q, 0, 'C') - fwdIntrinsic) < 1e-12);
    assert.equal(bsPrice(S, K, T, r, q, 0, 'P'), 0);
    assert.equal(bsPrice(S, K, 0, r, q, 0.2, 'C'), 10);
    const g = bsGreeks(S, K, T, r, q, 0, 'C');
    assert.ok(Math.abs(g.delta - Math.exp(-q * T)) < 1e-15);
    assert.equal(g.gamma, 0);
    assert.equal(g.vega, 0);
  });
  test('batched greeks equal scalar greeks, write into caller arrays, and mark invalid quotes NaN', () => {
    const S = new Float64Array([100, 100, -1, 100]);
    const K = new Float64Array([90, 110, 100, 100]);
    const c = new Uint8Array([1, 0, 1, 0]);
    const out = allocGreeksArrays(4);
    const res = bsGreeksBatch(S, K, 0.5, 0.03, 0.01, 0.25, c, out);
    assert.equal(res, out);
    for (const i of [0, 1, 3]) {
      const g = bsGreeks(S[i], K[i], 0.5, 0.03, 0.01, 0.25, c[i] ? 'C' : 'P');
      for (const k of Object.keys(g) as Array<keyof BsGreeks>) assert.equal(out[k][i], g[k], `${k}[${i}]`);
    }
    for (const k of Object.keys(out) as Array<keyof BsGreeks>) assert.ok(Number.isNaN(out[k][2]), k);
    const p = new Float64Array(4);
    assert.equal(bsPrices(S, K, 0.5, 0.03, 0.01, 0.25, c, p), p);
    assert.equal(p[1], bsPrice(100, 110, 0.5, 0.03, 0.01, 0.25, 'P'));
    assert.ok(Number.isNaN(p[2]));
    const b76 = black76Prices(new Float64Array([100, 100]), 100, 1, new Float64Array([0.97, 0]), 0.2, true);
    assert.equal(b76[0], black76Price(100, 100, 1, 0.97, 0.2, 'C'));
    assert.ok(Number.isNaN(b76[1]));
  });
  test('mismatched batch lengths and bad scalar inputs throw errors naming the input', () => {
    assert.throws(() => bsPrices(new Float64Array(3), new Float64Array(2), 1, 0, 0, 0.2, true), /K has length 2 but S has length 3/);
    assert.throws(() => bsPrice(-1, 100, 1, 0, 0, 0.2, 'C'), /S must be/);
    assert.throws(() => bsPrice(100, 0, 1, 0, 0, 0.2, 'C'), /K must be/);
    assert.throws(() => bsPrice(100, 100, -1, 0, 0, 0.2, 'C'), /T must be/);
    assert.throws(() => bsPrice(100, 100, 1, NaN, 0, 0.2, 'C'), /r must be/);
    assert.throws(() => bsPrice(100, 100, 1, 0, Infinity, 0.2, 'C'), /q must be/);
    assert.throws(() => bsPrice(100, 100, 1, 0, 0, -0.2, 'C'), /sigma must be/);
    assert.throws(() => bsPrice(100, 100, 1, 0, 0, 0.2, 'X' as Right), /right must be/);
    assert.throws(() => black76Price(100, 100, 1, 0, 0.2, 'C'), /df must be/);
  });
});

describe('bsGreeksTo', () => {
  test('writes the same numbers as bsGreeks, in BsGreeks order, and checks its input the same way', () => {
    const out = new Float64Array(9);
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1000, noNaN: true }), fc.double({ min: 1, max: 1000, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: -0.05, max: 0.1, noNaN: true }), fc.double({ min: 0, max: 0.05, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true }), fc.boolean(),
        (S, K, T, r, q, sigma, call) => {
          const right: Right = call ? 'C' : 'P';
          const g = bsGreeks(S, K, T, r, q, sigma, right);
          assert.equal(bsGreeksTo(S, K, T, r, q, sigma, right, out), out);
          assert.deepEqual([...out], [g.price, g.delta, g.gamma, g.vega, g.theta, g.rho, g.dividendRho, g.vanna, g.volga]);
        },
      ),
      { numRuns: 200 },
    );
    assert.throws(() => bsGreeksTo(100, 0, 1, 0, 0, 0.2, 'C', out), /K must be/);
    assert.throws(() => bsGreeksTo(100, 100, 1, 0, 0, 0.2, 'X' as Right, out), /right must be/);
  });
});
