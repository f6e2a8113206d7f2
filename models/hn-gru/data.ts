/**
 * The model's daily data, aligned by date: S&P 500 close-to-close log returns, a realized
 * variance for each return day, and the VIX close of the same day (NaN where VIX has no row).
 *
 * Read straight from the CSV files of ../shared/data (never copied into the repository): the
 * index-history tick parser yields one tick object per day, which is more than this batch job
 * needs, and the two files have fixed, documented headers.
 *
 * Realized variance of day t (natural daily units), chosen to measure the same thing the models
 * forecast, the close-to-close variance:
 *   - from 1983-07-01 on (genuine OHLC; before that the file repeats the close as high and low):
 *     Garman-Klass on the day's bar (open to close) plus the squared overnight return
 *     ln(O_t / C_{t-1})^2, because Garman-Klass leaves out the overnight move that the
 *     close-to-close return contains (the two parts are nearly uncorrelated, so their variances add);
 *   - any day without a usable bar (missing open, H = L, prices that contradict each other): the
 *     squared close-to-close return, an unbiased but noisy proxy.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { garmanKlassVariance } from '../../src/quant/garman-klass.ts';

/** First return day by default: the first day with genuine OHLC in the SPX file. */
export const DEFAULT_START = '1983-07-01';

/** How a day's realized variance was measured. */
export const RV_GK_OVERNIGHT = 0;
export const RV_SQUARED_RETURN = 1;

/** Aligned daily series; index i is return day i. */
export interface DailySeries {
  /** ISO dates (YYYY-MM-DD), strictly increasing. */
  dates: string[];
  /** Close of the day. */
  close: Float64Array;
  /** Close of the day before the first return day (the first return's base), and its date. */
  firstPrevClose: number;
  firstPrevDate: string;
  /** Close-to-close log return, natural units. */
  ret: Float64Array;
  /** Realized variance of the day, natural units (see the module header). */
  rv: Float64Array;
  /** RV_GK_OVERNIGHT or RV_SQUARED_RETURN per day. */
  rvSource: Uint8Array;
  /** VIX close of the same date, NaN where absent. */
  vix: Float64Array;
}

interface Bar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a daily OHLC CSV (header with Date/Open/High/Low/Close in any case), checking each row. */
export function parseDailyCsv(text: string, what: string): Bar[] {
  const lines = text.split(/\r?\n/);
  const head = lines[0].split(',').map((c) => c.trim().toLowerCase());
  const col = (name: string): number => {
    const i = head.indexOf(name);
    if (i < 0) throw new RangeError(`${what}: header has no "${name}" column (got ${lines[0]})`);
    return i;
  };
  const [iD, iO, iH, iL, iC] = [col('date'), col('open'), col('high'), col('low'), col('close')];
  const bars: Bar[] = [];
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k].trim();
    if (line === '') continue;
    const c = line.split(',');
    const date = c[iD];
    if (!ISO.test(date)) throw new RangeError(`${what} line ${k + 1}: date must be YYYY-MM-DD, got "${date}"`);
    const close = Number(c[iC]);
    if (!(Number.isFinite(close) && close > 0)) throw new RangeError(`${what} line ${k + 1}: close must be a positive number, got "${c[iC]}"`);
    if (bars.length > 0 && date <= bars[bars.length - 1].date) throw new RangeError(`${what} line ${k + 1}: date ${date} is not after ${bars[bars.length - 1].date}`);
    bars.push({ date, open: Number(c[iO]), high: Number(c[iH]), low: Number(c[iL]), close });
  }
  return bars;
}

/**
 * Realized variance of one day (natural units) from its bar and the previous close, by the
 * module's rule; returns [variance, source].
 */
export function dailyRealizedVariance(prevClose: number, open: number | undefined, high: number | undefined, low: number | undefined, close: number): [number, number] {
  const r = Math.log(close / prevClose);
  const usable =
    open !== undefined && high !== undefined && low !== undefined &&
    open > 0 && high > low && low > 0 && open >= low && open <= high && close >= low && close <= high;
  if (!usable) return [r * r, RV_SQUARED_RETURN];
  const on = Math.log(open / prevClose);
  return [garmanKlassVariance(open, high, low, close) + on * on, RV_GK_OVERNIGHT];
}

/** The real-data folder: VOLRISK_REAL_DATA or ../shared/data beside the repository. */
export function defaultDataDir(): string {
  return process.env.VOLRISK_REAL_DATA ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data');
}

/**
 * Loads SPX returns, realized variances and VIX from `dataDir` (spx/spx-daily.csv and
 * vix/vix-daily.csv), return days from `start` (inclusive) to `end` (inclusive).
 */
export function loadDailySeries(dataDir = defaultDataDir(), start = DEFAULT_START, end = '9999-12-31'): DailySeries {
  const spxPath = resolve(dataDir, 'spx/spx-daily.csv');
  const vixPath = resolve(dataDir, 'vix/vix-daily.csv');
  const spx = parseDailyCsv(readFileSync(spxPath, 'utf8'), spxPath);
  const vixBars = parseDailyCsv(readFileSync(vixPath, 'utf8'), vixPath);
  const vixByDate = new Map(vixBars.map((b) => [b.date, b.close]));
  const first = spx.findIndex((b) => b.date >= start);
  if (first < 1) throw new RangeError(`start ${start}: the SPX file needs a close before the first return day (it starts ${spx[0]?.date})`);
  const days = spx.slice(first).filter((b) => b.date <= end);
  if (days.length < 2) throw new RangeError(`no SPX return days between ${start} and ${end}`);
  const n = days.length;
  const out: DailySeries = {
    dates: days.map((b) => b.date),
    close: new Float64Array(n),
    firstPrevClose: spx[first - 1].close,
    firstPrevDate: spx[first - 1].date,
    ret: new Float64Array(n),
    rv: new Float64Array(n),
    rvSource: new Uint8Array(n),
    vix: new Float64Array(n),
  };
  let prev = out.firstPrevClose;
  for (let i = 0; i < n; i++) {
    const b = days[i];
    out.close[i] = b.close;
    out.ret[i] = Math.log(b.close / prev);
    const [v, src] = dailyRealizedVariance(prev, b.open, b.high, b.low, b.close);
    out.rv[i] = v;
    out.rvSource[i] = src;
    out.vix[i] = vixByDate.get(b.date) ?? NaN;
    prev = b.close;
  }
  return out;
}
