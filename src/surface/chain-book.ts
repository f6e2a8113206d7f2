/**
 * The conflated option chain: the latest quote per contract (root, expiry, strike, right) and the
 * latest spot, updated in O(1) per tick, with a per-expiry "changed since its last fit" flag.
 * Both the live surface stage and the file fitter read chains through it, so they conflate alike.
 *
 * Day count: maturities are ACT/365 in calendar time, T = (settlement - ts) / (365 x 86,400 s),
 * from the tick's event time to the contract's settlement instant (SPX 09:30 ET AM, SPXW 16:00 ET
 * PM; src/ticks/settlement.ts), as the simulator prices them.
 */
import type { OptionTick } from '../ticks/schema.ts';
import { settlementMicros } from '../ticks/settlement.ts';

/** Microseconds in an ACT/365 year. */
export const MICROS_PER_YEAR = 365 * 86_400e6;

/** One side of one strike: the latest bid and ask and their event time. */
export interface BookQuote {
  bid: number;
  ask: number;
  ts: number;
}

/** The latest quotes of one expiry (one root and expiry date: SPX and SPXW of a date differ). */
export interface ExpiryBook {
  /** `root:expiry`, e.g. `SPXW:2024-01-19`. */
  key: string;
  root: string;
  expiry: string;
  /** Settlement instant, epoch microseconds (NaN for a root without a settlement rule). */
  settlement: number;
  /** Per strike, the call and put quotes. */
  strikes: Map<number, { C?: BookQuote; P?: BookQuote }>;
  /** A quote changed since the last fit. */
  dirty: boolean;
  /** Event time of the last fit (-Infinity before the first). */
  lastFitTs: number;
  /** Latest quote time seen in this expiry. */
  lastTs: number;
}

/** One expiry's chain at one instant: strikes ascending, NaN where a side has no quote. */
export interface ExpiryChain {
  key: string;
  root: string;
  expiry: string;
  settlement: number;
  /** Snapshot time (epoch microseconds) and ACT/365 years from it to settlement. */
  ts: number;
  T: number;
  K: number[];
  callBid: number[];
  callAsk: number[];
  putBid: number[];
  putAsk: number[];
}

/** Latest quote per contract and latest spot of one underlying. */
export class ChainBook {
  readonly expiries = new Map<string, ExpiryBook>();
  spot: number | null = null;
  private spotTs = -Infinity;

  /** Records an index print as the spot unless an earlier-stamped print arrives late. */
  setSpot(price: number, ts: number): void {
    if (ts >= this.spotTs) {
      this.spot = price;
      this.spotTs = ts;
    }
  }

  /**
   * Records an option quote (a late one, older than the contract's current quote, is ignored);
   * marks its expiry dirty when the bid or ask changed. Returns the expiry's book.
   */
  update(t: Pick<OptionTick, 'root' | 'expiry' | 'strike' | 'right' | 'bid' | 'ask' | 'ts'>): ExpiryBook {
    const key = t.root + ':' + t.expiry;
    let e = this.expiries.get(key);
    if (!e) {
      e = { key, root: t.root, expiry: t.expiry, settlement: settlementMicros(t.root, t.expiry) ?? NaN, strikes: new Map(), dirty: false, lastFitTs: -Infinity, lastTs: -Infinity };
      this.expiries.set(key, e);
    }
    let s = e.strikes.get(t.strike);
    if (!s) e.strikes.set(t.strike, (s = {}));
    const old = s[t.right];
    if (old && t.ts < old.ts) return e;
    if (!old) {
      e.dirty = true;
      s[t.right] = { bid: t.bid, ask: t.ask, ts: t.ts };
    } else {
      // In place: a busy chain requotes every contract all day, and chain() copies the values out
      if (old.bid !== t.bid || old.ask !== t.ask) e.dirty = true;
      old.bid = t.bid;
      old.ask = t.ask;
      old.ts = t.ts;
    }
    if (t.ts > e.lastTs) e.lastTs = t.ts;
    return e;
  }

  /** Forgets an expiry (settled). */
  drop(key: string): void {
    this.expiries.delete(key);
  }

  /** The expiry's chain as of event time `ts` (strikes sorted; the work of a fit, not of a tick). */
  chain(e: ExpiryBook, ts: number): ExpiryChain {
    const K = [...e.strikes.keys()].sort((a, b) => a - b);
    const c: ExpiryChain = {
      key: e.key, root: e.root, expiry: e.expiry, settlement: e.settlement, ts, T: (e.settlement - ts) / MICROS_PER_YEAR,
      K, callBid: [], callAsk: [], putBid: [], putAsk: [],
    };
    for (const k of K) {
      const s = e.strikes.get(k)!;
      c.callBid.push(s.C?.bid ?? NaN);
      c.callAsk.push(s.C?.ask ?? NaN);
      c.putBid.push(s.P?.bid ?? NaN);
      c.putAsk.push(s.P?.ask ?? NaN);
    }
    return c;
  }
}
