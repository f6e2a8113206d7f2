/**
 * Fuzzing of the tick parsers and validation: fast-check arbitraries of malformed tick text in
 * each format (mutated valid records, random cells under real headers, random bytes, oversize
 * lines), and the invariants every input must keep: the parser never throws, every outcome is a
 * candidate or a reject, every reject names a known reason with a detail, and validation turns
 * every candidate into a tick or such a reject. Used by the CI fuzz test (a bounded number of
 * inputs) and by `loadtests/fuzz.ts` (millions).
 */
import fc from 'fast-check';
import { isReject, type ParseOutcome } from './candidate.ts';
import type { TickFormat } from './detect-format.ts';
import { parseText } from './parse-text.ts';
import { REJECT_REASONS, type Reject } from './reject.ts';
import { isAccepted, TickValidator } from './validate.ts';

/** Largest line the fuzzed parsers accept (small, so oversize lines are cheap to make). */
export const FUZZ_MAX_LINE_BYTES = 2048;

const T = 1_704_465_000_000_000;
const VALID_NDJSON = [
  { kind: 'index', symbol: 'SPX', price: 4700.5, ts: T },
  { kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: '2024-01-19', strike: 4700, right: 'C', bid: 50.1, ask: 51.2, ts: T },
  { kind: 'future', root: 'VX', month: '2024-02', expiry: '2024-02-14', bid: 14.1, ask: 14.2, ts: T },
];
const CSV_HEADER_WORDS = ['kind', 'symbol', 'root', 'underlying', 'month', 'expiry', 'right', 'price', 'bid', 'ask', 'strike', 'ts', 'sseq', 'settlement', 'volume', 'bogus'];
const CBOE_HEADER =
  'Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest';
const CBOE_PREAMBLE = ['', 'S&P 500 INDEX,Last: 5010.25,Change:  -3.5', '"Date: March 8, 2024 at 4:30 PM EST",Bid: 5000,Ask: 5020,Size: 1*1,Volume: 0'];

/** Cells that break parsers: numbers at the edges, dates, quotes, separators, control and wide characters. */
const nastyCell = fc.oneof(
  fc.constantFrom('', ' ', '"', '""', ',', '\t', '\r', 'NaN', 'Infinity', '-0', '1e309', '-1', '0', '0x10', '1_000', '9'.repeat(400), 'null', 'true', '2024-02-30', '1970-01-01', '99/99/9999', 'SPX', 'C', 'P', 'index', 'option', '\u0000', '\uFEFF', '🙂', '\uD800'),
  fc.double().map(String),
  fc.integer().map(String),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

const jsonValue = fc.oneof(fc.constantFrom(null, true, 0, -1, 1e308, '', 'SPX', '2024-01-19', [], {}), fc.double(), fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }));

/** A valid record with fields deleted, replaced by junk, or added. */
const mutatedJson = fc
  .tuple(fc.constantFrom(...VALID_NDJSON), fc.array(fc.tuple(fc.constantFrom('del', 'set', 'add'), fc.constantFrom('kind', 'symbol', 'root', 'price', 'bid', 'ask', 'strike', 'expiry', 'right', 'ts', 'sseq', 'src', '__proto__', 'constructor', 'x'), jsonValue), { maxLength: 4 }))
  .map(([base, edits]) => {
    const o: Record<string, unknown> = { ...base };
    for (const [op, k, v] of edits) {
      if (op === 'del') delete o[k];
      else Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return JSON.stringify(o);
  });

const oversize = fc.integer({ min: FUZZ_MAX_LINE_BYTES + 1, max: FUZZ_MAX_LINE_BYTES * 3 }).map((n) => `{"kind":"index","symbol":"${'S'.repeat(n)}"}`);

const ndjsonLine = fc.oneof(
  { weight: 4, arbitrary: mutatedJson },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: mutatedJson.chain((s) => fc.nat({ max: Math.max(0, s.length - 1) }).map((i) => s.slice(0, i))) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: oversize },
);

const csvText = fc
  .tuple(fc.uniqueArray(fc.constantFrom(...CSV_HEADER_WORDS), { minLength: 1, maxLength: 10 }), fc.array(fc.array(nastyCell, { maxLength: 12 }), { maxLength: 8 }))
  .map(([header, rows]) => [header.join(','), ...rows.map((r) => r.join(','))].join('\n'));

const cboeText = fc
  .tuple(fc.boolean(), fc.array(fc.array(nastyCell, { minLength: 0, maxLength: 24 }), { maxLength: 6 }), fc.nat({ max: 3 }))
  .map(([preamble, rows, cut]) => [...(preamble ? CBOE_PREAMBLE.slice(cut) : []), CBOE_HEADER, ...rows.map((r) => r.join(','))].join('\n'));

const historyText = fc
  .tuple(fc.constantFrom('DATE,OPEN,HIGH,LOW,CLOSE', 'DATE,VVIX', 'Date,Open,High,Low,Close,Adj Close,Volume', 'date', ''), fc.array(fc.array(nastyCell, { maxLength: 8 }), { maxLength: 8 }))
  .map(([header, rows]) => [header, ...rows.map((r) => r.join(','))].join('\r\n'));

/** One fuzz case: a format and a text in it (mostly malformed). */
export interface FuzzCase {
  format: TickFormat;
  text: string;
}

/** Malformed inputs of every format. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  fc.array(ndjsonLine, { minLength: 1, maxLength: 6 }).map((ls) => ({ format: 'ndjson' as const, text: ls.join('\n') })),
  csvText.map((text) => ({ format: 'csv' as const, text })),
  cboeText.map((text) => ({ format: 'cboe-chain' as const, text })),
  historyText.map((text) => ({ format: 'index-history' as const, text })),
  fc.tuple(fc.constantFrom<TickFormat>('ndjson', 'csv', 'cboe-chain', 'index-history'), fc.string({ unit: 'binary', maxLength: 200 })).map(([format, text]) => ({ format, text })),
);

/** Tallies over fuzzed inputs. */
export interface FuzzTally {
  inputs: number;
  accepted: number;
  rejected: number;
  byReason: Record<string, number>;
}

export const newTally = (): FuzzTally => ({ inputs: 0, accepted: 0, rejected: 0, byReason: {} });

const REASONS = new Set<string>(REJECT_REASONS);

function checkReject(r: Reject, c: FuzzCase): void {
  if (!REASONS.has(r.reason)) throw new Error(`reject with unknown reason ${JSON.stringify(r.reason)} for ${c.format} input ${JSON.stringify(c.text.slice(0, 200))}`);
  if (typeof r.detail !== 'string' || r.detail.length === 0) throw new Error(`reject without a detail (${r.reason}) for ${c.format} input ${JSON.stringify(c.text.slice(0, 200))}`);
  if (typeof r.raw !== 'string' || Buffer.byteLength(r.raw) > FUZZ_MAX_LINE_BYTES * 4 + 64) throw new Error(`reject raw text unbounded (${r.raw?.length} chars)`);
}

/**
 * Parses and validates one case, checking the invariants; throws (with the input) when one
 * breaks. Each case gets a fresh validator, so cases are independent and memory cannot pile up.
 */
export function checkCase(c: FuzzCase, tally: FuzzTally): void {
  tally.inputs++;
  let outcomes: ParseOutcome[];
  try {
    outcomes = [...parseText(c.format, c.text, { src: 'fuzz', maxLineBytes: FUZZ_MAX_LINE_BYTES })];
  } catch (e) {
    throw new Error(`${c.format} parser threw ${(e as Error).message} on ${JSON.stringify(c.text.slice(0, 200))}`, { cause: e });
  }
  const v = new TickValidator({ maxLineBytes: FUZZ_MAX_LINE_BYTES });
  for (const o of outcomes) {
    if (isReject(o)) checkReject(o, c);
    const out = v.check(o);
    if (isAccepted(out)) {
      tally.accepted++;
      continue;
    }
    checkReject(out, c);
    tally.rejected++;
    tally.byReason[out.reason] = (tally.byReason[out.reason] ?? 0) + 1;
  }
}
