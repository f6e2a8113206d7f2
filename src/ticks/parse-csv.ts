/**
 * CSV tick files: a header naming tick fields (`kind,symbol,price,ts`, or option columns such as
 * `kind,root,underlying,expiry,strike,right,bid,ask,ts`), then one tick per row. Numbers are read
 * strictly (strict-number.ts); `ts` is epoch microseconds or an ISO-8601 time with a zone
 * (`2024-01-05T21:00:00Z`, `...-05:00`). An empty cell leaves its field out. Header names match
 * case-insensitively; an unknown column rejects the header line once (reason `schema`, the
 * column as field) and is ignored after. A row with more or fewer cells than the header is
 * `unparseable`; a row of empty cells is skipped.
 */
import type { Candidate, ParseOutcome } from './candidate.ts';
import { csvCells } from './csv-cells.ts';
import { runParser, UNKNOWN_TS, type Emit, type LineParser, type ParseOptions } from './line-parser.ts';
import type { LineInput, LineItem } from './lines.ts';
import { reject } from './reject.ts';
import { isBadNumber, strictNumber } from './strict-number.ts';

type ColumnType = 'string' | 'number' | 'boolean' | 'time';

/** Tick fields a CSV column can name, with how the cell is read. */
export const CSV_COLUMNS: Readonly<Record<string, ColumnType>> = {
  kind: 'string', symbol: 'string', root: 'string', underlying: 'string', month: 'string',
  expiry: 'string', right: 'string', src: 'string',
  price: 'number', open: 'number', high: 'number', low: 'number', bid: 'number', ask: 'number',
  bidSize: 'number', askSize: 'number', last: 'number', strike: 'number', sseq: 'number',
  volume: 'number', openInterest: 'number',
  settlement: 'boolean',
  ts: 'time',
};

const byLowerName = new Map(Object.keys(CSV_COLUMNS).map((k) => [k.toLowerCase(), k]));

/** Options of the CSV parser. */
export interface CsvOptions extends ParseOptions {
  /** Field values used where a row has no such column or an empty cell (e.g. `{ kind: 'index' }`). */
  defaults?: Record<string, unknown>;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})$/;

class CsvLines implements LineParser {
  private columns: Array<string | undefined> | undefined;
  constructor(private readonly src: string, private readonly defaults: Record<string, unknown>) {}

  feed(text: string, line: number, emit: Emit): void {
    const where = { src: this.src, line, raw: text, ts: UNKNOWN_TS };
    const cells = csvCells(text);
    if (!cells) {
      emit(reject('unparseable', '', 'unbalanced quotes in a CSV line', where));
      return;
    }
    if (!this.columns) {
      this.columns = cells.map((c) => byLowerName.get(c.toLowerCase()));
      const unknown = cells.filter((_, i) => this.columns![i] === undefined);
      if (unknown.length > 0) {
        emit(reject('schema', unknown[0], `unknown CSV column(s) ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${Object.keys(CSV_COLUMNS).join(',')}`, where));
      }
      return;
    }
    if (cells.every((c) => c.length === 0)) return;
    if (cells.length !== this.columns.length) {
      emit(reject('unparseable', '', `row has ${cells.length} cells, the header ${this.columns.length}`, where));
      return;
    }
    const value: Record<string, unknown> = { ...this.defaults };
    for (let i = 0; i < cells.length; i++) {
      const name = this.columns[i];
      const cell = cells[i];
      if (name === undefined || cell.length === 0) continue;
      const type = CSV_COLUMNS[name];
      if (type === 'string') value[name] = cell;
      else if (type === 'boolean') {
        const b = cell.toLowerCase();
        if (b === 'true' || b === '1') value[name] = true;
        else if (b === 'false' || b === '0') value[name] = false;
        else return emit(reject('unparseable', name, `${name} "${cell}" is not true/false`, where));
      } else {
        const x = strictNumber(cell);
        if (isBadNumber(x)) {
          if (type === 'time' && ISO_TIME.test(cell)) {
            const ms = Date.parse(cell);
            if (Number.isFinite(ms)) {
              value[name] = ms * 1000 + fractionMicros(cell);
              continue;
            }
          }
          const what = x.bad === 'non_finite' ? 'is not finite' : type === 'time' ? 'is neither epoch microseconds nor an ISO time with a zone' : 'is not a number';
          return emit(reject(x.bad, name, `${name} "${cell}" ${what}`, where));
        }
        value[name] = x;
      }
    }
    const c: Candidate = { src: this.src, line, value, raw: text };
    emit(c);
  }
}

/** Microseconds beyond the millisecond in an ISO time's fraction (Date.parse keeps only ms). */
function fractionMicros(iso: string): number {
  const m = /\.(\d{4,6})/.exec(iso);
  return m ? Number(m[1].padEnd(6, '0').slice(3)) : 0;
}

/** Parses CSV tick text or lines into candidates and rejects, lazily. */
export function parseCsv(input: string | Iterable<LineItem>, opts?: CsvOptions): Iterable<ParseOutcome>;
export function parseCsv(input: AsyncIterable<LineItem>, opts?: CsvOptions): AsyncIterable<ParseOutcome>;
export function parseCsv(input: LineInput, opts?: CsvOptions): Iterable<ParseOutcome> | AsyncIterable<ParseOutcome>;
export function parseCsv(input: LineInput, opts: CsvOptions = {}): Iterable<ParseOutcome> | AsyncIterable<ParseOutcome> {
  return runParser(new CsvLines(opts.src ?? 'input', opts.defaults ?? {}), input, opts);
}
