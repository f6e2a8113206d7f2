import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message } from '../bus/message.ts';
import { TopicHub } from './hub.ts';
import { WsSession, type SocketLike } from './ws-session.ts';

class FakeSocket implements SocketLike {
  sent: unknown[] = [];
  closedWith?: [number | undefined, string | undefined];
  bufferedAmount = 0;
  readyState = 1;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number, reason?: string) {
    this.closedWith = [code, reason];
    this.readyState = 3;
  }
}

const msg = (topic: string, key: string, seq: number): Message => ({ topic, key, seq, ts: seq * 1000, run: 'live', payload: { v: seq } });

function setup(depth = 100) {
  const hub = new TopicHub(['bars', 'hedges'], depth);
  const socket = new FakeSocket();
  const session = new WsSession(socket, hub, { maxBufferedBytes: 1000 });
  return { hub, socket, session };
}

describe('WebSocket session protocol', () => {
  test('a resume older than the in-memory log is served from the store, and only what the store lacks is a gap', async () => {
    const stored = Array.from({ length: 10 }, (_, i) => msg('hedges', 'book', i + 1));
    const run = async (storeHas: (m: Message) => boolean) => {
      const hub = new TopicHub(['hedges'], 3);
      for (const m of stored) hub.publish(m);
      const socket = new FakeSocket();
      const session = new WsSession(socket, hub, {
        maxBufferedBytes: 1 << 20,
        backfill: async (topic, key, after, limit) => stored.filter((m) => m.topic === topic && m.key === key && m.seq > after && storeHas(m)).slice(0, limit),
      });
      session.onMessage(JSON.stringify({ op: 'subscribe', topics: ['hedges'], from: { 'hedges/book': 2 } }));
      hub.publish(msg('hedges', 'book', 11)); // live, while the store is read
      await new Promise((r) => setTimeout(r, 20));
      session.dispose();
      return socket.sent.map((m) => ((m as { type: string }).type === 'gap' ? `gap ${JSON.stringify((m as Message).payload)}` : (m as Message).seq));
    };
    assert.deepEqual(await run(() => true), [3, 4, 5, 6, 7, 8, 9, 10, 11], 'every message, in order, no gap');
    assert.deepEqual(await run((m) => m.seq !== 5), [3, 4, 'gap {"from":5,"to":7}', 8, 9, 10, 11], 'the store lacks seq 5: a gap for what it cannot give');
  });

  test('a resume larger than the send buffer goes out as the socket drains, in order, with live updates after it', async () => {
    const hub = new TopicHub(['hedges'], 1000);
    // A socket whose buffer fills by 100 bytes a message and drains only when the test says so.
    const socket = new FakeSocket();
    const send = socket.send.bind(socket);
    socket.send = (d: string) => {
      socket.bufferedAmount += 100;
      send(d);
    };
    const session = new WsSession(socket, hub, { maxBufferedBytes: 1000 });
    for (let s = 1; s <= 200; s++) hub.publish(msg('hedges', 'book', s));
    session.onMessage(JSON.stringify({ op: 'subscribe', topics: ['hedges'], from: { 'hedges/book': 0 } }));
    hub.publish(msg('hedges', 'book', 201)); // live, while the resume is still owed
    for (let i = 0; i < 100 && socket.sent.length < 201; i++) {
      socket.bufferedAmount = 0;
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(socket.closedWith, undefined, 'not cut off');
    assert.deepEqual(socket.sent.map((m) => (m as Message).seq), Array.from({ length: 201 }, (_, i) => i + 1));
    session.dispose();
  });

  test('subscribe answers each key with a snapshot, then updates follow', () => {
    const { hub, socket, session } = setup();
    hub.publish(msg('bars', 'SPX:1m', 1));
    hub.publish(msg('bars', 'SPX:1m', 2));
    hub.publish(msg('bars', 'VIX:1m', 1));
    session.onMessage(JSON.stringify({ op: 'subscribe', topics: ['bars'] }));
    assert.deepEqual(
      socket.sent.map((m) => [(m as Message & { type: string }).type, (m as Message).key, (m as Message).seq]),
      [
        ['snapshot', 'SPX:1m', 2],
        ['snapshot', 'VIX:1m', 1],
      ],
    );
    hub.publish(msg('bars', 'SPX:1m', 3));
    hub.publish(msg('hedges', 'book', 1)); // not subscribed
    assert.deepEqual(socket.sent.at(-1), { type: 'update', topic: 'bars', key: 'SPX:1m', seq: 3, ts: 3000, run: 'live', payload: { v: 3 } });
    assert.equal(socket.sent.length, 3);
  });

  test('keys filter; resume from a sequence sends every later message; unknown older ones give a gap', () => {
    const { hub, socket, session } = setup(3);
    for (let s = 1; s <= 6; s++) hub.publish(msg('hedges', 'book', s));
    hub.publish(msg('hedges', 'other', 1));
    session.onMessage(JSON.stringify({ op: 'subscribe', topics: ['hedges'], keys: ['book'], from: { 'hedges/book': 4 } }));
    assert.deepEqual(socket.sent.map((m) => [(m as { type: string }).type, (m as Message).seq]), [
      ['update', 5],
      ['update', 6],
    ]);
    socket.sent = [];
    session.onMessage(JSON.stringify({ op: 'subscribe', topics: ['hedges'], keys: ['book'], from: { 'hedges/book': 1 } }));
    // ring depth 3 holds 4..6: 2..3 are gone, said so explicitly
    assert.deepEqual(socket.sent[0], { type: 'gap', topic: 'hedges', key: 'book', seq: 3, payload: { from: 2, to: 3 } });
    hub.publish(msg('hedges', 'other', 2));
    assert.equal(socket.sent.length, 1, 'other key filtered out; 4..6 already sent are not repeated');
  });

  test('a duplicate (at-least-once redelivery) is not sent twice', () => {
    const { hub, socket, session } = setup();
    session.onMessage(JSON.stringify({ op: 'subscribe', topics: ['bars'] }));
    hub.publish(msg('bars', 'SPX:1m', 1));
    hub.publish(msg('bars', 'SPX:1m', 1));
    assert.equal(socket.sent.length, 1);
  });

  test('bad input gets an error naming what is wrong, and the session goes on', () => {
    const { socket, session } = setup();
    session.onMessage('{not json');
    session.onMessage(JSON.stringify({ op: 'subscribe', topics: ['nope'] }));
    session.onMessage(JSON.stringify({ op: 'subscribe' }));
    session.onMessage(JSON.stringify({ op: 'ping', id: 7 }));
    const types = socket.sent.map((m) => [(m as { type: string }).type, (m as { payload: { code?: string } }).payload?.code]);
    assert.deepEqual(types, [
      ['error', 'BAD_JSON'],
      ['error', 'UNKNOWN_TOPIC'],
      ['error', 'BAD_MESSAGE'],
      ['pong', undefined],
    ]);
  });

  test('a slow client is told its last sequences and disconnected', () => {
    const { hub, socket, session } = setup();
    session.onMessage(JSON.stringify({ op: 'subscribe', topics: ['hedges'] }));
    hub.publish(msg('hedges', 'book', 1));
    socket.bufferedAmount = 5000;
    hub.publish(msg('hedges', 'book', 2));
    const last = socket.sent.at(-1) as { type: string; payload: { code: string; from: Record<string, number> } };
    assert.equal(last.type, 'error');
    assert.equal(last.payload.code, 'SLOW_CONSUMER');
    assert.deepEqual(last.payload.from, { 'hedges/book': 1 });
    assert.equal(socket.closedWith?.[0], 4008);
    assert.equal(hub.subscriberCount(), 0);
  });

  test('unsubscribe stops updates', () => {
    const { hub, socket, session } = setup();
    session.onMessage(JSON.stringify({ op: 'subscribe', topics: ['bars'] }));
    session.onMessage(JSON.stringify({ op: 'unsubscribe', topics: ['bars'] }));
    hub.publish(msg('bars', 'SPX:1m', 1));
    assert.equal(socket.sent.length, 0);
  });
});
