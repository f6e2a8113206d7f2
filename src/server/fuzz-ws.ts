/**
 * Fuzzing of the `/ws` protocol: fast-check arbitraries of client frames (random text, JSON of
 * any shape, ops with wrong, missing, extra or huge fields, resume positions at the edges) fed to
 * a real WsSession over a real TopicHub; the socket is a recorder. Invariants: the session never
 * throws, answers every bad frame with an `error` naming a known code and what was wrong, keeps
 * the connection open for bad frames, answers a ping after any sequence, and keeps per-session
 * state bounded. Used by the CI fuzz test and by `loadtests/fuzz.ts`.
 */
import fc from 'fast-check';
import type { Message } from '../bus/message.ts';
import { TopicHub } from './hub.ts';
import { WsSession, type SocketLike } from './ws-session.ts';

const CODES = new Set(['BAD_JSON', 'BAD_MESSAGE', 'UNKNOWN_TOPIC', 'FORBIDDEN', 'SLOW_CONSUMER', 'TOO_LARGE']);
const TOPICS = ['bars', 'hedges'];

/** Records what the session sends; never slow, so every frame is answered. */
class RecordingSocket implements SocketLike {
  frames: string[] = [];
  closed: number | undefined;
  bufferedAmount = 0;
  readyState = 1;
  send(data: string): void {
    this.frames.push(data);
  }
  close(code?: number): void {
    this.closed = code ?? 1000;
    this.readyState = 3;
  }
}

const str = fc.oneof(fc.constantFrom('bars', 'hedges', 'nope', '', 'bars/SPX:1m', 'SPX:1m', 'book', '__proto__', 'constructor'), fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }));
const num = fc.oneof(fc.constantFrom(0, -1, 1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 63, 1000, 1001), fc.double(), fc.integer());
const any = fc.oneof(str, num, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));

const op = fc.record(
  {
    op: fc.oneof(fc.constantFrom('subscribe', 'unsubscribe', 'ping', 'SUBSCRIBE', 'pong', ''), any),
    topics: fc.oneof(fc.array(str, { maxLength: 4 }), any, fc.constant(Array.from({ length: 70 }, () => 'bars'))),
    keys: fc.oneof(fc.array(str, { maxLength: 4 }), any),
    from: fc.oneof(fc.dictionary(str, num, { maxKeys: 3 }), fc.constant({ 'bars/SPX:1m': 0 }), fc.constant({ 'hedges/book': 3 }), any),
    maxRate: fc.oneof(num, any),
    id: any,
    extra: any,
  },
  { requiredKeys: [] },
);

/** Well-formed ops with values at the edges: these reach subscribe, resume and conflation. */
const nearValid = fc.oneof(
  fc.record(
    {
      op: fc.constant('subscribe'),
      topics: fc.array(fc.constantFrom('bars', 'hedges', 'nope'), { minLength: 1, maxLength: 3 }),
      keys: fc.array(fc.constantFrom('SPX:1m', 'book', 'x', ''), { maxLength: 3 }),
      from: fc.dictionary(fc.constantFrom('bars/SPX:1m', 'hedges/book', 'bars/x', 'nope'), fc.nat({ max: 20 }), { maxKeys: 2 }),
      maxRate: fc.double({ min: 0.001, max: 1000, noNaN: true }),
    },
    { requiredKeys: ['op', 'topics'] },
  ),
  fc.record({ op: fc.constant('unsubscribe'), topics: fc.array(fc.constantFrom('bars', 'hedges', 'nope'), { minLength: 1, maxLength: 2 }), keys: fc.array(fc.constantFrom('SPX:1m', 'book'), { maxLength: 2 }) }, { requiredKeys: ['op', 'topics'] }),
  fc.record({ op: fc.constant('ping'), id: fc.oneof(fc.string({ maxLength: 70 }), fc.double()) }, { requiredKeys: ['op'] }),
);

/** A client frame: ops with junk, well-formed ops at the edges, some raw text. */
export const wsFrame: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nearValid.map((o) => JSON.stringify(o)) },
  { weight: 6, arbitrary: op.map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: op.map((o) => JSON.stringify(o)).chain((s) => fc.nat({ max: s.length }).map((i) => s.slice(0, i))) },
);

/** Tallies over fuzzed frames. */
export interface WsFuzzTally {
  frames: number;
  errors: Record<string, number>;
  delivered: number;
}

export const newWsTally = (): WsFuzzTally => ({ frames: 0, errors: {}, delivered: 0 });

const msg = (topic: string, key: string, seq: number): Message => ({ topic, key, seq, ts: seq, run: 'live', payload: { v: seq } });

/**
 * Runs one session through `frames`, with hub traffic between them, and checks the invariants;
 * throws naming the frame when one breaks.
 */
export function checkSession(frames: readonly string[], tally: WsFuzzTally): void {
  const hub = new TopicHub(TOPICS, 8);
  for (let s = 1; s <= 3; s++) {
    hub.publish(msg('bars', 'SPX:1m', s));
    hub.publish(msg('hedges', 'book', s));
  }
  const socket = new RecordingSocket();
  const session = new WsSession(socket, hub, { maxBufferedBytes: 1 << 20 });
  let seq = 3;
  try {
    for (const f of frames) {
      tally.frames++;
      const before = socket.frames.length;
      try {
        session.onMessage(f);
      } catch (e) {
        throw new Error(`session threw ${(e as Error).message} on frame ${JSON.stringify(f.slice(0, 300))}`, { cause: e });
      }
      for (const out of socket.frames.slice(before)) {
        const m = JSON.parse(out) as { type: string; payload?: { code?: string; message?: string } };
        if (m.type === 'error') {
          const code = m.payload?.code ?? '';
          if (!CODES.has(code) || !m.payload?.message) throw new Error(`error frame without a known code and message: ${out} for frame ${JSON.stringify(f.slice(0, 300))}`);
          tally.errors[code] = (tally.errors[code] ?? 0) + 1;
        } else if (!['snapshot', 'update', 'gap', 'pong'].includes(m.type)) throw new Error(`unexpected server frame ${out}`);
      }
      if (socket.closed !== undefined) throw new Error(`a bad frame closed the connection (${socket.closed}): ${JSON.stringify(f.slice(0, 300))}`);
      seq++;
      hub.publish(msg('bars', 'SPX:1m', seq));
      hub.publish(msg('hedges', 'book', seq));
    }
    const before = socket.frames.length;
    session.onMessage('{"op":"ping","id":"last"}');
    const pong = socket.frames.slice(before).map((x) => JSON.parse(x) as { type: string; payload?: { id?: string } }).find((m) => m.type === 'pong');
    if (pong?.payload?.id !== 'last') throw new Error(`no pong after frames ${JSON.stringify(frames.map((f) => f.slice(0, 100)))}`);
    // State is bounded by the hub's topics and keys, whatever was asked for.
    let keys = 0;
    for (const ks of session.topics.values()) keys += ks.size;
    if (session.topics.size > TOPICS.length || keys > 4 * 64) throw new Error(`session state grew to ${session.topics.size} topics, ${keys} keys`);
    tally.delivered += socket.frames.length;
  } finally {
    session.dispose();
  }
}
