/** The positions routes on the real server (auth hook and all), over a live book. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildServer } from './app.ts';
import { parseApiKeys } from './auth.ts';
import { TopicHub } from './hub.ts';
import { EngineMetrics } from './metrics.ts';
import { positionsRoutes } from './positions-routes.ts';
import { PositionsBook } from '../positions/book.ts';
import { CLASSICAL_NAMES } from '../hedging/ratios.ts';

const BOT = 'bot-key-0123456789abcdef';
const ADMIN = 'admin-key-0123456789abcdef';
const call = { kind: 'option', underlying: 'SPX', strike: 4800, expiry: '2024-03-15', right: 'C' };

describe('positions routes', () => {
  let app: FastifyInstance;
  const book = new PositionsBook([{ id: 'a', instrument: { ...call, right: 'C' as const, kind: 'option' as const, underlying: 'SPX' as const }, quantity: -10 }], { methods: CLASSICAL_NAMES });
  const as = (key: string) => ({ authorization: `Bearer ${key}` });

  before(async () => {
    app = await buildServer({
      hub: new TopicHub(['hedges'], 10), metrics: new EngineMetrics(), auth: parseApiKeys(`${BOT}:bot,${ADMIN}:admin`),
      logger: pino({ level: 'silent' }), notReady: () => undefined, info: () => ({}), maxBufferedBytes: 1 << 20,
      plugins: [positionsRoutes(book)],
    });
  });
  after(() => app.close());

  test('any role reads; no key is refused', async () => {
    assert.equal((await app.inject('/api/positions')).statusCode, 401);
    const r = await app.inject({ url: '/api/positions', headers: as(BOT) });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json().positions.map((p: { id: string }) => p.id), ['a']);
    assert.equal((await app.inject({ url: '/api/positions/a', headers: as(BOT) })).json().quantity, -10);
    assert.equal((await app.inject({ url: '/api/positions/nope', headers: as(BOT) })).statusCode, 404);
  });

  test('only an admin changes the book', async () => {
    for (const [method, url] of [['PUT', '/api/positions/a'], ['POST', '/api/positions'], ['DELETE', '/api/positions/a']] as const) {
      const r = await app.inject({ method, url, headers: as(BOT), payload: { instrument: call, quantity: 1 } });
      assert.equal(r.statusCode, 403, `${method} ${url}`);
    }
    assert.equal(book.version, 0);
  });

  test('admin: POST creates, PUT replaces, DELETE removes; the book changes live', async () => {
    const post = await app.inject({ method: 'POST', url: '/api/positions', headers: as(ADMIN), payload: { id: 'b', instrument: call, quantity: 3, method: 'hn' } });
    assert.equal(post.statusCode, 201);
    assert.equal(book.get('b')?.method, 'hn');
    assert.equal((await app.inject({ method: 'POST', url: '/api/positions', headers: as(ADMIN), payload: { id: 'b', instrument: call, quantity: 3 } })).statusCode, 409);
    const put = await app.inject({ method: 'PUT', url: '/api/positions/b', headers: as(ADMIN), payload: { instrument: call, quantity: 4, hedge: -120 } });
    assert.equal(put.statusCode, 200);
    assert.equal(book.get('b')?.hedge, -120);
    assert.equal((await app.inject({ method: 'PUT', url: '/api/positions/c', headers: as(ADMIN), payload: { instrument: { kind: 'future', underlying: 'VIX', expiry: '2024-02-14', multiplier: 1000 }, quantity: 1 } })).statusCode, 201);
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/positions/b', headers: as(ADMIN) })).statusCode, 204);
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/positions/b', headers: as(ADMIN) })).statusCode, 404);
    assert.deepEqual(book.list().map((p) => p.id), ['a', 'c']);
  });

  test('bad bodies get 400 naming the field, and change nothing', async () => {
    const v = book.version;
    const cases: Array<[string, string, unknown, RegExp]> = [
      ['PUT', '/api/positions/a', { instrument: { ...call, strike: 'x' }, quantity: 1 }, /body: instrument\.strike/],
      ['PUT', '/api/positions/a', { instrument: call, quantity: 1, extra: 1 }, /body: extra/],
      ['PUT', '/api/positions/a', { instrument: call, quantity: 1, method: 'nope' }, /unknown hedge method "nope"/],
      ['PUT', '/api/positions/a', { id: 'a', instrument: call, quantity: 1 }, /id: goes in the URL/],
      ['PUT', '/api/positions/book', { instrument: call, quantity: 1 }, /reserved/],
      ['POST', '/api/positions', { instrument: call, quantity: 1 }, /body: id:/],
      ['POST', '/api/positions', [1], /body: must be an object/],
    ];
    for (const [method, url, payload, re] of cases) {
      const r = await app.inject({ method: method as 'PUT', url, headers: as(ADMIN), payload: payload as object });
      assert.equal(r.statusCode, 400, `${method} ${url} ${JSON.stringify(payload)}: ${r.body}`);
      assert.match(r.json().error, re);
    }
    assert.equal(book.version, v);
  });

  test('the routes are in the OpenAPI docs', async () => {
    const doc = (await app.inject('/docs/json')).json();
    assert.ok(doc.paths['/api/positions/{id}'].put);
    assert.ok(doc.paths['/api/positions'].post.requestBody);
  });
});
