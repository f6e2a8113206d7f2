import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EXP_LIMIT, EXP_SCALE, exp2k, fastExp } from './fast-exp.ts';

const rel = (got: number, want: number) => Math.abs(got / want - 1);

test('exp2k(t) = 2^(t/1024) within 1e-15 relative over its range (the cubic bound 7e-17 plus rounding)', () => {
  fc.assert(
    fc.property(fc.double({ min: -EXP_LIMIT, max: EXP_LIMIT, noNaN: true }), (t) => {
      fc.pre(Math.abs(t) < EXP_LIMIT);
      const want = Math.pow(2, t / 1024);
      assert.ok(rel(exp2k(t), want) <= 1e-15, `t=${t}: ${exp2k(t)} vs ${want}`);
    }),
    { numRuns: 20_000 },
  );
  // Both ends of the reduction (f near 0 and 1), the tables' wrap points and the range's edges.
  for (const t of [0, 1 - 2 ** -40, -1 + 2 ** -40, -(2 ** -40), 1023.999, -1023.999, 1024, -1024, -1025, EXP_LIMIT - 1, -EXP_LIMIT + 1]) {
    assert.ok(rel(exp2k(t), Math.pow(2, t / 1024)) <= 1e-15, `t=${t}`);
  }
});

test('fastExp(x) = Math.exp(x) for |x| < 80, within 1e-15 plus the rounding of x * EXP_SCALE (|x| ulps)', () => {
  fc.assert(
    fc.property(fc.double({ min: -79.99, max: 79.99, noNaN: true }), (x) => {
      assert.ok(rel(fastExp(x), Math.exp(x)) <= 1e-15 + Math.abs(x) * 2.3e-16, `x=${x}: ${fastExp(x)} vs ${Math.exp(x)}`);
    }),
    { numRuns: 20_000 },
  );
});

test('fastExp at published constants', () => {
  // The published digits, read as doubles (more digits than a double holds).
  const cases: Array<[number, string, string]> = [
    [1, '2.71828182845904523536', 'e, OEIS A001113'],
    [2, '7.38905609893065022723', 'e^2, OEIS A072334'],
    [-2, '0.13533528323661269189', '1/e^2, OEIS A092553'],
    [7, '1096.6331584284585992', 'e^7, OEIS A092513'],
    [Math.PI, '23.140692632779269005', 'e^pi, OEIS A039661 (x = pi rounded to double: 1.2e-16 relative)'],
  ];
  for (const [x, digits, source] of cases) {
    const want = Number(digits);
    assert.ok(rel(fastExp(x), want) <= 1e-15 + Math.abs(x) * 2.3e-16, `${source}: ${fastExp(x)} vs ${want}`);
  }
  assert.equal(EXP_SCALE, 1024 / Math.LN2);
});
