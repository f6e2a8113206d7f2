import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dieboldMariano } from './diebold-mariano.ts';

// Hand-worked case, formula of R forecast::dm.test (Hyndman): d = A - B = [1, -1, 2, 0, 3],
// mean 1, deviations [0, -2, 1, -1, 2], gamma0 = 10 / 5 = 2.
const A = [2, 1, 4, 3, 5];
const B = [1, 2, 2, 3, 2];

test('h = 1: DM = 1 / sqrt(2 / 5) times the HLN factor sqrt(4 / 5), which is sqrt(2)', () => {
  const r = dieboldMariano(A, B, 1);
  assert.ok(Math.abs(r.stat - Math.SQRT2) < 1e-14, `${r.stat}`);
  assert.equal(r.meanDiff, 1);
  assert.equal(r.bartlett, false);
  // two-sided normal p-value of sqrt(2): 2 (1 - Phi(1.41421356)) = 0.157299207 (standard normal table)
  assert.ok(Math.abs(r.pValue - 0.157299207) < 1e-8, `${r.pValue}`);
});

test('h = 2: the unit-weight variance 2 + 2 (-1) = 0 falls back to Bartlett 2 + 2 (1/2)(-1) = 1', () => {
  // gamma1 = (0 (-2) + (-2)(1) + (1)(-1) + (-1)(2)) / 5 = -1; DM = 1 / sqrt(1 / 5) = sqrt(5);
  // HLN factor sqrt((5 + 1 - 4 + 2 / 5) / 5) = sqrt(0.48); product sqrt(2.4)
  const r = dieboldMariano(A, B, 2);
  assert.equal(r.bartlett, true);
  assert.ok(Math.abs(r.stat - Math.sqrt(2.4)) < 1e-14, `${r.stat}`);
});

test('swapping the models negates the statistic and keeps the p-value', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true })), { minLength: 12, maxLength: 60 }),
      fc.integer({ min: 1, max: 3 }),
      (pairs, h) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const x = dieboldMariano(a, b, h);
        const y = dieboldMariano(b, a, h);
        if (Number.isNaN(x.stat)) return;
        assert.ok(Math.abs(x.stat + y.stat) < 1e-9 * (1 + Math.abs(x.stat)));
        assert.ok(Math.abs(x.pValue - y.pValue) < 1e-12);
      },
    ),
  );
});

test('bad inputs are refused with the reason', () => {
  assert.throws(() => dieboldMariano([1, 2, 3], [1, 2], 1), /differ in length/);
  assert.throws(() => dieboldMariano(A, B, 0), /h must be an integer/);
  assert.throws(() => dieboldMariano(A, B, 3), /need more than/);
});
