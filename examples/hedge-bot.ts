/**
 * An example hedging bot: subscribes to the engine's `hedges` topic over /ws (every key, or the
 * keys it is given), logs each position's hedge trade and the book's aggregate, and never misses
 * an update: it tracks the last sequence it received per key and, on any disconnect (a network
 * drop, a restart of the engine, or a SLOW_CONSUMER error), reconnects with exponential backoff
 * and resumes with `from`, so the server sends every later message (or says explicitly, with a
 * `gap` message, what it no longer holds; the bot logs that loudly).
 *
 * Only the `ws` package and node built-ins, so it can be copied out of the repository as is.
 *
 *   VOLRISK_API_KEY=... node --import tsx examples/hedge-bot.ts --url ws://127.0.0.1:8080/ws [KEY...]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

/** A position's hedge as the `hedges` topic carries it (the fields a bot reads; src/hedging/payload.ts has them all). */
export interface PositionHedge {
  id: string;
  quantity: number;
  method: string;
  /** Current hedge, index units. */
  hedge: number;
  /** The chosen method's target hedge (null while the method has no ratio yet). */
  target: number | null;
  /** target - hedge: what to trade in the index (or a proxy) now. */
  trade: number | null;
  ratios: Record<string, number | null>;
  expired: boolean;
  removed: boolean;
  errors?: Record<string, string>;
  inputs: { tick: number; spot: number };
}

/** The book's aggregate (key `book`). */
export interface BookHedge {
  positions: number;
  missing: string[];
  target: number;
  hedge: number;
  trade: number;
}

/** One `hedges` message as received, in order per key. */
export interface HedgeUpdate {
  /** `snapshot` (the latest message, on a first subscribe) or `update`. */
  type: 'snapshot' | 'update';
  key: string;
  seq: number;
  /** Event time, epoch microseconds. */
  ts: number;
  run: string;
  payload: PositionHedge | BookHedge;
}

/** What the server said is gone: sequences from..to of `key` will never come. */
export interface HedgeGap {
  key: string;
  from: number;
  to: number;
}

/** Options of createHedgeBot. */
export interface HedgeBotOptions {
  /** The engine's WebSocket endpoint, e.g. ws://127.0.0.1:8080/ws. */
  url: string;
  /** API key with a role that may read `hedges` (bot or above); none for an engine in open mode. */
  key?: string;
  /** Only these keys (position ids, `book`); every key when absent or empty. */
  keys?: readonly string[];
  /**
   * Last sequence already handled per key (e.g. persisted by a previous run): the first
   * subscribe resumes from there. 0 asks for everything the server still holds.
   */
  from?: Readonly<Record<string, number>>;
  /** Each message, in order per key, never twice. */
  onTrade?: (u: HedgeUpdate) => void;
  /** Each gap (after it was logged). */
  onGap?: (g: HedgeGap) => void;
  /** The server refused the key (HTTP 401 or 403): the bot has stopped, since retrying cannot help. */
  onFatal?: (reason: string) => void;
  /** Log lines (default: console.log). */
  log?: (line: string) => void;
  /** Reconnect delay: first, doubling up to max (ms; default 100 and 5000). */
  backoffMs?: { initial: number; max: number };
  /** Ping period (ms, default 15000); a connection silent for two periods is dropped and resumed. */
  pingMs?: number;
}

/** A running bot. */
export interface HedgeBot {
  /** Last sequence received per key. */
  readonly last: ReadonlyMap<string, number>;
  /** Connections opened so far (1 + reconnects). */
  readonly connections: number;
  /** Resolves when the next connection is open and subscribed. */
  connected(): Promise<void>;
  /** Drops the current connection abruptly, as a network failure would (the bot then resumes). */
  dropConnection(): void;
  /** Closes the connection and stops reconnecting. */
  stop(): Promise<void>;
}

const TOPIC = 'hedges';

/** The engine's ServerMessage (src/server/ws-protocol.ts), restated so the bot copies out alone. */
interface Wire {
  type: 'snapshot' | 'update' | 'gap' | 'error' | 'pong';
  topic?: string;
  key?: string;
  seq?: number;
  ts?: number;
  run?: string;
  payload?: unknown;
}

const fmt = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : x.toFixed(2));

/** One log line for a message. */
export function describeUpdate(u: HedgeUpdate): string {
  if (u.key === 'book') {
    const b = u.payload as BookHedge;
    return `book #${u.seq}: ${b.positions} positions, target ${fmt(b.target)} hedge ${fmt(b.hedge)} trade ${fmt(b.trade)}${b.missing.length ? ` (no ratio yet: ${b.missing.join(', ')})` : ''}`;
  }
  const p = u.payload as PositionHedge;
  const state = p.removed ? ' REMOVED' : p.expired ? ' EXPIRED' : '';
  const errs = p.errors ? ` errors ${JSON.stringify(p.errors)}` : '';
  return `${u.key} #${u.seq}${state}: spot ${fmt(p.inputs?.spot)} ${p.method} target ${fmt(p.target)} hedge ${fmt(p.hedge)} -> trade ${fmt(p.trade)}${errs}`;
}

/**
 * Starts a bot against a running engine. It connects at once, and reconnects by itself after
 * any disconnect until stop().
 */
export function createHedgeBot(options: HedgeBotOptions): HedgeBot {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new RangeError(`url: "${options.url}" is not a URL (expected e.g. ws://127.0.0.1:8080/ws)`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new RangeError(`url: "${options.url}" must start with ws:// or wss://`);
  const log = options.log ?? ((line: string) => console.log(line));
  const keys = options.keys && options.keys.length > 0 ? [...options.keys] : undefined;
  const initial = options.backoffMs?.initial ?? 100;
  const maxDelay = options.backoffMs?.max ?? 5000;
  if (!(initial > 0 && maxDelay >= initial)) throw new RangeError(`backoffMs: need 0 < initial <= max, got ${initial}, ${maxDelay}`);
  const pingMs = options.pingMs ?? 15_000;

  const last = new Map<string, number>(Object.entries(options.from ?? {}));
  let connections = 0;
  let delay = initial;
  let socket: WebSocket | undefined;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let waiters: Array<() => void> = [];
  let closedWaiter: (() => void) | undefined;

  const subscribeOp = () => {
    const from: Record<string, number> = {};
    for (const [k, s] of last) from[`${TOPIC}/${k}`] = s;
    return JSON.stringify({ op: 'subscribe', topics: [TOPIC], ...(keys ? { keys } : {}), ...(last.size > 0 ? { from } : {}) });
  };

  const handle = (m: Wire) => {
    if (m.type === 'pong') return;
    if (m.type === 'error') {
      const p = (m.payload ?? {}) as { code?: string; message?: string; from?: Record<string, number> };
      if (p.code === 'SLOW_CONSUMER') {
        // The server's `from` is what it sent; ours is what arrived, which is what to resume from.
        log(`SLOW_CONSUMER: disconnected by the server (it had sent up to ${JSON.stringify(p.from ?? {})}); resuming from what was received`);
      } else log(`server error ${p.code}: ${p.message}`);
      return;
    }
    if (m.topic !== TOPIC || m.key === undefined || m.seq === undefined) return;
    const key = m.key;
    const prev = last.get(key);
    if (m.type === 'gap') {
      const g = (m.payload ?? {}) as { from?: number; to?: number };
      const gap: HedgeGap = { key, from: g.from ?? (prev ?? 0) + 1, to: g.to ?? m.seq };
      log(`!!! GAP on ${key}: updates ${gap.from}..${gap.to} are no longer held by the server and were MISSED; re-check this position's hedge !!!`);
      last.set(key, Math.max(prev ?? 0, gap.to));
      options.onGap?.(gap);
      return;
    }
    if (m.type !== 'snapshot' && m.type !== 'update') return;
    if (prev !== undefined && m.seq <= prev) return; // already handled (a resume overlaps nothing, but be safe)
    if (m.type === 'update' && prev !== undefined && m.seq !== prev + 1) {
      // The server reports gaps itself; this would be a protocol fault, so say so just as loudly.
      log(`!!! GAP on ${key}: expected #${prev + 1}, got #${m.seq} !!!`);
      options.onGap?.({ key, from: prev + 1, to: m.seq - 1 });
    }
    last.set(key, m.seq);
    const u: HedgeUpdate = { type: m.type, key, seq: m.seq, ts: m.ts ?? NaN, run: m.run ?? '', payload: m.payload as HedgeUpdate['payload'] };
    log(describeUpdate(u));
    options.onTrade?.(u);
  };

  const connect = () => {
    retryTimer = undefined;
    if (stopped) return;
    connections++;
    const ws = new WebSocket(url, options.key ? { headers: { authorization: `Bearer ${options.key}` } } : {});
    socket = ws;
    let heard = Date.now();
    let pinger: ReturnType<typeof setInterval> | undefined;
    ws.on('open', () => {
      ws.send(subscribeOp());
      log(`connected to ${url.origin}${url.pathname} (connection ${connections}); subscribed to ${TOPIC} ${keys ? keys.join(',') : '(all keys)'}${last.size > 0 ? `, resuming ${last.size} keys` : ''}`);
      pinger = setInterval(() => {
        if (Date.now() - heard > 2 * pingMs) return ws.terminate();
        ws.send(JSON.stringify({ op: 'ping' }));
      }, pingMs);
      pinger.unref();
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    });
    ws.on('message', (data) => {
      heard = Date.now();
      delay = initial;
      let m: Wire;
      try {
        m = JSON.parse(data.toString()) as Wire;
      } catch {
        log(`ignored a frame that is not JSON: ${data.toString().slice(0, 80)}`);
        return;
      }
      handle(m);
    });
    ws.on('unexpected-response', (_req, res) => {
      const denied = res.statusCode === 401 || res.statusCode === 403;
      const reason = `the server refused the connection: HTTP ${res.statusCode}${denied ? ' (check VOLRISK_API_KEY and its role); not retrying' : ''}`;
      log(reason);
      res.resume();
      if (denied) {
        stopped = true;
        options.onFatal?.(reason);
      }
      ws.terminate();
    });
    ws.on('error', (e) => log(`connection error: ${e.message}`));
    ws.on('close', (code) => {
      if (pinger) clearInterval(pinger);
      if (socket === ws) socket = undefined;
      if (stopped) {
        closedWaiter?.();
        return;
      }
      log(`disconnected (code ${code}); reconnecting in ${delay} ms`);
      retryTimer = setTimeout(connect, delay);
      delay = Math.min(maxDelay, delay * 2);
    });
  };
  connect();

  return {
    last,
    get connections() {
      return connections;
    },
    connected: () => new Promise<void>((r) => waiters.push(r)),
    dropConnection: () => socket?.terminate(),
    stop: async () => {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      const ws = socket;
      if (!ws || ws.readyState === WebSocket.CLOSED) return;
      const closed = new Promise<void>((r) => (closedWaiter = r));
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000, 'bot stopped');
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())]);
      ws.terminate();
    },
  };
}

const usage = `usage: node --import tsx examples/hedge-bot.ts --url ws://HOST:PORT/ws [KEY...]
  KEY...   position ids (and/or "book") to follow; every key when none
  env VOLRISK_API_KEY   API key (role bot or above), sent as Authorization: Bearer`;

/** The command line: runs until SIGINT/SIGTERM. */
async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { url: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (values.help) return void console.log(usage);
  if (!values.url) {
    console.error(`--url is required\n${usage}`);
    process.exitCode = 2;
    return;
  }
  // A closed pipe (e.g. `| head`) ends the bot quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const bot = createHedgeBot({
    url: values.url, key: process.env.VOLRISK_API_KEY || undefined, keys: positionals, log,
    onFatal: () => {
      process.exitCode = 1;
      done();
    },
  });
  process.once('SIGINT', () => done());
  process.once('SIGTERM', () => done());
  await finished;
  await bot.stop();
  log(`stopped; last sequences ${JSON.stringify(Object.fromEntries(bot.last))}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error((e as Error).message);
    process.exitCode = 1;
  });
}
