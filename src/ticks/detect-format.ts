/**
 * Which parser a file needs, from its name and first lines. Content decides before the name,
 * so a mis-named file is still read right; the name breaks ties (`.ndjson`, `.jsonl`).
 */
import { csvCells } from './csv-cells.ts';
import { CSV_COLUMNS } from './parse-csv.ts';

/** The tick file formats the engine reads. */
export const TICK_FORMATS = ['ndjson', 'csv', 'cboe-chain', 'index-history'] as const;
export type TickFormat = (typeof TICK_FORMATS)[number];

const known = new Set(Object.keys(CSV_COLUMNS).map((k) => k.toLowerCase()));

/**
 * The format of a file given its name and its first lines (a dozen is plenty), or undefined
 * when it is none the engine reads.
 */
export function detectFormat(fileName: string, firstLines: readonly string[]): TickFormat | undefined {
  const lines = firstLines.map((l) => l.replace(/^\uFEFF/, '').trim()).filter((l) => l.length > 0);
  const first = lines[0];
  if (first === undefined) return /\.(nd)?jsonl?$/i.test(fileName) ? 'ndjson' : undefined;
  if (first.startsWith('{') || /\.(ndjson|jsonl)$/i.test(fileName)) return 'ndjson';
  const cboe = lines.slice(0, 8).some((l) => /(^|,)\s*"?Expiration Date"?\s*,/i.test(l) && /(^|,)\s*"?(Calls|Puts)"?\s*(,|$)/i.test(l));
  if (cboe || /^[^,]*,\s*"?Last:/i.test(first)) return 'cboe-chain';
  const header = (csvCells(first) ?? []).map((c) => c.toLowerCase());
  if (header.includes('kind') || (header.length > 0 && header.every((h) => known.has(h)))) return 'csv';
  if (header.includes('date') && (header.includes('close') || header.length === 2)) return 'index-history';
  return undefined;
}
