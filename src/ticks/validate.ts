/**
 * Validation: turns each parsed candidate into a typed Tick or a Reject with a reason code and
 * the offending field; parser rejects pass through. Checks, in this order, first failure wins:
 *
 *  1. shape: an object whose `kind` is index/future/option (`schema`, field `kind`); any
 *     numeric field NaN or ±Infinity (`non_finite`); the kind's TypeBox schema (`schema`, the
 *     first failing field). A candidate without `src` gets its source's name.
 *  2. known names: index symbol, option root, option underlying, futures root against the
 *     lists in schema.ts (`unknown_symbol`); strike > 0 (`bad_strike`).
 *  3. expiry (options and futures): a real date, and the contract's settlement instant
 *     (settlement.ts: SPX 09:30 ET, SPXW 16:00 ET, VX 09:00 ET on the expiry date) not
 *     before the tick's time (`expired`).
 *  4. prices: index price/open/high/low > 0; option and futures `ask` > 0 and `bid` >= 0,
 *     where bid 0 means "no bid" (CBOE exports carry one-sided quotes of far wings, and
 *     they are real market data), while an ask of 0 means no offer at all and the quote is
 *     unusable; futures `price` and option `last` > 0 when present (`non_positive`);
 *     bid > ask (`crossed`); sizes, volume and open interest >= 0 (`negative_size`). A
 *     futures tick needs at least one of bid, ask, price (`schema`).
 *  5. per source (the tick's `src`): a source sequence number `sseq` seen among that source's
 *     last `dedupWindow` accepted ones (`duplicate`); an event time earlier than the source's
 *     latest accepted one by more than `timeToleranceMicros` (`time_backwards`).
 *  6. a raw line longer than `maxLineBytes` (`oversize`; text parsers already reject these).
 *
 * Memory is bounded: per source one timestamp and a ring of `dedupWindow` sequence numbers
 * (a duplicate older than the window is not recognised); at most `maxSources` sources are
 * tracked, the least recently added forgotten first.
 */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { defer, map, type OperatorFunction } from 'rxjs';
import { isReject, type Candidate, type ParseOutcome } from './candidate.ts';
import { DEFAULT_MAX_LINE_BYTES } from './lines.ts';
import { reject, type Reject, type RejectReason } from './reject.ts';
import { FUTURE_ROOTS, FutureTick, INDEX_SYMBOLS, IndexTick, OPTION_ROOTS, OptionTick, type Tick } from './schema.ts';
import { settlementMicros } from './settlement.ts';
import { parseDayDate } from './time.ts';

/** Validation settings. */
export interface ValidateConfig {
  /** Longest raw line, UTF-8 bytes. */
  maxLineBytes: number;
  /** How far (microseconds) a source's event time may step back before ticks are rejected. */
  timeToleranceMicros: number;
  /** How many recent sequence numbers per source are remembered for duplicate detection. */
  dedupWindow: number;
  /** How many sources' time and sequence state are kept. */
  maxSources: number;
}

/** Defaults: 64 KiB lines, 1 s of jitter, 65,536 sequence numbers per source, 10,000 sources. */
export const DEFAULT_VALIDATE_CONFIG: Readonly<ValidateConfig> = {
  maxLineBytes: DEFAULT_MAX_LINE_BYTES,
  timeToleranceMicros: 1_000_000,
  dedupWindow: 65_536,
  maxSources: 10_000,
};

/**
 * A tick that passed validation: the Tick itself (its `src` filled in), so downstream stages
 * take it as is. Rejects are told apart by their `reason`.
 */
export type Accepted = Tick;

/** Tells an accepted tick from a reject. */
export const isAccepted = (x: Accepted | Reject): x is Accepted => (x as Reject).reason === undefined;

// Compiled once at load: validation runs per tick.
const checkers: Record<string, TypeCheck<typeof IndexTick | typeof FutureTick | typeof OptionTick>> = {
  index: TypeCompiler.Compile(IndexTick),
  future: TypeCompiler.Compile(FutureTick),
  option: TypeCompiler.Compile(OptionTick),
};

const NUMERIC_FIELDS: Record<string, readonly string[]> = {
  index: ['price', 'open', 'high', 'low', 'ts', 'sseq'],
  future: ['bid', 'ask', 'bidSize', 'askSize', 'price', 'ts', 'sseq'],
  option: ['strike', 'bid', 'ask', 'bidSize', 'askSize', 'last', 'volume', 'openInterest', 'ts', 'sseq'],
};
const SIZE_FIELDS = ['bidSize', 'askSize', 'volume', 'openInterest'] as const;

const indexSymbols = new Set<string>(INDEX_SYMBOLS);
const optionRoots = new Set<string>(OPTION_ROOTS);
const futureRoots = new Set<string>(FUTURE_ROOTS);

/** Remembers the last `size` sequence numbers of one source. */
class SeqWindow {
  private readonly seen = new Set<number>();
  private readonly ring: Float64Array;
  private pos = 0;
  private filled = false;
  constructor(size: number) {
    this.ring = new Float64Array(size);
  }
  has(seq: number): boolean {
    return this.seen.has(seq);
  }
  add(seq: number): void {
    if (this.filled) this.seen.delete(this.ring[this.pos]);
    this.ring[this.pos] = seq;
    this.seen.add(seq);
    if (++this.pos === this.ring.length) {
      this.pos = 0;
      this.filled = true;
    }
  }
}

interface SourceState {
  lastTs: number;
  seqs: SeqWindow | undefined;
}

type Failure = [RejectReason, string, string];

/** The stateful checker `validateTicks` wraps; one instance per stream. */
export class TickValidator {
  private readonly cfg: ValidateConfig;
  private readonly sources = new Map<string, SourceState>();

  constructor(config: Partial<ValidateConfig> = {}) {
    this.cfg = { ...DEFAULT_VALIDATE_CONFIG };
    for (const [k, x] of Object.entries(config) as Array<[keyof ValidateConfig, number | undefined]>) if (x !== undefined) this.cfg[k] = x;
    for (const k of ['maxLineBytes', 'dedupWindow', 'maxSources'] as const) {
      if (!(Number.isInteger(this.cfg[k]) && this.cfg[k] > 0)) throw new Error(`validate config: ${k} must be a positive integer, got ${this.cfg[k]}`);
    }
    if (!(this.cfg.timeToleranceMicros >= 0)) throw new Error(`validate config: timeToleranceMicros must be >= 0, got ${this.cfg.timeToleranceMicros}`);
  }

  /** Checks one parse outcome: a candidate becomes Accepted or Reject; a reject passes (its unknown time filled in). */
  check(o: ParseOutcome): Accepted | Reject {
    if (isReject(o)) {
      return Number.isNaN(o.ts) ? { ...o, ts: this.sources.get(o.src)?.lastTs ?? 0 } : o;
    }
    try {
      return this.candidate(o);
    } catch (e) {
      return this.fail(o, ['schema', '', `could not be checked: ${(e as Error).message}`]);
    }
  }

  private candidate(c: Candidate): Accepted | Reject {
    const v = c.value as Record<string, unknown>;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.fail(c, ['schema', '', 'a tick must be an object']);
    const kind = v.kind;
    const checker = typeof kind === 'string' && Object.hasOwn(checkers, kind) ? checkers[kind] : undefined;
    if (!checker) return this.fail(c, ['schema', 'kind', `kind ${JSON.stringify(kind) ?? 'undefined'} is not "index", "future" or "option"`]);
    if (c.raw !== undefined && c.raw.length * 3 > this.cfg.maxLineBytes) {
      const bytes = Buffer.byteLength(c.raw);
      if (bytes > this.cfg.maxLineBytes) return this.fail(c, ['oversize', '', `line of ${bytes} bytes exceeds the limit of ${this.cfg.maxLineBytes} bytes`]);
    }
    if (v.src === undefined) v.src = c.src;
    for (const f of NUMERIC_FIELDS[kind as string]) {
      const x = v[f];
      if (typeof x === 'number' && !Number.isFinite(x)) return this.fail(c, ['non_finite', f, `${f} is ${x}`]);
    }
    if (!checker.Check(v)) {
      const e = checker.Errors(v).First();
      const field = e ? e.path.split('/')[1] ?? '' : '';
      return this.fail(c, ['schema', field, e ? `${field || 'tick'}: ${e.message}${field ? ` (got ${JSON.stringify(v[field]) ?? 'nothing'})` : ''}` : 'does not match its schema']);
    }
    const t = v as unknown as Tick;
    const bad = t.kind === 'index' ? indexFailure(t) : t.kind === 'option' ? optionFailure(t) : futureFailure(t);
    if (bad) return this.fail(c, bad);
    return this.sequence(c, t);
  }

  private sequence(c: Candidate, t: Tick): Accepted | Reject {
    const src = t.src!;
    let s = this.sources.get(src);
    if (s && t.sseq !== undefined && s.seqs?.has(t.sseq)) {
      return this.fail(c, ['duplicate', 'sseq', `sseq ${t.sseq} already seen from ${src}`]);
    }
    if (s && t.ts < s.lastTs - this.cfg.timeToleranceMicros) {
      return this.fail(c, ['time_backwards', 'ts', `ts ${t.ts} is ${s.lastTs - t.ts} µs before the latest accepted from ${src} (tolerance ${this.cfg.timeToleranceMicros} µs)`]);
    }
    if (!s) {
      if (this.sources.size >= this.cfg.maxSources) this.sources.delete(this.sources.keys().next().value!);
      s = { lastTs: t.ts, seqs: undefined };
      this.sources.set(src, s);
    }
    if (t.ts > s.lastTs) s.lastTs = t.ts;
    if (t.sseq !== undefined) (s.seqs ??= new SeqWindow(this.cfg.dedupWindow)).add(t.sseq);
    return t;
  }

  private fail(c: Candidate, [reason, field, detail]: Failure): Reject {
    const v = c.value as { ts?: unknown; src?: unknown } | null;
    const own = typeof v === 'object' && v !== null && typeof v.ts === 'number' && Number.isFinite(v.ts) ? v.ts : undefined;
    const ts = own ?? this.sources.get(c.src)?.lastTs ?? 0;
    return reject(reason, field, detail, { src: c.src, line: c.line, raw: c.raw ?? rawOf(c.value), ts });
  }
}

function rawOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function positive(field: string, x: number | undefined): Failure | undefined {
  return x !== undefined && !(x > 0) ? ['non_positive', field, `${field} ${x} must be > 0`] : undefined;
}

function indexFailure(t: Extract<Tick, { kind: 'index' }>): Failure | undefined {
  if (!indexSymbols.has(t.symbol)) return ['unknown_symbol', 'symbol', `index symbol "${t.symbol}" is not one of ${INDEX_SYMBOLS.join(', ')}`];
  return positive('price', t.price) ?? positive('open', t.open) ?? positive('high', t.high) ?? positive('low', t.low);
}

function expiryFailure(root: string, expiry: string, ts: number): Failure | undefined {
  if (parseDayDate(expiry) === undefined) return ['schema', 'expiry', `expiry "${expiry}" is not a calendar date`];
  const settles = settlementMicros(root, expiry);
  if (settles !== undefined && settles < ts) {
    return ['expired', 'expiry', `${root} ${expiry} settled at ${new Date(settles / 1000).toISOString()}, before the tick's time ${new Date(ts / 1000).toISOString()}`];
  }
  return undefined;
}

function quoteFailure(t: { bid?: number; ask?: number; bidSize?: number; askSize?: number; volume?: number; openInterest?: number }): Failure | undefined {
  if (t.bid !== undefined && t.bid < 0) return ['non_positive', 'bid', `bid ${t.bid} is negative (0 means no bid)`];
  const a = positive('ask', t.ask);
  if (a) return a;
  if (t.bid !== undefined && t.ask !== undefined && t.bid > t.ask) return ['crossed', 'bid', `bid ${t.bid} > ask ${t.ask}`];
  for (const f of SIZE_FIELDS) {
    const x = t[f];
    if (x !== undefined && x < 0) return ['negative_size', f, `${f} ${x} is negative`];
  }
  return undefined;
}

function optionFailure(t: Extract<Tick, { kind: 'option' }>): Failure | undefined {
  if (!optionRoots.has(t.root)) return ['unknown_symbol', 'root', `option root "${t.root}" is not one of ${OPTION_ROOTS.join(', ')}`];
  if (!indexSymbols.has(t.underlying)) return ['unknown_symbol', 'underlying', `underlying "${t.underlying}" is not one of ${INDEX_SYMBOLS.join(', ')}`];
  if (!(t.strike > 0)) return ['bad_strike', 'strike', `strike ${t.strike} must be > 0`];
  return expiryFailure(t.root, t.expiry, t.ts) ?? quoteFailure(t) ?? positive('last', t.last);
}

function futureFailure(t: Extract<Tick, { kind: 'future' }>): Failure | undefined {
  if (!futureRoots.has(t.root)) return ['unknown_symbol', 'root', `futures root "${t.root}" is not one of ${FUTURE_ROOTS.join(', ')}`];
  if (t.bid === undefined && t.ask === undefined && t.price === undefined) return ['schema', 'price', 'a futures tick needs a bid, an ask or a price'];
  if (parseDayDate(t.month + '-01') === undefined) return ['schema', 'month', `contract month "${t.month}" is not a month`];
  return expiryFailure(t.root, t.expiry, t.ts) ?? quoteFailure(t) ?? positive('price', t.price);
}

/**
 * The validation stage as an RxJS operator: each subscription gets a fresh `TickValidator`, so
 * the same input always gives the same output.
 */
export function validateTicks(config: Partial<ValidateConfig> = {}): OperatorFunction<ParseOutcome, Accepted | Reject> {
  return (source) =>
    defer(() => {
      const v = new TickValidator(config);
      return source.pipe(map((o) => v.check(o)));
    });
}
