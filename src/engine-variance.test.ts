/**
 * The variance topic flows end to end: SPX and VIX prints over three days go through bars and
 * the variance stage (committed HN-GRU weights) to a WebSocket subscriber and into the store.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import { loadConfig } from './config.ts';
import { startEngine, type Engine } from './engine.ts';
import { parseNdjson } from './ticks/parse-ndjson.ts';

describe('variance on the engine', () => {
  let engine: Engine;
  let dir: string;
  const got: Array<{ type: string; payload: { kind: string; date: string; hn: number; updated: boolean } }> = [];
  let ws: WebSocket;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'volrisk-variance-'));
    engine = await startEngine(loadConfig({ PORT: '0', DATA_DIR: join(dir, 'data'), VOLRISK_FEED: 'none', VOLRISK_SINK_MS: '20' }), { logger: pino({ level: 'silent' }) });
    ws = new WebSocket(`${engine.url.replace(/^http/, 'ws')}/ws`);
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    ws.on('message', (d) => got.push(JSON.parse(d.toString())));
    ws.send(JSON.stringify({ op: 'subscribe', topics: ['variance'], keys: ['SPX'] }));
    await new Promise((r) => setTimeout(r, 50));
  });
  after(async () => {
    ws?.close();
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('daily closes and intraday nowcasts reach subscribers and the store', async () => {
    const lines: string[] = [];
    let sseq = 0;
    // Three sessions (EST: 14:30-21:00 UTC), one SPX print a minute, VIX every ten.
    for (const [d, base] of [['2024-01-03', 4700], ['2024-01-04', 4690], ['2024-01-05', 4720]] as const) {
      const open = Date.parse(`${d}T14:30:00Z`) * 1000;
      for (let m = 0; m <= 390; m++) {
        const ts = open + m * 60_000_000;
        lines.push(JSON.stringify({ kind: 'index', symbol: 'SPX', price: base + 8 * Math.sin(m / 25), ts, src: 't', sseq: ++sseq }));
        if (m % 10 === 0) lines.push(JSON.stringify({ kind: 'index', symbol: 'VIX', price: 13 + (m % 7) / 10, ts, src: 't', sseq: ++sseq }));
      }
    }
    lines.push(JSON.stringify({ kind: 'index', symbol: 'SPX', price: 4725, ts: Date.parse('2024-01-08T14:30:00Z') * 1000, src: 't', sseq: sseq + 1 }));
    await engine.ingest([...parseNdjson(lines, { src: 't' })]);
    await engine.drain();
    const until = Date.now() + 10_000;
    while (got.filter((m) => m.type === 'update' && m.payload.kind === 'close').length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const closes = got.filter((m) => m.type === 'update' && m.payload.kind === 'close').map((m) => m.payload);
    assert.deepEqual(closes.map((c) => c.date), ['2024-01-03', '2024-01-04', '2024-01-05']);
    assert.deepEqual(closes.map((c) => c.updated), [false, true, true]);
    const nowcasts = got.filter((m) => m.type === 'update' && m.payload.kind === 'nowcast');
    // 09:30-16:00 ET inclusive: 78 five-minute bars and one opened by the 16:00 print.
    assert.equal(nowcasts.length, 2 * 79, 'a nowcast per 5-minute bar on the days after the first close');
    await engine.stop();
    const { openStore } = await import('./store/client.ts');
    const store = await openStore({ dataDir: join(dir, 'data') });
    try {
      const [{ n }] = await store.select<{ n: number }>(`SELECT count() AS n FROM ${store.table('variance')} FINAL WHERE key = {k:String}`, { k: 'SPX' });
      assert.equal(n, closes.length + nowcasts.length);
    } finally {
      await store.close();
    }
  });
});
