/**
 * One entry point for a tick file: detects its format and streams it through the right parser,
 * reading the file in chunks (lines.ts), so a file of any size is parsed in bounded memory.
 */
import { open } from 'node:fs/promises';
import type { ParseOutcome } from './candidate.ts';
import { detectFormat, TICK_FORMATS, type TickFormat } from './detect-format.ts';
import { readFileLines, splitLines, DEFAULT_MAX_LINE_BYTES } from './lines.ts';
import { parseCboeChain, type CboeChainOptions } from './parse-cboe-chain.ts';
import { parseCsv, type CsvOptions } from './parse-csv.ts';
import { parseIndexHistory, type IndexHistoryOptions } from './parse-index-history.ts';
import { parseNdjson } from './parse-ndjson.ts';

/** Options of `parseFile`: those of every parser, plus an explicit format. */
export interface ParseFileOptions extends CboeChainOptions, CsvOptions, IndexHistoryOptions {
  /** Skip detection and read the file as this format. */
  format?: TickFormat;
}

/** Longest source name kept on ticks (the schema allows 256): the path's tail. */
const MAX_SRC = 200;

/** The source name for a path: the path as given, its tail when too long. */
export function srcName(path: string): string {
  return path.length > MAX_SRC ? '…' + path.slice(path.length - MAX_SRC + 1) : path;
}

/** Reads the first lines of a file (up to 16 KiB) for format detection. */
export async function peekLines(path: string, max = 12): Promise<string[]> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(16 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return [...splitLines(buf.toString('utf8', 0, bytesRead))].slice(0, max);
  } finally {
    await fh.close();
  }
}

/** The format of a file, or a clear error naming the file when it is none the engine reads. */
export async function fileFormat(path: string, format?: TickFormat): Promise<TickFormat> {
  if (format !== undefined) {
    if (!TICK_FORMATS.includes(format)) throw new Error(`${path}: unknown format "${format}" (expected one of ${TICK_FORMATS.join(', ')})`);
    return format;
  }
  const f = detectFormat(path, await peekLines(path));
  if (!f) {
    throw new Error(
      `${path}: not a tick file the engine reads (NDJSON ticks, CSV with a header of tick fields, a CBOE option-chain export, or a daily index history with DATE and CLOSE columns)`,
    );
  }
  return f;
}

/**
 * Parses a tick file lazily into candidates and rejects, in file order. The source name is the
 * path as given. Throws (when iterated) if the file cannot be opened or its format is unknown.
 */
export async function* parseFile(path: string, options: ParseFileOptions = {}): AsyncGenerator<ParseOutcome> {
  const format = await fileFormat(path, options.format);
  const opts = { ...options, src: options.src ?? srcName(path) };
  const lines = readFileLines(path, opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  switch (format) {
    case 'ndjson':
      yield* parseNdjson(lines, opts);
      break;
    case 'csv':
      yield* parseCsv(lines, opts);
      break;
    case 'cboe-chain':
      yield* parseCboeChain(lines, opts);
      break;
    case 'index-history':
      yield* parseIndexHistory(lines, opts);
      break;
  }
}
