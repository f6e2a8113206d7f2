/**
 * VIX, VVIX and the VIX futures strip of the simulated market, all from the model's current
 * variance under the risk-neutral parameters (src/quant/vix.ts): VIX^2 is the risk-neutral
 * expected 30-day variance, the futures are E^Q[VIX_T], VVIX the VIX-style log-contract on the
 * model's 30-day VIX distribution. Futures are quoted on the 0.05 VX tick around the model value.
 */
import { modelVvix, vixFuture, vixSquaredCoefficients } from '../quant/vix.ts';
import type { FutureTick, IndexTick } from '../ticks/schema.ts';
import { easternToMicros, isoOf, SESSION_OPEN_S, vixFutureExpiry, yearMonthOf } from './simulator-calendar.ts';
import type { RiskNeutralParams } from './simulator-params.ts';
import type { RandomStream } from '../quant/mc-random.ts';

const MICROS_PER_YEAR = 365 * 86_400e6;
const VX_TICK = 0.05;

/** Model VIX in points for variance v (Bates jump variance included when lambda > 0). */
export function simVix(v: number, q: RiskNeutralParams): number {
  const { a, b } = vixSquaredCoefficients(q);
  return 100 * Math.sqrt(a + b * v);
}

/** Rounds to cents, the precision CBOE prints indices with. */
const cents = (x: number) => Math.round(x * 100) / 100;

/** One listed VIX futures contract. */
export interface VxContract {
  month: string;
  expiry: string;
  /** Final settlement time (the open of the expiry day), epoch microseconds. */
  expiryMicros: number;
}

/** The VX contracts listed on `day`: the next `count` monthly contracts that expire after it. */
export function listVixFutures(day: number, count = 9): VxContract[] {
  let { year, month } = yearMonthOf(day);
  const out: VxContract[] = [];
  while (out.length < count) {
    const e = vixFutureExpiry(year, month);
    if (e > day) {
      out.push({ month: `${year}-${String(month).padStart(2, '0')}`, expiry: isoOf(e), expiryMicros: easternToMicros(e, SESSION_OPEN_S) });
    }
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return out;
}

/** VIX and VVIX prints for variance v at time ts. */
export function indexTicks(v: number, q: RiskNeutralParams, ts: number): [IndexTick, IndexTick] {
  return [
    { kind: 'index', symbol: 'VIX', price: cents(simVix(v, q)), ts },
    { kind: 'index', symbol: 'VVIX', price: cents(modelVvix(v, q)), ts },
  ];
}

/** A two-sided quote of one VX contract around its model value, on the 0.05 tick. */
export function futureTick(c: VxContract, index: number, v: number, q: RiskNeutralParams, ts: number, rnd: RandomStream): FutureTick {
  const T = Math.max(0, (c.expiryMicros - ts) / MICROS_PER_YEAR);
  const f = vixFuture(v, q, T);
  // One tick wide at the front, wider down the curve, sometimes a tick wider still.
  const half = VX_TICK * (0.5 + 0.1 * index + (rnd.uniform() < 0.3 ? 0.5 : 0));
  const bid = cents(Math.max(VX_TICK, Math.floor((f - half) / VX_TICK + 1e-9) * VX_TICK));
  const ask = cents(Math.max(bid + VX_TICK, Math.ceil((f + half) / VX_TICK - 1e-9) * VX_TICK));
  return {
    kind: 'future',
    root: 'VX',
    month: c.month,
    expiry: c.expiry,
    bid,
    ask,
    bidSize: 1 + Math.floor(rnd.uniform() * 300),
    askSize: 1 + Math.floor(rnd.uniform() * 300),
    price: cents(Math.round(f / VX_TICK) * VX_TICK),
    ts,
  };
}
