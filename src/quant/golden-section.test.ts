import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { goldenSectionMin } from './golden-section.ts';

test('golden-section search finds the minimum of a parabola to the square root of machine precision', () => {
  // Comparing values near a smooth minimum cannot locate it closer than about sqrt(eps) |x| (Press et al., Numerical Recipes, 3rd ed., section 10.2).
  assert.ok(Math.abs(goldenSectionMin((x) => (x - 2.5) ** 2 + 1, -10, 10) - 2.5) < 1e-7);
});

test('any unimodal |x - m| on a bracket holding m gives m within the tolerance; a minimum at an end gives that end', () => {
  fc.assert(
    fc.property(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0.1, max: 50, noNaN: true }), (m, w) => {
      const x = goldenSectionMin((u) => Math.abs(u - m), m - w, m + 2 * w, 1e-9);
      return Math.abs(x - m) <= 1e-9 * (1 + 2 * Math.abs(m) + 3 * w) * 2;
    }),
  );
  assert.ok(Math.abs(goldenSectionMin((x) => x, 1, 2) - 1) < 1e-9);
  assert.throws(() => goldenSectionMin((x) => x, 2, 1), /a < b/);
});
