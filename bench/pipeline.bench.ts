/**
 * Engine throughput and latency on embedded defaults (issue 2's goals):
 * - ticks/s through parse, validate, bus, bars and store sink, vs a bare JSON.parse loop over
 *   the same lines;
 * - tick-to-WebSocket-subscriber latency percentiles at 20,000 ticks/s, vs a plain `ws` server
 *   broadcasting the same messages at the same rate; the client runs in its own process;
 * - resident memory at the start and end of the latency run.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { WebSocketServer } from 'ws';
import { loadConfig } from '../src/config.ts';
import { startEngine } from '../src/engine.ts';
import { parseNdjson } from '../src/ticks/parse-ndjson.ts';
import type { Bench, BenchRow } from './harness.ts';
import { percentile } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const t0 = Date.parse('2024-01-05T14:30:00Z') * 1000;

/** A fixed tape: SPX and VIX prints and SPXW quotes, 1 ms apart. */
function lines(n: number): string[] {
  const out: string[] = new Array(n);
  let x = 12345;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) {
    const ts = t0 + i * 1000;
    const k = i % 10;
    out[i] =
      k < 4
        ? JSON.stringify({ kind: 'index', symbol: 'SPX', price: 4700 + rnd() * 10, ts, src: 'bench', sseq: i + 1 })
        : k === 4
          ? JSON.stringify({ kind: 'index', symbol: 'VIX', price: 13 + rnd(), ts, src: 'bench', sseq: i + 1 })
          : JSON.stringify({ kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: '2024-01-19', strike: 4500 + 5 * (i % 80), right: i % 2 ? 'C' : 'P', bid: 10 + rnd(), ask: 11 + rnd(), bidSize: 5, askSize: 7, ts, src: 'bench', sseq: i + 1 });
  }
  return out;
}

async function throughput(n: number): Promise<{ rate: number; baseline: number }> {
  const tape = lines(n);
  let t = performance.now();
  let sink = 0;
  for (const l of tape) sink += (JSON.parse(l) as { ts: number }).ts & 1;
  const baseline = n / ((performance.now() - t) / 1000);
  if (sink < 0) throw new Error('unreachable');

  const dir = mkdtempSync(join(tmpdir(), 'volrisk-bench-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: join(dir, 'data'), VOLRISK_FEED: 'none', VOLRISK_SPEED: 'max', VOLRISK_SINK_ROWS: '50000' });
  t = performance.now();
  const engine = await startEngine(config, { logger: pino({ level: 'silent' }), tape: parseNdjson(tape, { src: 'bench' }) });
  const startMs = performance.now() - t;
  t = performance.now();
  await engine.feedDone;
  await engine.drain(600_000);
  await engine.stop(); // includes the final sink flush
  const rate = n / ((performance.now() - t) / 1000);
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`  (engine start ${startMs.toFixed(0)} ms)\n`);
  return { rate, baseline };
}

async function clientLatencies(url: string, topic: string, key: string, run: () => Promise<void>): Promise<number[]> {
  const child = fork(join(here, 'support/ws-latency-client.ts'), [url, topic, key], { execArgv: ['--import', 'tsx'] });
  await new Promise<void>((r) => child.once('message', () => r()));
  await new Promise((r) => setTimeout(r, 100));
  await run();
  await new Promise((r) => setTimeout(r, 200));
  const got = new Promise<number[]>((r) => child.once('message', (m: { latencies: number[] }) => r(m.latencies)));
  child.send({ stop: true });
  return got;
}

/** Injects `rate` ticks/s for `seconds`, one batch per millisecond, with ts = wall time. */
async function inject(rate: number, seconds: number, send: (batch: string[]) => Promise<void> | void): Promise<void> {
  const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
  const start = performance.now();
  let sent = 0;
  let sseq = 0;
  while (performance.now() - start < seconds * 1000) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    const batch: string[] = [];
    const ts = nowMicros();
    for (; sent < due; sent++) batch.push(JSON.stringify({ kind: 'index', symbol: 'SPX', price: 4700 + (sent % 100) / 10, ts, src: 'lat', sseq: ++sseq }));
    if (batch.length) await send(batch);
    await new Promise((r) => setTimeout(r, 1));
  }
}

async function latency(rate: number, seconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'volrisk-bench-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: join(dir, 'data'), VOLRISK_FEED: 'none' });
  const engine = await startEngine(config, { logger: pino({ level: 'silent' }) });
  const rss0 = process.memoryUsage().rss;
  const lat = await clientLatencies(`${engine.url.replace(/^http/, 'ws')}/ws`, 'ticks.raw', 'SPX', () =>
    inject(rate, seconds, (b) => engine.ingest([...parseNdjson(b, { src: 'lat' })])),
  );
  const rss1 = process.memoryUsage().rss;
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });

  // Baseline: a plain ws server broadcasting the same messages at the same rate.
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as { port: number }).port;
  let seq = 0;
  const base = await clientLatencies(`ws://127.0.0.1:${port}`, 'ticks.raw', 'SPX', () =>
    inject(rate, seconds, (batch) => {
      for (const l of batch) {
        const t = JSON.parse(l) as { ts: number };
        const msg = JSON.stringify({ type: 'update', topic: 'ticks.raw', key: 'SPX', seq: ++seq, ts: t.ts, run: 'live', payload: t });
        for (const c of wss.clients) c.send(msg);
      }
    }),
  );
  await new Promise((r) => wss.close(r));
  return { lat, base, rss0, rss1 };
}

const bench: Bench = async ({ quick }) => {
  const rows: BenchRow[] = [];
  const n = quick ? 100_000 : 1_000_000;
  const { rate, baseline } = await throughput(n);
  rows.push({
    name: `ticks/s through parse+validate+bus+bars+store sink (${n.toLocaleString('en-US')} ticks, embedded chDB)`,
    unit: 'ticks/s',
    value: rate,
    baseline: 'bare JSON.parse loop',
    baselineValue: baseline,
    goal: '>= 200,000',
  });
  const seconds = quick ? 5 : 30;
  const { lat, base, rss0, rss1 } = await latency(20_000, seconds);
  for (const p of [50, 99]) {
    rows.push({
      name: `tick-to-WebSocket latency p${p} at 20,000 ticks/s (${lat.length.toLocaleString('en-US')} msgs, ${seconds} s)`,
      unit: 'ms',
      value: percentile(lat, p) / 1000,
      baseline: 'plain ws broadcast, same rate',
      baselineValue: percentile(base, p) / 1000,
      goal: p === 99 ? '<= 5 ms' : undefined,
    });
  }
  rows.push({
    name: `resident memory, end vs start of the ${seconds} s latency run`,
    unit: 'MiB',
    value: rss1 / 2 ** 20,
    baseline: 'start',
    baselineValue: rss0 / 2 ** 20,
    goal: 'flat',
  });
  return rows;
};
export default bench;
