/**
 * Lines in, one at a time: from a string, an iterable, or a file read in chunks. A file line
 * longer than the limit is never held whole: the reader keeps its head and its length and
 * hands on an `OversizeLine`, which parsers turn into an `oversize` reject.
 */
import { createReadStream } from 'node:fs';

/** Default longest line, in UTF-8 bytes (a CBOE chain row is ~150 bytes, an NDJSON tick ~200). */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/** A line cut at the reader because it exceeded the limit: its length and its first characters. */
export class OversizeLine {
  constructor(
    /** Length of the whole line in bytes. */
    readonly bytes: number,
    /** Its first characters, for the reject's `raw`. */
    readonly head: string,
  ) {}
}

/** One line as a reader yields it. */
export type LineItem = string | OversizeLine;

/** What parsers read: a whole text, or lines from a synchronous or asynchronous source. */
export type LineInput = string | Iterable<LineItem> | AsyncIterable<LineItem>;

/** Splits a text into lines lazily (`\n` or `\r\n`; a final line without newline counts). */
export function* splitLines(text: string): Generator<string> {
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    yield text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
  }
}

const HEAD_KEPT = 2048;

/**
 * Reads a file as lines, in chunks, so memory stays bounded by the chunk size plus the line
 * limit whatever the file holds. Lines longer than `maxLineBytes` come out as `OversizeLine`.
 */
export async function* readFileLines(path: string, maxLineBytes: number = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<LineItem> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let carry: Buffer | undefined; // the unfinished line so far (only while it is within the limit)
  let skipping: { bytes: number; head: string } | undefined; // an oversize line being skipped
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf(10, pos);
        if (nl < 0) break;
        if (skipping) {
          yield new OversizeLine(skipping.bytes + nl - pos, skipping.head);
          skipping = undefined;
        } else if (carry) {
          const total = carry.length + nl - pos;
          if (total > maxLineBytes + 1) yield new OversizeLine(total, carry.toString('utf8', 0, Math.min(carry.length, HEAD_KEPT)));
          else yield stripCr(Buffer.concat([carry, chunk.subarray(pos, nl)]).toString('utf8'));
          carry = undefined;
        } else if (nl - pos > maxLineBytes + 1) {
          yield new OversizeLine(nl - pos, chunk.toString('utf8', pos, pos + HEAD_KEPT));
        } else {
          // Lines inside one chunk: decode a run of them at once, then split the string.
          const last = chunk.lastIndexOf(10);
          const text = chunk.toString('utf8', pos, last);
          let s = 0;
          for (;;) {
            const e = text.indexOf('\n', s);
            // Within one chunk a line is bounded by the chunk size; the parser driver measures it.
            yield stripCr(e < 0 ? text.slice(s) : text.slice(s, e));
            if (e < 0) break;
            s = e + 1;
          }
          pos = last + 1;
          continue;
        }
        pos = nl + 1;
      }
      if (pos < chunk.length) {
        const rest = chunk.subarray(pos);
        if (skipping) skipping.bytes += rest.length;
        else {
          const merged = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
          if (merged.length > maxLineBytes + 1) {
            skipping = { bytes: merged.length, head: merged.toString('utf8', 0, Math.min(merged.length, HEAD_KEPT)) };
            carry = undefined;
          } else carry = merged;
        }
      }
    }
    if (skipping) yield new OversizeLine(skipping.bytes, skipping.head);
    else if (carry && carry.length > 0) yield stripCr(carry.toString('utf8'));
  } finally {
    stream.destroy();
  }
}

const stripCr = (s: string): string => (s.length > 0 && s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s);
