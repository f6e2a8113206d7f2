/**
 * SPX option quotes of the simulated market: the listed grid (expiries and strikes, set at each
 * session's open), model prices per expiry from the quant core's Heston/Bates pricer (one
 * hestonPrices call per expiry prices all its strikes; the in-the-money side follows by put-call
 * parity), refreshed lazily when S or v moved enough or the prices grew old, and quotes around
 * them on SPX ticks (0.05 below 3.00, 0.10 from 3.00) with spreads that widen with the price
 * and with the distance from the money.
 *
 * Grid: SPXW (PM-settled) every weekday for two weeks and every Friday for eight weeks, SPXW
 * quarter-ends (last weekday of Mar/Jun/Sep/Dec) for a year; SPX (AM-settled) third Fridays for
 * twelve months, then the March/June/September/December ones out to two years. Strikes cover
 * +-3 standard deviations of the risk-neutral variance to expiry: 5 points apart within one
 * deviation (25 beyond two months), 25 (50) within two, 50 (100) out to three.
 */
import { hestonPrices } from '../quant/heston.ts';
import { vixSquaredCoefficients } from '../quant/vix.ts';
import type { OptionTick } from '../ticks/schema.ts';
import {
  easternToMicros,
  isoOf,
  isTradingDay,
  SESSION_CLOSE_S,
  SESSION_OPEN_S,
  thirdFriday,
  weekdayOf,
  yearMonthOf,
} from './simulator-calendar.ts';
import type { RiskNeutralParams } from './simulator-params.ts';
import type { RandomStream } from '../quant/mc-random.ts';

const MICROS_PER_YEAR = 365 * 86_400e6;
/** Shortest maturity priced (5 minutes): at the last ticks of a 0DTE the price is then intrinsic-like. */
export const MIN_T = 5 / (365 * 24 * 60);

/** One listed expiry with its strikes and its price cache. */
export interface ListedExpiry {
  root: 'SPX' | 'SPXW';
  expiry: string;
  /** Settlement time, epoch microseconds: 16:00 New York for SPXW, 09:30 for SPX. */
  expiryMicros: number;
  strikes: Float64Array;
  /** Whether the pricer is asked for the call (strike at or above the forward) or the put. */
  otmCall: boolean[];
  calls: Float64Array;
  puts: Float64Array;
  /** State the cache was priced at; NaN before the first pricing. */
  pricedS: number;
  pricedV: number;
  pricedStep: number;
  /** Forward and total variance at pricing, for the spread's distance from the money. */
  forward: number;
  sdLog: number;
}

/** The expiries listed on `day` (a trading day), earliest first. */
export function listExpiries(day: number): Array<{ root: 'SPX' | 'SPXW'; day: number }> {
  const out = new Map<string, { root: 'SPX' | 'SPXW'; day: number }>();
  const add = (root: 'SPX' | 'SPXW', d: number) => out.set(`${root}${d}`, { root, day: d });
  for (let d = day; d <= day + 56; d++) {
    if (!isTradingDay(d)) continue;
    if (d <= day + 14 || weekdayOf(d) === 5) add('SPXW', d);
  }
  const { year, month } = yearMonthOf(day);
  for (let k = 0; k <= 25; k++) {
    const y = year + Math.floor((month - 1 + k) / 12);
    const m = ((month - 1 + k) % 12) + 1;
    const quarter = m % 3 === 0;
    const tf = thirdFriday(y, m);
    // AM-settled: settles at the open, so it is gone on its expiry day.
    if (tf > day && (tf - day <= 366 || (quarter && tf - day <= 731))) add('SPX', tf);
    if (quarter) {
      let qe = Date.UTC(y, m, 0) / 86_400_000;
      while (!isTradingDay(qe)) qe--;
      if (qe >= day && qe - day <= 366) add('SPXW', qe);
    }
  }
  return [...out.values()].sort((a, b) => a.day - b.day || a.root.localeCompare(b.root));
}

/** Strikes of one expiry around spot S for total log-variance w (variance x years). */
export function strikeGrid(S: number, w: number, T: number): Float64Array {
  const sd = S * Math.sqrt(Math.max(w, 1e-6));
  const long = T > 60 / 365;
  const inner = long ? 25 : 5;
  const middle = long ? 50 : 25;
  const outer = long ? 100 : 50;
  const out: number[] = [];
  const lo = Math.max(5, Math.ceil((S - 3 * sd) / 5) * 5);
  const hi = Math.floor((S + 3 * sd) / 5) * 5;
  for (let K = lo; K <= hi; K += 5) {
    const d = Math.abs(K - S);
    if ((d <= sd && K % inner === 0) || (d <= 2 * sd && K % middle === 0) || K % outer === 0) out.push(K);
  }
  if (out.length === 0) out.push(Math.max(5, Math.round(S / 5) * 5));
  return Float64Array.from(out);
}

/** Risk-neutral expected variance x T to maturity T for variance v (the ATM total variance, roughly). */
function totalVariance(v: number, q: RiskNeutralParams, T: number): number {
  const { a, b } = vixSquaredCoefficients(q, Math.max(T, 1e-6));
  return (a + b * v) * T;
}

/** Builds the listed grid of a session from its opening S and v. */
export function listOptions(day: number, S: number, v: number, q: RiskNeutralParams): ListedExpiry[] {
  const openMicros = easternToMicros(day, SESSION_OPEN_S);
  return listExpiries(day).map(({ root, day: d }) => {
    const expiryMicros = easternToMicros(d, root === 'SPX' ? SESSION_OPEN_S : SESSION_CLOSE_S);
    const T = Math.max(MIN_T, (expiryMicros - openMicros) / MICROS_PER_YEAR);
    const strikes = strikeGrid(S, totalVariance(v, q, Math.max(T, 1 / 365)), T);
    return {
      root,
      expiry: isoOf(d),
      expiryMicros,
      strikes,
      otmCall: new Array<boolean>(strikes.length).fill(true),
      calls: new Float64Array(strikes.length),
      puts: new Float64Array(strikes.length),
      pricedS: NaN,
      pricedV: NaN,
      pricedStep: -Infinity,
      forward: S,
      sdLog: 0.1,
    };
  });
}

/** Scratch space for the pricer's output, reused across expiries. */
let scratch = new Float64Array(256);

/**
 * Prices every strike of an expiry at spot S, variance v, time `nowMicros` with one
 * hestonPrices call (out-of-the-money side), the other side by put-call parity.
 */
export function priceExpiry(e: ListedExpiry, S: number, v: number, q: RiskNeutralParams, rate: number, div: number, nowMicros: number, step: number): void {
  const T = Math.max(MIN_T, (e.expiryMicros - nowMicros) / MICROS_PER_YEAR);
  const dq = Math.exp(-div * T);
  const dr = Math.exp(-rate * T);
  const F = (S * dq) / dr;
  const n = e.strikes.length;
  for (let k = 0; k < n; k++) e.otmCall[k] = e.strikes[k] >= F;
  if (scratch.length < n) scratch = new Float64Array(n);
  const p = { ...q, v0: v };
  const out = hestonPrices(p, S, T, rate, div, e.strikes, e.otmCall, scratch);
  for (let k = 0; k < n; k++) {
    const K = e.strikes[k];
    const parity = S * dq - K * dr;
    let price = out[k];
    if (!Number.isFinite(price)) price = 0;
    if (e.otmCall[k]) {
      e.calls[k] = Math.max(0, price);
      e.puts[k] = Math.max(0, e.calls[k] - parity);
    } else {
      e.puts[k] = Math.max(0, price);
      e.calls[k] = Math.max(0, e.puts[k] + parity);
    }
  }
  e.pricedS = S;
  e.pricedV = v;
  e.pricedStep = step;
  e.forward = F;
  e.sdLog = Math.sqrt(Math.max(totalVariance(v, q, T), 1e-8));
}

/** SPX tick size: 0.05 below 3.00, 0.10 from 3.00. */
export function tickSize(price: number): number {
  return price < 3 ? 0.05 : 0.1;
}

const cents = (x: number) => Math.round(x * 100) / 100;

/** Rounds down to the tick grid (never below 0). */
export function floorToTick(x: number): number {
  if (x <= 0) return 0;
  const t = tickSize(x);
  return cents(Math.floor(x / t + 1e-9) * t);
}

/** Rounds up to the tick grid (at least one tick). */
export function ceilToTick(x: number): number {
  if (x <= 0.05) return 0.05;
  const t = tickSize(x);
  return cents(Math.ceil(x / t - 1e-9) * t);
}

/**
 * Half the quoted spread for a model price at a strike `sds` standard deviations from the
 * forward: 2.5 cents plus 0.4% of the price, widened by 15% per deviation, jittered up to 25%.
 */
export function halfSpread(price: number, sds: number, jitter: number): number {
  return (0.025 + 0.004 * price) * (1 + 0.15 * sds) * (1 + 0.25 * jitter);
}

/** A quote of one option of a priced expiry: bid <= model price <= ask, bid >= 0, ask > bid. */
export function optionTick(e: ListedExpiry, k: number, call: boolean, ts: number, rnd: RandomStream): OptionTick {
  const K = e.strikes[k];
  const price = call ? e.calls[k] : e.puts[k];
  const sds = Math.abs(Math.log(K / e.forward)) / e.sdLog;
  const h = halfSpread(price, sds, rnd.uniform());
  const bid = floorToTick(price - h);
  const ask = ceilToTick(price + h);
  const depth = Math.round(20 + 400 / (1 + price));
  return {
    kind: 'option',
    root: e.root,
    underlying: 'SPX',
    expiry: e.expiry,
    strike: K,
    right: call ? 'C' : 'P',
    bid,
    ask,
    bidSize: bid > 0 ? 1 + Math.floor(rnd.uniform() * depth) : 0,
    askSize: 1 + Math.floor(rnd.uniform() * depth),
    ts,
  };
}
