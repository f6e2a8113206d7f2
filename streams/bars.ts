/**
 * Bars stage: 1-minute, 5-minute and daily OHLC bars per index from event time, and the day's
 * realized variance from 5-minute log returns (sum of squares, not annualised) on each daily bar.
 *
 * A bar closes when event time (the highest tick time seen on the input, any symbol) reaches
 * its end, so an idle symbol's bar still closes; bars still open when the input completes are
 * emitted then. A print that summarises a whole session (an index tick with open/high/low, as
 * in a daily history file) becomes that day's bar directly and makes no intraday bars.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Message, Output } from '../src/bus/message.ts';
import { TOPICS } from '../src/bus/topics.ts';
import type { Tick } from '../src/ticks/schema.ts';
import type { Stage } from './stage.ts';
import { exchangeDayOf } from './exchange-day.ts';

export type BarInterval = '1m' | '5m' | '1d';

export interface Bar {
  symbol: string;
  interval: BarInterval;
  /** Bar start and end (exclusive), epoch microseconds; a daily bar spans its New York date. */
  start: number;
  end: number;
  /** New York date of the bar. */
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Prints that made the bar. */
  count: number;
  /** Daily bars: realized variance, sum of squared 5-minute log returns; null without intraday prints. */
  rv: number | null;
  /** Daily bars: the number of 5-minute returns in `rv`. */
  rvReturns: number;
}

interface Open {
  bar: Bar;
  /** Event time of the print that set `close`, so a late print never becomes the close. */
  lastTs: number;
}

interface SymbolState {
  m1?: Open;
  m5?: Open;
  d1?: Open;
  /** Close of the last finished 5-minute bar of the current day, for the next return. */
  last5Close?: number;
  rvSum: number;
  rvN: number;
}

const MINUTE = 60_000_000;

function newBar(symbol: string, interval: BarInterval, start: number, end: number, date: string, price: number): Bar {
  return { symbol, interval, start, end, date, open: price, high: price, low: price, close: price, count: 1, rv: null, rvReturns: 0 };
}

function update(o: Open, price: number, ts: number): void {
  const bar = o.bar;
  if (price > bar.high) bar.high = price;
  if (price < bar.low) bar.low = price;
  if (ts >= o.lastTs) {
    bar.close = price;
    o.lastTs = ts;
  }
  bar.count++;
}

/** The bars operator: index ticks in, bars out (other tick kinds are ignored). */
export function bars(): OperatorFunction<Message<Tick>, Output<Bar>> {
  return (source) =>
    new Observable<Output<Bar>>((sub) => {
      const dayOf = exchangeDayOf();
      const state = new Map<string, SymbolState>();
      let watermark = -Infinity;
      let nextClose = Infinity; // earliest end among open bars

      const emit = (bar: Bar) => sub.next({ key: `${bar.symbol}:${bar.interval}`, ts: bar.end, payload: bar });

      const close5 = (s: SymbolState) => {
        const b = s.m5!.bar;
        const prev = s.last5Close ?? b.open;
        const r = Math.log(b.close / prev);
        s.rvSum += r * r;
        s.rvN++;
        s.last5Close = b.close;
        emit(b);
        s.m5 = undefined;
      };
      const closeDay = (s: SymbolState) => {
        const b = s.d1!.bar;
        if (s.rvN > 0) {
          b.rv = s.rvSum;
          b.rvReturns = s.rvN;
        }
        emit(b);
        s.d1 = undefined;
        s.last5Close = undefined;
        s.rvSum = 0;
        s.rvN = 0;
      };

      /** Closes every bar that ends at or before `t`, in end-time order per symbol. */
      const advance = (t: number) => {
        if (t < nextClose) return;
        let soonest = Infinity;
        for (const s of state.values()) {
          if (s.m1 && s.m1.bar.end <= t) {
            emit(s.m1.bar);
            s.m1 = undefined;
          }
          if (s.m5 && s.m5.bar.end <= t) close5(s);
          if (s.d1 && s.d1.bar.end <= t) closeDay(s);
          for (const o of [s.m1, s.m5, s.d1]) if (o && o.bar.end < soonest) soonest = o.bar.end;
        }
        nextClose = soonest;
      };

      const into = (o: Open | undefined, symbol: string, interval: BarInterval, start: number, end: number, date: string, p: number, ts: number) => {
        if (o) {
          if (start === o.bar.start) update(o, p, ts);
          return o;
        }
        return end > watermark ? { bar: newBar(symbol, interval, start, end, date, p), lastTs: ts } : undefined;
      };

      const flushAll = () => {
        for (const s of state.values()) {
          if (s.m1) emit(s.m1.bar);
          if (s.m5) close5(s);
          if (s.d1) closeDay(s);
          s.m1 = undefined;
        }
      };

      return source.subscribe({
        next: (msg) => {
          const t = msg.payload;
          if (t.kind !== 'index') return;
          const ts = t.ts;
          if (ts > watermark) {
            watermark = ts;
            advance(ts);
          }
          let s = state.get(t.symbol);
          if (!s) state.set(t.symbol, (s = { rvSum: 0, rvN: 0 }));
          const day = dayOf(ts);
          if (t.open !== undefined || t.high !== undefined || t.low !== undefined) {
            // A session summary: it is the day's bar.
            if (s.d1) closeDay(s);
            const b = newBar(t.symbol, '1d', day.start, day.end, day.date, t.open ?? t.price);
            b.high = Math.max(t.high ?? t.price, t.price, b.open);
            b.low = Math.min(t.low ?? t.price, t.price, b.open);
            b.close = t.price;
            emit(b);
            return;
          }
          const p = t.price;
          const m1Start = Math.floor(ts / MINUTE) * MINUTE;
          const m5Start = Math.floor(ts / (5 * MINUTE)) * 5 * MINUTE;
          // A late print (within the validator's tolerance) counts only in bars still open.
          s.m1 = into(s.m1, t.symbol, '1m', m1Start, m1Start + MINUTE, day.date, p, ts);
          s.m5 = into(s.m5, t.symbol, '5m', m5Start, m5Start + 5 * MINUTE, day.date, p, ts);
          s.d1 = into(s.d1, t.symbol, '1d', day.start, day.end, day.date, p, ts);
          for (const o of [s.m1, s.m5, s.d1]) if (o && o.bar.end < nextClose) nextClose = o.bar.end;
        },
        error: (e) => sub.error(e),
        complete: () => {
          flushAll();
          sub.complete();
        },
      });
    });
}

/** The bars stage: ticks.raw -> bars. */
export const barsStage: Stage<Tick, Bar> = {
  name: 'bars',
  inputs: [TOPICS.ticksRaw],
  output: TOPICS.bars,
  operator: bars,
};
