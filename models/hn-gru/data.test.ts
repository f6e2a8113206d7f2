import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dailyRealizedVariance, parseDailyCsv, RV_GK_OVERNIGHT, RV_SQUARED_RETURN } from './data.ts';
import { splitIndex } from './splits.ts';

test('realized variance: Garman-Klass plus the squared overnight return, squared return without a usable bar', () => {
  // O = 101, H = 103, L = 100, C = 102 after a 100 close:
  // GK = 0.5 ln(1.03)^2 - (2 ln 2 - 1) ln(102/101)^2, overnight ln(1.01)^2
  const gk = 0.5 * Math.log(1.03) ** 2 - (2 * Math.LN2 - 1) * Math.log(102 / 101) ** 2;
  const [v, src] = dailyRealizedVariance(100, 101, 103, 100, 102);
  assert.equal(src, RV_GK_OVERNIGHT);
  assert.ok(Math.abs(v - (gk + Math.log(1.01) ** 2)) < 1e-18);
  // H = L (the pre-1983 file repeats the close) and a missing open fall back to r^2
  assert.deepEqual(dailyRealizedVariance(100, 102, 102, 102, 102), [Math.log(1.02) ** 2, RV_SQUARED_RETURN]);
  assert.deepEqual(dailyRealizedVariance(100, 0, 103, 99, 102), [Math.log(1.02) ** 2, RV_SQUARED_RETURN]);
});

test('the CSV reader names the bad line', () => {
  assert.throws(() => parseDailyCsv('Date,Open,High,Low,Close\n2020-01-02,1,1,1,x\n', 'f.csv'), /f.csv line 2: close/);
  assert.throws(() => parseDailyCsv('Date,Open,High,Low,Close\n2020-01-02,1,1,1,1\n2020-01-01,1,1,1,1\n', 'f.csv'), /line 3: date 2020-01-01 is not after/);
  assert.throws(() => parseDailyCsv('Day,Open,High,Low,Close\n', 'f.csv'), /no "date" column/);
});

test('splits are time-ordered and refuse an empty split', () => {
  const dates = ['2012-12-28', '2012-12-31', '2013-01-02', '2017-12-29', '2018-01-02'];
  assert.deepEqual(splitIndex({ dates }), { train: [0, 2], valid: [2, 4], test: [4, 5] });
  assert.throws(() => splitIndex({ dates: dates.slice(0, 4) }), /no test days/);
});
