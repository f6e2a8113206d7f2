/**
 * The page's one WebSocket: subscribes, keeps the last sequence received per (topic, key),
 * reconnects with exponential backoff (0.5 s doubling to 10 s, with jitter) and resumes with
 * `from` those sequences, so a dropped connection loses nothing the server still holds (the
 * server answers a gap otherwise). When the engine itself restarted (its `/api/stats` instance
 * changed) its sequences restarted too, so the page starts over from snapshots instead.
 */
import type { ServerMessage } from '../../src/server/ws-protocol.ts';

/** A server message: the engine's own type, so the page cannot drift from it. */
export type WireMessage = ServerMessage;

/** One subscription: a topic, its keys (all when absent), and whether to replay what the server holds on the first connect. */
export interface Subscription {
  topic: string;
  keys?: string[];
  /** On the first connect, ask for every held message (from 0) of `keys` instead of a snapshot: fills history. */
  backfill?: boolean;
  /** Keys to backfill so on a subscription to every key. */
  backfillKeys?: string[];
}

export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

export interface FeedStats {
  state: FeedState;
  connects: number;
  /** Keys resumed with `from` on the last connect. */
  resumed: number;
  messages: number;
  gaps: number;
  /** Server restarts seen (sequences started over). */
  restarts: number;
  lastError: string | null;
}

export interface FeedOptions {
  url: () => string;
  /** At most this many messages per second per key (server-side conflation). */
  maxRate: number;
  /** The engine instance id, read before each connect; undefined when it cannot be read. */
  instance: () => Promise<string | undefined>;
  onMessage: (m: WireMessage) => void;
  onStats: (s: FeedStats) => void;
  /** Told when the server restarted, so views can drop state that came from the old one. */
  onRestart?: () => void;
}

const rk = (topic: string, key: string) => `${topic}/${key}`;

export class FeedClient {
  private socket: WebSocket | undefined;
  private readonly subs = new Map<string, Subscription>();
  private readonly lastSeq = new Map<string, number>();
  private instanceId: string | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private firstConnect = true;
  readonly stats: FeedStats = { state: 'connecting', connects: 0, resumed: 0, messages: 0, gaps: 0, restarts: 0, lastError: null };

  constructor(private readonly options: FeedOptions) {}

  /** Adds a subscription (or more keys of one); sent at once when connected. */
  subscribe(sub: Subscription): void {
    const prev = this.subs.get(sub.topic);
    const merged: Subscription = prev && prev.keys && sub.keys ? { ...prev, keys: [...new Set([...prev.keys, ...sub.keys])] } : { ...prev, ...sub };
    const added = prev?.keys && sub.keys ? sub.keys.filter((k) => !prev.keys!.includes(k)) : sub.keys;
    this.subs.set(sub.topic, merged);
    if (this.socket?.readyState === WebSocket.OPEN && (!prev || (added && added.length > 0))) this.sendSubscribe({ topic: sub.topic, keys: added, backfill: sub.backfill }, true);
  }

  /** Keys subscribed on a topic. */
  keys(topic: string): readonly string[] {
    return this.subs.get(topic)?.keys ?? [];
  }

  /** Connects (and keeps reconnecting until `close`). */
  start(): void {
    this.closed = false;
    void this.connect();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.close();
  }

  private emit(): void {
    this.options.onStats({ ...this.stats });
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const instance = await this.options.instance().catch(() => undefined);
    if (instance !== undefined && this.instanceId !== undefined && instance !== this.instanceId) {
      // A new engine numbers its messages from 1 again: old positions would hide them.
      this.lastSeq.clear();
      this.stats.restarts++;
      this.options.onRestart?.();
    }
    if (instance !== undefined) this.instanceId = instance;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.options.url());
    } catch (e) {
      this.stats.lastError = (e as Error).message;
      return this.retry();
    }
    this.socket = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.stats.connects++;
      this.stats.state = 'live';
      let resumed = 0;
      for (const s of this.subs.values()) resumed += this.sendSubscribe(s, this.firstConnect);
      this.stats.resumed = resumed;
      this.firstConnect = false;
      this.emit();
    };
    ws.onmessage = (ev) => this.onFrame(String(ev.data));
    ws.onclose = () => {
      if (this.socket !== ws) return;
      this.socket = undefined;
      this.retry();
    };
    // The close event follows with the reason; nothing to add here.
    ws.onerror = () => {};
  }

  /** Sends one subscribe; returns how many keys it resumed with `from`. */
  private sendSubscribe(s: Subscription, first: boolean): number {
    const from: Record<string, number> = {};
    let resumed = 0;
    for (const [k, seq] of this.lastSeq) {
      const slash = k.indexOf('/');
      const topic = k.slice(0, slash);
      if (topic !== s.topic) continue;
      if (s.keys && !s.keys.includes(k.slice(slash + 1))) continue;
      from[k] = seq;
      resumed++;
    }
    if (first) for (const key of [...(s.backfill ? (s.keys ?? []) : []), ...(s.backfillKeys ?? [])]) from[rk(s.topic, key)] ??= 0;
    const msg: Record<string, unknown> = { op: 'subscribe', topics: [s.topic], maxRate: this.options.maxRate };
    if (s.keys && s.keys.length > 0) msg.keys = s.keys;
    if (Object.keys(from).length > 0) msg.from = from;
    this.socket?.send(JSON.stringify(msg));
    return resumed;
  }

  private onFrame(text: string): void {
    let m: WireMessage;
    try {
      m = JSON.parse(text) as WireMessage;
    } catch {
      return;
    }
    if (m.type === 'error') {
      const p = (m.payload ?? {}) as { code?: string; message?: string; from?: Record<string, number> };
      this.stats.lastError = `${p.code ?? 'ERROR'}: ${p.message ?? ''}`;
      // A slow-consumer disconnect says what was sent; resume from there.
      if (p.from) for (const [k, seq] of Object.entries(p.from)) if ((this.lastSeq.get(k) ?? -1) < seq) this.lastSeq.set(k, seq);
      this.emit();
      return;
    }
    if (m.type === 'gap') {
      this.stats.gaps++;
      this.emit();
      return;
    }
    if ((m.type === 'snapshot' || m.type === 'update') && m.topic !== undefined && m.key !== undefined && m.seq !== undefined) {
      const k = rk(m.topic, m.key);
      const last = this.lastSeq.get(k);
      if (m.type === 'update' && last !== undefined && m.seq <= last) return;
      this.lastSeq.set(k, m.seq);
      this.stats.messages++;
      this.options.onMessage(m);
    }
  }

  private retry(): void {
    if (this.closed) return;
    this.stats.state = 'reconnecting';
    this.emit();
    const base = Math.min(10_000, 500 * 2 ** this.attempt++);
    this.timer = setTimeout(() => void this.connect(), base * (0.75 + 0.5 * Math.random()));
  }
}
