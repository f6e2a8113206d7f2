/**
 * Time-ordered splits of the return days. Train: 1983-07-01 .. 2012-12-31 (fits every model);
 * validation: 2013-01-02 .. 2017-12-29 (early stopping of the VI-HN-GRU only); test:
 * 2018-01-02 .. 2023-12-28 (read once, at the end: the 2018 volatility spike, the 2020 crash,
 * the 2022 bear market). The variance filters run through all three without re-fitting, so
 * each test-day forecast uses only earlier data and parameters fitted before 2013.
 */
import type { DailySeries } from './data.ts';

/** Last training day and last validation day (inclusive). */
export const SPLITS = { trainEnd: '2012-12-31', validEnd: '2017-12-31' } as const;

/** Index ranges [start, end) of each split. */
export interface SplitIndex {
  train: [number, number];
  valid: [number, number];
  test: [number, number];
}

/** Splits a date-ordered series by SPLITS; throws when a split would be empty. */
export function splitIndex(data: Pick<DailySeries, 'dates'>, splits: { trainEnd: string; validEnd: string } = SPLITS): SplitIndex {
  const d = data.dates;
  const upTo = (end: string): number => {
    let i = 0;
    while (i < d.length && d[i] <= end) i++;
    return i;
  };
  const a = upTo(splits.trainEnd);
  const b = upTo(splits.validEnd);
  if (a === 0) throw new RangeError(`splits: no training days up to ${splits.trainEnd}`);
  if (b === a) throw new RangeError(`splits: no validation days after ${splits.trainEnd} up to ${splits.validEnd}`);
  if (d.length === b) throw new RangeError(`splits: no test days after ${splits.validEnd}`);
  return { train: [0, a], valid: [a, b], test: [b, d.length] };
}
