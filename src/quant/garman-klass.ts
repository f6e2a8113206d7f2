/**
 * Range-based daily variance estimators from OHLC bars, hand-written:
 * Garman and Klass (1980), "On the estimation of security price volatilities from historical
 * data", J. Business 53(1), their practical estimator sigma^2_5 =
 * 0.5 ln(H/L)^2 - (2 ln 2 - 1) ln(C/O)^2 (efficiency about 7.4 against the squared close-to-close
 * return), and Parkinson (1980), ln(H/L)^2 / (4 ln 2), which needs no open.
 * Units: the variance of the log price over the bar (per day for daily bars), not annualised.
 * Both measure the open-to-close part of the day only: overnight moves are not in them.
 *
 * Missing prices: a price that is not a positive finite number (NaN, 0, a negative) is missing,
 * and an estimator that needs it returns NaN. This is how the S&P 500 daily file's Open = 0
 * from 1962-01-02 to 1982-04-19 comes out: Garman-Klass is NaN there, and Parkinson (high and low
 * only) is the fallback. Bars whose prices contradict each other (high below low, open or close
 * outside [low, high]) are bad data, not missing data, and are refused with an error.
 * Caveat: a bar with H = L (before 1962 the file repeats the close as high and low) gives 0, not
 * an estimate: callers should treat such bars as missing.
 */

const TWO_LN2_M1 = 2 * Math.LN2 - 1;
const FOUR_LN2 = 4 * Math.LN2;

const missing = (p: number): boolean => !(Number.isFinite(p) && p > 0);

function checkBar(open: number, high: number, low: number, close: number, where: string): void {
  if (high < low) throw new RangeError(`${where}high ${high} is below low ${low}`);
  if (!missing(open) && (open > high || open < low)) throw new RangeError(`${where}open ${open} is outside [low ${low}, high ${high}]`);
  if (!missing(close) && (close > high || close < low)) throw new RangeError(`${where}close ${close} is outside [low ${low}, high ${high}]`);
}

/**
 * Garman-Klass variance of one bar: 0.5 ln(H/L)^2 - (2 ln 2 - 1) ln(C/O)^2. NaN when any of the
 * four prices is missing (not a positive finite number, e.g. Open = 0); throws on a bar whose
 * prices are inconsistent.
 */
export function garmanKlassVariance(open: number, high: number, low: number, close: number): number {
  if (missing(open) || missing(high) || missing(low) || missing(close)) return NaN;
  checkBar(open, high, low, close, '');
  const hl = Math.log(high / low);
  const co = Math.log(close / open);
  return 0.5 * hl * hl - TWO_LN2_M1 * co * co;
}

/** Parkinson variance of one bar: ln(H/L)^2 / (4 ln 2). NaN when high or low is missing. */
export function parkinsonVariance(high: number, low: number): number {
  if (missing(high) || missing(low)) return NaN;
  if (high < low) throw new RangeError(`high ${high} is below low ${low}`);
  const hl = Math.log(high / low);
  return (hl * hl) / FOUR_LN2;
}

/** OHLC columns of equal length, one bar per index. */
export interface OhlcColumns {
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
}

/**
 * Garman-Klass variance of every bar (NaN where a price is missing, by the rule above); with
 * `fallback: 'parkinson'`, bars with a missing open or close get Parkinson's estimate instead.
 * Throws on columns of unequal length or an inconsistent bar, naming its index.
 */
export function garmanKlassSeries(bars: OhlcColumns, opts: { fallback?: 'none' | 'parkinson'; out?: Float64Array } = {}): Float64Array {
  const n = bars.close.length;
  for (const k of ['open', 'high', 'low'] as const) {
    if (bars[k].length !== n) throw new RangeError(`${k} has ${bars[k].length} values but close has ${n}`);
  }
  const out = opts.out ?? new Float64Array(n);
  if (out.length !== n) throw new RangeError(`out must have length ${n}, got ${out.length}`);
  const park = opts.fallback === 'parkinson';
  for (let i = 0; i < n; i++) {
    const o = bars.open[i];
    const h = bars.high[i];
    const l = bars.low[i];
    const c = bars.close[i];
    if (missing(h) || missing(l)) {
      out[i] = NaN;
      continue;
    }
    checkBar(o, h, l, c, `bar ${i}: `);
    if (missing(o) || missing(c)) {
      out[i] = park ? parkinsonVariance(h, l) : NaN;
      continue;
    }
    const hl = Math.log(h / l);
    const co = Math.log(c / o);
    out[i] = 0.5 * hl * hl - TWO_LN2_M1 * co * co;
  }
  return out;
}
