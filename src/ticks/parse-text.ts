/** One entry point for tick text already in memory (a REST body, a test): the parser of a named format. */
import type { ParseOutcome } from './candidate.ts';
import type { TickFormat } from './detect-format.ts';
import type { LineItem } from './lines.ts';
import { parseCboeChain } from './parse-cboe-chain.ts';
import { parseCsv } from './parse-csv.ts';
import type { ParseFileOptions } from './parse-file.ts';
import { parseIndexHistory } from './parse-index-history.ts';
import { parseNdjson } from './parse-ndjson.ts';

/** Parses text (or lines) of a known format, lazily; throws on a format it does not know. */
export function parseText(format: TickFormat, text: string | Iterable<LineItem>, options: Omit<ParseFileOptions, 'format'> = {}): Iterable<ParseOutcome> {
  switch (format) {
    case 'ndjson':
      return parseNdjson(text, options);
    case 'csv':
      return parseCsv(text, options);
    case 'cboe-chain':
      return parseCboeChain(text, options);
    case 'index-history':
      return parseIndexHistory(text, options);
    default:
      throw new Error(`unknown tick format "${String(format)}" (expected ndjson, csv, cboe-chain or index-history)`);
  }
}
