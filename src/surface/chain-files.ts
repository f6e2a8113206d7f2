/**
 * `volrisk surface <files...>`: each tick file (a CBOE chain export, NDJSON or CSV ticks) read
 * through the parser and validator, conflated to its latest quote per contract as of its last
 * tick, and fitted by chain-fit.ts; the result summarised per file as JSON (snapshot time and
 * spot, per expiry the forward and SVI fit with its RMSE, the SSVI fit, arbitrage flags, and the
 * Heston calibration by the surrogate (re-priced exactly) and by LM on the exact pricer, each cold
 * started from the box centre so their times compare).
 */
import { loadSurrogate } from '../../models/surrogate/surrogate.ts';
import { parseFile, type ParseFileOptions } from '../ticks/parse-file.ts';
import { TickValidator, isAccepted } from '../ticks/validate.ts';
import { ChainBook } from './chain-book.ts';
import { fitBook, type ChainFitOptions } from './chain-fit.ts';
import type { SurfaceFit } from './surface-assemble.ts';

/** One file's fit, summarised (no per-quote vols, no grid). */
export interface ChainFileSummary {
  file: string;
  underlying: string;
  /** Snapshot time: the file's latest tick, as epoch microseconds and ISO-8601. */
  ts: number;
  time: string;
  spot: number | null;
  /** Ticks accepted and rejected by validation (rejects such as expired contracts are normal). */
  accepted: number;
  rejected: number;
  expiries: Array<{
    key: string; root: string; expiry: string; T: number; forward: number; discount: number; r: number; q: number | null;
    svi: SurfaceFit['expiries'][number]['svi']; atmIv: number; n: number; rmseIv: number; rmseSpread: number; inside: number;
  }>;
  skipped: Array<{ key: string; T: number; twoSided: number; reason: string }>;
  ssvi: SurfaceFit['ssvi'];
  ssviError?: string;
  arbitrage: SurfaceFit['arbitrage'];
  /** Heston by the surrogate (params, rmseSurrogate, rmseExact, ms) and, in `exact`, by the exact pricer. */
  heston: SurfaceFit['heston'];
  hestonError?: string;
  rmseIv: number;
  rmseSpread: number;
  /** Milliseconds the fit took (reading the file excluded). */
  fitMs: number;
}

/** Options: the parser's (e.g. `snapshotTs`) and the fit's. */
export interface ChainFilesOptions extends ChainFitOptions {
  parse?: ParseFileOptions;
  /** Underlying to fit (default: that of the file's first option quote). */
  underlying?: string;
  /** Calibrate Heston with the committed surrogate and with the exact pricer when `heston` is not given (default true). */
  calibrateHeston?: boolean;
}

/** Reads one tick file into a conflated chain book. */
export async function readChainFile(path: string, opts: ChainFilesOptions = {}) {
  const v = new TickValidator();
  const book = new ChainBook();
  let underlying = opts.underlying;
  let ts = -Infinity, accepted = 0, rejected = 0;
  const spots: Array<{ symbol: string; price: number; ts: number }> = [];
  for await (const o of parseFile(path, opts.parse)) {
    const t = v.check(o);
    if (!isAccepted(t)) { rejected++; continue; }
    accepted++;
    if (t.kind === 'index') spots.push({ symbol: t.symbol, price: t.price, ts: t.ts });
    if (t.kind !== 'option') continue;
    underlying ??= t.underlying;
    if (t.underlying !== underlying) continue;
    book.update(t);
    if (t.ts > ts) ts = t.ts;
  }
  if (underlying === undefined || !Number.isFinite(ts)) throw new Error(`${path}: no valid option quotes${opts.underlying ? ` of ${opts.underlying}` : ''} (${accepted} ticks accepted, ${rejected} rejected)`);
  for (const s of spots) if (s.symbol === underlying) book.setSpot(s.price, s.ts);
  return { book, underlying, ts, accepted, rejected };
}

/** Fits each file's chain; one summary per file, in order. Throws naming the file when one cannot be read. */
export async function fitChainFiles(paths: readonly string[], opts: ChainFilesOptions = {}): Promise<ChainFileSummary[]> {
  const out: ChainFileSummary[] = [];
  const surrogate = !opts.heston && (opts.calibrateHeston ?? true) ? await loadSurrogate() : undefined;
  const fitOpts: ChainFitOptions = surrogate ? { ...opts, heston: { surrogate, exact: true } } : opts;
  try {
    for (const path of paths) {
      const { book, underlying, ts, accepted, rejected } = await readChainFile(path, opts);
      const t0 = performance.now();
      const fit = fitBook(book, underlying, ts, fitOpts);
      out.push({ file: path, accepted, rejected, fitMs: performance.now() - t0, ...summarizeFit(fit) });
    }
  } finally {
    surrogate?.dispose();
  }
  return out;
}

/** The summary of a surface fit that `volrisk surface` prints. */
export function summarizeFit(f: SurfaceFit): Omit<ChainFileSummary, 'file' | 'accepted' | 'rejected' | 'fitMs'> {
  return {
    underlying: f.underlying, ts: f.ts, time: new Date(f.ts / 1000).toISOString(), spot: f.spot,
    expiries: f.expiries.map((e) => ({
      key: e.key, root: e.root, expiry: e.expiry, T: e.T, forward: e.forward, discount: e.discount, r: e.r, q: e.q,
      svi: e.svi, atmIv: e.atmIv, n: e.n, rmseIv: e.rmseIv, rmseSpread: e.rmseSpread, inside: e.inside,
    })),
    skipped: f.skipped.map((s) => ({ key: s.key, T: s.T, twoSided: s.twoSided, reason: s.reason })),
    ssvi: f.ssvi, ...(f.ssviError ? { ssviError: f.ssviError } : {}), arbitrage: f.arbitrage,
    heston: f.heston, ...(f.hestonError ? { hestonError: f.hestonError } : {}), rmseIv: f.rmseIv, rmseSpread: f.rmseSpread,
  };
}
