/**
 * The Kafka bus, on kafkajs, with the delivery contract of bus.ts.
 *
 * - publish: records keyed by the message key (kafkajs's default partitioner hashes it, so one
 *   key stays in one partition, in order), value = JSON envelope (codec.ts), acks = -1, sent in
 *   order in requests of at most ~512 KB. Not idempotent: librdkafka's mock cluster refuses the
 *   idempotent producer, and duplicates from a producer retry are harmless downstream because
 *   rows are keyed by (run, topic, key, seq).
 * - consume: one kafkajs consumer per call, in the Kafka group `<group>/<topic>` (see
 *   kafkaGroupId), `eachBatch` with autoCommit off and auto-resolve off.
 *   Each partition batch is cut into pieces of at most `maxBatch`; a piece is handed to `handle`
 *   and only after it resolves is its last offset resolved and committed (at-least-once). A
 *   rejected piece is retried in place with capped backoff, heartbeating between attempts, so
 *   it is never skipped; if the group rebalances meanwhile, the piece is left uncommitted and
 *   its new owner gets it again. Partitions are handled one at a time per consumer, so `handle`
 *   never runs concurrently within one consumer. `consume` resolves once the consumer has joined
 *   its group and received its assignment. A record that is not a valid envelope cannot be
 *   handled by anyone: it is logged as an error and passed over.
 * - Group timings: the mock cluster waits ~3 s after the first member joins before it balances a
 *   group, and a rebalance waits for every member's next heartbeat; a short heartbeat (500 ms)
 *   and session timeout (10 s) keep joins to a few seconds there and in tests. `handle` must
 *   finish within the session timeout or the member is evicted and its batch redelivered.
 * - watch: a consumer in a unique group that, on first subscription, seeks every partition to
 *   the high watermark read at that moment, so it sees what is published from then on even
 *   though its group join takes seconds. Shared between subscribers; disconnected when the last
 *   one leaves.
 * - lag: per `group/topic`, high watermark minus committed position summed over partitions,
 *   updated from each fetched batch and each handled piece, and refreshed from the cluster
 *   every `lagRefreshMs` (so it also covers partitions owned by other processes).
 * - ensureTopics: lists topics and creates only the missing ones, through `createTopic` when
 *   given (the mock's stdin command) or the admin API.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Admin, type Consumer as KConsumer, type EachBatchPayload, type LogEntry, type Producer } from 'kafkajs';
import { Observable, share } from 'rxjs';
import type { BatchHandler, Bus, ConsumeOptions, Consumer, TopicSpec } from './bus.ts';
import { decodeMessage, encodeMessage } from './codec.ts';
import { silentLog, type BusLog } from './log.ts';
import type { Message } from './message.ts';
import { handleWithRetry, Sleeper, type RetryPolicy } from './retry.ts';
import { DEFAULT_PARTITIONS } from './topics.ts';
import { assertMessagesFor, assertPositiveInt, assertTopicName } from './validate.ts';

export interface KafkaBusOptions {
  /** Bootstrap brokers, host:port (see kafka-config.ts for KAFKA_BROKERS). */
  brokers: readonly string[];
  /** Client id on the cluster, and prefix of watch groups (default `volrisk`). */
  clientId?: string;
  /** Where kafkajs warnings/errors and rejected batches are reported (pino-compatible). */
  log?: BusLog;
  /** Backoff for redelivering a rejected batch. */
  retry?: RetryPolicy;
  /** Consumer session timeout, ms (default 10,000). */
  sessionTimeoutMs?: number;
  /** Time members get to rejoin during a rebalance, ms (default 10,000). */
  rebalanceTimeoutMs?: number;
  /** Heartbeat interval, ms (default 500). */
  heartbeatIntervalMs?: number;
  /** Longest a fetch waits on the broker for new data, ms (default 100). */
  maxWaitTimeMs?: number;
  /** `consume`/`watch` fail if the group join takes longer than this, ms (default 60,000). */
  joinTimeoutMs?: number;
  /** How often lag is refreshed from the cluster, ms (default 5,000). */
  lagRefreshMs?: number;
  /** Creates a missing topic (e.g. the mock cluster's `createTopic`); default: the admin API. */
  createTopic?: (topic: string, partitions: number) => Promise<void>;
}

interface PartitionLag {
  high: number;
  next: number;
}

interface ConsumeState {
  readonly topic: string;
  readonly group: string;
  readonly consumer: KConsumer;
  readonly sleeper: Sleeper;
  stopped: boolean;
}

const DEFAULT_MAX_BATCH = 10_000;
const MAX_REQUEST_BYTES = 512 * 1024;

/**
 * The Kafka consumer group behind (group, topic). One Kafka group per topic because kafkajs's
 * assigners spread every subscribed topic over every member, ignoring what each member
 * subscribed to: members of one group on different topics would be handed partitions they
 * drop. Topic names cannot contain '/', so the id is unambiguous.
 */
export const kafkaGroupId = (group: string, topic: string): string => `${group}/${topic}`;

const toBusLog = (log: BusLog) => () => (entry: LogEntry) => {
  const { message, timestamp: _ts, ...rest } = entry.log;
  const obj = { kafkajs: entry.namespace, ...rest };
  if (entry.level === logLevel.ERROR) log.error(obj, `kafkajs: ${message}`);
  else if (entry.level === logLevel.WARN) log.warn(obj, `kafkajs: ${message}`);
  else if (entry.level === logLevel.INFO) log.info(obj, `kafkajs: ${message}`);
  else log.debug(obj, `kafkajs: ${message}`);
};

/** Rejects with `message` unless `p` settles within `ms`. */
function within<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export class KafkaBus implements Bus {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly log: BusLog;
  private readonly opts: Required<Omit<KafkaBusOptions, 'createTopic' | 'log' | 'retry'>>;
  private readonly retry: RetryPolicy;
  private producer: Promise<Producer> | null = null;
  private admin: Promise<Admin> | null = null;
  private readonly consumers = new Set<ConsumeState>();
  private readonly watchers = new Map<string, Observable<Message>>();
  /** Watch teardowns in progress (close() awaits them). */
  private readonly watchStops = new Set<Promise<void>>();
  private readonly watchSubscribers = new Set<{ complete(): void }>();
  private readonly lags = new Map<string, { topic: string; group: string; fromBeginning: boolean; parts: Map<number, PartitionLag> }>();
  private lagTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: KafkaBusOptions) {
    if (!Array.isArray(options.brokers) || options.brokers.length === 0) {
      throw new TypeError('KafkaBus: brokers must be a non-empty list of host:port');
    }
    this.log = options.log ?? silentLog;
    this.retry = options.retry ?? {};
    this.opts = {
      brokers: options.brokers,
      clientId: options.clientId ?? 'volrisk',
      sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 10_000,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 500,
      maxWaitTimeMs: options.maxWaitTimeMs ?? 100,
      joinTimeoutMs: options.joinTimeoutMs ?? 60_000,
      lagRefreshMs: options.lagRefreshMs ?? 5_000,
    };
    this.kafka = new Kafka({
      clientId: this.opts.clientId,
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
      logCreator: toBusLog(this.log),
      connectionTimeout: 3_000,
      retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: 8 },
    });
  }

  /** Creates the topics that do not exist yet (existing ones are left as they are). */
  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    for (const t of topics) assertTopicName(t.topic, 'ensureTopics');
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    const specs = missing.map((t) => ({ topic: t.topic, numPartitions: t.partitions ?? DEFAULT_PARTITIONS }));
    try {
      if (this.options.createTopic) {
        for (const s of specs) await this.options.createTopic(s.topic, s.numPartitions);
      } else {
        await admin.createTopics({ topics: specs, waitForLeaders: true });
      }
    } catch (err) {
      throw new Error(
        `ensureTopics: could not create ${specs.map((s) => s.topic).join(', ')} on ${this.opts.brokers.join(',')}: ` +
          `${(err as Error).message} (librdkafka's mock cluster cannot create topics through the admin API: ` +
          'pre-create them with its `topic <name> <partitions>` command)',
        { cause: err },
      );
    }
  }

  /** Sends the messages in order with acks=-1; resolves once the brokers acknowledged them all. */
  async publish(topic: string, messages: readonly Message[]): Promise<void> {
    if (this.closed) throw new Error(`publish(${topic}): the bus is closed`);
    assertTopicName(topic, 'publish');
    assertMessagesFor(topic, messages, `publish(${topic})`);
    if (messages.length === 0) return;
    const producer = await this.getProducer();
    let chunk: Array<{ key: string; value: string }> = [];
    let bytes = 0;
    for (const m of messages) {
      const rec = encodeMessage(m);
      const size = rec.key.length + rec.value.length + 64;
      if (chunk.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
        await producer.send({ topic, acks: -1, messages: chunk });
        chunk = [];
        bytes = 0;
      }
      chunk.push(rec);
      bytes += size;
    }
    await producer.send({ topic, acks: -1, messages: chunk });
  }

  /** Joins `group` on `topic`; resolves once the group assigned this consumer its partitions. */
  async consume(topic: string, group: string, handle: BatchHandler, options: ConsumeOptions = {}): Promise<Consumer> {
    if (this.closed) throw new Error(`consume(${topic}, ${group}): the bus is closed`);
    assertTopicName(topic, 'consume');
    if (typeof group !== 'string' || group === '') throw new TypeError(`consume(${topic}): group must be a non-empty string`);
    if (typeof handle !== 'function') throw new TypeError(`consume(${topic}, ${group}): handle must be a function`);
    const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    assertPositiveInt(maxBatch, `consume(${topic}, ${group}) maxBatch`);
    const fromBeginning = options.fromBeginning ?? true;

    const consumer = this.kafka.consumer({
      groupId: kafkaGroupId(group, topic),
      sessionTimeout: this.opts.sessionTimeoutMs,
      rebalanceTimeout: this.opts.rebalanceTimeoutMs,
      heartbeatInterval: this.opts.heartbeatIntervalMs,
      maxWaitTimeInMs: this.opts.maxWaitTimeMs,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: 8, restartOnFailure: async () => !state.stopped },
    });
    const state: ConsumeState = { topic, group, consumer, sleeper: new Sleeper(), stopped: false };
    const lag = this.lagEntry(topic, group, fromBeginning);
    consumer.on(consumer.events.CRASH, (e) => {
      this.log.error({ topic, group, err: e.payload.error, restart: e.payload.restart }, 'bus: kafka consumer crashed');
    });
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    this.consumers.add(state);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => this.eachBatch(state, handle, maxBatch, lag, payload),
      });
      await within(joined, this.opts.joinTimeoutMs, `consume(${topic}, ${group}): no group assignment within ${this.opts.joinTimeoutMs} ms`);
    } catch (err) {
      state.stopped = true;
      this.consumers.delete(state);
      await consumer.disconnect().catch(() => {});
      throw err;
    }
    await this.refreshLag().catch((err) => this.log.debug({ err }, 'bus: lag refresh failed'));
    this.startLagTimer();
    return { stop: () => this.stopConsumer(state) };
  }

  /** A shared tap of messages published from the first subscription on (see module header). */
  watch(topic: string): Observable<Message> {
    assertTopicName(topic, 'watch');
    let w = this.watchers.get(topic);
    if (!w) {
      w = new Observable<Message>((sub) => {
        let consumer: KConsumer | null = null;
        let done = false;
        this.watchSubscribers.add(sub);
        const start = async (): Promise<void> => {
          const admin = await this.getAdmin();
          const highs = await admin.fetchTopicOffsets(topic);
          if (done) return;
          consumer = this.kafka.consumer({
            groupId: `${this.opts.clientId}-watch-${topic}-${randomUUID()}`,
            sessionTimeout: this.opts.sessionTimeoutMs,
            rebalanceTimeout: this.opts.rebalanceTimeoutMs,
            heartbeatInterval: this.opts.heartbeatIntervalMs,
            maxWaitTimeInMs: this.opts.maxWaitTimeMs,
            allowAutoTopicCreation: false,
          });
          await consumer.connect();
          await consumer.subscribe({ topics: [topic], fromBeginning: false });
          await consumer.run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              for (const r of batch.messages) {
                if (done) return;
                try {
                  sub.next(decodeMessage(r.value, `watch(${topic}) partition ${batch.partition} offset ${r.offset}`));
                } catch (err) {
                  this.log.error({ topic, err }, 'bus: undecodable record passed over');
                }
              }
            },
          });
          for (const h of highs) consumer.seek({ topic, partition: h.partition, offset: h.high });
        };
        const started = start();
        started.catch((err: unknown) => {
          if (!done) sub.error(err);
        });
        return () => {
          done = true;
          this.watchSubscribers.delete(sub);
          // Disconnect only after start() settled, so a consumer still connecting is not left behind.
          const stop = started
            .catch(() => {})
            .then(() => consumer?.disconnect())
            .catch((err: unknown) => this.log.warn({ topic, err }, 'bus: watch disconnect failed'))
            .finally(() => this.watchStops.delete(stop));
          this.watchStops.add(stop);
        };
      }).pipe(share());
      this.watchers.set(topic, w);
    }
    return w;
  }

  /** Per `group/topic`: messages in the topic not yet handled and committed by the group. */
  lag(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, e] of this.lags) {
      let sum = 0;
      for (const p of e.parts.values()) sum += Math.max(0, p.high - p.next);
      out[k] = sum;
    }
    return out;
  }

  /** Stops consumers (each after its batch in flight), completes watches, closes the producer and admin. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.lagTimer) clearInterval(this.lagTimer);
    await Promise.all([...this.consumers].map((s) => this.stopConsumer(s)));
    for (const sub of [...this.watchSubscribers]) sub.complete();
    await Promise.all([...this.watchStops]);
    const producer = this.producer;
    const admin = this.admin;
    this.producer = null;
    this.admin = null;
    if (producer) await (await producer.catch(() => null))?.disconnect();
    if (admin) await (await admin.catch(() => null))?.disconnect();
  }

  private async eachBatch(
    state: ConsumeState,
    handle: BatchHandler,
    maxBatch: number,
    lag: Map<number, PartitionLag>,
    p: EachBatchPayload,
  ): Promise<void> {
    const { batch } = p;
    const where = `consume(${state.topic}, ${state.group}) partition ${batch.partition}`;
    const pl = lag.get(batch.partition) ?? { high: 0, next: 0 };
    pl.high = Math.max(pl.high, Number(batch.highWatermark));
    lag.set(batch.partition, pl);
    const records = batch.messages;
    for (let i = 0; i < records.length; i += maxBatch) {
      if (state.stopped || !p.isRunning() || p.isStale()) return;
      const piece = records.slice(i, i + maxBatch);
      const decoded: Message[] = [];
      for (const r of piece) {
        try {
          decoded.push(decodeMessage(r.value, `${where} offset ${r.offset}`));
        } catch (err) {
          this.log.error({ topic: state.topic, group: state.group, err }, 'bus: undecodable record passed over');
        }
      }
      if (decoded.length > 0) {
        const ok = await handleWithRetry(handle, decoded, {
          policy: this.retry,
          log: this.log,
          context: { bus: 'kafka', topic: state.topic, group: state.group, partition: batch.partition },
          cancelled: () => state.stopped || !p.isRunning(),
          sleep: (ms) => state.sleeper.sleep(ms),
          beforeRetry: () => p.heartbeat(),
        });
        if (!ok) return;
      }
      const last = piece[piece.length - 1].offset;
      p.resolveOffset(last);
      pl.next = Math.max(pl.next, Number(last) + 1);
      await p.commitOffsetsIfNecessary(p.uncommittedOffsets());
      await p.heartbeat();
    }
  }

  private async stopConsumer(state: ConsumeState): Promise<void> {
    if (!this.consumers.delete(state)) return;
    state.stopped = true;
    state.sleeper.wake();
    // kafkajs's disconnect waits for the batch in flight, then leaves the group.
    await state.consumer.disconnect();
  }

  private lagEntry(topic: string, group: string, fromBeginning: boolean): Map<number, PartitionLag> {
    const k = `${group}/${topic}`;
    let e = this.lags.get(k);
    if (!e) {
      e = { topic, group, fromBeginning, parts: new Map() };
      this.lags.set(k, e);
    }
    return e.parts;
  }

  private startLagTimer(): void {
    if (this.lagTimer || this.closed) return;
    this.lagTimer = setInterval(() => {
      this.refreshLag().catch((err) => this.log.debug({ err }, 'bus: lag refresh failed'));
    }, this.opts.lagRefreshMs);
    this.lagTimer.unref();
  }

  /** Reads high watermarks and committed offsets of every consumed group and topic. */
  private async refreshLag(): Promise<void> {
    if (this.closed || this.lags.size === 0) return;
    const admin = await this.getAdmin();
    for (const e of this.lags.values()) {
      const highs = await admin.fetchTopicOffsets(e.topic);
      const [committed] = await admin.fetchOffsets({ groupId: kafkaGroupId(e.group, e.topic), topics: [e.topic] });
      const byPart = new Map(committed?.partitions.map((c) => [c.partition, Number(c.offset)]) ?? []);
      for (const h of highs) {
        const pl = e.parts.get(h.partition) ?? { high: 0, next: 0 };
        const c = byPart.get(h.partition) ?? -1;
        const start = c >= 0 ? c : e.fromBeginning ? Number(h.low) : Number(h.high);
        pl.high = Math.max(pl.high, Number(h.high));
        pl.next = Math.max(pl.next, start);
        e.parts.set(h.partition, pl);
      }
    }
  }

  private getProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        allowAutoTopicCreation: false,
        idempotent: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      this.producer = producer.connect().then(() => producer);
      this.producer.catch(() => (this.producer = null));
    }
    return this.producer;
  }

  private getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      this.admin = admin.connect().then(() => admin);
      this.admin.catch(() => (this.admin = null));
    }
    return this.admin;
  }
}

/** Creates the Kafka bus (connections open lazily, on first use). */
export function createKafkaBus(options: KafkaBusOptions): KafkaBus {
  return new KafkaBus(options);
}
