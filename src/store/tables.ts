/**
 * Topic -> table, in one place, and the row each message becomes. Every row carries the envelope
 * (run, topic, key, seq, ts, payload as JSON) plus a few typed columns analysts filter on; the
 * tables themselves are created by migrations.ts and a test checks both agree.
 */
import type { Message } from '../bus/message.ts';
import { TOPICS, type TopicName } from '../bus/topics.ts';

/** The table each topic is stored in. */
export const TOPIC_TABLES: Readonly<Record<TopicName, string>> = {
  [TOPICS.ticksRaw]: 'ticks',
  [TOPICS.ticksRejected]: 'rejects',
  [TOPICS.bars]: 'bars',
  [TOPICS.variance]: 'variance',
  [TOPICS.surface]: 'surface',
  [TOPICS.nsde]: 'nsde',
  [TOPICS.hedges]: 'hedges',
  [TOPICS.risk]: 'risk',
};

/** The table of `topic`; throws naming the topic when it is not stored. */
export function tableOf(topic: string): string {
  const t = (TOPIC_TABLES as Record<string, string>)[topic];
  if (t === undefined) throw new Error(`topic ${JSON.stringify(topic)} has no table (known: ${Object.keys(TOPIC_TABLES).join(', ')})`);
  return t;
}

export interface EnvelopeRow {
  run: string;
  topic: string;
  key: string;
  seq: number;
  ts: number;
  payload: string;
}

type Typed = Record<string, string | number | null>;

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const str = (x: unknown): string => (typeof x === 'string' ? x : '');
const obj = (x: unknown): Record<string, unknown> => (x !== null && typeof x === 'object' ? (x as Record<string, unknown>) : {});

/** Typed columns per table, read leniently from the payload (absent -> '' or null). */
const TYPED: Readonly<Record<string, (payload: Record<string, unknown>) => Typed>> = {
  ticks: (p) => ({
    kind: str(p.kind),
    symbol: str(p.kind === 'index' ? p.symbol : p.root),
    expiry: str(p.expiry),
    strike: num(p.strike),
    right: str(p.right),
    price: num(p.price),
    bid: num(p.bid),
    ask: num(p.ask),
  }),
  rejects: (p) => ({
    reason: str(p.reason),
    field: str(p.field),
    src: str(p.src),
    line: num(p.line) === null ? 0 : Math.trunc(p.line as number),
  }),
  bars: (p) => ({
    symbol: str(p.symbol),
    interval: str(p.interval),
    open: num(p.open),
    high: num(p.high),
    low: num(p.low),
    close: num(p.close),
    rv: num(p.rv),
  }),
};

/** The typed column names of `table` (empty for envelope-only tables). */
export function typedColumns(table: string): string[] {
  const f = TYPED[table];
  return f ? Object.keys(f({})) : [];
}

/**
 * The row `m` is stored as, and its table. Throws, naming the message, on an unknown topic, a
 * non-integer seq, a non-finite ts or a payload JSON cannot hold. `ts` is kept to the microsecond.
 */
export function toRow(m: Message): { table: string; row: EnvelopeRow & Typed } {
  const table = tableOf(m.topic);
  const id = `${m.topic}/${m.key}/${m.seq}`;
  if (typeof m.run !== 'string' || typeof m.key !== 'string') throw new Error(`message ${id}: run and key must be strings`);
  if (!Number.isSafeInteger(m.seq)) throw new Error(`message ${id}: seq ${m.seq} is not a safe integer`);
  if (typeof m.ts !== 'number' || !Number.isFinite(m.ts)) throw new Error(`message ${id}: ts ${m.ts} is not a finite number`);
  let payload: string | undefined;
  try {
    payload = JSON.stringify(m.payload);
  } catch (e) {
    throw new Error(`message ${id}: payload cannot be serialised as JSON: ${(e as Error).message}`, { cause: e });
  }
  if (payload === undefined) throw new Error(`message ${id}: payload is ${typeof m.payload}, which JSON cannot hold`);
  const typed = TYPED[table]?.(obj(m.payload)) ?? {};
  return { table, row: { run: m.run, topic: m.topic, key: m.key, seq: m.seq, ts: Math.round(m.ts), payload, ...typed } };
}
