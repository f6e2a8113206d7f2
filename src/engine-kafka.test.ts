/**
 * The engine with its bus on Kafka (librdkafka's mock cluster, a real Kafka-protocol broker):
 * ticks go through the topics, bars reach a WebSocket subscriber, everything lands in the store.
 * Runs on a fresh mock cluster only, because the engine's topic names are fixed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import { KafkaMockUnavailable, startKafkaMock, type KafkaMock } from '../infra/kafka-mock/launch.ts';
import { createKafkaBus } from './bus/kafka.ts';
import { loadConfig } from './config.ts';
import { startEngine, type Engine } from './engine.ts';
import { openStore } from './store/client.ts';
import { parseNdjson } from './ticks/parse-ndjson.ts';

let mock: KafkaMock | undefined;
let skip: string | false = false;
try {
  mock = await startKafkaMock();
} catch (err) {
  if (!(err instanceof KafkaMockUnavailable)) throw err;
  skip = err.message;
}

const t0 = Date.parse('2024-01-05T14:30:00Z') * 1000;

describe('engine on the Kafka bus', { skip }, () => {
  let engine: Engine;
  let dir: string;
  const bars: Array<{ type: string; key: string; seq: number }> = [];
  let ws: WebSocket;
  const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ kind: 'index', symbol: 'SPX', price: 4700 + i / 10, ts: t0 + i * 1_000_000, src: 'k', sseq: i + 1 }));
  lines.push('{broken');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'volrisk-kafka-engine-'));
    const config = loadConfig({ PORT: '0', DATA_DIR: join(dir, 'data'), VOLRISK_FEED: 'none', KAFKA_BROKERS: mock!.brokers, VOLRISK_SINK_MS: '50' });
    const bus = createKafkaBus({ brokers: mock!.brokers.split(','), clientId: 'volrisk-engine-test', createTopic: (t, p) => mock!.createTopic(t, p), lagRefreshMs: 200 });
    engine = await startEngine(config, { logger: pino({ level: 'silent' }), bus });
    ws = new WebSocket(`${engine.url.replace(/^http/, 'ws')}/ws`);
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    ws.on('message', (d) => bars.push(JSON.parse(d.toString())));
    ws.send(JSON.stringify({ op: 'subscribe', topics: ['bars'], keys: ['SPX:1m'] }));
  });

  after(async () => {
    ws?.close();
    await engine?.stop();
    await mock?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('ticks flow through Kafka topics to bars, subscribers and the store', { timeout: 90_000 }, async () => {
    assert.equal(engine.bus.kind, 'kafka');
    await engine.ingest([...parseNdjson(lines, { src: 'k' })]);
    const until = Date.now() + 60_000;
    while (bars.filter((m) => m.type === 'update').length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(bars.filter((m) => m.type === 'update').map((m) => m.seq), [1, 2, 3], '200 s of prints close three 1-minute bars');
    await engine.drain(60_000);
    await engine.stop();
    const store = await openStore({ dataDir: join(dir, 'data') });
    try {
      const [{ n }] = await store.select<{ n: number }>(`SELECT count() AS n FROM ${store.table('ticks')} FINAL`);
      assert.equal(n, 200);
      const [{ r }] = await store.select<{ r: number }>(`SELECT count() AS r FROM ${store.table('rejects')} FINAL WHERE reason = {x:String}`, { x: 'unparseable' });
      assert.equal(r, 1);
    } finally {
      await store.close();
    }
  });
});
