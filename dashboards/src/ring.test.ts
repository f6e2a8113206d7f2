/** The page's fixed-capacity series: what it keeps, in what order, and that it never grows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SeriesRing } from './ring.ts';

test('keeps the newest rows in order; a repeated x revises its row; an older x is dropped', () => {
  const r = new SeriesRing(3, 2);
  r.push(1, [10, 100]);
  r.push(2, [20, NaN]);
  r.push(2, [21, 201]);
  r.push(1.5, [99, 99]);
  assert.deepEqual(r.data(), [[1, 2], [10, 21], [100, 201]]);
  r.push(3, [30, 300]);
  r.push(4, [40, 400]);
  assert.deepEqual(r.data(), [[2, 3, 4], [21, 30, 40], [201, 300, 400]]);
  assert.equal(r.lastX(), 4);
  assert.equal(r.last(1), 400);
  r.clear();
  assert.equal(r.length, 0);
  assert.ok(Number.isNaN(r.lastX()));
});

test('a missing value is a gap (null) for uPlot', () => {
  const r = new SeriesRing(2, 1);
  r.push(1, [NaN]);
  assert.deepEqual(r.data(), [[1], [null]]);
});

test('bad capacity is refused', () => {
  assert.throws(() => new SeriesRing(0, 1), /capacity must be a positive integer, got 0/);
});

test('property: holds exactly the last min(n, capacity) distinct x values, oldest first', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 200 }), (cap, steps) => {
      const r = new SeriesRing(cap, 1);
      const kept: Array<[number, number]> = [];
      let x = 0;
      steps.forEach((dx, i) => {
        x += dx;
        r.push(x, [i]);
        if (kept.length > 0 && kept[kept.length - 1][0] === x) kept[kept.length - 1] = [x, i];
        else kept.push([x, i]);
      });
      const want = kept.slice(-cap);
      const [xs, ys] = r.data();
      return r.length <= cap && JSON.stringify(xs) === JSON.stringify(want.map((k) => k[0])) && JSON.stringify(ys) === JSON.stringify(want.map((k) => k[1]));
    }),
  );
});
