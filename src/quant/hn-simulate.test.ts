import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hnRiskNeutral, hnStationaryVariance, type HnParams } from './hn-params.ts';
import { hnSimulate, hnSimulateReturns } from './hn-simulate.ts';
import { randomStream } from './mc-random.ts';

const P: HnParams = { omega: 2e-6, alpha: 3e-6, beta: 0.85, gamma: 150, lambda: 2 };

describe('hnSimulate', () => {
  test('the same seed gives the same paths; another seed does not', () => {
    const spec = { nDays: 20, nPaths: 50, S0: 100, measure: 'P' as const, seed: 42 };
    const a = hnSimulate(P, spec);
    const b = hnSimulate(P, spec);
    const c = hnSimulate(P, { ...spec, seed: 43 });
    assert.deepEqual(a.ST, b.ST);
    assert.notDeepEqual(a.ST, c.ST);
  });

  test('standard normals: mean 0 and variance 1 within 4 standard errors', () => {
    const z = randomStream(1).fillNormals(new Float64Array(200_000));
    let m = 0;
    let v = 0;
    for (const x of z) m += x;
    m /= z.length;
    for (const x of z) v += (x - m) ** 2;
    v /= z.length - 1;
    assert.ok(Math.abs(m) < 4 / Math.sqrt(z.length), `mean ${m}`);
    assert.ok(Math.abs(v - 1) < 4 * Math.sqrt(2 / z.length), `variance ${v}`);
  });

  test('under Q the discounted price is a martingale (within 3 standard errors)', () => {
    const r = 0.04 / 252;
    const q = 0.01 / 252;
    const sim = hnSimulate(P, { nDays: 126, nPaths: 40_000, S0: 100, measure: 'Q', seed: 3, rDaily: r, qDaily: q });
    let s = 0;
    let s2 = 0;
    for (const x of sim.ST) {
      s += x;
      s2 += x * x;
    }
    const n = sim.ST.length;
    const mean = s / n;
    const se = Math.sqrt((s2 / n - mean * mean) / n);
    const fwd = 100 * Math.exp((r - q) * 126);
    assert.ok(Math.abs(mean - fwd) < 3 * se, `E[S_T] ${mean} vs forward ${fwd} (se ${se})`);
  });

  test('under P the mean log return is r + lambda E[h] (within 3 standard errors)', () => {
    const s = hnSimulateReturns(P, 200_000, { seed: 8, burnIn: 500, rDaily: 1e-4 });
    let m = 0;
    let mh = 0;
    for (let t = 0; t < s.returns.length; t++) {
      m += s.returns[t];
      mh += s.h[t];
    }
    m /= s.returns.length;
    mh /= s.returns.length;
    const se = Math.sqrt(hnStationaryVariance(P) / s.returns.length);
    assert.ok(Math.abs(m - (1e-4 + P.lambda * mh)) < 3 * se, `mean return ${m}`);
  });

  test('kept paths end at ST, start at S0 and h0, and follow the Q recursion', () => {
    const sim = hnSimulate(P, { nDays: 10, nPaths: 4, S0: 50, measure: 'Q', seed: 5, h0: 2e-4, keepPaths: true, rDaily: 1e-4 });
    const q = hnRiskNeutral(P);
    for (let i = 0; i < 4; i++) {
      const o = i * 11;
      assert.equal(sim.S![o], 50);
      assert.equal(sim.h![o], 2e-4);
      assert.ok(Math.abs(sim.S![o + 10] - sim.ST[i]) <= 1e-12 * sim.ST[i]);
      assert.equal(sim.h![o + 10], sim.hNext[i]);
      for (let t = 0; t < 10; t++) {
        const h = sim.h![o + t];
        const R = Math.log(sim.S![o + t + 1] / sim.S![o + t]);
        const z = (R - 1e-4 + 0.5 * h) / Math.sqrt(h);
        const next = q.omega + q.beta * h + q.alpha * (z - q.gamma * Math.sqrt(h)) ** 2;
        assert.ok(Math.abs(next - sim.h![o + t + 1]) <= 1e-9 * next, `path ${i} day ${t}`);
      }
    }
  });

  test('antithetic pairs mirror their shocks', () => {
    const sim = hnSimulate({ ...P, alpha: 0 }, { nDays: 5, nPaths: 6, S0: 100, measure: 'Q', seed: 6, antithetic: true, h0: 1e-4 });
    // with alpha = 0 the variance path is deterministic, so log S_T - drift is odd in the shocks
    for (let i = 0; i < 6; i += 2) {
      const a = Math.log(sim.ST[i]);
      const b = Math.log(sim.ST[i + 1]);
      let sumH = 0;
      let h = 1e-4;
      for (let t = 0; t < 5; t++) {
        sumH += h;
        h = P.omega + P.beta * h;
      }
      const expected = 2 * Math.log(100) - sumH;
      assert.ok(Math.abs(a + b - expected) < 1e-12, `pair ${i}: ${a + b} vs ${expected}`);
    }
  });

  test('bad inputs are clear errors', () => {
    const ok = { nDays: 5, nPaths: 4, S0: 100, measure: 'P' as const, seed: 1 };
    assert.throws(() => hnSimulate(P, { ...ok, nDays: 0 }), /nDays must be/);
    assert.throws(() => hnSimulate(P, { ...ok, nPaths: 3, antithetic: true }), /nPaths must be even/);
    assert.throws(() => hnSimulate(P, { ...ok, measure: 'R' as never }), /measure must be/);
    assert.throws(() => hnSimulate(P, { ...ok, seed: 1.5 }), /seed must be an integer/);
    assert.throws(() => hnSimulate(P, { ...ok, S0: 0 }), /S0 must be/);
  });
});
