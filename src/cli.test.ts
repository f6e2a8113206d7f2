/**
 * The `volrisk` command as a user runs it: `start` on embedded defaults serves /health, streams
 * bars to a WebSocket subscriber, stores ticks, and stops cleanly on SIGTERM; `ingest --check`
 * prints per-file counts; `--help` lists the configuration.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { openStore } from './store/client.ts';

const bin = resolve(import.meta.dirname, '../bin/volrisk.js');
const dir = mkdtempSync(join(tmpdir(), 'volrisk-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function waitForUrl(child: ChildProcess, log: { out: string }): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no URL printed within 60 s; stdout: ${out}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d.toString();
      log.out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening; stdout: ${out}`)));
  });
}

describe('volrisk start', () => {
  test('serves /health, streams bars over /ws, stores ticks, stops cleanly on SIGTERM', { timeout: 120_000 }, async () => {
    const dataDir = join(dir, 'data');
    const child = spawn(process.execPath, [bin, 'start'], {
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, VOLRISK_SPEED: '120x', VOLRISK_TICK_RATE: '200', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const log = { out: '' };
    child.stderr!.on('data', (d) => (stderr += d.toString()));
    try {
      const url = await waitForUrl(child, log);
      assert.equal((await fetch(`${url}/health`)).status, 200);
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
      const bar = await new Promise<{ type: string; topic: string; key: string; seq: number; payload: { open: number } }>((res, rej) => {
        const timer = setTimeout(() => rej(new Error('no bar within 30 s')), 30_000);
        ws.on('open', () => ws.send(JSON.stringify({ op: 'subscribe', topics: ['bars'], keys: ['SPX:1m'] })));
        ws.on('message', (d) => {
          const m = JSON.parse(d.toString());
          if (m.type === 'update' || m.type === 'snapshot') {
            clearTimeout(timer);
            res(m);
          }
        });
      });
      ws.close();
      assert.equal(bar.topic, 'bars');
      assert.equal(bar.key, 'SPX:1m');
      assert.ok(bar.payload.open > 0);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.equal(code, 0, `exit code; stderr: ${stderr.slice(-2000)}`);
    assert.match(log.out, /OPEN MODE/, 'open mode is announced (the log goes to stdout)');
    const store = await openStore({ dataDir });
    try {
      const [{ n }] = await store.select<{ n: number }>(`SELECT count() AS n FROM ${store.table('ticks')} FINAL`);
      assert.ok(n > 1000, `ticks stored: ${n}`);
      const [{ b }] = await store.select<{ b: number }>(`SELECT count() AS b FROM ${store.table('bars')} FINAL WHERE key = {k:String}`, { k: 'SPX:1m' });
      assert.ok(b >= 1, 'bars stored');
    } finally {
      await store.close();
    }
  });

  test('a bad setting stops start with a message naming it', () => {
    const r = spawnSync(process.execPath, [bin, 'start'], { env: { ...process.env, PORT: 'http' }, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /configuration error: PORT: expected a number, got "http"/);
  });

  test('--help lists the configuration variables', () => {
    const r = spawnSync(process.execPath, [bin, 'start', '--help'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0);
    for (const v of ['PORT', 'HOST', 'DATA_DIR', 'KAFKA_BROKERS', 'CLICKHOUSE_URL', 'VOLRISK_BACKEND', 'VOLRISK_SEED', 'VOLRISK_API_KEYS']) assert.match(r.stdout, new RegExp(`\\b${v}\\b`));
  });
});

describe('volrisk ingest --check', () => {
  test('prints per file the counts accepted and rejected by reason', () => {
    const f = join(dir, 'tape.ndjson');
    const ts = Date.parse('2024-01-05T15:00:00Z') * 1000;
    writeFileSync(
      f,
      [
        JSON.stringify({ kind: 'index', symbol: 'SPX', price: 4700, ts }),
        'garbage',
        JSON.stringify({ kind: 'index', symbol: 'SPX', price: 0, ts }),
        JSON.stringify({ kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: '2024-01-19', strike: 4700, right: 'C', bid: 3, ask: 2, ts }),
        JSON.stringify({ kind: 'index', symbol: 'VIX', price: 13, ts }),
      ].join('\n') + '\n',
    );
    const r = spawnSync(process.execPath, [bin, 'ingest', '--check', f], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.files[0], { file: f, format: 'ndjson', accepted: 2, rejected: 3, byReason: { unparseable: 1, non_positive: 1, crossed: 1 } });
  });

  test('every command has --help', () => {
    for (const args of [['--help'], ['ingest', '--help']]) {
      const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0);
      assert.match(r.stdout, /Usage: volrisk/);
    }
  });
});
