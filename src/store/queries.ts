/**
 * The reads the engine and analysts need. Every read deduplicates with FINAL, so a row stored
 * twice by a retried insert counts once, before or after ClickHouse merges the parts; every
 * value is a bound parameter (bind.ts).
 */
import type { Message } from '../bus/message.ts';
import type { Store } from './client.ts';
import { tableOf } from './tables.ts';

export interface KeyStats {
  key: string;
  count: number;
  firstSeq: number;
  lastSeq: number;
  lastTs: number;
}

interface StoredRow {
  run: string;
  topic: string;
  key: string;
  seq: number;
  ts: number;
  payload: string;
}

const ENVELOPE = 'run, topic, key, seq, ts, payload';

function toMessage(r: StoredRow): Message {
  return { run: r.run, topic: r.topic, key: r.key, seq: r.seq, ts: r.ts, payload: JSON.parse(r.payload) as unknown };
}

/** Per key of `topic` in `run`: how many messages are stored, the sequence range and the last event time. */
export async function keyStats(store: Store, run: string, topic: string): Promise<KeyStats[]> {
  return store.select<KeyStats>(
    `SELECT key, count() AS count, min(seq) AS firstSeq, max(seq) AS lastSeq, argMax(ts, seq) AS lastTs
     FROM ${store.table(tableOf(topic))} FINAL
     WHERE run = {run:String} AND topic = {topic:String}
     GROUP BY key ORDER BY key`,
    { run, topic },
  );
}

/** The latest message (highest seq) of each key of `topic` in `run`, or of one key when given. */
export async function latest(store: Store, run: string, topic: string, key?: string): Promise<Message[]> {
  const rows = await store.select<StoredRow>(
    `SELECT ${ENVELOPE} FROM ${store.table(tableOf(topic))} FINAL
     WHERE run = {run:String} AND topic = {topic:String}${key === undefined ? '' : ' AND key = {key:String}'}
     ORDER BY key, seq DESC LIMIT 1 BY key`,
    key === undefined ? { run, topic } : { run, topic, key },
  );
  return rows.map(toMessage);
}

/** Messages of one key of `topic` in `run` with `from <= ts < to` (epoch µs), in seq order. */
export async function messagesBetween(
  store: Store,
  q: { run: string; topic: string; key: string; from: number; to: number; limit?: number },
): Promise<Message[]> {
  const limit = q.limit ?? 1_000_000;
  const rows = await store.select<StoredRow>(
    `SELECT ${ENVELOPE} FROM ${store.table(tableOf(q.topic))} FINAL
     WHERE run = {run:String} AND topic = {topic:String} AND key = {key:String}
       AND ts >= {from:Int64} AND ts < {to:Int64}
     ORDER BY seq LIMIT {limit:Int64}`,
    { run: q.run, topic: q.topic, key: q.key, from: Math.round(q.from), to: Math.round(q.to), limit },
  );
  return rows.map(toMessage);
}

/** Messages of one key of `topic` in `run` with seq > `afterSeq`, in seq order (resume after a gap). */
export async function messagesAfter(
  store: Store,
  q: { run: string; topic: string; key: string; afterSeq: number; limit?: number },
): Promise<Message[]> {
  const rows = await store.select<StoredRow>(
    `SELECT ${ENVELOPE} FROM ${store.table(tableOf(q.topic))} FINAL
     WHERE run = {run:String} AND topic = {topic:String} AND key = {key:String} AND seq > {after:Int64}
     ORDER BY seq LIMIT {limit:Int64}`,
    { run: q.run, topic: q.topic, key: q.key, after: q.afterSeq, limit: q.limit ?? 1_000_000 },
  );
  return rows.map(toMessage);
}

/** Rejected inputs of `run` counted by reason, most frequent first. */
export async function rejectsByReason(store: Store, run: string): Promise<Array<{ reason: string; count: number }>> {
  return store.select<{ reason: string; count: number }>(
    `SELECT reason, count() AS count FROM ${store.table('rejects')} FINAL
     WHERE run = {run:String} GROUP BY reason ORDER BY count DESC, reason`,
    { run },
  );
}

/** Stored rows of every topic table for `run`, deduplicated, by table name. */
export async function rowCounts(store: Store, run: string, tables: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) {
    const [r] = await store.select<{ n: number }>(`SELECT count() AS n FROM ${store.table(t)} FINAL WHERE run = {run:String}`, { run });
    out[t] = r.n;
  }
  return out;
}
