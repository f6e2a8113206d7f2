/**
 * Security of the whole HTTP surface, route by route: a policy table names the roles of every
 * route, and the test fails when a route exists that the table does not cover. Every protected
 * route answers 401 without a key or with an unknown one and 403 to a role outside its policy;
 * per-key rate limits; body size limit; schema validation of queries.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import WebSocket from 'ws';
import { buildServer, type ServerDeps } from './app.ts';
import { parseApiKeys, ROLES, type Role } from './auth.ts';
import { TopicHub } from './hub.ts';
import { EngineMetrics } from './metrics.ts';

const KEYS: Record<Role, string> = {
  dashboard: 'dash-key-0123456789abcdef',
  bot: 'bot-key-0123456789abcdef0',
  analyst: 'analyst-key-0123456789abc',
  admin: 'admin-key-0123456789abcdef',
};
const OTHER_BOT = 'bot-key-2-0123456789abcdef';

/** Who may call what: 'public', or the roles allowed. Every route of the server must be listed. */
const POLICY: Record<string, 'public' | readonly Role[]> = {
  'GET /': 'public',
  'GET /health': 'public',
  'GET /ready': 'public',
  'GET /metrics': ROLES,
  'GET /api/info': ROLES,
  'GET /api/topics': ROLES,
  'GET /api/latest/:topic': ROLES,
  'POST /api/ticks': ['admin'],
  'GET /ws': ROLES,
};

const RATE = 40;

async function serve(opts: Pick<ServerDeps, 'rateLimitPerMinute' | 'bodyLimit' | 'plugins'> = {}): Promise<FastifyInstance> {
  const hub = new TopicHub(['bars', 'hedges'], 10);
  hub.publish({ topic: 'bars', key: 'SPX:1m', seq: 1, ts: 1, run: 'live', payload: { close: 4700 } });
  return buildServer({
    hub,
    metrics: new EngineMetrics(),
    auth: parseApiKeys([...Object.entries(KEYS).map(([r, k]) => `${k}:${r}`), `${OTHER_BOT}:bot`].join(',')),
    logger: pino({ level: 'silent' }),
    notReady: () => undefined,
    info: () => ({ ok: true }),
    maxBufferedBytes: 1 << 20,
    ingest: async () => ({ accepted: 0, rejected: 0, byReason: {}, rejects: [] }),
    ...opts,
  });
}

const concrete = (path: string) => path.replace(':topic', 'bars');

describe('every route enforces its roles', () => {
  let app: FastifyInstance;
  const routes: string[] = [];
  before(async () => {
    app = await serve();
    // The OpenAPI document lists every route; hidden ones (/metrics, /ws, /) are added by hand below.
    const doc = (await app.inject('/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
    for (const [path, ops] of Object.entries(doc.paths)) for (const m of Object.keys(ops)) routes.push(`${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    routes.push('GET /metrics', 'GET /ws', 'GET /');
  });
  after(() => app.close());

  test('the policy table covers every route', () => {
    assert.ok(routes.length >= 8, `found ${routes.length} routes`);
    for (const r of routes) assert.ok(r in POLICY, `route ${r} has no entry in the auth policy table`);
    for (const r of Object.keys(POLICY)) assert.ok(routes.includes(r), `policy entry ${r} names no route`);
  });

  test('401 without a key and with an unknown key on every protected route', async () => {
    for (const [route, policy] of Object.entries(POLICY)) {
      if (policy === 'public') continue;
      const [method, path] = route.split(' ') as ['GET' | 'POST', string];
      for (const headers of [{}, { authorization: 'Bearer not-a-key-0123456789' }, { 'x-api-key': 'also-not-a-key-0123456' }]) {
        const r = await app.inject({ method, url: concrete(path), headers });
        assert.equal(r.statusCode, 401, `${route} with ${JSON.stringify(headers)}`);
        assert.equal(r.json().code, 'UNAUTHORIZED');
      }
    }
  });

  test('403 for every role outside a route policy, not 401/403 for the roles inside', async () => {
    for (const [route, policy] of Object.entries(POLICY)) {
      const [method, path] = route.split(' ') as ['GET' | 'POST', string];
      if (path === '/ws') continue; // an upgrade: checked with a real socket below
      for (const role of ROLES) {
        const r = await app.inject({ method, url: concrete(path), headers: { authorization: `Bearer ${KEYS[role]}`, 'content-type': 'application/x-ndjson' }, payload: method === 'POST' ? '' : undefined });
        const allowed = policy === 'public' || policy.includes(role);
        if (allowed) assert.ok(r.statusCode !== 401 && r.statusCode !== 403, `${route} as ${role}: ${r.statusCode}`);
        else {
          assert.equal(r.statusCode, 403, `${route} as ${role}`);
          assert.equal(r.json().code, 'FORBIDDEN');
        }
      }
    }
  });

  test('the WebSocket upgrade: 401 without a key or with an unknown one; every role may subscribe', async () => {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const ws = `${url.replace(/^http/, 'ws')}/ws`;
    for (const headers of [{}, { authorization: 'Bearer nope-nope-nope-nope-nope' }]) {
      const c = new WebSocket(ws, { headers });
      const status = await new Promise<number>((r) => c.on('unexpected-response', (_q, res) => r(res.statusCode ?? 0)).on('error', () => {}));
      assert.equal(status, 401);
    }
    for (const role of ROLES) {
      const c = new WebSocket(`${ws}?key=${KEYS[role]}`);
      const first = await new Promise<{ type: string }>((r, j) => {
        c.on('open', () => c.send(JSON.stringify({ op: 'subscribe', topics: ['bars'] })));
        c.on('message', (d) => r(JSON.parse(d.toString())));
        c.on('error', j);
      });
      c.close();
      assert.equal(first.type, 'snapshot', role);
    }
  });

  test('queries are validated by schema, with the field named', async () => {
    const h = { authorization: `Bearer ${KEYS.admin}`, 'content-type': 'text/plain' };
    for (const url of ['/api/ticks?src=a%20b', '/api/ticks?date=2024-1-1', '/api/ticks?format=xml']) {
      const r = await app.inject({ method: 'POST', url, headers: h, payload: 'x' });
      assert.equal(r.statusCode, 400, url);
      assert.match(r.json().message, /querystring\/(src|date|format)/, url);
    }
    const long = await app.inject({ url: `/api/latest/${'t'.repeat(65)}`, headers: { authorization: `Bearer ${KEYS.bot}` } });
    assert.equal(long.statusCode, 400);
  });
});

describe('limits', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await serve({ rateLimitPerMinute: RATE, bodyLimit: 1024, plugins: [async (a) => void a.post('/api/echo', { config: { roles: ['admin'] } }, async (req) => req.body)] });
  });
  after(() => app.close());

  test('per-key rate limit: a key past its quota gets 429, another key is unaffected', async () => {
    const get = (key: string) => app.inject({ url: '/api/topics', headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < RATE; i++) assert.equal((await get(KEYS.bot)).statusCode, 200, `request ${i + 1}`);
    const over = await get(KEYS.bot);
    assert.equal(over.statusCode, 429);
    assert.ok(Number(over.headers['retry-after']) > 0);
    assert.equal((await get(OTHER_BOT)).statusCode, 200, 'another key keeps its own quota');
  });

  test('a body over the general limit is refused with 413 (a plugin route, as other concerns add theirs)', async () => {
    const h = { authorization: `Bearer ${KEYS.admin}`, 'content-type': 'application/json' };
    assert.equal((await app.inject({ method: 'POST', url: '/api/echo', headers: h, payload: JSON.stringify({ pad: 'x'.repeat(2048) }) })).statusCode, 413);
    assert.equal((await app.inject({ method: 'POST', url: '/api/echo', headers: h, payload: JSON.stringify({ pad: 'x' }) })).statusCode, 200);
  });

  test('ingest takes files up to 64 MiB at least, and refuses more with 413', async () => {
    const h = { authorization: `Bearer ${KEYS.admin}`, 'content-type': 'text/plain' };
    assert.equal((await app.inject({ method: 'POST', url: '/api/ticks', headers: h, payload: 'x'.repeat(64 * 1024 * 1024 + 1) })).statusCode, 413);
    assert.equal((await app.inject({ method: 'POST', url: '/api/ticks', headers: h, payload: 'x'.repeat(2048) })).statusCode, 200);
  });
});
