/**
 * The store's integration suite, run unchanged against the embedded engine
 * (store-embedded.test.ts) and a ClickHouse server (store-server.test.ts): migrations, typed
 * round trips, deduplication of retried batches, the sink's flush rules, backpressure, retries
 * through a real failure, and hostile strings through both parameter mechanisms.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Message } from '../bus/message.ts';
import { ALL_TOPICS, TOPICS } from '../bus/topics.ts';
import { bind } from './bind.ts';
import type { Store } from './client.ts';
import { appliedVersions, LATEST_VERSION, migrate, MIGRATIONS } from './migrations.ts';
import { keyStats, latest, messagesAfter, messagesBetween, rejectsByReason, rowCounts } from './queries.ts';
import { createSink } from './sink.ts';
import { TOPIC_TABLES, typedColumns } from './tables.ts';

export interface StoreHarness {
  /** Opens a store on a fresh database. */
  open(): Promise<Store>;
  /** Takes the engine down and brings it back (servers only). */
  outage?: { stop(): Promise<void>; start(): Promise<void> };
  /** Releases what `open` created. */
  cleanup?(): Promise<void>;
}

const T0 = 1_700_000_000_000_000; // 2023-11-14T22:13:20Z in epoch µs
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `n` messages of `topic` for one key, seq 1..n, one second apart. */
function series(run: string, topic: string, key: string, n: number, payload: (i: number) => unknown = (i) => ({ i })): Message[] {
  return Array.from({ length: n }, (_, j) => ({ run, topic, key, seq: j + 1, ts: T0 + j * 1_000_000, payload: payload(j + 1) }));
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const HOSTILE = [
  "'",
  "''; DROP TABLE ticks; --",
  '\\',
  "\\'",
  'a\u0000b',
  '\u0000',
  'line\nbreak\r\ttab',
  '\u0001\u001f\u007f',
  '{k:String}',
  '${x}',
  '"double"',
  '`tick`',
  'Привет, мир',
  '日本語',
  '🙂👍🏽',
  '\u202e\u200b',
  ' ',
  '',
];

/** Registers the suite under `name`. */
export function runStoreSuite(name: string, harness: StoreHarness): void {
  describe(name, () => {
    let store: Store;
    before(async () => {
      store = await harness.open();
      await migrate(store);
    });
    after(async () => {
      await store?.close();
      await harness.cleanup?.();
    });

    test('migrations are recorded and idempotent, and a newer schema is refused', async () => {
      assert.deepEqual(await appliedVersions(store), MIGRATIONS.map((m) => m.version));
      const again = await migrate(store);
      assert.deepEqual(again, { applied: [], version: LATEST_VERSION });
      assert.deepEqual(await appliedVersions(store), MIGRATIONS.map((m) => m.version));
      await assert.rejects(migrate(store, []), new RegExp(`schema version ${LATEST_VERSION}, newer than this code.s 0`));
    });

    test('every topic has a table whose columns are the envelope plus its typed columns', async () => {
      assert.deepEqual(Object.keys(TOPIC_TABLES).sort(), [...ALL_TOPICS].sort());
      for (const table of Object.values(TOPIC_TABLES)) {
        const cols = await store.select<{ name: string }>(
          'SELECT name FROM system.columns WHERE database = {db:String} AND table = {t:String}',
          { db: store.database, t: table },
        );
        const want = ['run', 'topic', 'key', 'seq', 'ts', 'payload', ...typedColumns(table)].sort();
        assert.deepEqual(cols.map((c) => c.name).sort(), want, `columns of ${table}`);
      }
    });

    test('messages round-trip with their typed columns, and reads answer per key and time', async () => {
      const run = 'roundtrip';
      const ticks: Message[] = [
        { run, topic: TOPICS.ticksRaw, key: 'SPX', seq: 1, ts: T0, payload: { kind: 'index', symbol: 'SPX', price: 4500.25, ts: T0 } },
        { run, topic: TOPICS.ticksRaw, key: 'SPX', seq: 2, ts: T0 + 1_000_000, payload: { kind: 'index', symbol: 'SPX', price: 4501.5, ts: T0 + 1_000_000 } },
        {
          run, topic: TOPICS.ticksRaw, key: 'SPXW:2023-12-15', seq: 1, ts: T0 + 5,
          payload: { kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: '2023-12-15', strike: 4500, right: 'C', bid: 61.2, ask: 62.1, ts: T0 + 5 },
        },
        {
          run, topic: TOPICS.ticksRaw, key: 'VX:2023-12', seq: 1, ts: T0 + 7,
          payload: { kind: 'future', root: 'VX', month: '2023-12', expiry: '2023-12-20', bid: 14.1, ask: 14.2, ts: T0 + 7 },
        },
      ];
      const rejects: Message[] = [
        { run, topic: TOPICS.ticksRejected, key: 'a.csv', seq: 1, ts: T0, payload: { reason: 'crossed', field: 'bid', detail: 'bid 2 > ask 1', src: 'a.csv', line: 7, raw: 'x', ts: T0 } },
        { run, topic: TOPICS.ticksRejected, key: 'a.csv', seq: 2, ts: T0, payload: { reason: 'crossed', field: 'bid', detail: 'bid 3 > ask 1', src: 'a.csv', line: 9, raw: 'y', ts: T0 } },
        { run, topic: TOPICS.ticksRejected, key: 'a.csv', seq: 3, ts: T0, payload: { reason: 'unparseable', field: '', detail: 'not CSV', src: 'a.csv', line: 12, raw: 'z', ts: T0 } },
      ];
      const bars = series(run, TOPICS.bars, 'SPX:1d', 3, (i) => ({ symbol: 'SPX', interval: '1d', open: 100 + i, high: 110 + i, low: 90 + i, close: 105 + i, rv: i === 3 ? null : 1e-4 * i }));
      const others = [TOPICS.variance, TOPICS.surface, TOPICS.nsde, TOPICS.hedges, TOPICS.risk].flatMap((t) => series(run, t, 'book', 4));
      const sink = createSink(store, { maxRows: 1000, maxDelayMs: 10 });
      await sink.write([...ticks, ...rejects, ...bars, ...others]);
      await sink.close();
      assert.equal(sink.stats().insertedRows, ticks.length + rejects.length + bars.length + others.length);

      const typed = await store.select<Record<string, unknown>>(
        `SELECT key, seq, kind, symbol, expiry, strike, \`right\`, price, bid, ask FROM ${store.table('ticks')} FINAL WHERE run = {run:String} ORDER BY key, seq`,
        { run },
      );
      assert.deepEqual(typed, [
        { key: 'SPX', seq: 1, kind: 'index', symbol: 'SPX', expiry: '', strike: null, right: '', price: 4500.25, bid: null, ask: null },
        { key: 'SPX', seq: 2, kind: 'index', symbol: 'SPX', expiry: '', strike: null, right: '', price: 4501.5, bid: null, ask: null },
        { key: 'SPXW:2023-12-15', seq: 1, kind: 'option', symbol: 'SPXW', expiry: '2023-12-15', strike: 4500, right: 'C', price: null, bid: 61.2, ask: 62.1 },
        { key: 'VX:2023-12', seq: 1, kind: 'future', symbol: 'VX', expiry: '2023-12-20', strike: null, right: '', price: null, bid: 14.1, ask: 14.2 },
      ]);
      const rj = await store.select(`SELECT reason, field, src, line FROM ${store.table('rejects')} FINAL WHERE run = {run:String} ORDER BY seq`, { run });
      assert.deepEqual(rj, [
        { reason: 'crossed', field: 'bid', src: 'a.csv', line: 7 },
        { reason: 'crossed', field: 'bid', src: 'a.csv', line: 9 },
        { reason: 'unparseable', field: '', src: 'a.csv', line: 12 },
      ]);
      const br = await store.select(`SELECT symbol, \`interval\`, open, high, low, close, rv FROM ${store.table('bars')} FINAL WHERE run = {run:String} ORDER BY seq`, { run });
      assert.deepEqual(br, [
        { symbol: 'SPX', interval: '1d', open: 101, high: 111, low: 91, close: 106, rv: 1e-4 },
        { symbol: 'SPX', interval: '1d', open: 102, high: 112, low: 92, close: 107, rv: 2e-4 },
        { symbol: 'SPX', interval: '1d', open: 103, high: 113, low: 93, close: 108, rv: null },
      ]);

      assert.deepEqual(await messagesBetween(store, { run, topic: TOPICS.ticksRaw, key: 'SPX', from: T0, to: T0 + 2_000_000 }), ticks.slice(0, 2));
      assert.deepEqual(await messagesBetween(store, { run, topic: TOPICS.ticksRaw, key: 'SPX', from: T0 + 1, to: T0 + 1_000_000 }), []);
      assert.deepEqual(await messagesBetween(store, { run, topic: TOPICS.bars, key: 'SPX:1d', from: T0 + 1_000_000, to: T0 + 3_000_000 }), bars.slice(1));
      assert.deepEqual(await latest(store, run, TOPICS.ticksRaw), [ticks[1], ticks[2], ticks[3]]);
      assert.deepEqual(await latest(store, run, TOPICS.hedges, 'book'), [others.find((m) => m.topic === TOPICS.hedges && m.seq === 4)]);
      assert.deepEqual(await messagesAfter(store, { run, topic: TOPICS.risk, key: 'book', afterSeq: 2 }), others.filter((m) => m.topic === TOPICS.risk && m.seq > 2));
      assert.deepEqual(await keyStats(store, run, TOPICS.ticksRaw), [
        { key: 'SPX', count: 2, firstSeq: 1, lastSeq: 2, lastTs: T0 + 1_000_000 },
        { key: 'SPXW:2023-12-15', count: 1, firstSeq: 1, lastSeq: 1, lastTs: T0 + 5 },
        { key: 'VX:2023-12', count: 1, firstSeq: 1, lastSeq: 1, lastTs: T0 + 7 },
      ]);
      assert.deepEqual(await rejectsByReason(store, run), [{ reason: 'crossed', count: 2 }, { reason: 'unparseable', count: 1 }]);
      assert.equal(await latest(store, 'no-such-run', TOPICS.bars).then((r) => r.length), 0);
    });

    test('a retried batch never duplicates in any read, before or after merges', async () => {
      const run = 'retried';
      const msgs = [...series(run, TOPICS.variance, 'SPX', 50), ...series(run, TOPICS.variance, 'VIX', 20)];
      const sink = createSink(store, { maxRows: 10, maxDelayMs: 5 });
      await sink.write(msgs);
      await sink.write(msgs); // the bus redelivering a batch whose commit was lost
      await sink.write(msgs.slice(10, 30)); // and a partial overlap
      await sink.close();
      assert.equal(sink.stats().insertedRows, 160);
      const check = async (when: string) => {
        assert.deepEqual(await keyStats(store, run, TOPICS.variance), [
          { key: 'SPX', count: 50, firstSeq: 1, lastSeq: 50, lastTs: T0 + 49_000_000 },
          { key: 'VIX', count: 20, firstSeq: 1, lastSeq: 20, lastTs: T0 + 19_000_000 },
        ], when);
        assert.deepEqual(await messagesBetween(store, { run, topic: TOPICS.variance, key: 'SPX', from: 0, to: T0 * 2 }), msgs.slice(0, 50), when);
        assert.deepEqual(await messagesAfter(store, { run, topic: TOPICS.variance, key: 'VIX', afterSeq: 0 }), msgs.slice(50), when);
        assert.deepEqual(await latest(store, run, TOPICS.variance), [msgs[49], msgs[69]], when);
        assert.deepEqual(await rowCounts(store, run, ['variance']), { variance: 70 }, when);
      };
      await check('before merge');
      await store.command(`OPTIMIZE TABLE ${store.table('variance')} FINAL`);
      await check('after OPTIMIZE FINAL');
    });

    test('the sink flushes when maxRows rows wait, and holds fewer until their delay', async () => {
      const run = 'by-rows';
      const msgs = series(run, TOPICS.nsde, 'VIX', 150);
      const sink = createSink(store, { maxRows: 100, maxDelayMs: 60_000 });
      const p1 = sink.write(msgs.slice(0, 50));
      const p2 = sink.write(msgs.slice(50, 100));
      const p3 = sink.write(msgs.slice(100));
      await Promise.all([p1, p2]);
      assert.equal(sink.stats().insertedRows, 100);
      assert.equal(sink.stats().queuedRows, 50);
      assert.deepEqual(await rowCounts(store, run, ['nsde']), { nsde: 100 });
      await sink.flush();
      await p3;
      assert.deepEqual(await rowCounts(store, run, ['nsde']), { nsde: 150 });
      assert.deepEqual({ ...sink.stats(), lastFlushMs: 0 }, { queuedRows: 0, insertedRows: 150, failedAttempts: 0, flushes: 2, lastFlushMs: 0 });
      await sink.close();
    });

    test('the sink flushes a few rows once maxDelayMs has passed', async () => {
      const run = 'by-time';
      const sink = createSink(store, { maxRows: 1_000_000, maxDelayMs: 30 });
      await sink.write(series(run, TOPICS.surface, 'SPX', 7)); // resolves only through the timer
      assert.equal(sink.stats().flushes, 1);
      assert.deepEqual(await rowCounts(store, run, ['surface']), { surface: 7 });
      await sink.close();
    });

    test('a full buffer makes write wait until rows are stored', async () => {
      const run = 'backpressure';
      const msgs = series(run, TOPICS.hedges, 'book', 120);
      const sink = createSink(store, { maxRows: 1_000_000, maxDelayMs: 60_000, maxBufferedRows: 100 });
      const p1 = sink.write(msgs.slice(0, 80));
      let accepted = false;
      const p2 = sink.write(msgs.slice(80)).then(() => (accepted = true));
      await sleep(20);
      assert.equal(sink.stats().queuedRows, 80, 'the second write waits outside the buffer');
      assert.equal(accepted, false);
      await sink.close(); // stores the first, then the second once it has entered
      await p1;
      await p2;
      assert.deepEqual(await rowCounts(store, run, ['hedges']), { hedges: 120 });
    });

    test('close() stores what is buffered and refuses later writes', async () => {
      const run = 'close';
      const sink = createSink(store, { maxRows: 1_000_000, maxDelayMs: 60_000 });
      const p = sink.write(series(run, TOPICS.bars, 'SPX:1m', 30, (i) => ({ symbol: 'SPX', interval: '1m', open: i, high: i, low: i, close: i, rv: null })));
      await sink.close();
      await p;
      assert.deepEqual(await rowCounts(store, run, ['bars']), { bars: 30 });
      await assert.rejects(sink.write(series(run, TOPICS.bars, 'SPX:1m', 1)), /sink is closed/);
    });

    test('a bad message rejects its write with the reason and stores nothing of it', async () => {
      const sink = createSink(store, { maxDelayMs: 5 });
      const good = series('bad', TOPICS.risk, 'book', 2);
      await assert.rejects(sink.write([...good, { ...good[0], topic: 'nope' }]), /topic "nope" has no table/);
      await assert.rejects(sink.write([{ ...good[0], seq: 1.5 }]), /seq 1.5 is not a safe integer/);
      await assert.rejects(sink.write([{ ...good[0], payload: 10n }]), /payload cannot be serialised/);
      await sink.close();
      assert.deepEqual(await rowCounts(store, 'bad', ['risk']), { risk: 0 });
      assert.throws(() => createSink(store, { maxRows: 0 }), /maxRows must be > 0/);
    });

    test('the sink retries while its table is missing and stores every row once when it is back', async () => {
      const run = 'table-away';
      await store.command(`RENAME TABLE ${store.table('risk')} TO ${store.table('risk_parked')}`);
      let restored = false;
      try {
        const sink = createSink(store, { maxRows: 50, maxDelayMs: 5, retryInitialMs: 10, retryMaxMs: 50 });
        const msgs = series(run, TOPICS.risk, 'book', 200);
        const writes = [0, 50, 100, 150].map((i) => sink.write(msgs.slice(i, i + 50)));
        await waitFor('two failed attempts', () => sink.stats().failedAttempts >= 2);
        assert.equal(sink.stats().insertedRows, 0);
        await store.command(`RENAME TABLE ${store.table('risk_parked')} TO ${store.table('risk')}`);
        restored = true;
        await Promise.all(writes);
        await sink.close();
        assert.equal(sink.stats().insertedRows, 200);
        assert.match(sink.stats().lastError ?? '', /risk/);
        assert.deepEqual(await keyStats(store, run, TOPICS.risk), [{ key: 'book', count: 200, firstSeq: 1, lastSeq: 200, lastTs: T0 + 199_000_000 }]);
      } finally {
        if (!restored) await store.command(`RENAME TABLE ${store.table('risk_parked')} TO ${store.table('risk')}`);
      }
    });

    test('with finite attempts, a failing batch rejects its writes after the last one', async () => {
      const run = 'give-up';
      await store.command(`RENAME TABLE ${store.table('surface')} TO ${store.table('surface_parked')}`);
      try {
        const sink = createSink(store, { maxRows: 10, maxDelayMs: 5, retryInitialMs: 5, maxAttempts: 3 });
        await assert.rejects(sink.write(series(run, TOPICS.surface, 'SPX', 10)), /failed 3 times/);
        assert.equal(sink.stats().failedAttempts, 3);
        assert.equal(sink.stats().queuedRows, 0);
      } finally {
        await store.command(`RENAME TABLE ${store.table('surface_parked')} TO ${store.table('surface')}`);
      }
    });

    test(
      'the sink rides out a server outage mid-write: no row lost, none duplicated',
      { skip: harness.outage ? false : 'no outage to stage on this engine (the embedded engine cannot go down; an external server is not ours to stop)' },
      async () => {
        const outage = harness.outage!;
        const run = 'outage';
        const sink = createSink(store, { maxRows: 200, maxDelayMs: 5, retryInitialMs: 50, retryMaxMs: 400 });
        const msgs = [...series(run, TOPICS.ticksRaw, 'SPX', 3000, (i) => ({ kind: 'index', symbol: 'SPX', price: 4000 + i }))];
        let written = 0;
        const writer = (async () => {
          for (let i = 0; i < msgs.length; i += 100) {
            await sink.write(msgs.slice(i, i + 100));
            written = i + 100;
          }
        })();
        await waitFor('some rows stored', () => written >= 500);
        await outage.stop();
        await waitFor('failed attempts while down', () => sink.stats().failedAttempts >= 3);
        const whileDown = written;
        assert.ok(whileDown < msgs.length, 'the writer is held up while the server is down');
        await outage.start();
        await writer;
        await sink.close();
        assert.equal(written, msgs.length);
        assert.deepEqual(await keyStats(store, run, TOPICS.ticksRaw), [{ key: 'SPX', count: 3000, firstSeq: 1, lastSeq: 3000, lastTs: T0 + 2999_000_000 }]);
        assert.deepEqual(await messagesBetween(store, { run, topic: TOPICS.ticksRaw, key: 'SPX', from: 0, to: T0 * 2 }), msgs);
      },
    );

    test('hostile strings round-trip as keys, runs and payloads', async () => {
      const msgs: Message[] = HOSTILE.map((s, i) => ({ run: `h${s}`, topic: TOPICS.hedges, key: s, seq: i + 1, ts: T0 + i, payload: { s, nested: [s] } }));
      const sink = createSink(store, { maxDelayMs: 5 });
      await sink.write(msgs);
      await sink.close();
      for (const m of msgs) {
        assert.deepEqual(await messagesAfter(store, { run: m.run, topic: m.topic, key: m.key, afterSeq: 0 }), [m], JSON.stringify(m.key));
        assert.deepEqual(await latest(store, m.run, m.topic, m.key), [m]);
      }
      assert.deepEqual(await latest(store, "h' OR 1=1 --", TOPICS.hedges), []);
    });

    test('both parameter mechanisms return every hostile value unchanged (property)', async () => {
      const modes = store.binding === 'query_params' ? (['query_params', 'literals'] as const) : (['literals'] as const);
      const roundTrip = async (values: string[], ints: bigint[], floats: number[]) => {
        const params: Record<string, string | bigint | number> = {};
        const cols: string[] = [];
        values.forEach((v, i) => { params[`s${i}`] = v; cols.push(`{s${i}:String} AS s${i}`); });
        ints.forEach((v, i) => { params[`i${i}`] = v; cols.push(`toString({i${i}:Int64}) AS i${i}`); });
        floats.forEach((v, i) => { params[`f${i}`] = v; cols.push(`{f${i}:Float64} AS f${i}`); });
        for (const mode of modes) {
          const rs = await store.client.query({ ...bind(`SELECT ${cols.join(', ')}`, params, mode), format: 'JSON' });
          const [row] = ((await rs.json()) as { data: Array<Record<string, unknown>> }).data;
          values.forEach((v, i) => assert.equal(row[`s${i}`], v, `${mode} String ${JSON.stringify(v)}`));
          ints.forEach((v, i) => assert.equal(row[`i${i}`], v.toString(), `${mode} Int64 ${v}`));
          floats.forEach((v, i) => assert.equal(Number(row[`f${i}`]), v, `${mode} Float64 ${v}`));
        }
      };
      await roundTrip(HOSTILE, [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n], [0, -0.1, 1e-300, 5e-324, 1.7976931348623157e308, -123456.789, 1 / 3]);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { minLength: 1, maxLength: 8 }),
          fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 3 }),
          fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 3 }),
          roundTrip,
        ),
        { numRuns: 60 },
      );
    });
  });
}
