/**
 * The analyst report's metrics on tiny hand-made inputs (values worked out by hand beside each
 * number), plus properties of QLIKE and coverage. No data, no store.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { accuracy, accuracyByYear, bandCoverage, forecastPairs, type BandDay, type VarianceDay } from './analyst-metrics.ts';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

const vday = (date: string, realized: number, garch: number, vix: number | null = null): VarianceDay => ({
  date,
  realized,
  next: { garch, hn: garch, gru: garch, vix },
  mean21: { garch, hn: garch, gru: garch, vix },
});

describe('analyst metrics', () => {
  test('QLIKE and RMSE of two forecasts, by hand', () => {
    // QLIKE: (1/1 + ln 1) = 1 and (2/4 + ln 4) = 0.5 + 1.3862943611198906; mean = 0.75 + ln 2.
    // Errors 0 and -2: mean square 2, RMSE sqrt 2.
    const a = accuracy([1, 2], [1, 4]);
    assert.equal(a.n, 2);
    close(a.qlike, 0.75 + Math.LN2);
    close(a.rmse, Math.SQRT2);
    assert.throws(() => accuracy([1], [0]), /forecast 0 is 0/);
    assert.throws(() => accuracy([1, 2], [1]), /2 outcomes but 1 forecasts/);
  });

  test('1-day pairs take the next day\'s realized variance; years follow the forecast day', () => {
    const days = [vday('2020-12-30', 9, 2, null), vday('2020-12-31', 1, 3, 4), vday('2021-01-04', 3, 5, 4), vday('2021-01-05', 5, 7, 4)];
    // garch: day 0 forecasts 2 for day 1's 1, day 1 forecasts 3 for 3, day 2 forecasts 5 for 5; the last day has no outcome.
    assert.deepEqual(forecastPairs(days, 'garch', 1), [{ year: '2020', f: 2, rv: 1 }, { year: '2020', f: 3, rv: 3 }, { year: '2021', f: 5, rv: 5 }]);
    // vix is null on day 0: skipped.
    assert.deepEqual(forecastPairs(days, 'vix', 1).map((p) => p.rv), [3, 5]);
    const by = accuracyByYear(forecastPairs(days, 'garch', 1));
    // 2020: QLIKE mean of (1/2 + ln 2) and (3/3 + ln 3); errors 1 and 0: RMSE sqrt(1/2).
    close(by.get('2020')!.qlike, (0.5 + Math.LN2 + 1 + Math.log(3)) / 2);
    close(by.get('2020')!.rmse, Math.SQRT1_2);
    // 2021: one exact forecast: QLIKE 1 + ln 5, RMSE 0.
    close(by.get('2021')!.qlike, 1 + Math.log(5));
    assert.equal(by.get('2021')!.rmse, 0);
    assert.equal(by.get('all')!.n, 3);
  });

  test('21-day pairs take the mean realized variance of the next 21 days', () => {
    // realized on day k is k: from day 0 the next 21 are 1..21 (mean 11), from day 1 they are 2..22 (mean 12).
    const days = Array.from({ length: 23 }, (_, k) => vday(`2021-02-${String(k + 1).padStart(2, '0')}`, k, 10));
    assert.deepEqual(forecastPairs(days, 'hn', 21).map((p) => p.rv), [11, 12]);
  });

  test('band coverage counts inside (edges included), above and below, by year', () => {
    const band = (q05: number, q95: number) => ({ q05, q95 });
    const days: BandDay[] = [
      { date: '2020-12-31', vix: 20, bands: new Map([[1, band(18, 22)], [2, band(10, 12)]]) },
      { date: '2021-01-04', vix: 25, bands: new Map([[1, band(20, 30)], [2, band(21, 30)]]) },
      { date: '2021-01-05', vix: 10, bands: new Map([[1, band(15, 25)]]) },
      { date: '2021-01-06', vix: 21, bands: new Map([[1, band(1, 99)]]) },
    ];
    // h = 1: 25 above [18, 22]; 10 below [20, 30]; 21 inside [15, 25]; the last day has no outcome.
    const c1 = bandCoverage(days, 1);
    assert.deepEqual(c1.get('all'), { inside: 1, n: 3, above: 1, below: 1 });
    assert.deepEqual(c1.get('2020'), { inside: 0, n: 1, above: 1, below: 0 });
    assert.deepEqual(c1.get('2021'), { inside: 1, n: 2, above: 0, below: 1 });
    // h = 2: 10 on the lower edge of [10, 12], 21 on the lower edge of [21, 30]: both inside.
    assert.deepEqual(bandCoverage(days, 2).get('all'), { inside: 2, n: 2, above: 0, below: 0 });
    // No band at h = 5 and too few days: nothing counted.
    assert.equal(bandCoverage(days, 5).size, 0);
  });

  test('property: for one outcome, QLIKE is smallest at the true variance', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e-2, noNaN: true }), fc.double({ min: 1e-6, max: 1e-2, noNaN: true }), (rv, f) => {
        assert.ok(accuracy([rv], [f]).qlike >= accuracy([rv], [rv]).qlike - 1e-12);
      }),
    );
  });

  test('property: coverage counts add up to the days with an outcome', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 5, max: 80, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true })), { minLength: 0, maxLength: 40 }), fc.integer({ min: 1, max: 5 }), (xs, h) => {
        const days: BandDay[] = xs.map(([v, w], i) => ({ date: `2021-${String(1 + (i % 12)).padStart(2, '0')}-01`, vix: v, bands: new Map([[h, { q05: v - w, q95: v + w }]]) }));
        const all = bandCoverage(days, h).get('all');
        const n = Math.max(0, days.length - h);
        if (n === 0) return assert.equal(all, undefined);
        assert.equal(all!.n, n);
        assert.equal(all!.inside + all!.above + all!.below, n);
      }),
    );
  });
});
