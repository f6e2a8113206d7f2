/**
 * A tape read back from the store: the accepted ticks of a run (its `ticks` table rows) with
 * from <= ts < to, in event-time order (ties by key, then sequence: a fixed order, so the tape is
 * the same every time it is read). Read in pages by key-set pagination, so memory stays bounded
 * whatever the range. Each row's payload is the tick as accepted; it is validated again like any
 * tape.
 */
import type { Store } from '../store/client.ts';
import type { Candidate } from '../ticks/candidate.ts';

export interface StoreTapeRange {
  /** Run whose ticks are read (e.g. `live`). */
  run: string;
  /** Event-time bounds, epoch µs: from <= ts < to. */
  from: number;
  to: number;
  /** Rows per page (default 20,000). */
  pageSize?: number;
}

interface Row {
  key: string;
  seq: number;
  ts: number;
  payload: string;
}

function check(r: StoreTapeRange): void {
  if (!Number.isSafeInteger(r.from) || !Number.isSafeInteger(r.to)) throw new Error(`store tape: from and to must be integer epoch microseconds, got ${r.from} and ${r.to}`);
  if (r.to <= r.from) throw new Error(`store tape: "to" (${r.to}) must be after "from" (${r.from})`);
}

/** How many ticks the range holds. */
export async function countStoreTape(store: Store, r: StoreTapeRange): Promise<number> {
  check(r);
  const [row] = await store.select<{ n: number }>(
    `SELECT count() AS n FROM ${store.table('ticks')} FINAL WHERE run = {run:String} AND ts >= {from:Int64} AND ts < {to:Int64}`,
    { run: r.run, from: r.from, to: r.to },
  );
  return row.n;
}

/** The ticks of `run` in [from, to) as candidates, in (ts, key, seq) order. */
export async function* storeTape(store: Store, r: StoreTapeRange): AsyncGenerator<Candidate> {
  check(r);
  const pageSize = r.pageSize ?? 20_000;
  const src = `store:${r.run}`;
  let after: Row | undefined;
  let line = 0;
  for (;;) {
    const params: Record<string, string | number> = { run: r.run, from: r.from, to: r.to, limit: pageSize };
    let cursor = '';
    if (after) {
      cursor = ' AND (ts > {ats:Int64} OR (ts = {ats:Int64} AND (key > {akey:String} OR (key = {akey:String} AND seq > {aseq:Int64}))))';
      Object.assign(params, { ats: after.ts, akey: after.key, aseq: after.seq });
    }
    const rows = await store.select<Row>(
      `SELECT key, seq, ts, payload FROM ${store.table('ticks')} FINAL
       WHERE run = {run:String} AND ts >= {from:Int64} AND ts < {to:Int64}${cursor}
       ORDER BY ts, key, seq LIMIT {limit:Int64}`,
      params,
    );
    for (const row of rows) {
      line++;
      let value: unknown;
      try {
        value = JSON.parse(row.payload);
      } catch {
        value = row.payload;
      }
      yield { src, line, value, raw: row.payload };
    }
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1];
  }
}
