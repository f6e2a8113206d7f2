/**
 * The one bus interface. Two implementations: embedded (RxJS subjects, the default) and Kafka
 * (kafkajs). Both pass the same contract suite (bus.contract.ts).
 *
 * Delivery contract:
 * - `publish` resolves once the bus has accepted the messages (Kafka: acknowledged by the broker;
 *   embedded: appended, after waiting while an active group is a full log behind, which is the
 *   backpressure). Messages of one (topic, key) keep their order.
 * - Every message must carry the topic it is published to; a bad topic name or message is
 *   refused with an error naming it.
 * - `consume` delivers every message of a topic to exactly one member of a consumer group, in
 *   batches; the group's position (Kafka: committed offset) advances only after `handle`
 *   resolves, so delivery is at-least-once and idempotent consumers make it exactly-once in
 *   effect. A rejected `handle` is retried with backoff; the batch is not skipped. By default
 *   `handle` is never called concurrently for one consumer, so per-key order reaches the handler
 *   intact; an order-insensitive consumer may ask for overlap with `maxInFlight`.
 * - `watch` is a hot, lossy-on-close tap of new messages for fan-out (WebSocket, metrics); it
 *   does not move any group's position.
 */
import type { Observable } from 'rxjs';
import type { Message } from './message.ts';

export interface TopicSpec {
  topic: string;
  partitions?: number;
}

export interface ConsumeOptions {
  /**
   * Start from the earliest retained message when the group has no position (default true);
   * otherwise from the end. Embedded retains the last `capacity` messages per topic.
   */
  fromBeginning?: boolean;
  /** Largest batch handed to `handle` (default 10,000). */
  maxBatch?: number;
  /**
   * Batches handed to `handle` before the first of them is handled (default 1). Above 1, handling
   * overlaps (e.g. encoding the next batch while the previous one is being stored) and batches may
   * finish out of order, so only consumers that do not depend on order (the idempotent store) ask
   * for it; the group's position still moves in order, past a batch only when every earlier one is
   * handled. The Kafka bus hands out one batch at a time whatever is asked.
   */
  maxInFlight?: number;
}

export interface Consumer {
  /** Stops delivering; resolves after the batch in flight is handled and its position stored. */
  stop(): Promise<void>;
}

export type BatchHandler = (batch: readonly Message[]) => Promise<void>;

export interface Bus {
  readonly kind: 'embedded' | 'kafka';
  /** Makes sure topics exist (a no-op where topics need no creation). */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** Publishes messages to one topic, partitioned by key; resolves once accepted. */
  publish(topic: string, messages: readonly Message[]): Promise<void>;
  /**
   * Joins `group` on `topic` and hands batches to `handle`; see the delivery contract. Resolves
   * once the consumer is a member of the group (Kafka: after its first assignment, seconds).
   */
  consume(topic: string, group: string, handle: BatchHandler, options?: ConsumeOptions): Promise<Consumer>;
  /**
   * A hot tap of messages published from now on. Kafka: it reads from the partitions' ends as of
   * the first subscription, but delivers only after its group join (seconds).
   */
  watch(topic: string): Observable<Message>;
  /**
   * Messages accepted but not yet handled, per `group/topic` (the consumer lag), for every group
   * this bus has consumed with, stopped ones included. Kafka: as of the last fetch or refresh.
   */
  lag(): Record<string, number>;
  /** Stops every consumer and releases connections. */
  close(): Promise<void>;
}
