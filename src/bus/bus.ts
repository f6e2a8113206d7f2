/**
 * The one bus interface. Two implementations: embedded (RxJS subjects, the default) and Kafka
 * (kafkajs). Both pass the same contract suite (bus.contract.ts).
 *
 * Delivery contract:
 * - `publish` resolves once the bus has accepted the messages (Kafka: acknowledged by the broker).
 *   Messages of one (topic, key) keep their order.
 * - `consume` delivers every message of a topic to exactly one member of a consumer group, in
 *   batches; the group's position (Kafka: committed offset) advances only after `handle`
 *   resolves, so delivery is at-least-once and idempotent consumers make it exactly-once in
 *   effect. A rejected `handle` is retried with backoff; the batch is not skipped.
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
  /** Start from the earliest retained message when the group has no position (default true). */
  fromBeginning?: boolean;
  /** Largest batch handed to `handle` (default 10,000). */
  maxBatch?: number;
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
  /** Joins `group` on `topic` and hands batches to `handle`; see the delivery contract. */
  consume(topic: string, group: string, handle: BatchHandler, options?: ConsumeOptions): Promise<Consumer>;
  /** A hot tap of messages published from now on. */
  watch(topic: string): Observable<Message>;
  /** Messages accepted but not yet handled, per group and topic (the consumer lag). */
  lag(): Record<string, number>;
  /** Stops every consumer and releases connections. */
  close(): Promise<void>;
}
