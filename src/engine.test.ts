/**
 * End to end on embedded defaults: a tape with corrupt lines goes in; exactly those lines are
 * rejected with their reasons and stored; the rest is stored as ticks, made into bars, and
 * pushed to a WebSocket subscriber. Uses the real parts: embedded bus, chDB, fastify, ws.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import { loadConfig } from './config.ts';
import { startEngine, type Engine } from './engine.ts';
import { parseNdjson } from './ticks/parse-ndjson.ts';
import { ingestFiles } from './tape/ingest-files.ts';

// Friday 2024-01-05, New York on EST: 14:30 UTC is the 09:30 open.
const t0 = Date.parse('2024-01-05T14:30:00Z') * 1000;
const SEC = 1_000_000;

function tape(): { lines: string[]; bad: Map<number, string> } {
  const lines: string[] = [];
  const bad = new Map<number, string>();
  let sseq = 0;
  const good = (o: object) => lines.push(JSON.stringify({ src: 'tape', sseq: ++sseq, ...o }));
  const corrupt = (reason: string, text: string) => {
    lines.push(text);
    bad.set(lines.length, reason);
  };
  for (let i = 0; i < 600; i++) {
    const ts = t0 + i * SEC; // one print a second for ten minutes
    good({ kind: 'index', symbol: 'SPX', price: 4700 + Math.sin(i / 30) * 5, ts });
    if (i % 10 === 0) good({ kind: 'index', symbol: 'VIX', price: 13 + (i % 7) / 10, ts });
    if (i % 20 === 0)
      good({ kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: '2024-01-19', strike: 4700, right: 'C', bid: 40.1, ask: 40.6, bidSize: 10, askSize: 12, ts });
    if (i === 100) corrupt('unparseable', '{"kind":"index","symbol":"SPX",');
    if (i === 150) corrupt('crossed', JSON.stringify({ kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: '2024-01-19', strike: 4700, right: 'P', bid: 5, ask: 4, ts, src: 'tape', sseq: ++sseq }));
    if (i === 200) corrupt('negative_size', JSON.stringify({ kind: 'option', root: 'SPX', underlying: 'SPX', expiry: '2024-01-19', strike: 4700, right: 'P', bid: 4, ask: 5, bidSize: -1, ts, src: 'tape', sseq: ++sseq }));
    if (i === 250) corrupt('unknown_symbol', JSON.stringify({ kind: 'index', symbol: 'NOPE', price: 1, ts, src: 'tape', sseq: ++sseq }));
    if (i === 300) corrupt('bad_strike', JSON.stringify({ kind: 'option', root: 'SPX', underlying: 'SPX', expiry: '2024-01-19', strike: 0, right: 'C', bid: 4, ask: 5, ts, src: 'tape', sseq: ++sseq }));
    if (i === 350) corrupt('expired', JSON.stringify({ kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: '2024-01-04', strike: 4700, right: 'C', bid: 4, ask: 5, ts, src: 'tape', sseq: ++sseq }));
    if (i === 400) corrupt('non_positive', JSON.stringify({ kind: 'index', symbol: 'SPX', price: -3, ts, src: 'tape', sseq: ++sseq }));
    if (i === 450) corrupt('time_backwards', JSON.stringify({ kind: 'index', symbol: 'SPX', price: 4700, ts: ts - 60 * SEC, src: 'tape', sseq: ++sseq }));
    if (i === 500) corrupt('duplicate', JSON.stringify({ kind: 'index', symbol: 'SPX', price: 4700, ts, src: 'tape', sseq: 1 }));
    if (i === 550) corrupt('oversize', JSON.stringify({ kind: 'index', symbol: 'SPX', price: 4700, ts, src: 'tape', sseq: ++sseq, pad: 'x'.repeat(5000) }));
  }
  return { lines, bad };
}

describe('engine on embedded defaults', () => {
  let engine: Engine;
  let dir: string;
  const { lines, bad } = tape();
  const received: Array<{ type: string; topic: string; key: string; seq: number }> = [];
  let ws: WebSocket;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'volrisk-engine-'));
    const config = loadConfig({ PORT: '0', DATA_DIR: join(dir, 'data'), VOLRISK_FEED: 'none', VOLRISK_MAX_LINE_BYTES: '4096', VOLRISK_SINK_MS: '50' });
    engine = await startEngine(config, { logger: pino({ level: 'silent' }) });
    ws = new WebSocket(`${engine.url.replace(/^http/, 'ws')}/ws`);
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    ws.on('message', (d) => received.push(JSON.parse(d.toString())));
    ws.send(JSON.stringify({ op: 'subscribe', topics: ['bars'] }));
    await new Promise((r) => setTimeout(r, 50));
    await engine.ingest([...parseNdjson(lines, { src: 'tape', maxLineBytes: 4096 })]);
    await engine.drain();
  });

  after(async () => {
    ws?.close();
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('serves health and readiness', async () => {
    assert.equal((await fetch(`${engine.url}/health`)).status, 200);
    assert.deepEqual(await (await fetch(`${engine.url}/ready`)).json(), { ready: true });
  });

  test('a WebSocket subscriber to bars receives 1-minute bars in sequence', async () => {
    const bars = received.filter((m) => m.type === 'update' && m.topic === 'bars' && m.key === 'SPX:1m');
    assert.equal(bars.length, 9, 'ten minutes of prints close nine 1-minute bars (the tenth is still open)');
    assert.deepEqual(bars.map((b) => b.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('`volrisk ingest --url` sends a file to the running engine, which validates and stores it', async () => {
    const f = join(dir, 'upload.csv');
    const ts = t0 + 700 * SEC;
    writeFileSync(f, `kind,symbol,price,ts\nindex,VIX,13.5,${ts}\nindex,VIX,-1,${ts}\n`);
    const config = loadConfig({});
    const report = await ingestFiles([f], {}, config, { url: engine.url });
    assert.deepEqual(report.files[0], { file: f, format: 'csv', accepted: 1, rejected: 1, byReason: { non_positive: 1 } });
    await engine.drain();
  });

  test('exactly the corrupt lines are rejected, each with its reason, and stored', async () => {
    await engine.stop(); // flushes the sink
    const { openStore } = await import('./store/client.ts');
    const store = await openStore({ dataDir: join(dir, 'data') });
    try {
      const rejects = await store.select<{ line: number; reason: string }>(
        `SELECT line, reason FROM ${store.table('rejects')} FINAL WHERE run = {run:String} AND src = {src:String} ORDER BY line`,
        { run: 'live', src: 'tape' },
      );
      assert.deepEqual(
        rejects.map((r) => [r.line, r.reason]),
        [...bad.entries()].sort((a, b) => a[0] - b[0]),
      );
      const [{ n }] = await store.select<{ n: number }>(`SELECT count() AS n FROM ${store.table('ticks')} FINAL WHERE run = {run:String}`, { run: 'live' });
      assert.equal(n, lines.length - bad.size + 1, 'the tape and the uploaded file');
      const [{ b }] = await store.select<{ b: number }>(`SELECT count() AS b FROM ${store.table('bars')} FINAL WHERE key = {key:String}`, { key: 'SPX:1m' });
      assert.equal(b, 10, 'the upload at +700 s moved event time past the tenth bar');
    } finally {
      await store.close();
    }
  });
});
