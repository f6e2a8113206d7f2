import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { N_FEATURES } from './features.ts';
import { FoldedGru } from './fast-step.ts';
import { gruStep, initPolicyArrays, type PolicyArrays } from './network.ts';

/** A random policy: GRU weights scaled up to `scale` times the usual initialisation (saturating gates), a non-trivial head. */
function policy(hidden: number, seed: number, scale: number, mean: number[], sd: number[]): PolicyArrays {
  const p = initPolicyArrays(hidden, seed, Float64Array.from(mean), Float64Array.from(sd));
  for (const a of [p.Wx, p.Wh, p.bx, p.bh]) a.forEach((v, i) => (a[i] = v * scale));
  p.Wo.forEach((_, j) => (p.Wo[j] = Math.sin(seed + j)));
  return p;
}

const rowOf = (f: { price: number; ttm: number; lr: number; vol: number }) => [f.price, f.ttm, f.lr, f.vol];

/** The reference: network.ts's step from state h. */
function reference(p: PolicyArrays, h: Float64Array, x: number[]): number {
  return gruStep(p, h, x, 0, new Float64Array(p.hidden), new Float64Array(6 * p.hidden));
}

const feature = fc.record({
  price: fc.double({ min: 0.7, max: 1.3, noNaN: true }),
  ttm: fc.double({ min: 0, max: 1, noNaN: true }),
  lr: fc.double({ min: -0.1, max: 0.1, noNaN: true }),
  vol: fc.double({ min: 0.05, max: 0.8, noNaN: true }),
});

const policyArb = fc.record({
  hidden: fc.integer({ min: 1, max: 12 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
  scale: fc.double({ min: 0.3, max: 6, noNaN: true }),
  mean: fc.tuple(fc.double({ min: 0.9, max: 1.1, noNaN: true }), fc.double({ min: 0.3, max: 0.7, noNaN: true }), fc.double({ min: -0.01, max: 0.01, noNaN: true }), fc.double({ min: 0.1, max: 0.3, noNaN: true })),
  sd: fc.tuple(fc.double({ min: 0.02, max: 0.2, noNaN: true }), fc.double({ min: 0.2, max: 0.4, noNaN: true }), fc.double({ min: 0.005, max: 0.05, noNaN: true }), fc.double({ min: 0.02, max: 0.1, noNaN: true })),
});

/** Per position: committed history, then three ticks (the second moves only the price and return, the third the time too, the fourth the vol). */
const positionArb = fc.record({ history: fc.array(feature, { maxLength: 4 }), now: feature, next: feature, ttmShift: fc.double({ min: -0.01, max: 0.01, noNaN: true }), vol2: fc.double({ min: 0.05, max: 0.8, noNaN: true }) });

test('the folded step equals gruStep: random policies (odd and even H, saturating gates), states and features', () => {
  fc.assert(
    fc.property(policyArb, fc.array(positionArb, { minLength: 1, maxLength: 6 }), (pa, ps) => {
      const p = policy(pa.hidden, pa.seed, pa.scale, pa.mean, pa.sd);
      const gru = new FoldedGru(p);
      const H = p.hidden;
      const states = ps.map((pos) => {
        const h = new Float64Array(H);
        const scratch = new Float64Array(6 * H);
        for (const f of pos.history) gruStep(p, h, rowOf(f), 0, h, scratch);
        const s = gru.newState();
        gru.commit(s, h);
        return s;
      });
      const n = ps.length;
      const tol = 1e-12 * (1 + p.Wo.reduce((a, w) => a + Math.abs(w), 0));
      const check = (rows: number[][], what: string) => {
        const out = gru.preview(states, rows.flat(), n, new Float64Array(n));
        rows.forEach((row, i) => {
          const want = reference(p, states[i].h, row);
          assert.ok(Math.abs(out[i] - want) <= tol, `${what}, position ${i}: ${out[i]} vs ${want}`);
        });
      };
      check(ps.map((q) => rowOf(q.now)), 'first tick (fold)');
      // Same vol and time as folded: only price and return move (the 2-term path).
      check(ps.map((q) => [q.next.price, q.now.ttm, q.next.lr, q.now.vol]), 'price and return moved');
      // Time moved since the fold (the 3-term path).
      check(ps.map((q) => [q.next.price, q.now.ttm + q.ttmShift, q.next.lr, q.now.vol]), 'time moved');
      // Vol moved: refold.
      check(ps.map((q) => [q.next.price, q.next.ttm, q.next.lr, q.vol2]), 'vol moved');
    }),
    { numRuns: 150 },
  );
});

test('a tick far outside the trained range takes the exact step (gruStep) rather than the table', () => {
  const p = policy(6, 3, 4, [1, 0.5, 0, 0.15], [0.05, 0.3, 0.01, 0.02]);
  const gru = new FoldedGru(p);
  const s = gru.newState();
  const h = new Float64Array(6);
  gruStep(p, h, [1.01, 0.8, 0.004, 0.2], 0, h, new Float64Array(36));
  gru.commit(s, h);
  // Log returns of 1e3 and 1e9 standard deviations: arguments far beyond e^80 and beyond int32 once scaled.
  for (const lr of [10, -10, 1e7]) {
    const row = [1.02, 0.7, lr, 0.2];
    const got = gru.preview([s], row, 1, new Float64Array(1))[0];
    assert.equal(got, reference(p, h, row), `logReturn ${lr}`);
  }
  // Back in range, the folded step again, still from the committed state.
  const row = [1.02, 0.7, 0.01, 0.2];
  assert.ok(Math.abs(gru.preview([s], row, 1, new Float64Array(1))[0] - reference(p, h, row)) < 1e-12);
});

test('previews leave the committed state alone; bad input is named', () => {
  const p = policy(5, 8, 1, [1, 0.5, 0, 0.15], [0.05, 0.3, 0.01, 0.02]);
  const gru = new FoldedGru(p);
  const s = gru.newState();
  const h = Float64Array.from([0.1, -0.2, 0.3, 0, 0.5]);
  gru.commit(s, h);
  const x = [1.01, 0.5, 0.002, 0.18];
  const a = gru.preview([s], x, 1, new Float64Array(1))[0];
  gru.preview([s], [0.95, 0.4, -0.02, 0.3], 1, new Float64Array(1));
  assert.equal(gru.preview([s], x, 1, new Float64Array(1))[0], a);
  assert.deepEqual(s.h, h);
  assert.equal(N_FEATURES, 4);
  assert.throws(() => gru.commit(s, new Float64Array(4)), /state must have 5 entries, got 4/);
  assert.throws(() => gru.commit(s, [0, 0, NaN, 0, 0]), /state\[2\] must be a finite number/);
  assert.throws(() => new FoldedGru({ ...p, hidden: 0 }), /policy.hidden must be a positive integer/);
});
