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

type Value = string | number | null;
type Typed = Record<string, Value>;
type Payload = Record<string, unknown>;

/** A typed column: its name and how it is read from the payload (leniently: absent -> '' or null). */
interface Column {
  name: string;
  get: (p: Payload) => Value;
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const str = (x: unknown): string => (typeof x === 'string' ? x : '');
const obj = (x: unknown): Payload => (x !== null && typeof x === 'object' ? (x as Payload) : {});
const col = (name: string, get: (p: Payload) => Value): Column => ({ name, get });
const numAt = (k: string) => col(k, (p) => num(p[k]));
const strAt = (k: string) => col(k, (p) => str(p[k]));

/** Typed columns per table, in table order. */
const TYPED: Readonly<Record<string, readonly Column[]>> = {
  ticks: [
    strAt('kind'),
    col('symbol', (p) => str(p.kind === 'index' ? p.symbol : p.root)),
    strAt('expiry'),
    numAt('strike'),
    strAt('right'),
    numAt('price'),
    numAt('bid'),
    numAt('ask'),
  ],
  rejects: [strAt('reason'), strAt('field'), strAt('src'), col('line', (p) => (num(p.line) === null ? 0 : Math.trunc(p.line as number)))],
  bars: [strAt('symbol'), strAt('interval'), numAt('open'), numAt('high'), numAt('low'), numAt('close'), numAt('rv')],
};

const ENVELOPE = ['run', 'topic', 'key', 'seq', 'ts', 'payload'] as const;

/** The typed column names of `table` (empty for envelope-only tables). */
export function typedColumns(table: string): string[] {
  return (TYPED[table] ?? []).map((c) => c.name);
}

/** Every column of `table`, in the order `encodeRow` writes them. */
export function columnsOf(table: string): string[] {
  return [...ENVELOPE, ...typedColumns(table)];
}

/** Checks the envelope and serialises the payload; throws naming the message. */
function envelope(m: Message): { table: string; payload: string } {
  const table = tableOf(m.topic);
  const id = () => `${m.topic}/${m.key}/${m.seq}`;
  if (typeof m.run !== 'string' || typeof m.key !== 'string') throw new Error(`message ${id()}: run and key must be strings`);
  if (!Number.isSafeInteger(m.seq)) throw new Error(`message ${id()}: seq ${m.seq} is not a safe integer`);
  if (typeof m.ts !== 'number' || !Number.isFinite(m.ts)) throw new Error(`message ${id()}: ts ${m.ts} is not a finite number`);
  let payload: string | undefined;
  try {
    payload = JSON.stringify(m.payload);
  } catch (e) {
    throw new Error(`message ${id()}: payload cannot be serialised as JSON: ${(e as Error).message}`, { cause: e });
  }
  if (payload === undefined) throw new Error(`message ${id()}: payload is ${typeof m.payload}, which JSON cannot hold`);
  return { table, payload };
}

/**
 * The row `m` is stored as, and its table. Throws, naming the message, on an unknown topic, a
 * non-integer seq, a non-finite ts or a payload JSON cannot hold. `ts` is kept to the microsecond.
 */
export function toRow(m: Message): { table: string; row: EnvelopeRow & Typed } {
  const { table, payload } = envelope(m);
  const row: EnvelopeRow & Typed = { run: m.run, topic: m.topic, key: m.key, seq: m.seq, ts: Math.round(m.ts), payload };
  const p = obj(m.payload);
  for (const c of TYPED[table] ?? []) row[c.name] = c.get(p);
  return { table, row };
}

const TSV_SPECIAL = /[\t\n\r\\\0]/;
const TSV_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\\': '\\\\', '\0': '\\0' };

/** A String field in ClickHouse's TabSeparated escaping. */
export function tsvString(s: string): string {
  return TSV_SPECIAL.test(s) ? s.replace(/[\t\n\r\\\0]/g, (c) => TSV_ESCAPES[c]) : s;
}

const tsvValue = (v: Value): string => (typeof v === 'string' ? tsvString(v) : v === null ? '\\N' : String(v));

/**
 * The same row as `toRow`, as one TabSeparated line in `columnsOf(table)` order: the form the
 * sink inserts, because it is the cheapest to build and to parse and every ClickHouse reads it.
 */
export function encodeRow(m: Message): { table: string; line: string } {
  const { table, payload } = envelope(m);
  let line = `${tsvString(m.run)}\t${tsvString(m.topic)}\t${tsvString(m.key)}\t${m.seq}\t${Math.round(m.ts)}\t${tsvString(payload)}`;
  const typed = TYPED[table];
  if (typed) {
    const p = obj(m.payload);
    for (let i = 0; i < typed.length; i++) line += '\t' + tsvValue(typed[i].get(p));
  }
  return { table, line };
}
