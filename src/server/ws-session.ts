/**
 * One WebSocket client: parses its ops, subscribes it to the hub, sends snapshots, resumes and
 * updates. Bots get every message or an explicit gap; a client whose send buffer grows past the
 * limit is told the last sequence it was sent per (topic, key) and disconnected, so it can resume
 * without a silent loss. Dashboards may ask for conflation (`maxRate`): latest per key wins.
 */
import type { Message } from '../bus/message.ts';
import { type HubSubscriber, type TopicHub, wire } from './hub.ts';
import { STATE_TOPICS } from '../bus/topics.ts';
import { checkClientMessage, resumeKey, type ClientMessage, type SubscribeOp, type WsErrorCode } from './ws-protocol.ts';

/** The part of a `ws` WebSocket the session uses. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  readonly bufferedAmount: number;
  readonly readyState: number;
}

export interface SessionOptions {
  /** Disconnect when more than this many bytes wait to be sent. */
  maxBufferedBytes: number;
  /** Topics this client's role may read (all when undefined). */
  allowedTopics?: ReadonlySet<string>;
  onSent?: (n: number) => void;
  /**
   * Messages of (topic, key) after `afterSeq`, oldest first, at most `limit`, from the store: a
   * resume older than the in-memory log is served from there, and only what the store lacks is a gap.
   */
  backfill?: (topic: string, key: string, afterSeq: number, limit: number) => Promise<Message[]>;
}

const OPEN = 1;
/** Most messages a resuming client may have queued behind its send buffer before it is cut off. */
const MAX_BACKLOG = 100_000;

type Queued = { text: string } | { type: 'snapshot' | 'update'; m: Message } | { pending: Promise<Queued[]>; items?: Queued[] };

const gapNotice = (topic: string, key: string, from: number, to: number): Queued => ({ text: JSON.stringify({ type: 'gap', topic, key, seq: to, payload: { from, to } }) });

export class WsSession implements HubSubscriber {
  readonly topics = new Map<string, Set<string>>();
  /** Last sequence sent per `topic/key`: what the client resumes from after a disconnect. */
  private readonly lastSent = new Map<string, number>();
  private conflate: { periodMs: number; pending: Map<string, Message>; timer?: ReturnType<typeof setInterval> } | undefined;
  private closed = false;
  /**
   * What a subscribe owes the client (snapshots, a gap, a resume's backlog), and the live updates
   * that arrive while it is owed, in order: sent as the socket drains, so a resume larger than the
   * send buffer does not cut the client off again at once.
   */
  private backlog: Queued[] = [];
  private pumpTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly socket: SocketLike, private readonly hub: TopicHub, private readonly options: SessionOptions) {}

  /** Handles one text frame from the client. */
  onMessage(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.error('BAD_JSON', `message is not JSON: ${text.slice(0, 80)}`);
    }
    if (!checkClientMessage.Check(msg)) {
      const e = checkClientMessage.Errors(msg).First();
      return this.error('BAD_MESSAGE', `${e?.path || 'message'}: ${e?.message ?? 'invalid'}; expected {"op":"subscribe"|"unsubscribe"|"ping",...}`);
    }
    const op = msg as ClientMessage;
    if (op.op === 'ping') {
      this.sendText(JSON.stringify({ type: 'pong', payload: op.id === undefined ? null : { id: op.id } }));
      return;
    }
    if (op.op === 'unsubscribe') {
      for (const t of op.topics) {
        const keys = this.topics.get(t);
        if (!keys) continue;
        if (op.keys && op.keys.length > 0 && keys.size > 0) for (const k of op.keys) keys.delete(k);
        if (!op.keys || op.keys.length === 0 || keys.size === 0) {
          this.topics.delete(t);
          this.hub.unsubscribe(t, this);
        }
      }
      return;
    }
    this.subscribe(op);
  }

  private subscribe(op: SubscribeOp): void {
    for (const t of op.topics) {
      if (!this.hub.has(t)) return this.error('UNKNOWN_TOPIC', `topics: unknown topic "${t}"`);
      if (this.options.allowedTopics && !this.options.allowedTopics.has(t)) return this.error('FORBIDDEN', `topics: your role may not read "${t}"`);
    }
    if (op.maxRate !== undefined) this.setConflation(1000 / op.maxRate);
    for (const t of op.topics) {
      const prev = this.topics.get(t);
      const keys = op.keys && op.keys.length > 0 ? new Set(op.keys) : new Set<string>();
      // Widening to all keys, or adding keys to a filtered subscription.
      if (prev && prev.size > 0 && keys.size > 0) for (const k of keys) prev.add(k);
      else this.topics.set(t, keys);
      this.hub.subscribe(t, this);
      const wanted = keys.size > 0 ? [...keys] : this.hub.keys(t);
      for (const key of wanted) {
        const from = op.from?.[resumeKey(t, key)];
        if (from === undefined) {
          const [latest] = this.hub.latest(t, [key]);
          if (latest) this.backlog.push({ type: 'snapshot', m: latest });
          continue;
        }
        const { messages, gapTo } = this.hub.since(t, key, from);
        // A state topic's latest message is all a resume needs; an event stream's older part comes from the store.
        if (gapTo !== undefined && this.options.backfill && !STATE_TOPICS.has(t)) this.backlog.push(this.fromStore(t, key, from, gapTo));
        else if (gapTo !== undefined) this.backlog.push(gapNotice(t, key, from + 1, gapTo));
        for (const m of messages) this.backlog.push({ type: 'update', m });
      }
    }
    this.pump();
  }

  /** Messages seq from+1 .. gapTo of an event stream read from the store; what it lacks is a gap. */
  private fromStore(topic: string, key: string, from: number, gapTo: number): Queued {
    const q: Queued & { pending: Promise<Queued[]> } = {
      pending: this.options.backfill!(topic, key, from, Math.min(gapTo - from, MAX_BACKLOG)).then(
        (ms) => {
          const out: Queued[] = [];
          let next = from + 1;
          for (const m of ms) {
            if (m.seq !== next || m.seq > gapTo) break;
            out.push({ type: 'update', m });
            next++;
          }
          if (next <= gapTo) out.push(gapNotice(topic, key, next, gapTo));
          return out;
        },
        () => [gapNotice(topic, key, from + 1, gapTo)],
      ),
    };
    void q.pending.then((items) => {
      q.items = items;
      this.pump();
    });
    return q;
  }

  /** Sends what is owed while the send buffer has room; comes back when it has drained. */
  private pump(): void {
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    if (this.closed) return;
    if (this.backlog.length > MAX_BACKLOG) return this.dropSlow();
    const room = this.options.maxBufferedBytes / 2;
    let i = 0;
    while (i < this.backlog.length && this.socket.bufferedAmount <= room) {
      const q = this.backlog[i];
      if ('pending' in q) {
        // Waiting on the store: the rest stays queued behind it, in order.
        if (!q.items) break;
        this.backlog = this.backlog.slice(0, i).concat(q.items, this.backlog.slice(i + 1));
        continue;
      }
      i++;
      if ('text' in q) this.sendText(q.text);
      else this.send(q.type, q.m);
      if (this.closed) return;
    }
    this.backlog = i === this.backlog.length ? [] : this.backlog.slice(i);
    const waiting = this.backlog.length > 0 && 'pending' in this.backlog[0] && !this.backlog[0].items;
    if (this.backlog.length > 0 && !waiting) {
      this.pumpTimer = setTimeout(() => this.pump(), 2);
      this.pumpTimer.unref?.();
    }
  }

  private setConflation(periodMs: number): void {
    if (this.conflate) clearInterval(this.conflate.timer);
    const c: NonNullable<WsSession['conflate']> = { periodMs, pending: new Map() };
    c.timer = setInterval(() => {
      if (c.pending.size === 0) return;
      const msgs = [...c.pending.values()];
      c.pending.clear();
      for (const m of msgs) this.send('update', m);
    }, periodMs);
    c.timer.unref?.();
    this.conflate = c;
  }

  /** Hub callback: a new message for this client. */
  deliver(m: Message, json: () => string): void {
    if (this.closed) return;
    if (this.conflate) {
      this.conflate.pending.set(resumeKey(m.topic, m.key), m);
      return;
    }
    if (this.backlog.length > 0) {
      // Behind what a subscribe still owes: keep the order.
      this.backlog.push({ type: 'update', m });
      if (this.backlog.length > MAX_BACKLOG) this.dropSlow();
      return;
    }
    const k = resumeKey(m.topic, m.key);
    const last = this.lastSent.get(k);
    if (last !== undefined && m.seq <= last) return;
    if (this.sendText(json())) this.lastSent.set(k, m.seq);
  }

  private send(type: 'snapshot' | 'update', m: Message): void {
    const k = resumeKey(m.topic, m.key);
    const last = this.lastSent.get(k);
    if (type === 'update' && last !== undefined && m.seq <= last) return;
    if (this.sendText(wire(type, m))) this.lastSent.set(k, m.seq);
  }

  /** Sends unless the client is gone or too slow; says whether it was sent. */
  private sendText(text: string): boolean {
    if (this.closed || this.socket.readyState !== OPEN) return false;
    if (this.socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.dropSlow();
      return false;
    }
    this.socket.send(text);
    this.options.onSent?.(1);
    return true;
  }

  private dropSlow(): void {
    const last = Object.fromEntries(this.lastSent);
    // Sent after everything already queued, so the client reads it last, then resumes with `from`.
    this.socket.send(JSON.stringify({ type: 'error', payload: { code: 'SLOW_CONSUMER' satisfies WsErrorCode, message: 'send buffer full: resume with "from"', from: last } }));
    this.socket.close(4008, 'slow consumer');
    this.dispose();
  }

  private error(code: WsErrorCode, message: string): void {
    void this.sendText(JSON.stringify({ type: 'error', payload: { code, message } }));
  }

  /** Releases the hub subscriptions and timers. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.backlog = [];
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    for (const t of this.topics.keys()) this.hub.unsubscribe(t, this);
    if (this.conflate) clearInterval(this.conflate.timer);
  }
}
