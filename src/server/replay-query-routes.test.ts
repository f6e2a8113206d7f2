/**
 * The replay and query APIs on a real fastify server over embedded ClickHouse, with a real
 * WebSocket client: start a replay and watch its progress on `/ws` topic `replay` until done,
 * list, digest, cancel, refusals (401, 403, files outside the tape folders, a tape that differs
 * from the run's), a topic's values as JSON and CSV over a time range, and two runs compared.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import WebSocket from 'ws';
import { ALL_TOPICS } from '../bus/topics.ts';
import { openStore, type Store } from '../store/client.ts';
import { ReplayManager } from '../replay/manager.ts';
import { REPLAY_TOPIC, type ReplayProgress } from '../replay/progress.ts';
import { writeSimTape } from '../replay/sim-tape-file.ts';
import { buildServer } from './app.ts';
import { parseApiKeys } from './auth.ts';
import { TopicHub } from './hub.ts';
import { EngineMetrics } from './metrics.ts';
import { queryRoutes, toCsv } from './query-routes.ts';
import { replayRoutes } from './replay-routes.ts';

const ANALYST = 'analyst-key-0123456789abcdef';
const DASH = 'dash-key-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'volrisk-replay-api-'));
const tapes = join(dir, 'tapes');
const tape = join(tapes, 'a.ndjson');
const other = join(tapes, 'b.ndjson');

describe('replay and query API', () => {
  let store: Store;
  let app: FastifyInstance;
  let url: string;
  let manager: ReplayManager;
  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const post = (body: unknown, key = ANALYST) => app.inject({ method: 'POST', url: '/api/replays', headers: as(key), payload: body as object });

  before(async () => {
    mkdirSync(tapes);
    await writeSimTape(tape, { seed: 41, maxTicks: 8_000, start: '2024-01-02T15:59:45' });
    await writeSimTape(other, { seed: 42, maxTicks: 8_000, start: '2024-01-02T15:59:45' });
    store = await openStore({ dataDir: join(dir, 'data') });
    const hub = new TopicHub([...ALL_TOPICS, REPLAY_TOPIC], 1000);
    manager = new ReplayManager({ store, hub });
    app = await buildServer({
      hub,
      metrics: new EngineMetrics(),
      auth: parseApiKeys(`${ANALYST}:analyst,${DASH}:dashboard`),
      logger: pino({ level: 'silent' }),
      notReady: () => undefined,
      info: () => ({}),
      maxBufferedBytes: 1 << 20,
      plugins: [replayRoutes({ manager, tapeDirs: [tapes] }), queryRoutes({ store })],
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await manager?.stop();
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a replay started over REST reports its progress on /ws until done', { timeout: 120_000 }, async () => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { headers: as(ANALYST) });
    const seen: Array<{ type: string; seq: number; payload: ReplayProgress }> = [];
    const done = new Promise<void>((resolve, reject) => {
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString()) as { type: string; seq: number; payload: ReplayProgress };
        seen.push(m);
        if (m.payload?.status === 'done') resolve();
      });
      ws.on('error', reject);
    });
    await new Promise((r) => ws.on('open', r));
    ws.send(JSON.stringify({ op: 'subscribe', topics: [REPLAY_TOPIC], keys: ['api-1'] }));
    await new Promise((r) => setTimeout(r, 100));

    const r = await post({ run: 'api-1', tape: { kind: 'files', files: [tape] }, checkpointEvery: 2000 });
    assert.equal(r.statusCode, 202, r.body);
    assert.equal(r.json().status, 'running');
    assert.equal(r.json().active, true);
    await done;
    ws.close();
    assert.ok(seen.length >= 2, `${seen.length} progress messages`);
    assert.deepEqual(seen.map((m) => m.seq), seen.map((_, i) => i + 1), 'every progress message, in order');
    assert.equal(seen.at(-1)!.payload.position, 8_000);

    const one = (await app.inject({ url: '/api/replays/api-1', headers: as(ANALYST) })).json();
    assert.equal(one.status, 'done');
    assert.equal(one.position, 8_000);
    const list = (await app.inject({ url: '/api/replays', headers: as(ANALYST) })).json() as Array<{ run: string }>;
    assert.ok(list.some((x) => x.run === 'api-1'));
    const digest = (await app.inject({ url: '/api/replays/api-1/digest', headers: as(ANALYST) })).json();
    assert.equal(digest['ticks.raw'].rows, 8_000);
    assert.equal((await app.inject({ url: '/api/replays/nope', headers: as(ANALYST) })).statusCode, 404);
  });

  test('refusals: no key, wrong role, a file outside the tape folders, another tape under a used run id', async () => {
    assert.equal((await app.inject({ method: 'POST', url: '/api/replays', payload: {} })).statusCode, 401);
    const forbidden = await post({ run: 'x', tape: { kind: 'files', files: [tape] } }, DASH);
    assert.equal(forbidden.statusCode, 403);
    assert.equal((await app.inject({ url: '/api/runs/api-1/topics/bars', headers: as(DASH) })).statusCode, 403);
    const outside = await post({ run: 'x', tape: { kind: 'files', files: ['/etc/passwd'] } });
    assert.equal(outside.statusCode, 400);
    assert.match(outside.json().error, /outside the folders replays may read/);
    const escape = await post({ run: 'x', tape: { kind: 'files', files: [join(tapes, '../data')] } });
    assert.equal(escape.statusCode, 400);
    const used = await post({ run: 'api-1', tape: { kind: 'files', files: [other] } });
    assert.equal(used.statusCode, 409);
    assert.match(used.json().error, /already holds a replay of another tape/);
    const speed = await post({ run: 'x', tape: { kind: 'files', files: [tape] }, speed: 'warp' });
    assert.equal(speed.statusCode, 400);
    assert.match(speed.json().message, /speed/);
  });

  test('a running replay is cancelled, and resumes to completion with the same request', { timeout: 120_000 }, async () => {
    const body = { run: 'api-slow', tape: { kind: 'files', files: [other] }, speed: 'realtime', checkpointEvery: 500 };
    assert.equal((await post(body)).statusCode, 202);
    await new Promise((r) => setTimeout(r, 1500));
    const c = await app.inject({ method: 'DELETE', url: '/api/replays/api-slow', headers: as(ANALYST) });
    assert.equal(c.statusCode, 200, c.body);
    assert.equal(c.json().status, 'cancelled');
    assert.ok(c.json().position < 8_000);
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/replays/api-slow', headers: as(ANALYST) })).statusCode, 404);
    assert.equal((await post({ ...body, speed: 'max' })).statusCode, 202);
    await manager.settled('api-slow');
    assert.equal((await manager.get('api-slow'))?.status, 'done');
  });

  test("a topic's values over a time range, as JSON with chosen fields and as CSV", { timeout: 60_000 }, async () => {
    const all = (await app.inject({ url: '/api/runs/api-1/topics/bars?key=SPX:1m&fields=close,high,interval', headers: as(ANALYST) })).json() as Array<{ ts: number; seq: number; values: Record<string, unknown> }>;
    assert.ok(all.length >= 1);
    assert.equal(all[0].values.interval, '1m');
    assert.equal(typeof all[0].values.close, 'number');
    const every = (await app.inject({ url: '/api/runs/api-1/topics/ticks.raw?limit=1000000', headers: as(ANALYST) })).json() as Array<{ ts: number }>;
    assert.equal(every.length, 8_000);
    const from = every[1000].ts;
    const to = every[3000].ts;
    const ranged = (await app.inject({ url: `/api/runs/api-1/topics/ticks.raw?from=${from}&to=${new Date(to / 1000).toISOString()}&limit=1000000`, headers: as(ANALYST) })).json() as Array<{ ts: number }>;
    assert.equal(ranged.length, every.filter((t) => t.ts >= from && t.ts < Math.floor(to / 1000) * 1000).length);
    assert.ok(ranged.every((t) => t.ts >= from));
    const csv = await app.inject({ url: '/api/runs/api-1/topics/bars?key=SPX:1m&fields=close,high&format=csv', headers: as(ANALYST) });
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    const lines = csv.body.trimEnd().split('\n');
    assert.equal(lines[0], 'run,topic,key,seq,ts,time,close,high');
    assert.equal(lines.length, all.length + 1);
    assert.equal(lines[1].split(',')[6], String(all[0].values.close));
    // Values are bound, never spliced into the SQL: a hostile key is just a key with no rows.
    const hostile = await app.inject({ url: `/api/runs/api-1/topics/bars?key=${encodeURIComponent("x'; DROP TABLE bars; --")}`, headers: as(ANALYST) });
    assert.deepEqual(hostile.json(), []);
    assert.equal((await app.inject({ url: '/api/runs/api-1/topics/bars?from=yesterday', headers: as(ANALYST) })).statusCode, 400);
    const keys = (await app.inject({ url: '/api/runs/api-1/topics/bars/keys', headers: as(ANALYST) })).json() as Array<{ key: string; count: number }>;
    assert.ok(keys.some((k) => k.key === 'SPX:1m' && k.count === all.length));
  });

  test('two runs compared: identical for the same tape, and where they differ for another', { timeout: 120_000 }, async () => {
    const same = (await app.inject({ url: '/api/compare/surface?a=api-1&b=api-slow', headers: as(ANALYST) })).json();
    assert.equal(same.identical, false, 'another tape');
    assert.equal((await post({ run: 'api-2', tape: { kind: 'files', files: [tape] } })).statusCode, 202);
    await manager.settled('api-2');
    const c = (await app.inject({ url: '/api/compare/surface?a=api-1&b=api-2&details=5', headers: as(ANALYST) })).json();
    assert.equal(c.identical, true);
    assert.deepEqual(c.differences, []);
    const csv = (await app.inject({ url: '/api/compare/bars?a=api-1&b=api-slow&format=csv', headers: as(ANALYST) })).body.trimEnd().split('\n');
    assert.equal(csv[0], 'key,rowsA,rowsB,equal,different,onlyA,onlyB');
    assert.ok(csv.length > 1);
    assert.equal((await app.inject({ url: '/api/compare/bars?a=api-1&b=api-1', headers: as(ANALYST) })).statusCode, 400);
  });

  test('CSV fields are quoted when they hold commas, quotes or line breaks (RFC 4180)', () => {
    assert.equal(toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['line\nbreak', null]]), 'a,b\n"x,y","say ""hi"""\n"line\nbreak",\n');
  });
});
