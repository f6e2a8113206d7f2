/**
 * A synthetic option chain priced by the quant core's Heston pricer (quant/heston.ts): quotes of
 * several expiries around known forwards and discount factors, for tests and benchmarks of the
 * surface fits (the fit should recover the forward, the discount and the smile).
 */
import { hestonPrices, type HestonParams } from '../quant/heston.ts';
import type { OptionTick } from '../ticks/schema.ts';
import { settlementMicros } from '../ticks/settlement.ts';
import { MICROS_PER_YEAR } from './chain-book.ts';

/** Market and quoting of a synthetic chain. */
export interface HestonChainSpec {
  params: HestonParams;
  S: number;
  r: number;
  q: number;
  /** Snapshot time, epoch microseconds. */
  ts: number;
  expiries: ReadonlyArray<{ root: 'SPX' | 'SPXW'; expiry: string }>;
  /** Strikes per expiry, spread over -3.5 to +2.5 standard deviations of ln K (default 60). */
  strikes?: number;
  /** Quotes rounded out to this tick (0: exact prices +- half-spread; default 0). */
  tick?: number;
  /** Spot the strike grid is laid out from (default S), so chains at several spots can share strikes. */
  strikeSpot?: number;
}

/** One expiry's truth: maturity, forward, discount factor. */
export interface HestonChainExpiry {
  key: string;
  T: number;
  F: number;
  D: number;
}

/** Quotes (a call and a put per strike, half-spread 0.025 + 0.4% of the price) and each expiry's truth. */
export function hestonChain(s: HestonChainSpec): { quotes: OptionTick[]; truth: HestonChainExpiry[] } {
  const quotes: OptionTick[] = [];
  const truth: HestonChainExpiry[] = [];
  const n = s.strikes ?? 60;
  const tick = s.tick ?? 0;
  const down = (x: number) => (tick > 0 ? Math.floor(x / tick + 1e-9) * tick : x);
  const up = (x: number) => (tick > 0 ? Math.ceil(x / tick - 1e-9) * tick : x);
  for (const { root, expiry } of s.expiries) {
    const settle = settlementMicros(root, expiry);
    if (settle === undefined) throw new RangeError(`hestonChain: no settlement rule for root ${root}`);
    const T = (settle - s.ts) / MICROS_PER_YEAR;
    if (!(T > 0)) throw new RangeError(`hestonChain: ${root} ${expiry} settles before the snapshot`);
    const F = s.S * Math.exp((s.r - s.q) * T), D = Math.exp(-s.r * T);
    truth.push({ key: `${root}:${expiry}`, T, F, D });
    const sd = Math.sqrt(s.params.theta * T + (s.params.v0 - s.params.theta) * Math.min(T, 1));
    const F0 = (s.strikeSpot ?? s.S) * Math.exp((s.r - s.q) * T);
    const K = Array.from({ length: n }, (_, i) => 5 * Math.round((F0 / 5) * Math.exp(-3.5 * sd + (6 * sd * i) / (n - 1))));
    const strikes = [...new Set(K)];
    const calls = hestonPrices(s.params, s.S, T, s.r, s.q, strikes, true);
    const puts = hestonPrices(s.params, s.S, T, s.r, s.q, strikes, false);
    strikes.forEach((k, i) => {
      for (const [right, p] of [['C', calls[i]], ['P', puts[i]]] as const) {
        const h = 0.025 + 0.004 * p;
        const bid = Math.max(0, down(p - h)), ask = up(p + h);
        quotes.push({ kind: 'option', root, underlying: 'SPX', expiry, strike: k, right, bid, ask, ts: s.ts });
      }
    });
  }
  return { quotes, truth };
}
