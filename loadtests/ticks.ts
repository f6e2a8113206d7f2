/**
 * Load-test ticks: option quotes on `keys` distinct expiries (bus key `SPXW:<expiry>`, one key
 * per bot), stamped with the wall clock in epoch microseconds, so a client's receipt time minus
 * the message's `ts` is the end-to-end latency. Wall-clock event time is right here: the load
 * test measures the live path, and its ticks are not a tape anyone replays.
 */

/** Now, epoch microseconds, sub-millisecond (shared by injector and clients in one process). */
export const nowMicros = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);

/** The `i`th load-test expiry: Fridays from 2030 on, far from expiring during any run. */
export function expiryOf(i: number): string {
  const d = new Date(Date.UTC(2030, 0, 4) + i * 7 * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** The bus key of load-test key `i`. */
export const keyOf = (i: number): string => `SPXW:${expiryOf(i)}`;

/** One option tick on key `i` as an object (for in-process ingest) and its NDJSON line. */
export function optionTick(i: number, n: number, ts: number): Record<string, unknown> {
  const strike = 4000 + (n % 40) * 25;
  const mid = 50 + (n % 17);
  return { kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: expiryOf(i), strike, right: n % 2 === 0 ? 'C' : 'P', bid: mid - 0.5, ask: mid + 0.5, ts, src: 'load' };
}
