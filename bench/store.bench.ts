/**
 * Store sink throughput into embedded chDB: messages written through the batched sink in
 * bus-sized batches (until close() has stored them all) against a baseline of one bulk
 * `insert` of the same rows, prepared beforehand, measured in the same run and folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '../src/bus/message.ts';
import { TOPICS } from '../src/bus/topics.ts';
import { openStore } from '../src/store/client.ts';
import { migrate } from '../src/store/migrations.ts';
import { createSink } from '../src/store/sink.ts';
import { toRow } from '../src/store/tables.ts';
import type { Bench, BenchRow } from './harness.ts';

const T0 = 1_700_000_000_000_000;
const BUS_BATCH = 1_000;

function ticks(run: string, n: number): Message[] {
  const out: Message[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const price = 4500 + ((i * 7919) % 1000) / 100;
    const ts = T0 + i * 1_000;
    out[i] = { run, topic: TOPICS.ticksRaw, key: 'SPX', seq: i + 1, ts, payload: { kind: 'index', symbol: 'SPX', price, ts, src: 'bench' } };
  }
  return out;
}

const bench: Bench = async ({ quick }) => {
  const n = quick ? 50_000 : 200_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'volrisk-store-bench-'));
  const store = await openStore({ dataDir, database: 'bench' });
  try {
    await migrate(store);
    await store.insert('ticks', ticks('warmup', 1_000).map((m) => toRow(m).row));

    const rows = ticks('bulk', n).map((m) => toRow(m).row);
    let t = performance.now();
    await store.insert('ticks', rows);
    const bulk = n / ((performance.now() - t) / 1000);

    const out: BenchRow[] = [];
    for (const maxRows of [5_000, 50_000]) {
      const msgs = ticks(`sink-${maxRows}`, n);
      const sink = createSink(store, { maxRows, maxDelayMs: 50 });
      t = performance.now();
      // Like a bus consumer: the next batch is handed over without waiting for the last to be stored.
      const writes: Promise<void>[] = [];
      for (let i = 0; i < n; i += BUS_BATCH) writes.push(sink.write(msgs.slice(i, i + BUS_BATCH)));
      await Promise.all(writes);
      await sink.close();
      const rate = n / ((performance.now() - t) / 1000);
      const [stored] = await store.select<{ c: number }>(`SELECT count() AS c FROM ${store.table('ticks')} FINAL WHERE run = {run:String}`, { run: `sink-${maxRows}` });
      if (stored.c !== n) throw new Error(`sink stored ${stored.c} of ${n} rows`);
      out.push({
        name: `store sink rows/s into embedded chDB (${n.toLocaleString('en-US')} ticks, bus batches of ${BUS_BATCH}, maxRows ${maxRows.toLocaleString('en-US')})`,
        unit: 'rows/s',
        value: rate,
        baseline: 'one bulk insert of the same rows',
        baselineValue: bulk,
        note: `${sink.stats().flushes} flushes`,
      });
    }
    return out;
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

export default bench;
