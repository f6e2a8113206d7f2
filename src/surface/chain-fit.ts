/**
 * The per-snapshot fitting pipeline as plain functions, the one implementation both the live
 * `surface` stage and `volrisk surface` call: a chain snapshot (spot, time, quotes of several
 * expiries) -> per expiry forward and discount by parity, bid/mid/ask vols and an SVI slice
 * (expiry-fit.ts) -> SSVI across expiries, arbitrage report and IV grid (surface-assemble.ts).
 */
import type { OptionTick } from '../ticks/schema.ts';
import { ChainBook } from './chain-book.ts';
import { fitExpiry, type ExpiryFitOptions } from './expiry-fit.ts';
import { assembleSurface, type SurfaceFit, type SurfaceOptions } from './surface-assemble.ts';

/** Options of a chain fit: those of the expiry fits and of the surface. */
export interface ChainFitOptions extends ExpiryFitOptions, SurfaceOptions {}

/** A chain snapshot: quotes (several expiries; the latest per contract wins), spot, and time. */
export interface ChainSnapshot {
  underlying: string;
  /** Snapshot time, epoch microseconds: maturities run from here. */
  ts: number;
  /** Spot, or null when no index print is known. */
  spot: number | null;
  quotes: ReadonlyArray<Pick<OptionTick, 'root' | 'expiry' | 'strike' | 'right' | 'bid' | 'ask' | 'ts'>>;
}

/** Fits every expiry of a conflated chain book as of `ts`, and the surface across them. */
export function fitBook(book: ChainBook, underlying: string, ts: number, opts: ChainFitOptions = {}): SurfaceFit {
  const results = [...book.expiries.values()].filter((e) => !(e.settlement <= ts)).map((e) => fitExpiry(book.chain(e, ts), book.spot, opts));
  return assembleSurface(underlying, ts, book.spot, results, opts);
}

/** Fits a chain snapshot: per-expiry forwards, vols and SVI slices, SSVI, arbitrage report, IV grid. */
export function fitChain(s: ChainSnapshot, opts: ChainFitOptions = {}): SurfaceFit {
  if (!Number.isFinite(s.ts)) throw new RangeError(`snapshot ts must be finite epoch microseconds, got ${s.ts}`);
  if (s.spot !== null && !(s.spot > 0 && Number.isFinite(s.spot))) throw new RangeError(`snapshot spot must be a finite price > 0 or null, got ${s.spot}`);
  const book = new ChainBook();
  if (s.spot !== null) book.setSpot(s.spot, s.ts);
  for (const q of s.quotes) book.update(q);
  return fitBook(book, s.underlying, s.ts, opts);
}
