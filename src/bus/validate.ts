/**
 * Input checks shared by both buses, so a bad topic name or a message published to the wrong
 * topic fails the same way on either, with an error naming the input.
 */
import type { Message } from './message.ts';

/** Kafka's own rule for topic names, applied to both buses so a name works on either. */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** Throws unless `topic` is a legal topic name (Kafka's rules: [a-zA-Z0-9._-], 1 to 249 chars). */
export function assertTopicName(topic: unknown, where: string): asserts topic is string {
  if (typeof topic !== 'string' || !TOPIC_NAME.test(topic) || topic === '.' || topic === '..') {
    throw new TypeError(
      `${where}: bad topic name ${JSON.stringify(topic)} (1 to 249 of a-z A-Z 0-9 . _ -, not "." or "..")`,
    );
  }
}

/** Throws unless every message carries `topic` and a string key (checked before anything is published). */
export function assertMessagesFor(topic: string, messages: readonly Message[], where: string): void {
  if (!Array.isArray(messages)) throw new TypeError(`${where}: messages must be an array`);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m === null || typeof m !== 'object') throw new TypeError(`${where}: message ${i} is not an object`);
    if (m.topic !== topic) {
      throw new TypeError(`${where}: message ${i} has topic ${JSON.stringify(m.topic)}, expected "${topic}"`);
    }
    if (typeof m.key !== 'string') throw new TypeError(`${where}: message ${i} has a non-string key`);
  }
}

/** Throws unless `n` is a positive integer (an option named `name`). */
export function assertPositiveInt(n: number, name: string): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
}
