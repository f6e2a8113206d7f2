/**
 * When a contract stops existing: the settlement instant that defines "expired" for option and
 * futures quotes. SPX monthlies are AM-settled (the settlement value comes from the opening
 * prints, so the option is gone at 09:30 ET on its expiry date); SPXW are PM-settled at the
 * 16:00 ET close; VIX futures settle on the morning of their final settlement date (trading
 * ends 09:00 ET, CFE rule book). The instants are cached: expiries are few, ticks are many.
 */
import { NEW_YORK, zonedToEpochMicros } from './time.ts';

/** Settlement wall-clock time (New York) per option or futures root. */
export const SETTLEMENT_TIMES: Readonly<Record<string, string>> = {
  SPX: '09:30',
  SPXW: '16:00',
  VX: '09:00',
};

/** Daily index closes are stamped at this New York time (CBOE's 16:15 close of index options). */
export const INDEX_CLOSE_TIME = '16:15';

const cache = new Map<string, number>();
const CACHE_MAX = 50_000;

/**
 * Epoch microseconds at which a contract of `root` expiring on `expiry` (YYYY-MM-DD) settles;
 * a quote with a later event time is expired. Undefined for a root with no rule.
 */
export function settlementMicros(root: string, expiry: string): number | undefined {
  const key = root + ':' + expiry;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const time = Object.hasOwn(SETTLEMENT_TIMES, root) ? SETTLEMENT_TIMES[root] : undefined;
  if (time === undefined) return undefined;
  const ts = zonedToEpochMicros(expiry, time, NEW_YORK);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, ts);
  return ts;
}
