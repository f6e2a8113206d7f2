/**
 * Real data of the neural SDE, read from ../shared/data (never copied into the repository):
 * daily VIX closes as log variance X = log (VIX / 100)^2, cut into overlapping windows of
 * `warm` days of history (which seed the running signature) followed by `steps` daily steps
 * (the part that is simulated and matched), dt = 1/252; the continuous VIX futures curve
 * VX1..VX8; daily SPX closes for the spot-variance correlation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REAL_DATA_DIR } from '../../src/ticks/real-data.ts';

/** One trading year in the model's time unit. */
export const DT = 1 / 252;

/** A dated daily series. */
export interface DailySeries {
  dates: string[];
  values: Float64Array;
}

function readCsv(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read (${(e as Error).message})`, { cause: e });
  }
  return text.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => l.split(','));
}

/** Daily VIX closes from vix/vix-daily.csv (DATE, OPEN, HIGH, LOW, CLOSE); throws naming a bad row. */
export function loadVixDaily(dataDir = REAL_DATA_DIR): DailySeries {
  const path = join(dataDir, 'vix/vix-daily.csv');
  const rows = readCsv(path);
  const head = rows[0].map((h) => h.trim().toUpperCase());
  const iDate = head.indexOf('DATE');
  const iClose = head.indexOf('CLOSE');
  if (iDate < 0 || iClose < 0) throw new Error(`${path}: header must name DATE and CLOSE, got ${rows[0].join(',')}`);
  const dates: string[] = [];
  const values: number[] = [];
  for (let r = 1; r < rows.length; r++) {
    const d = rows[r][iDate];
    const v = Number(rows[r][iClose]);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || !(v > 0)) throw new Error(`${path}: row ${r + 1}: bad date or close (${rows[r].join(',')})`);
    if (dates.length && d <= dates[dates.length - 1]) throw new Error(`${path}: row ${r + 1}: date ${d} is not after ${dates[dates.length - 1]}`);
    dates.push(d);
    values.push(v);
  }
  return { dates, values: Float64Array.from(values) };
}

/** Log variance X = log (VIX / 100)^2 of VIX levels. */
export function vixToX(vix: ArrayLike<number>): Float64Array {
  return Float64Array.from(vix, (v) => 2 * Math.log(v / 100));
}

/** The VIX futures file: per date the VIX and the continuous futures VX1..VX8 and the SPX close. */
export interface FuturesCurves {
  dates: string[];
  vix: Float64Array;
  /** dates.length x 8, row-major; NaN where missing. */
  futures: Float64Array;
  spx: Float64Array;
}

/** vix-futures/vix_futures.csv (index, DATE, VIX, VX1..VX8, SP500). */
export function loadFuturesCurves(dataDir = REAL_DATA_DIR): FuturesCurves {
  const path = join(dataDir, 'vix-futures/vix_futures.csv');
  const rows = readCsv(path);
  const head = rows[0].map((h) => h.trim().toUpperCase());
  const col = (name: string): number => {
    const i = head.indexOf(name);
    if (i < 0) throw new Error(`${path}: no ${name} column in the header`);
    return i;
  };
  const iDate = col('DATE');
  const iVix = col('VIX');
  const iFut = Array.from({ length: 8 }, (_, n) => col(`VX${n + 1}`));
  const iSpx = col('SP500');
  const dates: string[] = [];
  const vix: number[] = [];
  const spx: number[] = [];
  const fut: number[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const d = row[iDate];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`${path}: row ${r + 1}: bad date "${d}"`);
    dates.push(d);
    vix.push(Number(row[iVix]) || NaN);
    spx.push(Number(row[iSpx]) || NaN);
    for (const i of iFut) fut.push(Number(row[i]) > 0 ? Number(row[i]) : NaN);
  }
  return { dates, vix: Float64Array.from(vix), futures: Float64Array.from(fut), spx: Float64Array.from(spx) };
}

/** Daily SPX closes (spx/spx-daily.csv, Date and Close columns). */
export function loadSpxDaily(dataDir = REAL_DATA_DIR): DailySeries {
  const path = join(dataDir, 'spx/spx-daily.csv');
  const rows = readCsv(path);
  const head = rows[0].map((h) => h.trim().toUpperCase());
  const iDate = head.indexOf('DATE');
  const iClose = head.indexOf('CLOSE');
  if (iDate < 0 || iClose < 0) throw new Error(`${path}: header must name Date and Close, got ${rows[0].join(',')}`);
  const dates: string[] = [];
  const values: number[] = [];
  for (let r = 1; r < rows.length; r++) {
    const v = Number(rows[r][iClose]);
    if (!(v > 0)) continue;
    dates.push(rows[r][iDate].slice(0, 10));
    values.push(v);
  }
  return { dates, values: Float64Array.from(values) };
}

/** Windows of a series: `warm` points of history, then 1 + `steps` points (the start and the steps). */
export interface Segments {
  n: number;
  warm: number;
  steps: number;
  /** n x (warm + steps + 1) log variances, row-major; the simulated part starts at column `warm`. */
  x: Float64Array;
  /** Date of each window's simulation start (column `warm`). */
  startDates: string[];
}

/** Window options: the dates (inclusive) every point of a window must lie in, and the stride. */
export interface SegmentOptions {
  warm: number;
  steps: number;
  from?: string;
  to?: string;
  stride?: number;
}

/** Cuts overlapping windows (stride 1 by default) wholly inside [from, to] out of a log-variance series. */
export function buildSegments(dates: readonly string[], x: ArrayLike<number>, opts: SegmentOptions): Segments {
  const { warm, steps } = opts;
  const stride = opts.stride ?? 1;
  if (!(Number.isInteger(warm) && warm >= 0)) throw new RangeError(`warm must be an integer >= 0, got ${warm}`);
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  if (!(Number.isInteger(stride) && stride >= 1)) throw new RangeError(`stride must be a positive integer, got ${stride}`);
  const len = warm + steps + 1;
  const lo = opts.from ?? '0000';
  const hi = opts.to ?? '9999';
  const idx: number[] = [];
  for (let i = 0; i + len <= dates.length; i += 1) {
    if (dates[i] >= lo && dates[i + len - 1] <= hi) idx.push(i);
  }
  const kept = idx.filter((_, k) => k % stride === 0);
  const out = new Float64Array(kept.length * len);
  kept.forEach((i, r) => {
    for (let c = 0; c < len; c++) out[r * len + c] = x[i + c];
  });
  return { n: kept.length, warm, steps, x: out, startDates: kept.map((i) => dates[i + warm]) };
}

/** The train / validation / test split of the issue: up to 2015, 2016-2019, 2020 on. */
export const SPLITS = {
  train: { to: '2015-12-31' },
  valid: { from: '2016-01-01', to: '2019-12-31' },
  test: { from: '2020-01-01' },
} as const;
