import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { viPack, viUnpack, VI_N, viInitialTheta } from './vi-gru-params.ts';
import { viExpectedTotalVariance, viStep } from './vi-gru-cell.ts';

const real = (m: number) => fc.double({ min: -m, max: m, noNaN: true });

test('any theta maps to valid HN parameters: omega, alpha, beta > 0 and persistence < 1', () => {
  fc.assert(
    fc.property(fc.array(real(8), { minLength: VI_N, maxLength: VI_N }), (theta) => {
      const w = viUnpack(theta);
      assert.ok(w.every(Number.isFinite));
      assert.ok(w[0] > 0 && w[1] > 0 && w[2] > 0, `omega ${w[0]} alpha ${w[1]} beta ${w[2]}`);
      assert.ok(w[2] + w[1] * w[3] * w[3] < 1, `persistence ${w[2] + w[1] * w[3] * w[3]}`);
    }),
  );
});

test('viPack inverts viUnpack', () => {
  fc.assert(
    fc.property(fc.array(real(3), { minLength: VI_N, maxLength: VI_N }), (theta) => {
      const back = viPack(viUnpack(theta));
      for (let i = 0; i < VI_N; i++) assert.ok(Math.abs(back[i] - theta[i]) < 1e-6, `entry ${i}: ${back[i]} vs ${theta[i]}`);
    }),
  );
});

test('one step keeps eta and h positive and finite for any weights and any day', () => {
  fc.assert(
    fc.property(
      fc.array(real(5), { minLength: VI_N, maxLength: VI_N }),
      real(15),
      fc.double({ min: 0, max: 400, noNaN: true }),
      fc.double({ min: 0.01, max: 50, noNaN: true }),
      fc.double({ min: 0.01, max: 50, noNaN: true }),
      (theta, y, rv, eta, h) => {
        const w = viUnpack(theta);
        const st = { s: 0, eta, h };
        const nll = viStep(w, st, y, rv);
        assert.ok(Number.isFinite(nll));
        assert.ok(st.eta > 0 && Number.isFinite(st.eta), `eta ${st.eta}`);
        assert.ok(st.h > 0 && Number.isFinite(st.h), `h ${st.h}`);
        assert.ok(st.s > -1 - 1e-12 && st.s < 1 + 1e-12, 'the hidden state stays in the convex hull of [-1, 1] and s');
        assert.ok(viExpectedTotalVariance(w, st, 21) > 0);
      },
    ),
  );
});

test('the initial GRU tracks the HN variance near the sample variance', () => {
  const v = 1.2;
  const w = viUnpack(viInitialTheta({ omega: 0.02, alpha: 0.03, beta: 0.85, gamma: 1.8, lambda: 0.02 }, v, 1));
  // slope of eta' in h' at h' = v is about 1 by construction (small random weights perturb it)
  const eta = (hN: number): number => {
    const st = { s: 0, eta: v, h: v };
    // choose the return so that the HN step lands on hN: with z = gamma sqrt(h) + sqrt((hN - omega - beta h) / alpha)
    const z = w[3] * Math.sqrt(v) + Math.sqrt((hN - w[0] - w[2] * v) / w[1]);
    viStep(w, st, w[4] * v + Math.sqrt(v) * z, v);
    return st.eta;
  };
  const slope = (eta(1.4) - eta(1.1)) / 0.3;
  assert.ok(slope > 0.5 && slope < 2, `slope ${slope}`);
  assert.throws(() => viInitialTheta({ omega: 0.02, alpha: 0.03, beta: 0.85, gamma: 1.8, lambda: 0 }, 0, 1), /sample variance/);
});
