/**
 * The default bus: in-process, on RxJS subjects, with the delivery contract of bus.ts.
 *
 * Each topic is a bounded log (topic-log.ts) and each consumer group an offset into it, which
 * is Kafka's model kept in memory:
 * - `publish` appends and returns at once while every active group (one with members) has room;
 *   otherwise it awaits until the slowest active group has handled enough (backpressure). Beyond
 *   that, the log retains the latest `capacity` messages for groups that join later.
 * - Per group and topic one batch is in flight at a time (up to `maxInFlight` when a consumer
 *   asks), read from the group's offset (up to `maxBatch`); the offset advances only after
 *   `handle` resolves for that batch and every earlier one. A rejected batch is retried with
 *   capped exponential backoff, never skipped. With one batch in flight `handle` is never
 *   called concurrently within a group, so per-key order holds.
 * - Members of one group split each batch by a hash of the key (a key stays with one member
 *   while membership is unchanged), handled one member after another. If a member stops while
 *   its part is failing, the whole batch is redelivered to the remaining members (at-least-once).
 * - A new group starts at the oldest retained message (`fromBeginning`, the default) or at the
 *   end. A group whose members all stopped keeps its offset but no longer holds publishers back;
 *   if the log moves past its offset before it rejoins, it resumes at the oldest retained
 *   message and the skipped count is logged, as a Kafka group past retention would.
 * - `watch` is a Subject per topic, fed synchronously inside `publish`.
 * - Deadlock to avoid: a handler awaiting `publish` to its own topic (or a cycle of topics)
 *   while that topic is full waits on itself.
 */
import { Subject, type Observable } from 'rxjs';
import type { BatchHandler, Bus, ConsumeOptions, Consumer, TopicSpec } from './bus.ts';
import type { Message } from './message.ts';
import { silentLog, type BusLog } from './log.ts';
import { handleWithRetry, Sleeper, type RetryPolicy } from './retry.ts';
import { TopicLog } from './topic-log.ts';
import { assertMessagesFor, assertPositiveInt, assertTopicName } from './validate.ts';

export interface EmbeddedBusOptions {
  /**
   * Messages each topic holds (default 65,536): an active group falls at most this far behind
   * before `publish` waits, and a group joining later sees at most this many earlier messages.
   */
  capacity?: number;
  /** Backoff for redelivering a rejected batch. */
  retry?: RetryPolicy;
  /** Where rejected batches and skipped messages are reported (pino-compatible). */
  log?: BusLog;
}

interface Member {
  readonly handle: BatchHandler;
  readonly maxBatch: number;
  readonly maxInFlight: number;
  readonly sleeper: Sleeper;
  stopped: boolean;
}

interface Group {
  readonly name: string;
  readonly topic: TopicState;
  next: number;
  members: Member[];
  draining: boolean;
  /** The batch being delivered, offset update included; `stop()` awaits it. */
  inflight: Promise<void> | null;
}

interface TopicState {
  readonly name: string;
  readonly log: TopicLog;
  readonly groups: Map<string, Group>;
  readonly subject: Subject<Message>;
  /** Publishers waiting for room, woken whenever a group advances. */
  waiters: Array<() => void>;
  /** Publishers on the slow path, serialised so their messages keep call order. */
  slowChain: Promise<void> | null;
}

const DEFAULT_MAX_BATCH = 10_000;
const RESOLVED: Promise<void> = Promise.resolve();

/** FNV-1a of a key, to give each key one member of a group. */
function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class EmbeddedBus implements Bus {
  readonly kind = 'embedded' as const;
  private readonly topics = new Map<string, TopicState>();
  private readonly capacity: number;
  private readonly retry: RetryPolicy;
  private readonly log: BusLog;
  private closed = false;

  constructor(options: EmbeddedBusOptions = {}) {
    this.capacity = options.capacity ?? 65_536;
    assertPositiveInt(this.capacity, 'EmbeddedBus capacity');
    this.retry = options.retry ?? {};
    this.log = options.log ?? silentLog;
  }

  /** Creates the topics' logs; topics are otherwise created on first use. */
  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    for (const t of topics) this.topic(t.topic, 'ensureTopics');
  }

  /** Appends to the topic's log and feeds `watch`; awaits only while an active group is full. */
  publish(topic: string, messages: readonly Message[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`publish(${topic}): the bus is closed`));
    let t: TopicState;
    try {
      t = this.topic(topic, 'publish');
      assertMessagesFor(topic, messages, `publish(${topic})`);
    } catch (err) {
      return Promise.reject(err);
    }
    const n = messages.length;
    if (n === 0) return RESOLVED;
    if (t.slowChain === null && this.free(t) >= n) {
      this.append(t, messages, 0, n);
      return RESOLVED;
    }
    const prev = t.slowChain ?? RESOLVED;
    const mine = prev.then(() => this.publishSlow(t, messages));
    const tail = mine.catch(() => {});
    t.slowChain = tail;
    void tail.then(() => {
      if (t.slowChain === tail) t.slowChain = null;
    });
    return mine;
  }

  /** Joins `group` on `topic`; see the module header for where a new group starts. */
  async consume(topic: string, group: string, handle: BatchHandler, options: ConsumeOptions = {}): Promise<Consumer> {
    if (this.closed) throw new Error(`consume(${topic}, ${group}): the bus is closed`);
    const t = this.topic(topic, 'consume');
    if (typeof group !== 'string' || group === '') throw new TypeError(`consume(${topic}): group must be a non-empty string`);
    if (typeof handle !== 'function') throw new TypeError(`consume(${topic}, ${group}): handle must be a function`);
    const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    assertPositiveInt(maxBatch, `consume(${topic}, ${group}) maxBatch`);
    const maxInFlight = options.maxInFlight ?? 1;
    assertPositiveInt(maxInFlight, `consume(${topic}, ${group}) maxInFlight`);
    let g = t.groups.get(group);
    if (!g) {
      const next = (options.fromBeginning ?? true) ? t.log.start : t.log.end;
      g = { name: group, topic: t, next, members: [], draining: false, inflight: null };
      t.groups.set(group, g);
    }
    const member: Member = { handle, maxBatch, maxInFlight, sleeper: new Sleeper(), stopped: false };
    g.members.push(member);
    this.kick(g);
    const grp = g;
    return {
      stop: async () => {
        if (member.stopped) return;
        member.stopped = true;
        grp.members = grp.members.filter((m) => m !== member);
        member.sleeper.wake();
        if (grp.inflight) await grp.inflight;
        // With fewer members a group holds publishers back less (or not at all).
        this.wake(grp.topic);
      },
    };
  }

  /** The topic's subject, fed synchronously by `publish`; completes on `close()`. */
  watch(topic: string): Observable<Message> {
    return this.topic(topic, 'watch').subject.asObservable();
  }

  /** Messages published but not yet handled, per `group/topic` (members or not). */
  lag(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.topics.values()) {
      for (const g of t.groups.values()) out[`${g.name}/${t.name}`] = t.log.end - g.next;
    }
    return out;
  }

  /** Stops every consumer (awaiting batches in flight), completes every watch, fails waiting publishers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const inflight: Array<Promise<void>> = [];
    for (const t of this.topics.values()) {
      for (const g of t.groups.values()) {
        for (const m of g.members) {
          m.stopped = true;
          m.sleeper.wake();
        }
        g.members = [];
        if (g.inflight) inflight.push(g.inflight);
      }
      this.wake(t);
      t.subject.complete();
    }
    await Promise.all(inflight);
  }

  private topic(name: string, where: string): TopicState {
    let t = this.topics.get(name);
    if (t) return t;
    assertTopicName(name, where);
    t = {
      name,
      log: new TopicLog(this.capacity),
      groups: new Map(),
      subject: new Subject<Message>(),
      waiters: [],
      slowChain: null,
    };
    this.topics.set(name, t);
    return t;
  }

  /** Room left before the slowest active group would lose unhandled messages. */
  private free(t: TopicState): number {
    let minNext = t.log.end;
    for (const g of t.groups.values()) if (g.members.length > 0 && g.next < minNext) minNext = g.next;
    return this.capacity - (t.log.end - minNext);
  }

  private async publishSlow(t: TopicState, messages: readonly Message[]): Promise<void> {
    let i = 0;
    while (i < messages.length) {
      if (this.closed) throw new Error(`publish(${t.name}): the bus closed before all messages were accepted`);
      const free = this.free(t);
      if (free <= 0) {
        await new Promise<void>((resolve) => t.waiters.push(resolve));
        continue;
      }
      const k = Math.min(free, messages.length - i);
      this.append(t, messages, i, i + k);
      i += k;
    }
  }

  private append(t: TopicState, messages: readonly Message[], from: number, to: number): void {
    t.log.append(messages, from, to);
    if (t.subject.observed) for (let i = from; i < to; i++) t.subject.next(messages[i]);
    for (const g of t.groups.values()) this.kick(g);
  }

  private wake(t: TopicState): void {
    if (t.waiters.length === 0) return;
    const ws = t.waiters;
    t.waiters = [];
    for (const w of ws) w();
  }

  /** Starts the group's drain loop unless it runs already or has nothing to do. */
  private kick(g: Group): void {
    if (g.draining || g.members.length === 0 || g.next >= g.topic.log.end) return;
    g.draining = true;
    // A microtask, not a direct call: `publish` never runs handlers re-entrantly.
    queueMicrotask(() => void this.drain(g));
  }

  private async drain(g: Group): Promise<void> {
    const t = g.topic;
    // Batches handed out and not yet handled, oldest first; the group's position moves past a
    // batch only when it and every batch before it are handled.
    const window: Array<{ end: number; done: Promise<boolean> }> = [];
    try {
      let dispatch = g.next;
      while (!this.closed && g.members.length > 0 && (dispatch < t.log.end || window.length > 0)) {
        if (window.length === 0 && g.next < t.log.start) {
          this.log.warn(
            { topic: t.name, group: g.name, skipped: t.log.start - g.next },
            'bus: group was inactive past the retained log; resuming at the oldest retained message',
          );
          g.next = dispatch = t.log.start;
        }
        let size = Infinity;
        let inFlight = Infinity;
        for (const m of g.members) {
          size = Math.min(size, m.maxBatch);
          inFlight = Math.min(inFlight, m.maxInFlight);
        }
        while (window.length < inFlight && dispatch < t.log.end) {
          const batch = t.log.read(dispatch, size);
          dispatch += batch.length;
          window.push({ end: dispatch, done: this.deliver(g, batch) });
        }
        const all = Promise.all(window.map((w) => w.done)).then(() => {});
        g.inflight = all;
        const head = window.shift()!;
        if (!(await head.done)) {
          // A member stopped before its part was handled: the batch (and all after it) is redelivered.
          await all;
          window.length = 0;
          break;
        }
        g.next = head.end;
        this.wake(t);
      }
    } catch (err) {
      // Only a bug gets here (handler errors are retried); report it rather than lose the loop silently.
      this.log.error({ topic: t.name, group: g.name, err }, 'bus: drain loop failed');
    } finally {
      g.draining = false;
      g.inflight = null;
    }
  }

  /** Hands a batch to the group's members; false if a member stopped before its part was handled. */
  private async deliver(g: Group, batch: Message[]): Promise<boolean> {
    const members = g.members.slice();
    if (members.length === 1) return this.handleBy(g, members[0], batch);
    const parts: Message[][] = members.map(() => []);
    for (const m of batch) parts[keyHash(m.key) % members.length].push(m);
    for (let i = 0; i < members.length; i++) {
      if (parts[i].length === 0) continue;
      if (!(await this.handleBy(g, members[i], parts[i]))) return false;
    }
    return true;
  }

  private handleBy(g: Group, member: Member, batch: readonly Message[]): Promise<boolean> {
    if (member.stopped) return Promise.resolve(false);
    return handleWithRetry(member.handle, batch, {
      policy: this.retry,
      log: this.log,
      context: { bus: 'embedded', topic: g.topic.name, group: g.name },
      cancelled: () => member.stopped,
      sleep: (ms) => member.sleeper.sleep(ms),
    });
  }
}

/** Creates the embedded (in-process) bus. */
export function createEmbeddedBus(options: EmbeddedBusOptions = {}): EmbeddedBus {
  return new EmbeddedBus(options);
}
