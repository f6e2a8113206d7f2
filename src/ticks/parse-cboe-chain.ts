/**
 * The CBOE "delayed quotes" option-chain export (format in ../shared/data/README.md):
 *
 *   (blank line)
 *   S&P 500 INDEX,Last: 4604.3701,Change:  18.7801
 *   "Date: January 7, 2024 at 10:52 AM EST",Bid: ...,Ask: ...       <- snapshot time
 *   Expiration Date,Calls,Last Sale,Net,Bid,Ask,...,Strike,Puts,Last Sale,Net,Bid,Ask,...
 *   Mon Feb 07 2022,SPXW220207C02400000,0,0,2087.8,2102.6,...,2400.00,SPXW220207P02400000,...
 *
 * Each row gives two OptionTicks (call and put side by side) and the index line one IndexTick
 * for the underlying's spot. Columns are found by name, so their order and extra columns do
 * not matter: a column belongs to the call side when the `Calls` (symbol) column is the
 * nearest symbol column to its left, to the put side when `Puts` is. Kept per side: bid, ask,
 * last sale (only when > 0: 0 means no trade), volume, open interest, and bid/ask sizes where
 * the export has `Bid Size`/`Ask Size`; CBOE's IV and greeks are dropped (recompute them).
 * A side whose symbol cell is empty or missing (a short row) gives no tick.
 *
 * Root, right and, where the columns are empty, expiry and strike come from the OSI symbol
 * (`SPXW220207C02400000`: root, yymmdd, C/P, strike x 1000); the `Expiration Date` column
 * wins over the symbol's date when both are there.
 *
 * Snapshot time (the `ts` of every tick), first that applies:
 *  1. `snapshotTs` given by the caller;
 *  2. the date line, read in New York time (English spellings only: one real export has it in
 *     Russian, and it is then ignored);
 *  3. `fallbackDate` (YYYY-MM-DD) given by the caller, else the innermost `YYYY-MM-DD` in the source path
 *     (exports are filed under their trading day), at the 16:15 ET close;
 *  otherwise every tick is rejected (`schema`, field `ts`).
 */
import type { Candidate, ParseOutcome } from './candidate.ts';
import { csvCells } from './csv-cells.ts';
import { runParser, UNKNOWN_TS, type Emit, type LineParser, type ParseOptions } from './line-parser.ts';
import type { LineInput, LineItem } from './lines.ts';
import { reject } from './reject.ts';
import { INDEX_CLOSE_TIME } from './settlement.ts';
import { isBadNumber, strictNumber } from './strict-number.ts';
import { dateInPath, NEW_YORK, parseCboeExpiry, parseCboeSnapshotTime, parseDayDate, zonedToEpochMicros } from './time.ts';

/** Options of the CBOE chain parser. */
export interface CboeChainOptions extends ParseOptions {
  /** Snapshot time (epoch microseconds) to use whatever the date line says. */
  snapshotTs?: number;
  /** Fallback trading day (YYYY-MM-DD), stamped at the 16:15 ET close, for when the date line does not parse. */
  fallbackDate?: string;
  /** Underlying index symbol; by default read from the index name (`S&P 500 INDEX` -> SPX). */
  underlying?: string;
}

/** Index symbol for a CBOE index name, or the name itself upper-cased when unknown. */
export function indexSymbolFromName(name: string): string {
  if (/s\s*&\s*p\s*500|standard\s*&\s*poor/i.test(name)) return 'SPX';
  const m = /\b(VIX|VVIX|VIX9D|VIX3M|VIX6M|SKEW)\b/i.exec(name);
  return m ? m[1].toUpperCase() : name.trim().toUpperCase();
}

const OSI = /^([A-Z]{1,6})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

type SideField = 'last' | 'bid' | 'ask' | 'bidSize' | 'askSize' | 'volume' | 'openInterest';
const SIDE_FIELDS: Record<string, SideField> = {
  'last sale': 'last', last: 'last', bid: 'bid', ask: 'ask', 'bid size': 'bidSize', 'ask size': 'askSize',
  volume: 'volume', 'open interest': 'openInterest',
};

interface Side {
  right: 'C' | 'P';
  symbol: number;
  fields: Array<[SideField, number]>;
}

interface Layout {
  expiry: number;
  strike: number;
  sides: Side[];
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

function layoutOf(cells: string[]): Layout | undefined {
  const names = cells.map(norm);
  const calls = names.indexOf('calls');
  const puts = names.indexOf('puts');
  if (calls < 0 && puts < 0) return undefined;
  const sides: Side[] = [];
  if (calls >= 0) sides.push({ right: 'C', symbol: calls, fields: [] });
  if (puts >= 0) sides.push({ right: 'P', symbol: puts, fields: [] });
  names.forEach((n, j) => {
    const f = SIDE_FIELDS[n];
    if (f === undefined || !Object.hasOwn(SIDE_FIELDS, n)) return;
    let owner: Side | undefined;
    for (const s of sides) if (s.symbol < j && (!owner || s.symbol > owner.symbol)) owner = s;
    if (owner && !owner.fields.some(([g]) => g === f)) owner.fields.push([f, j]);
  });
  return { expiry: names.indexOf('expiration date'), strike: names.indexOf('strike'), sides };
}

class CboeChainLines implements LineParser {
  private layout: Layout | undefined;
  private headerSeen = false;
  private ts: number | undefined;
  private tsProblem = '';
  private dateLineTs: number | undefined;
  private indexLine: { line: number; raw: string; name: string; spot: string } | undefined;

  constructor(private readonly src: string, private readonly opts: CboeChainOptions) {}

  feed(text: string, line: number, emit: Emit): void {
    if (this.headerSeen) return this.row(text, line, emit);
    const where = { src: this.src, line, raw: text, ts: UNKNOWN_TS };
    if (/Date:/i.test(text) && this.dateLineTs === undefined) {
      this.dateLineTs = parseCboeSnapshotTime(text);
      return;
    }
    const last = /Last:\s*([^,"]*)/i.exec(text);
    if (last && !this.indexLine) {
      this.indexLine = { line, raw: text, name: (csvCells(text)?.[0] ?? '').trim(), spot: last[1].trim() };
      return;
    }
    const cells = csvCells(text);
    if (cells && cells.some((c) => norm(c) === 'expiration date' || norm(c) === 'calls' || norm(c) === 'puts')) {
      this.headerSeen = true;
      this.layout = layoutOf(cells);
      this.resolveTs();
      if (!this.layout) emit(reject('unparseable', '', 'chain header has neither a "Calls" nor a "Puts" column', where));
      this.emitIndex(emit);
      return;
    }
    // A preamble line we cannot read (a localised date line, say) carries nothing needed.
    if (line > 8 || (cells && OSI.test(cells[1] ?? ''))) {
      emit(reject('unparseable', '', 'option row before the chain header (no "Expiration Date,Calls,...,Strike,Puts,..." line)', where));
    }
  }

  private resolveTs(): void {
    if (this.opts.snapshotTs !== undefined) this.ts = this.opts.snapshotTs;
    else if (this.dateLineTs !== undefined) this.ts = this.dateLineTs;
    else {
      const day = this.opts.fallbackDate ?? dateInPath(this.src);
      if (day !== undefined && parseDayDate(day) !== undefined) this.ts = zonedToEpochMicros(day, INDEX_CLOSE_TIME, NEW_YORK);
      else this.tsProblem = `snapshot time unknown: the date line did not parse, no fallback date was given and "${this.src}" has no YYYY-MM-DD in its path`;
    }
  }

  private underlying(): string {
    return this.opts.underlying ?? indexSymbolFromName(this.indexLine?.name ?? 'S&P 500');
  }

  private emitIndex(emit: Emit): void {
    const il = this.indexLine;
    if (!il) return;
    const where = { src: this.src, line: il.line, raw: il.raw, ts: this.ts ?? UNKNOWN_TS };
    if (this.ts === undefined) return emit(reject('schema', 'ts', this.tsProblem, where));
    const x = strictNumber(il.spot);
    if (x === undefined || isBadNumber(x)) {
      return emit(reject(x === undefined ? 'schema' : x.bad, 'price', `index "Last: ${il.spot}" is not a number`, where));
    }
    const c: Candidate = { src: this.src, line: il.line, raw: il.raw, value: { kind: 'index', symbol: this.underlying(), price: x, ts: this.ts, src: this.src } };
    emit(c);
  }

  private row(text: string, line: number, emit: Emit): void {
    const where = { src: this.src, line, raw: text, ts: this.ts ?? UNKNOWN_TS };
    const cells = csvCells(text);
    if (!cells) return emit(reject('unparseable', '', 'unbalanced quotes in a chain row', where));
    const layout = this.layout;
    if (!layout) return emit(reject('unparseable', '', 'no usable chain header before this row', where));
    if (cells.every((c) => c.length === 0)) return;
    for (const side of layout.sides) {
      const sym = cells[side.symbol] ?? '';
      if (sym.length === 0) continue;
      const out = this.side(side, sym, cells, layout, where);
      emit(out);
    }
  }

  private side(side: Side, sym: string, cells: string[], layout: Layout, where: { src: string; line: number; raw: string; ts: number }): ParseOutcome {
    if (this.ts === undefined) return reject('schema', 'ts', this.tsProblem, where);
    const osi = OSI.exec(sym);
    if (!osi) return reject('unparseable', 'root', `option symbol "${sym}" is not an OSI symbol like SPXW220207C02400000`, where);
    if (osi[5] !== side.right) {
      return reject('schema', 'right', `symbol ${sym} is a ${osi[5] === 'C' ? 'call' : 'put'} in the ${side.right === 'C' ? 'Calls' : 'Puts'} column`, where);
    }
    const expCell = layout.expiry >= 0 ? (cells[layout.expiry] ?? '') : '';
    let expiry: string | undefined;
    if (expCell.length > 0) {
      expiry = parseCboeExpiry(expCell);
      if (!expiry) return reject('unparseable', 'expiry', `expiration date "${expCell}" is not like "Mon Feb 07 2022"`, where);
    } else {
      expiry = parseDayDate(`20${osi[2]}-${osi[3]}-${osi[4]}`);
      if (!expiry) return reject('unparseable', 'expiry', `symbol ${sym} has no valid date`, where);
    }
    const strikeCell = layout.strike >= 0 ? (cells[layout.strike] ?? '') : '';
    const k = strictNumber(strikeCell);
    if (isBadNumber(k)) return reject(k.bad, 'strike', `strike "${strikeCell}" is not a number`, where);
    const value: Record<string, unknown> = {
      kind: 'option',
      root: osi[1],
      underlying: this.underlying(),
      expiry,
      strike: k ?? Number(osi[6]) / 1000,
      right: side.right,
    };
    for (const [f, j] of side.fields) {
      const cell = cells[j] ?? '';
      const x = strictNumber(cell);
      if (isBadNumber(x)) return reject(x.bad, f, `${f} "${cell}" is not a number`, where);
      if (x === undefined || (f === 'last' && x === 0)) continue;
      value[f] = x;
    }
    value.ts = this.ts;
    value.src = this.src;
    const c: Candidate = { src: this.src, line: where.line, raw: where.raw, value };
    return c;
  }
}

/** Parses a CBOE option-chain export (text or lines) into candidates and rejects, lazily. */
export function parseCboeChain(input: string | Iterable<LineItem>, opts?: CboeChainOptions): Iterable<ParseOutcome>;
export function parseCboeChain(input: AsyncIterable<LineItem>, opts?: CboeChainOptions): AsyncIterable<ParseOutcome>;
export function parseCboeChain(input: LineInput, opts?: CboeChainOptions): Iterable<ParseOutcome> | AsyncIterable<ParseOutcome>;
export function parseCboeChain(input: LineInput, opts: CboeChainOptions = {}): Iterable<ParseOutcome> | AsyncIterable<ParseOutcome> {
  return runParser(new CboeChainLines(opts.src ?? 'input', opts), input, opts);
}
