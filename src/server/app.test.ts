/** The HTTP surface with real fastify and a real WebSocket client: auth, REST, docs, limits. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import WebSocket from 'ws';
import { buildServer } from './app.ts';
import { parseApiKeys } from './auth.ts';
import { TopicHub } from './hub.ts';
import { EngineMetrics } from './metrics.ts';

const BOT = 'bot-key-0123456789abcdef';
const DASH = 'dash-key-0123456789abcdef';
const ADMIN = 'admin-key-0123456789abcdef';

describe('server with API keys', () => {
  let app: FastifyInstance;
  let url: string;
  const hub = new TopicHub(['bars', 'hedges'], 10);
  const ingested: string[] = [];

  before(async () => {
    app = await buildServer({
      hub,
      metrics: new EngineMetrics(),
      auth: parseApiKeys(`${BOT}:bot,${DASH}:dashboard,${ADMIN}:admin`),
      logger: pino({ level: 'silent' }),
      notReady: () => undefined,
      info: () => ({ ok: true }),
      maxBufferedBytes: 1 << 20,
      ingest: async (text, o) => {
        ingested.push(`${o.format}:${o.src}:${text}`);
        return { accepted: 1, rejected: 0, byReason: {}, rejects: [] };
      },
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    hub.publish({ topic: 'bars', key: 'SPX:1m', seq: 1, ts: 1, run: 'live', payload: { close: 4700 } });
  });
  after(() => app.close());

  test('health and readiness need no key', async () => {
    assert.equal((await app.inject('/health')).statusCode, 200);
    assert.equal((await app.inject('/ready')).statusCode, 200);
  });

  test('401 without a key or with an unknown one, 403 with the wrong role', async () => {
    assert.equal((await app.inject('/api/latest/bars')).statusCode, 401);
    assert.equal((await app.inject({ url: '/api/latest/bars', headers: { authorization: 'Bearer nope' } })).statusCode, 401);
    const forbidden = await app.inject({ method: 'POST', url: '/api/ticks', headers: { authorization: `Bearer ${DASH}`, 'content-type': 'text/plain' }, payload: '{}' });
    assert.equal(forbidden.statusCode, 403);
    assert.match(forbidden.json().error, /role "dashboard" may not use POST \/api\/ticks/);
  });

  test('a key in a header or the query string reads latest values', async () => {
    const r = await app.inject({ url: '/api/latest/bars', headers: { 'x-api-key': BOT } });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json()[0].payload, { close: 4700 });
    assert.equal((await app.inject(`/api/latest/bars?key=SPX:1m`)).statusCode, 401, 'key= is the value filter here, not a credential');
    assert.equal((await app.inject({ url: '/api/latest/nope', headers: { 'x-api-key': BOT } })).statusCode, 404);
  });

  test('admin ingests text in a named format', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/ticks?format=csv&src=upload', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/plain' }, payload: 'kind,symbol\n' });
    assert.equal(r.statusCode, 200);
    assert.equal(ingested.at(-1), 'csv:upload:kind,symbol\n');
    const bad = await app.inject({ method: 'POST', url: '/api/ticks?format=xml', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/plain' }, payload: 'x' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().message, /format/);
  });

  test('OpenAPI docs are generated from the route schemas', async () => {
    const r = await app.inject('/docs/json');
    assert.equal(r.statusCode, 200);
    const doc = r.json();
    assert.ok(doc.paths['/api/ticks'].post);
    assert.ok(doc.components.schemas.ClientMessage);
    const ui = await app.inject('/docs');
    assert.equal(ui.statusCode, 200);
    assert.match(ui.headers['content-type'] as string, /text\/html/);
    const css = await app.inject('/docs/static/swagger-ui.css'); // served by @fastify/static
    assert.equal(css.statusCode, 200);
  });

  test('the WebSocket needs a key: rejected without, served with', async () => {
    const ws = `${url.replace(/^http/, 'ws')}/ws`;
    const denied = new WebSocket(ws);
    const status = await new Promise<number>((r) => denied.on('unexpected-response', (_req, res) => r(res.statusCode ?? 0)).on('error', () => {}));
    assert.equal(status, 401);
    const client = new WebSocket(ws, { headers: { authorization: `Bearer ${DASH}` } });
    const first = await new Promise<{ type: string; key: string }>((r, j) => {
      client.on('open', () => client.send(JSON.stringify({ op: 'subscribe', topics: ['bars'] })));
      client.on('message', (d) => r(JSON.parse(d.toString())));
      client.on('error', j);
    });
    client.close();
    assert.deepEqual([first.type, first.key], ['snapshot', 'SPX:1m']);
  });

  test('an oversize WebSocket message closes the connection with 1009', async () => {
    const client = new WebSocket(`${url.replace(/^http/, 'ws')}/ws?key=${BOT}`);
    await new Promise((r) => client.on('open', r));
    client.send('x'.repeat(100 * 1024));
    const code = await new Promise<number>((r) => client.on('close', (c) => r(c)));
    assert.equal(code, 1009);
  });
});

describe('open mode', () => {
  test('every caller is admin, and auth says so', () => {
    const a = parseApiKeys('');
    assert.equal(a.open, true);
    assert.equal(a.roleOf(undefined), 'admin');
  });
  test('a malformed key list is refused with the reason', () => {
    assert.throws(() => parseApiKeys('short:bot'), /at least 16 characters/);
    assert.throws(() => parseApiKeys(`${BOT}:root`), /role one of dashboard, bot, analyst, admin/);
  });
});
