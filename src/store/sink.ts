/**
 * The batched store sink. `write` buffers a batch of messages as rows and resolves once they are
 * inserted, so a bus consumer (`bus.consume(topic, 'store', (b) => sink.write(b))`) commits its
 * position only after its rows are stored. Rows are flushed when `maxRows` are waiting or after
 * `maxDelayMs`; the buffer is bounded (`write` waits while it is full); a failed insert is retried
 * with exponential backoff, by default until it succeeds, so a server that is down for a while
 * loses nothing. A retry may store a row twice; the tables deduplicate on (run, topic, key, seq).
 *
 * With `spillDir`, a store outage does not hold the bus up: a batch whose insert fails goes to an
 * fsync'd spill file instead (and its writes resolve, as the rows are durable), as do later
 * batches while the store stays down, the store being probed with the same backoff; once it
 * answers, the spill files are inserted in order and each is removed after it is stored. Spill
 * files left by a crash are replayed when the next sink starts on the same folder.
 */
import type { Message } from '../bus/message.ts';
import type { Store } from './client.ts';
import { SpillLog } from './spill.ts';
import { columnsOf, encodeRow } from './tables.ts';

export interface SinkOptions {
  /** Flush as soon as this many rows wait (default 5,000); also the largest insert. */
  maxRows?: number;
  /** Flush rows that have waited this long, in ms (default 250). */
  maxDelayMs?: number;
  /** `write` waits while this many rows are buffered or in flight (default 100,000). */
  maxBufferedRows?: number;
  /** First retry delay in ms, doubled after each failure (default 100). */
  retryInitialMs?: number;
  /** Longest retry delay in ms (default 5,000). */
  retryMaxMs?: number;
  /** Attempts per batch before its writes are rejected (default: unlimited). */
  maxAttempts?: number;
  /** Told about every failed attempt, e.g. to log it. */
  onRetry?: (error: Error, attempt: number, delayMs: number) => void;
  /** Folder for spill files (e.g. `DATA_DIR/spill`); without it, writers wait out an outage (bounded buffer, retries). */
  spillDir?: string;
}

export interface SinkStats {
  /** Rows accepted by `write` and not yet stored (buffered or in flight). */
  queuedRows: number;
  insertedRows: number;
  failedAttempts: number;
  flushes: number;
  /** Duration of the last successful flush, retries included, in ms. */
  lastFlushMs: number;
  lastError?: string;
  /** With `spillDir` only: rows written to spill files, and rows replayed from them into the store. */
  spilledRows?: number;
  replayedRows?: number;
  /** With `spillDir` only: rows in spill files not yet replayed. */
  spillPendingRows?: number;
}

export interface Sink {
  /** Buffers the messages' rows; resolves once they are stored, rejects on a bad message or when attempts run out. */
  write(messages: readonly Message[]): Promise<void>;
  /** Stores everything written so far; resolves when done. */
  flush(): Promise<void>;
  /** Refuses further writes and stores everything written so far. */
  close(): Promise<void>;
  stats(): SinkStats;
}

interface Chunk {
  /** TabSeparated lines per table. */
  rows: Map<string, string[]>;
  n: number;
  done: Promise<void>;
  resolve: () => void;
  reject: (e: Error) => void;
}

const positive = (name: string, v: number | undefined, dflt: number): number => {
  const x = v ?? dflt;
  if (!(x > 0)) throw new Error(`sink option ${name} must be > 0, got ${v}`);
  return x;
};

/** Creates a sink writing into `store` (its tables must exist: run `migrate` first). */
export function createSink(store: Pick<Store, 'insertTsv'>, options: SinkOptions = {}): Sink {
  const maxRows = positive('maxRows', options.maxRows, 5_000);
  const maxDelayMs = positive('maxDelayMs', options.maxDelayMs, 250);
  const maxBuffered = positive('maxBufferedRows', options.maxBufferedRows, 100_000);
  const retryInitialMs = positive('retryInitialMs', options.retryInitialMs, 100);
  const retryMaxMs = positive('retryMaxMs', options.retryMaxMs, 5_000);
  const maxAttempts = positive('maxAttempts', options.maxAttempts, Infinity);

  const pending: Chunk[] = [];
  let pendingRows = 0;
  let buffered = 0; // pending + in flight
  let timer: NodeJS.Timeout | null = null;
  let timeDue = false;
  let forced = 0;
  let loop: Promise<void> | null = null;
  let closed = false;
  let spaceWaiters: Array<() => void> = [];
  let blocked = 0; // writes waiting for room, accepted before close but not yet buffered
  const stats: SinkStats = { queuedRows: 0, insertedRows: 0, failedAttempts: 0, flushes: 0, lastFlushMs: 0 };
  const spillStats = { spilledRows: 0, replayedRows: 0, spillPendingRows: 0 };
  /** The store failed its last attempt: batches spill until a probe succeeds. */
  let down = false;
  let nextProbeAt = 0;
  let probeDelay = retryInitialMs;
  const spill = options.spillDir === undefined ? undefined : new SpillLog(options.spillDir);
  let replaying: Promise<void> | null = null;

  const armTimer = (): void => {
    if (timer !== null || pending.length === 0) return;
    timer = setTimeout(() => {
      timer = null;
      timeDue = true;
      kick();
    }, maxDelayMs);
  };

  const release = (chunks: readonly Chunk[]): void => {
    for (const c of chunks) buffered -= c.n;
    const waiters = spaceWaiters;
    spaceWaiters = [];
    for (const w of waiters) w();
  };

  async function insertWithRetry(table: string, rows: string[], attempts = maxAttempts, giveUpOnClose = false): Promise<void> {
    let delay = retryInitialMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await store.insertTsv(table, columnsOf(table), rows);
        if (down) {
          down = false;
          probeDelay = retryInitialMs;
          startReplay();
        }
        return;
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        down = true;
        stats.failedAttempts++;
        stats.lastError = `insert into ${table}: ${err.message}`;
        if (giveUpOnClose && closed) throw new Error(`sink closed while the store is down: ${rows.length} rows stay in the spill files for the next start`, { cause: e });
        if (attempt >= attempts) throw new Error(`insert of ${rows.length} rows into ${table} failed ${attempt} times: ${err.message}`, { cause: e });
        options.onRetry?.(err, attempt, delay);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(retryMaxMs, delay * 2);
      }
    }
  }

  async function flushBatch(): Promise<void> {
    const batch: Chunk[] = [];
    let n = 0;
    while (pending.length > 0 && (batch.length === 0 || n + pending[0].n <= maxRows)) {
      const c = pending.shift()!;
      batch.push(c);
      n += c.n;
    }
    pendingRows -= n;
    if (pending.length === 0) timeDue = false;
    const byTable = new Map<string, string[]>();
    for (const c of batch) {
      for (const [t, rows] of c.rows) {
        const acc = byTable.get(t);
        if (acc) for (const r of rows) acc.push(r);
        else byTable.set(t, rows.slice());
      }
    }
    const t0 = performance.now();
    try {
      if (spill && down && performance.now() < nextProbeAt) return await spillChunks(batch);
      for (const [t, rows] of byTable) await insertWithRetry(t, rows, spill ? 1 : maxAttempts);
    } catch (e) {
      if (spill) {
        nextProbeAt = performance.now() + probeDelay;
        probeDelay = Math.min(retryMaxMs, probeDelay * 2);
        // Rows of a table inserted before the failure are spilled too: replaying them is idempotent.
        await spillChunks(batch);
        // The replayer doubles as the probe: its retries find the store when it is back.
        startReplay();
        return;
      }
      release(batch);
      for (const c of batch) c.reject(e as Error);
      return;
    }
    stats.flushes++;
    stats.insertedRows += n;
    stats.lastFlushMs = performance.now() - t0;
    release(batch);
    for (const c of batch) c.resolve();
  }

  async function run(): Promise<void> {
    while (pending.length > 0 && (pendingRows >= maxRows || timeDue || forced > 0)) await flushBatch();
    armTimer();
  }

  function kick(): void {
    if (loop !== null) return;
    loop = run().finally(() => {
      loop = null;
      // Work may have become due while the last batch was in flight.
      if (pending.length > 0 && (pendingRows >= maxRows || timeDue || forced > 0)) kick();
    });
  }

  /** Inserts the closed spill segments in order, removing each once stored. */
  function startReplay(): void {
    if (!spill || replaying !== null) return;
    replaying = (async () => {
      await spill.seal();
      for (;;) {
        const segment = await spill.takeOldest();
        if (segment === undefined) {
          // The store failed and answered again during this replay: take what was spilled meanwhile.
          if (!down && spill.active) {
            await spill.seal();
            continue;
          }
          return;
        }
        // Records are as small as the batches that spilled: coalesce them into maxRows inserts.
        const acc = new Map<string, string[]>();
        const put = async (table: string, rows: string[]) => {
          await insertWithRetry(table, rows, Infinity, true);
          spillStats.replayedRows += rows.length;
          spillStats.spillPendingRows = Math.max(0, spillStats.spillPendingRows - rows.length);
        };
        for await (const { table, rows } of segment.read()) {
          const a = acc.get(table) ?? [];
          for (const r of rows) a.push(r);
          acc.set(table, a);
          if (a.length >= maxRows) {
            acc.delete(table);
            await put(table, a);
          }
        }
        for (const [table, rows] of acc) await put(table, rows);
        await segment.remove();
      }
    })()
      .catch((e: Error) => {
        // The segment stays on disk for the next replay (or the next start).
        stats.lastError = `spill replay: ${e.message}`;
      })
      .finally(() => {
        replaying = null;
      });
  }

  /** Writes a batch to the spill file; resolves its writes once synced (rejects them if the disk fails too). */
  async function spillChunks(chunks: readonly Chunk[]): Promise<void> {
    let n = 0;
    for (const c of chunks) n += c.n;
    try {
      await spill!.append(chunks.map((c) => c.rows));
    } catch (e) {
      release(chunks);
      for (const c of chunks) c.reject(new Error(`store down and spill to ${options.spillDir} failed: ${(e as Error).message}`, { cause: e }));
      return;
    }
    spillStats.spilledRows += n;
    spillStats.spillPendingRows += n;
    release(chunks);
    for (const c of chunks) c.resolve();
  }

  async function write(messages: readonly Message[]): Promise<void> {
    if (closed) throw new Error('sink is closed: write after close');
    const rows = new Map<string, string[]>();
    for (const m of messages) {
      const { table, line } = encodeRow(m);
      const acc = rows.get(table);
      if (acc) acc.push(line);
      else rows.set(table, [line]);
    }
    const n = messages.length;
    if (n === 0) return;
    // Backpressure: wait for room, but let one oversized batch into an empty buffer.
    const full = () => buffered > 0 && buffered + n > maxBuffered;
    while (full()) {
      blocked++;
      await new Promise<void>((r) => spaceWaiters.push(r));
      blocked--;
    }
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    pending.push({ rows, n, done, resolve, reject });
    pendingRows += n;
    buffered += n;
    if (pendingRows >= maxRows) kick();
    else armTimer();
    return done;
  }

  async function flush(): Promise<void> {
    const waiting = pending.map((c) => c.done);
    forced++;
    kick();
    try {
      // Rows in flight were taken from `pending` already; waiting on the loop covers them.
      await Promise.allSettled([...waiting, loop]);
      // Spilled rows count as written: flushing stores them too (the store answered by now).
      await recovered;
      if (spill && (spill.active || spillStats.spillPendingRows > 0 || replaying)) {
        await spill.seal();
        // While the store is down the spilled rows are durable on disk, which is all a flush
        // (or a shutdown) needs; they are replayed when it answers, or at the next start.
        if (!down) {
          startReplay();
          await replaying;
        }
      }
    } finally {
      forced--;
    }
    const failed = (await Promise.allSettled(waiting)).find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  // Segments a crashed process left behind go in first.
  const recovered = spill
    ?.recover()
    .then((rows) => {
      spillStats.spillPendingRows += rows;
      if (rows > 0) startReplay();
    })
    .catch((e: Error) => {
      // Appends will fail too and reject their writes, naming the folder.
      stats.lastError = `spill folder ${options.spillDir}: ${e.message}`;
    });

  return {
    write,
    flush,
    async close(): Promise<void> {
      closed = true;
      await flush();
      // Writes that were waiting for room enter the buffer as it drains: store them too.
      while (blocked > 0 || pending.length > 0) {
        await new Promise((r) => setImmediate(r));
        await flush();
      }
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
    stats: () => ({ ...stats, queuedRows: buffered, ...(spill ? spillStats : {}) }),
  };
}
