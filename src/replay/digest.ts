/**
 * A run's stored result as one hash per topic: SHA-256 over its deduplicated rows (FINAL) in
 * (key, seq) order, each row as key, seq, ts and payload. The run id is left out, so two runs of
 * the same tape, or the same run in two stores (chDB and a server), compare equal exactly when
 * their rows do.
 */
import { createHash } from 'node:crypto';
import { ALL_TOPICS } from '../bus/topics.ts';
import type { Store } from '../store/client.ts';
import { tableOf } from '../store/tables.ts';

export interface TopicDigest {
  rows: number;
  sha256: string;
}

interface Row {
  key: string;
  seq: number;
  ts: number;
  payload: string;
}

/** Hash and row count of each topic of `run` (topics without rows included, with 0 rows). */
export async function runDigest(store: Store, run: string, topics: readonly string[] = ALL_TOPICS, pageSize = 20_000): Promise<Record<string, TopicDigest>> {
  const out: Record<string, TopicDigest> = {};
  for (const topic of topics) {
    const h = createHash('sha256');
    let rows = 0;
    let after: Row | undefined;
    for (;;) {
      const params: Record<string, string | number> = { run, topic, limit: pageSize };
      let cursor = '';
      if (after) {
        cursor = ' AND (key > {akey:String} OR (key = {akey:String} AND seq > {aseq:Int64}))';
        Object.assign(params, { akey: after.key, aseq: after.seq });
      }
      const page = await store.select<Row>(
        `SELECT key, seq, ts, payload FROM ${store.table(tableOf(topic))} FINAL
         WHERE run = {run:String} AND topic = {topic:String}${cursor} ORDER BY key, seq LIMIT {limit:Int64}`,
        params,
      );
      for (const r of page) h.update(`${r.key}\t${r.seq}\t${r.ts}\t${r.payload}\n`);
      rows += page.length;
      if (page.length < pageSize) break;
      after = page[page.length - 1];
    }
    out[topic] = { rows, sha256: h.digest('hex') };
  }
  return out;
}
