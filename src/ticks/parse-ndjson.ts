/**
 * NDJSON tick files: one JSON object per line, shaped like a Tick (see schema.ts). The parser
 * only decodes; validation checks the shape.
 */
import type { Candidate, ParseOutcome } from './candidate.ts';
import { runParser, UNKNOWN_TS, type Emit, type LineParser, type ParseOptions } from './line-parser.ts';
import type { LineInput, LineItem } from './lines.ts';
import { reject } from './reject.ts';

class NdjsonLines implements LineParser {
  constructor(private readonly src: string) {}

  feed(text: string, line: number, emit: Emit): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      emit(reject('unparseable', '', `not JSON: ${(e as Error).message}`, { src: this.src, line, raw: text, ts: UNKNOWN_TS }));
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
      emit(reject('schema', '', `expected a JSON object, got ${what}`, { src: this.src, line, raw: text, ts: UNKNOWN_TS }));
      return;
    }
    const c: Candidate = { src: this.src, line, value, raw: text };
    emit(c);
  }
}

/** Parses NDJSON text or lines into candidates and `unparseable`/`oversize` rejects, lazily. */
export function parseNdjson(input: string | Iterable<LineItem>, opts?: ParseOptions): Iterable<ParseOutcome>;
export function parseNdjson(input: AsyncIterable<LineItem>, opts?: ParseOptions): AsyncIterable<ParseOutcome>;
export function parseNdjson(input: LineInput, opts?: ParseOptions): Iterable<ParseOutcome> | AsyncIterable<ParseOutcome>;
export function parseNdjson(input: LineInput, opts: ParseOptions = {}): Iterable<ParseOutcome> | AsyncIterable<ParseOutcome> {
  return runParser(new NdjsonLines(opts.src ?? 'input'), input, opts);
}
