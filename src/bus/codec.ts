/**
 * How a message travels on Kafka: the record key is the message key (so the default
 * partitioner keeps one key in one partition, in order) and the value is the JSON of the whole
 * envelope. Decoding checks the envelope, so a foreign or corrupt record is named, not passed on.
 */
import type { Message } from './message.ts';

export interface EncodedRecord {
  key: string;
  value: string;
}

/** Encodes a message as a Kafka record (key = message key, value = JSON envelope). */
export function encodeMessage(m: Message): EncodedRecord {
  return {
    key: m.key,
    value: JSON.stringify({ topic: m.topic, key: m.key, seq: m.seq, ts: m.ts, run: m.run, payload: m.payload }),
  };
}

/** Decodes a record value into a message; throws an error naming `where` and the bad field. */
export function decodeMessage(value: Buffer | string | null, where: string): Message {
  if (value === null) throw new TypeError(`${where}: record has no value`);
  let v: unknown;
  try {
    v = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (err) {
    throw new TypeError(`${where}: record value is not JSON (${(err as Error).message})`, { cause: err });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new TypeError(`${where}: record value is not a JSON object`);
  }
  const o = v as Record<string, unknown>;
  const bad = (field: string, want: string): never => {
    throw new TypeError(`${where}: envelope field "${field}" must be ${want}, got ${JSON.stringify(o[field])}`);
  };
  if (typeof o.topic !== 'string') bad('topic', 'a string');
  if (typeof o.key !== 'string') bad('key', 'a string');
  if (!Number.isInteger(o.seq) || (o.seq as number) < 1) bad('seq', 'an integer >= 1');
  if (typeof o.ts !== 'number' || !Number.isFinite(o.ts)) bad('ts', 'a finite number');
  if (typeof o.run !== 'string') bad('run', 'a string');
  if (!('payload' in o)) bad('payload', 'present');
  return { topic: o.topic as string, key: o.key as string, seq: o.seq as number, ts: o.ts as number, run: o.run as string, payload: o.payload };
}
