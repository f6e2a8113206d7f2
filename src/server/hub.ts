/**
 * The topic hub behind `/ws` and the REST "latest" routes: per (topic, key) it keeps the latest
 * message (for snapshots) and a bounded ring of recent ones (for resume-from-sequence), and fans
 * each new message out to the subscribers whose filter matches. Each message is serialised once,
 * however many clients receive it.
 */
import type { Message } from '../bus/message.ts';
import { STATE_TOPICS } from '../bus/topics.ts';

/** Keeps the last `depth` messages of one (topic, key). */
class Ring {
  private readonly buf: (Message | undefined)[];
  private head = 0; // index of the next write
  private size = 0;
  constructor(private readonly depth: number) {
    this.buf = new Array(Math.max(1, depth));
  }
  push(m: Message): void {
    if (this.depth === 0) return;
    this.buf[this.head] = m;
    this.head = (this.head + 1) % this.depth;
    if (this.size < this.depth) this.size++;
  }
  /** Oldest sequence still kept, or undefined when empty. */
  oldest(): number | undefined {
    if (this.size === 0) return undefined;
    return this.buf[(this.head - this.size + this.depth) % this.depth]!.seq;
  }
  /** Messages with seq > after, oldest first. */
  after(after: number): Message[] {
    const out: Message[] = [];
    for (let i = 0; i < this.size; i++) {
      const m = this.buf[(this.head - this.size + i + this.depth) % this.depth]!;
      if (m.seq > after) out.push(m);
    }
    return out;
  }
}

interface Entry {
  latest: Message;
  ring: Ring;
}

/** A subscriber's filter and sink. */
export interface HubSubscriber {
  /** Called with each new message of a topic it subscribed, and its serialised form. */
  deliver(m: Message, json: () => string): void;
  /** Keys wanted per topic; an empty set means every key. */
  readonly topics: Map<string, Set<string>>;
}

/** Serialises a message as the server's wire format. */
export function wire(type: 'snapshot' | 'update', m: Message): string {
  return `{"type":"${type}","topic":${JSON.stringify(m.topic)},"key":${JSON.stringify(m.key)},"seq":${m.seq},"ts":${m.ts},"run":${JSON.stringify(m.run)},"payload":${JSON.stringify(m.payload)}}`;
}

export class TopicHub {
  private readonly entries = new Map<string, Map<string, Entry>>();
  private readonly subscribers = new Map<string, Set<HubSubscriber>>();
  /** Messages fanned out, for metrics. */
  delivered = 0;

  private readonly depthOf: (topic: string) => number;

  /**
   * `depth` messages are kept per (topic, key) for resume; state topics (STATE_TOPICS: whole
   * snapshots, some near a megabyte) keep only their latest, since that is all a resume needs.
   */
  constructor(readonly topics: readonly string[], depth: number) {
    this.depthOf = (t) => (STATE_TOPICS.has(t) ? Math.min(1, depth) : depth);
    for (const t of topics) {
      this.entries.set(t, new Map());
      this.subscribers.set(t, new Set());
    }
  }

  /** Whether a topic is served. */
  has(topic: string): boolean {
    return this.entries.has(topic);
  }

  /** Records a new message and fans it out. */
  publish(m: Message): void {
    const byKey = this.entries.get(m.topic);
    if (!byKey) return;
    let e = byKey.get(m.key);
    if (!e) byKey.set(m.key, (e = { latest: m, ring: new Ring(this.depthOf(m.topic)) }));
    // A replayed (at-least-once) duplicate must not be fanned out twice.
    else if (m.seq <= e.latest.seq && m.run === e.latest.run) return;
    e.latest = m;
    e.ring.push(m);
    const subs = this.subscribers.get(m.topic)!;
    if (subs.size === 0) return;
    let json: string | undefined;
    const lazy = () => (json ??= wire('update', m));
    for (const s of subs) {
      const keys = s.topics.get(m.topic);
      if (keys && keys.size > 0 && !keys.has(m.key)) continue;
      s.deliver(m, lazy);
      this.delivered++;
    }
  }

  /** Latest message per key of a topic (all keys, or the given ones). */
  latest(topic: string, keys?: Iterable<string>): Message[] {
    const byKey = this.entries.get(topic);
    if (!byKey) return [];
    if (!keys) return [...byKey.values()].map((e) => e.latest);
    const out: Message[] = [];
    for (const k of keys) {
      const e = byKey.get(k);
      if (e) out.push(e.latest);
    }
    return out;
  }

  /** Keys seen on a topic. */
  keys(topic: string): string[] {
    return [...(this.entries.get(topic)?.keys() ?? [])];
  }

  /**
   * Messages of (topic, key) after sequence `after`; `gapTo` is set when older messages than the
   * ring holds were asked for (the client missed seq after+1 .. gapTo).
   */
  since(topic: string, key: string, after: number): { messages: Message[]; gapTo?: number } {
    const e = this.entries.get(topic)?.get(key);
    if (!e) return { messages: [] };
    const oldest = e.ring.oldest();
    const messages = e.ring.after(after);
    if (oldest !== undefined && oldest > after + 1) return { messages, gapTo: oldest - 1 };
    if (oldest === undefined && e.latest.seq > after) return { messages: [e.latest], gapTo: e.latest.seq - 1 };
    return { messages };
  }

  subscribe(topic: string, s: HubSubscriber): void {
    this.subscribers.get(topic)?.add(s);
  }

  unsubscribe(topic: string, s: HubSubscriber): void {
    this.subscribers.get(topic)?.delete(s);
  }

  /** Subscribers per topic, for metrics. */
  subscriberCount(): number {
    let n = 0;
    for (const s of this.subscribers.values()) n += s.size;
    return n;
  }
}
