/**
 * The loop every text parser shares: numbering lines, dropping a BOM and blank lines, turning
 * oversize lines into rejects, and handing each remaining line to a format's `LineParser`.
 * A string or a synchronous iterable is parsed synchronously (fast, lazy); an asynchronous
 * source gives an asynchronous iterable.
 */
import type { ParseOutcome } from './candidate.ts';
import { DEFAULT_MAX_LINE_BYTES, OversizeLine, splitLines, type LineInput, type LineItem } from './lines.ts';
import { reject } from './reject.ts';

/** Hands an outcome on. */
export type Emit = (o: ParseOutcome) => void;

/** One format's per-line logic; it may keep state (a header, a snapshot time) between lines. */
export interface LineParser {
  /** Parses one non-blank line (no line terminator, no BOM) numbered `line` (1-based). */
  feed(text: string, line: number, emit: Emit): void;
}

/** Options every parser takes. */
export interface ParseOptions {
  /** Source name put on every candidate and reject (a file name, a feed). Default `input`. */
  src?: string;
  /** Longest line accepted, in UTF-8 bytes; longer lines become `oversize` rejects. */
  maxLineBytes?: number;
}

/** Time put on a parser's reject when the line gave none; validation replaces it. */
export const UNKNOWN_TS = Number.NaN;

function isBlank(text: string): boolean {
  if (text.length === 0) return true;
  const c = text.charCodeAt(0);
  return (c === 32 || c === 9 || c === 13) && text.trim().length === 0;
}

/** A line-numbering, limit-checking wrapper around a `LineParser`. */
class Driver {
  private n = 0;
  private readonly src: string;
  private readonly max: number;
  constructor(private readonly parser: LineParser, opts: ParseOptions) {
    this.src = opts.src ?? 'input';
    this.max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!(this.max > 0)) throw new Error(`maxLineBytes must be a positive number of bytes, got ${opts.maxLineBytes}`);
  }

  step(item: LineItem, emit: Emit): void {
    const line = ++this.n;
    if (item instanceof OversizeLine) {
      emit(this.oversize(line, item.bytes, item.head));
      return;
    }
    let text = item;
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (text.length * 3 > this.max) {
      const bytes = Buffer.byteLength(text);
      if (bytes > this.max) {
        emit(this.oversize(line, bytes, text));
        return;
      }
    }
    if (isBlank(text)) return;
    this.parser.feed(text, line, emit);
  }

  private oversize(line: number, bytes: number, head: string) {
    return reject('oversize', '', `line of ${bytes} bytes exceeds the limit of ${this.max} bytes`, {
      src: this.src,
      line,
      raw: head,
      ts: UNKNOWN_TS,
    });
  }
}

function* runSync(parser: LineParser, input: string | Iterable<LineItem>, opts: ParseOptions): Generator<ParseOutcome> {
  const d = new Driver(parser, opts);
  const buf: ParseOutcome[] = [];
  const emit: Emit = (o) => void buf.push(o);
  for (const item of typeof input === 'string' ? splitLines(input) : input) {
    d.step(item, emit);
    for (let i = 0; i < buf.length; i++) yield buf[i];
    buf.length = 0;
  }
}

async function* runAsync(parser: LineParser, input: AsyncIterable<LineItem>, opts: ParseOptions): AsyncGenerator<ParseOutcome> {
  const d = new Driver(parser, opts);
  const buf: ParseOutcome[] = [];
  const emit: Emit = (o) => void buf.push(o);
  for await (const item of input) {
    d.step(item, emit);
    for (let i = 0; i < buf.length; i++) yield buf[i];
    buf.length = 0;
  }
}

/** Runs a line parser over an input: synchronous in, synchronous out; asynchronous in, asynchronous out. */
export function runParser(parser: LineParser, input: string | Iterable<LineItem>, opts: ParseOptions): Iterable<ParseOutcome>;
export function runParser(parser: LineParser, input: AsyncIterable<LineItem>, opts: ParseOptions): AsyncIterable<ParseOutcome>;
export function runParser(parser: LineParser, input: LineInput, opts: ParseOptions): Iterable<ParseOutcome> | AsyncIterable<ParseOutcome>;
export function runParser(parser: LineParser, input: LineInput, opts: ParseOptions): Iterable<ParseOutcome> | AsyncIterable<ParseOutcome> {
  if (typeof input === 'string' || Symbol.iterator in input) return runSync(parser, input as string | Iterable<LineItem>, opts);
  return runAsync(parser, input, opts);
}
