/**
 * CBOE index history files and Yahoo daily downloads: one IndexTick per day, stamped at the
 * 16:15 ET close, with `price` = close and open/high/low where present. Layouts read:
 *
 *   DATE,OPEN,HIGH,LOW,CLOSE        (VIX_History.csv, VIX3M, VIX9D; dates MM/DD/YYYY or ISO)
 *   DATE,VVIX                       (close only: the one value column is the close)
 *   Date,Open,High,Low,Close,Adj Close,Volume   (Yahoo ^GSPC)
 *
 * A 0 in open/high/low means "not recorded" (Yahoo's ^GSPC has Open = 0 from 1962 to
 * 1982-04-19) and leaves the field out. The symbol is the caller's, else inferred from the
 * file name (`VVIX_History.csv` -> VVIX, `vix-daily.csv` -> VIX), else the close-only column's
 * name; validation rejects it when unknown.
 */
import { basename } from 'node:path';
import type { Candidate, ParseOutcome } from './candidate.ts';
import { csvCells } from './csv-cells.ts';
import { runParser, UNKNOWN_TS, type Emit, type LineParser, type ParseOptions } from './line-parser.ts';
import type { LineInput, LineItem } from './lines.ts';
import { reject } from './reject.ts';
import { INDEX_CLOSE_TIME } from './settlement.ts';
import { isBadNumber, strictNumber } from './strict-number.ts';
import { NEW_YORK, parseDayDate, zonedToEpochMicros } from './time.ts';

/** Options of the index-history parser. */
export interface IndexHistoryOptions extends ParseOptions {
  /** Index symbol of every row; inferred from `src` when absent. */
  symbol?: string;
  /** New York wall time of the daily print, default 16:15. */
  closeTime?: string;
}

/** Index symbol a history file's name implies (`VIX9D_History.csv` -> VIX9D), if any. */
export function symbolFromFileName(path: string): string | undefined {
  const name = basename(path);
  const m = /^([A-Za-z0-9]+?)(?:_History|[-_]daily|[-_]history)?\.(?:csv|txt)$/i.exec(name);
  return m ? m[1].toUpperCase() : undefined;
}

interface Columns {
  date: number;
  close: number;
  open: number;
  high: number;
  low: number;
  /** Symbol from a close-only column's name. */
  valueName?: string;
}

function columnsOf(cells: string[]): Columns | undefined {
  const names = cells.map((c) => c.toLowerCase());
  const date = names.indexOf('date');
  if (date < 0) return undefined;
  let close = names.indexOf('close');
  let valueName: string | undefined;
  if (close < 0) {
    if (cells.length !== 2) return undefined;
    close = 1 - date;
    valueName = cells[close].toUpperCase();
  }
  return { date, close, open: names.indexOf('open'), high: names.indexOf('high'), low: names.indexOf('low'), valueName };
}

class IndexHistoryLines implements LineParser {
  private cols: Columns | undefined;
  private headerSeen = false;
  private symbol: string | undefined;
  private readonly closeTime: string;

  constructor(private readonly src: string, private readonly opts: IndexHistoryOptions) {
    this.symbol = opts.symbol;
    this.closeTime = opts.closeTime ?? INDEX_CLOSE_TIME;
  }

  feed(text: string, line: number, emit: Emit): void {
    const where = { src: this.src, line, raw: text, ts: UNKNOWN_TS };
    const cells = csvCells(text);
    if (!cells) return emit(reject('unparseable', '', 'unbalanced quotes in a CSV line', where));
    if (!this.headerSeen) {
      this.headerSeen = true;
      this.cols = columnsOf(cells);
      if (!this.cols) return emit(reject('unparseable', '', 'index history header needs a DATE column and CLOSE (or exactly one value column)', where));
      this.symbol ??= symbolFromFileName(this.src) ?? this.cols.valueName ?? 'UNKNOWN';
      return;
    }
    const cols = this.cols;
    if (!cols) return emit(reject('unparseable', '', 'no usable header before this row', where));
    if (cells.every((c) => c.length === 0)) return;
    const dateCell = cells[cols.date] ?? '';
    const day = parseDayDate(dateCell);
    if (!day) return emit(reject('unparseable', 'ts', `date "${dateCell}" is neither MM/DD/YYYY nor YYYY-MM-DD`, where));
    const ts = zonedToEpochMicros(day, this.closeTime, NEW_YORK);
    where.ts = ts;
    const closeCell = cells[cols.close] ?? '';
    const close = strictNumber(closeCell);
    if (close === undefined) return emit(reject('schema', 'price', `no close on ${day}`, where));
    if (isBadNumber(close)) return emit(reject(close.bad, 'price', `close "${closeCell}" is not a number`, where));
    const value: Record<string, unknown> = { kind: 'index', symbol: this.symbol, price: close };
    for (const f of ['open', 'high', 'low'] as const) {
      if (cols[f] < 0) continue;
      const cell = cells[cols[f]] ?? '';
      const x = strictNumber(cell);
      if (isBadNumber(x)) return emit(reject(x.bad, f, `${f} "${cell}" is not a number`, where));
      if (x !== undefined && x !== 0) value[f] = x;
    }
    value.ts = ts;
    value.src = this.src;
    const c: Candidate = { src: this.src, line, raw: text, value };
    emit(c);
  }
}

/** Parses a daily index history (text or lines) into candidates and rejects, lazily. */
export function parseIndexHistory(input: string | Iterable<LineItem>, opts?: IndexHistoryOptions): Iterable<ParseOutcome>;
export function parseIndexHistory(input: AsyncIterable<LineItem>, opts?: IndexHistoryOptions): AsyncIterable<ParseOutcome>;
export function parseIndexHistory(input: LineInput, opts?: IndexHistoryOptions): Iterable<ParseOutcome> | AsyncIterable<ParseOutcome>;
export function parseIndexHistory(input: LineInput, opts: IndexHistoryOptions = {}): Iterable<ParseOutcome> | AsyncIterable<ParseOutcome> {
  return runParser(new IndexHistoryLines(opts.src ?? 'input', opts), input, opts);
}
