/**
 * Analysts' reads over stored runs: a topic's messages over a time range (all keys or one), and
 * the comparison of two runs of a topic row by row (same key and sequence: equal, different, or
 * in one run only). Deduplicated with FINAL; every value is a bound parameter (bind.ts), the SQL
 * text is fixed. Written for ClickHouse 18.16 and later alike (anyIf, no JSON functions).
 */
import type { Store } from './client.ts';
import { tableOf } from './tables.ts';

const MIN = Number.MIN_SAFE_INTEGER;
const MAX = Number.MAX_SAFE_INTEGER;

export interface ValuesQuery {
  run: string;
  topic: string;
  /** One key, or every key of the topic. */
  key?: string;
  /** Event-time range, epoch µs: from <= ts < to (default everything). */
  from?: number;
  to?: number;
  /** Most rows returned (default 100,000). */
  limit?: number;
}

export interface StoredMessage {
  run: string;
  topic: string;
  key: string;
  seq: number;
  ts: number;
  payload: unknown;
}

/** Messages of `topic` in `run` in the range, in (ts, key, seq) order. */
export async function topicValues(store: Store, q: ValuesQuery): Promise<StoredMessage[]> {
  const params: Record<string, string | number> = { run: q.run, topic: q.topic, from: q.from ?? MIN, to: q.to ?? MAX, limit: q.limit ?? 100_000 };
  if (q.key !== undefined) params.key = q.key;
  const rows = await store.select<Omit<StoredMessage, 'payload'> & { payload: string }>(
    `SELECT run, topic, key, seq, ts, payload FROM ${store.table(tableOf(q.topic))} FINAL
     WHERE run = {run:String} AND topic = {topic:String}${q.key === undefined ? '' : ' AND key = {key:String}'}
       AND ts >= {from:Int64} AND ts < {to:Int64}
     ORDER BY ts, key, seq LIMIT {limit:Int64}`,
    params,
  );
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
}

export interface CompareQuery {
  topic: string;
  /** The two runs. */
  a: string;
  b: string;
  key?: string;
  from?: number;
  to?: number;
  /** Also list up to this many rows that differ or are in one run only (default 0). */
  details?: number;
}

export interface KeyComparison {
  key: string;
  rowsA: number;
  rowsB: number;
  /** Same key and seq in both runs, same ts and payload. */
  equal: number;
  /** Same key and seq in both, different ts or payload. */
  different: number;
  onlyA: number;
  onlyB: number;
}

export interface RowDifference {
  key: string;
  seq: number;
  inA: boolean;
  inB: boolean;
  tsA: number | null;
  tsB: number | null;
  payloadA: unknown;
  payloadB: unknown;
}

export interface RunComparison {
  topic: string;
  a: string;
  b: string;
  /** Every row of both runs is equal. */
  identical: boolean;
  keys: KeyComparison[];
  differences: RowDifference[];
}

const pairs = (table: string, key: boolean) => `
  SELECT key, seq, max(run = {a:String}) AS inA, max(run = {b:String}) AS inB,
    anyIf(payload, run = {a:String}) AS pa, anyIf(payload, run = {b:String}) AS pb,
    anyIf(ts, run = {a:String}) AS tsa, anyIf(ts, run = {b:String}) AS tsb
  FROM ${table} FINAL
  WHERE topic = {topic:String} AND run IN ({a:String}, {b:String})${key ? ' AND key = {key:String}' : ''}
    AND ts >= {from:Int64} AND ts < {to:Int64}
  GROUP BY key, seq`;

/** Compares `topic` of runs `a` and `b` row by row; refuses comparing a run with itself. */
export async function compareRuns(store: Store, q: CompareQuery): Promise<RunComparison> {
  if (q.a === q.b) throw new Error(`compare: runs a and b are both "${q.a}"; name two runs`);
  const table = store.table(tableOf(q.topic));
  const params: Record<string, string | number> = { a: q.a, b: q.b, topic: q.topic, from: q.from ?? MIN, to: q.to ?? MAX };
  if (q.key !== undefined) params.key = q.key;
  const keys = await store.select<KeyComparison>(
    `SELECT key, sum(inA) AS rowsA, sum(inB) AS rowsB,
       sum(inA AND inB AND pa = pb AND tsa = tsb) AS equal,
       sum(inA AND inB AND (pa != pb OR tsa != tsb)) AS different,
       sum(inA AND NOT inB) AS onlyA, sum(inB AND NOT inA) AS onlyB
     FROM (${pairs(table, q.key !== undefined)}) GROUP BY key ORDER BY key`,
    params,
  );
  let differences: RowDifference[] = [];
  const details = q.details ?? 0;
  if (details > 0) {
    const rows = await store.select<{ key: string; seq: number; inA: number; inB: number; pa: string; pb: string; tsa: number; tsb: number }>(
      `SELECT key, seq, inA, inB, pa, pb, tsa, tsb FROM (${pairs(table, q.key !== undefined)})
       WHERE NOT (inA AND inB AND pa = pb AND tsa = tsb) ORDER BY key, seq LIMIT {details:Int64}`,
      { ...params, details },
    );
    const parse = (s: string, present: number) => (present ? (JSON.parse(s) as unknown) : null);
    differences = rows.map((r) => ({
      key: r.key,
      seq: r.seq,
      inA: r.inA === 1,
      inB: r.inB === 1,
      tsA: r.inA ? r.tsa : null,
      tsB: r.inB ? r.tsb : null,
      payloadA: parse(r.pa, r.inA),
      payloadB: parse(r.pb, r.inB),
    }));
  }
  const identical = keys.every((k) => k.different === 0 && k.onlyA === 0 && k.onlyB === 0);
  return { topic: q.topic, a: q.a, b: q.b, identical, keys, differences };
}
