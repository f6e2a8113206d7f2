/**
 * A bot resuming from further back than the hub's in-memory log is served the older messages
 * from the store, so it misses nothing: the engine with a resume depth of 2, real chDB, a real
 * WebSocket client.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import { loadConfig } from './config.ts';
import { startEngine, type Engine } from './engine.ts';
import { parseNdjson } from './ticks/parse-ndjson.ts';

// Friday 2024-01-05, 09:30 New York: one SPX print a second for ten minutes closes nine 1-minute bars.
const t0 = Date.parse('2024-01-05T14:30:00Z') * 1000;
let engine: Engine;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'volrisk-resume-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: join(dir, 'data'), VOLRISK_FEED: 'none', VOLRISK_RESUME_DEPTH: '2', VOLRISK_SINK_MS: '20' });
  engine = await startEngine(config, { logger: pino({ level: 'silent' }) });
  const lines = Array.from({ length: 600 }, (_, i) => JSON.stringify({ src: 'tape', sseq: i + 1, kind: 'index', symbol: 'SPX', price: 4700 + Math.sin(i / 30) * 5, ts: t0 + i * 1e6 }));
  await engine.ingest([...parseNdjson(lines, { src: 'tape', maxLineBytes: 4096 })]);
  await engine.drain();
  await new Promise((r) => setTimeout(r, 300)); // the sink's timer flushes the last rows
});

after(async () => {
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a resume from sequence 0 with only 2 messages in memory gets all nine bars, from the store, in order, with no gap', async () => {
  const ws = new WebSocket(`${engine.url.replace(/^http/, 'ws')}/ws`);
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const got: Array<{ type: string; seq: number }> = [];
  ws.on('message', (d) => got.push(JSON.parse(d.toString())));
  ws.send(JSON.stringify({ op: 'subscribe', topics: ['bars'], keys: ['SPX:1m'], from: { 'bars/SPX:1m': 0 } }));
  for (let i = 0; i < 100 && got.length < 9; i++) await new Promise((r) => setTimeout(r, 20));
  ws.close();
  assert.deepEqual(got.map((m) => `${m.type} ${m.seq}`), Array.from({ length: 9 }, (_, i) => `update ${i + 1}`));
  assert.equal(engine.hub.since('bars', 'SPX:1m', 0).gapTo, 7, 'the hub itself holds only the last two');
});
