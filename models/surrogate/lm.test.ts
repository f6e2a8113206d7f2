import { test } from 'node:test';
import assert from 'node:assert/strict';
import { levenbergMarquardt, type ResidualFn } from './lm.ts';

// Rosenbrock as least squares: r = (10 (y - x^2), 1 - x), minimum 0 at (1, 1) (Moré, Garbow and Hillstrom 1981, problem 1).
const rosen: ResidualFn = (v) => ({ r: Float64Array.of(10 * (v[1] - v[0] * v[0]), 1 - v[0]), jac: Float64Array.of(-20 * v[0], 10, -1, 0) });

test('LM finds the Rosenbrock minimum from the standard start (-1.2, 1)', () => {
  const res = levenbergMarquardt(rosen, [-1.2, 1], [-5, -5], [5, 5]);
  assert.ok(Math.abs(res.x[0] - 1) < 1e-6 && Math.abs(res.x[1] - 1) < 1e-6, `${res.x}`);
  assert.ok(res.ss < 1e-12);
});

test('LM stays in the box: a minimum outside lands on the bound', () => {
  const res = levenbergMarquardt(rosen, [0, 0], [-2, -2], [0.5, 2]);
  assert.ok(res.x[0] <= 0.5 && Math.abs(res.x[0] - 0.5) < 1e-6);
  assert.ok(Math.abs(res.x[1] - 0.25) < 1e-4);
  assert.throws(() => levenbergMarquardt(rosen, [0, 0], [0], [1, 1]), /bounds/);
});
