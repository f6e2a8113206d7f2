import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipWithoutRealData } from '../../src/ticks/real-data.ts';
import { buildSegments, loadVixDaily, SPLITS, vixToX } from './data.ts';

test('windows are cut with overlap, wholly inside the dates, with the simulation start at column warm', () => {
  const dates = ['2015-12-28', '2015-12-29', '2015-12-30', '2015-12-31', '2016-01-04', '2016-01-05', '2016-01-06'];
  const x = [0, 1, 2, 3, 4, 5, 6];
  const s = buildSegments(dates, x, { warm: 1, steps: 2, to: '2015-12-31' });
  assert.equal(s.n, 1, 'a second window would reach into 2016');
  assert.deepEqual(Array.from(s.x), [0, 1, 2, 3]);
  assert.deepEqual(s.startDates, ['2015-12-29']);
  const all = buildSegments(dates, x, { warm: 1, steps: 2 });
  assert.deepEqual(Array.from(all.x.subarray(4, 8)), [1, 2, 3, 4], 'windows overlap with stride 1');
  assert.equal(all.n, 4);
  const v = buildSegments(dates, x, { warm: 0, steps: 1, from: '2016-01-01', stride: 2 });
  assert.deepEqual(Array.from(v.x), [4, 5]);
  assert.throws(() => buildSegments(dates, x, { warm: -1, steps: 2 }), /warm must be an integer >= 0/);
});

test('X is the log of the variance (VIX / 100)^2', () => {
  assert.ok(Math.abs(vixToX([20])[0] - Math.log(0.04)) < 1e-15);
});

test('the real VIX history loads, dated and positive, and every split has windows', { skip: skipWithoutRealData('vix/vix-daily.csv') }, () => {
  const v = loadVixDaily();
  assert.ok(v.dates.length > 9000);
  assert.equal(v.dates[0], '1990-01-02');
  const x = vixToX(v.values);
  for (const range of Object.values(SPLITS)) assert.ok(buildSegments(v.dates, x, { warm: 10, steps: 20, ...range }).n > 500);
});
