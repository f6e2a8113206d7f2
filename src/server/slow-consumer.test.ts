/**
 * Fault test, end to end over real sockets: a hedging bot that stops reading is disconnected
 * with the last sequence it was sent, reconnects with `from`, and ends up with every message
 * exactly once, in order; a bot reading beside it gets every message and is never cut off.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import WebSocket from 'ws';
import { buildServer } from './app.ts';
import { parseApiKeys } from './auth.ts';
import { TopicHub } from './hub.ts';
import { EngineMetrics } from './metrics.ts';

const N = 20_000;
const PAD = 'x'.repeat(1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let app: FastifyInstance;
let ws: string;
const hub = new TopicHub(['hedges'], N);

before(async () => {
  app = await buildServer({
    hub,
    metrics: new EngineMetrics(),
    auth: parseApiKeys(''),
    logger: pino({ level: 'silent' }),
    notReady: () => undefined,
    info: () => ({}),
    maxBufferedBytes: 512 * 1024,
  });
  ws = (await app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws') + '/ws';
  hub.publish({ topic: 'hedges', key: 'book', seq: 1, ts: 1, run: 'live', payload: { pad: PAD } });
});
after(() => app.close());

interface Frame {
  type: string;
  seq?: number;
  payload?: { code?: string; from?: Record<string, number> };
}

/** A bot: subscribes (resuming from `from` when given) and records every frame. */
function bot(from?: number): { client: WebSocket; frames: Frame[]; closed: Promise<number>; ready: Promise<void> } {
  const client = new WebSocket(ws);
  const frames: Frame[] = [];
  client.on('message', (d) => frames.push(JSON.parse(d.toString()) as Frame));
  const closed = new Promise<number>((r) => client.on('close', (code) => r(code)));
  const ready = new Promise<void>((r, j) => {
    client.on('open', () => {
      client.send(JSON.stringify({ op: 'subscribe', topics: ['hedges'], keys: ['book'], ...(from === undefined ? {} : { from: { 'hedges/book': from } }) }));
      r();
    });
    client.on('error', j);
  });
  return { client, frames, closed, ready };
}

test('a bot that stops reading is cut off with its sequence and resumes losslessly; a reading bot is unaffected', async (t) => {
  const slow = bot();
  const steady = bot();
  await Promise.all([slow.ready, steady.ready]);
  await sleep(50);
  // The slow bot stops reading: its kernel buffers fill, then the server's send buffer.
  (slow.client as unknown as { _socket: Socket })._socket.pause();

  for (let seq = 2; seq <= N; seq++) {
    hub.publish({ topic: 'hedges', key: 'book', seq, ts: seq, run: 'live', payload: { pad: PAD } });
    if (seq % 100 === 0) await new Promise((r) => setImmediate(r));
  }
  const until = Date.now() + 20_000;
  while (hub.subscriberCount() > 1 && Date.now() < until) await sleep(10);
  assert.equal(hub.subscriberCount(), 1, 'the slow bot was dropped, the steady one kept');

  (slow.client as unknown as { _socket: Socket })._socket.resume();
  assert.equal(await slow.closed, 4008);
  const err = slow.frames.at(-1)!;
  assert.equal(err.type, 'error');
  assert.equal(err.payload?.code, 'SLOW_CONSUMER');
  const firstPart = slow.frames.filter((f) => f.type === 'snapshot' || f.type === 'update').map((f) => f.seq!);
  const last = err.payload!.from!['hedges/book'];
  assert.equal(firstPart.at(-1), last, 'the resume position is the last message the bot was sent');
  assert.ok(last < N, `cut off before the end (at ${last})`);

  // Resume as a bot does: from the last sequence received, again after every SLOW_CONSUMER (a
  // backlog larger than the send buffer is sent in one go, so it may take a few rounds).
  const resumedSeqs: number[] = [];
  let position = last;
  let rounds = 0;
  const until2 = Date.now() + 30_000;
  while (position < N && Date.now() < until2) {
    rounds++;
    const r = bot(position);
    await r.ready;
    while (Date.now() < until2) {
      const got = r.frames.filter((f) => f.type === 'update').length;
      if (position + got >= N || r.frames.some((f) => f.type === 'error')) break;
      await sleep(10);
    }
    r.client.close();
    await r.closed;
    assert.ok(r.frames.every((f) => f.type === 'update' || (f.type === 'error' && f.payload?.code === 'SLOW_CONSUMER')), 'no gap: the hub still held everything after the resume position');
    for (const f of r.frames) if (f.type === 'update') resumedSeqs.push(f.seq!);
    const e = r.frames.find((f) => f.type === 'error');
    position = e ? e.payload!.from!['hedges/book'] : (resumedSeqs.at(-1) ?? position);
  }
  assert.ok(rounds < 50, `resumed within ${rounds} reconnects`);
  t.diagnostic(`cut off at seq ${last} of ${N}; resumed in ${rounds} reconnect(s)`);
  const all = [...firstPart, ...resumedSeqs];
  assert.deepEqual(all, Array.from({ length: N }, (_, i) => i + 1), 'every message exactly once, in order');

  while (steady.frames.length < N && Date.now() < until2) await sleep(10);
  steady.client.close();
  assert.deepEqual(steady.frames.map((f) => f.seq), Array.from({ length: N }, (_, i) => i + 1));
  assert.ok(steady.frames.every((f) => f.type !== 'error'));
});
