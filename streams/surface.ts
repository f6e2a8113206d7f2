/**
 * Surface stage: option quotes and index prints of one underlying (ticks.raw) -> a conflated
 * chain (latest quote per contract, src/surface/chain-book.ts) -> per expiry forward, discount,
 * bid/mid/ask vols and an SVI slice -> SSVI across expiries, arbitrage report and IV grid
 * (src/surface/chain-fit.ts, the same code as `volrisk surface`) -> topic `surface`, key the
 * underlying.
 *
 * Throttled by event time so a busy chain never starves other stages: a tick costs O(1) (a map
 * update); fits happen only at check points, at most one per `checkSeconds` of event time. At a
 * check point an expiry is refitted only when its quotes changed and it was last fitted at least
 * `refitSeconds` before, stalest first, at most `maxFitsPerCheck` of them. A snapshot is published
 * at a check point when something was refitted (or dropped) since the last publish and that was
 * at least `publishSeconds` before: a snapshot carries every expiry (most of a megabyte on a full
 * SPX chain), so publishing it at every check point made the surface rows most of a replay's cost
 * (about 3.5 GB of JSON in a simulated trading day), while an expiry changes at most once per `refitSeconds`
 * anyway. The slower SSVI fit across expiries is redone at most once per `ssviSeconds`,
 * warm-started from the previous one (in between the last one is carried, with its time in
 * `ssviTs`). With `fit.heston` (a loaded surrogate), Heston is calibrated at the same cadence as
 * the SSVI, warm-started from the previous calibration, and carried in between (its time in
 * `heston.ts`). When the input completes (the end of a tape) every changed expiry is fitted and
 * published at once.
 * Settled expiries are dropped; expiries that cannot be fitted are listed in `skipped` with why.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Message, Output } from '../src/bus/message.ts';
import { TOPICS } from '../src/bus/topics.ts';
import type { Tick } from '../src/ticks/schema.ts';
import { ChainBook } from '../src/surface/chain-book.ts';
import type { ChainFitOptions } from '../src/surface/chain-fit.ts';
import { fitExpiry, type ExpiryFit, type ExpiryResult } from '../src/surface/expiry-fit.ts';
import { assembleSurface, type SsviOut, type SurfaceFit } from '../src/surface/surface-assemble.ts';
import type { HestonOut } from '../src/surface/heston-calibrate.ts';
import type { Stage } from './stage.ts';

/** Options of the surface stage. */
export interface SurfaceStageOptions {
  /** Underlying index whose options and prints are read (default 'SPX'). */
  underlying?: string;
  /** Shortest event time between two fits of one expiry, seconds (default 10). */
  refitSeconds?: number;
  /** Event time between check points, seconds (default 1). */
  checkSeconds?: number;
  /** Most expiries refitted at one check point (default 8). */
  maxFitsPerCheck?: number;
  /** Shortest event time between two published snapshots, seconds (default 10, as `refitSeconds`). */
  publishSeconds?: number;
  /** Shortest event time between two SSVI fits, and between two Heston calibrations, seconds (default 60). */
  ssviSeconds?: number;
  /** Options of the fits (`heston` with a loaded surrogate turns the Heston calibration on). */
  fit?: ChainFitOptions;
}

/** What the `surface` topic carries: a surface snapshot, which expiries this publish refitted, and the SSVI's age. */
export interface SurfacePayload extends SurfaceFit {
  /** Keys (`root:expiry`) refitted since the last publish; the others carry their last fit (their own `ts`). */
  refitted: string[];
  /** Event time of the SSVI fit carried (null: none yet). */
  ssviTs: number | null;
}

/**
 * A calibration as published: without its wall-clock durations (`ms`), which differ from run to
 * run, so the same tape gives the same rows live and in every replay.
 */
function withoutTimings(h: HestonOut): HestonOut {
  const { ms: _ms, exact, ...rest } = h;
  if (!exact) return rest as HestonOut;
  const { ms: _xms, ...exactRest } = exact;
  return { ...rest, exact: exactRest } as HestonOut;
}

function positive(name: string, x: number, integer = false): number {
  if (!(Number.isFinite(x) && x > 0) || (integer && !Number.isInteger(x))) throw new RangeError(`surface stage: ${name} must be a ${integer ? 'positive integer' : 'finite number > 0'}, got ${x}`);
  return x;
}

/** Rounds to 1e-6: a millionth of a vol point and of log-moneyness is far inside any quote's spread. */
const micro = (x: number): number => Math.round(x * 1e6) / 1e6;
const microOrNull = (x: number | null): number | null => (x === null ? null : micro(x));

/**
 * A published expiry: its quotes are the ones the SVI slice was fitted to (the out-of-the-money
 * two-sided ones; the in-the-money side of a strike says the same by parity), with log-moneyness
 * and vols to 1e-6: a snapshot carries every expiry's quotes (about 160 expiries on SPX), and all
 * quotes at full doubles made it near a megabyte.
 */
function compactQuotes(e: ExpiryFit): ExpiryFit {
  const q = e.quotes;
  const idx: number[] = [];
  for (let i = 0; i < q.fit.length; i++) if (q.fit[i]) idx.push(i);
  return {
    ...e,
    quotes: {
      K: idx.map((i) => q.K[i]), right: idx.map((i) => q.right[i]), k: idx.map((i) => micro(q.k[i])),
      bidIv: idx.map((i) => microOrNull(q.bidIv[i])), midIv: idx.map((i) => microOrNull(q.midIv[i])), askIv: idx.map((i) => microOrNull(q.askIv[i])),
      fit: idx.map(() => true),
    },
  };
}

/** The surface operator over ticks. */
export function surface(options: SurfaceStageOptions = {}): OperatorFunction<Message<Tick>, Output<SurfacePayload>> {
  const underlying = options.underlying ?? 'SPX';
  const refit = positive('refitSeconds', options.refitSeconds ?? 10) * 1e6;
  const check = positive('checkSeconds', options.checkSeconds ?? 1) * 1e6;
  const maxFits = positive('maxFitsPerCheck', options.maxFitsPerCheck ?? 8, true);
  const ssviEvery = positive('ssviSeconds', options.ssviSeconds ?? 60) * 1e6;
  const publishEvery = positive('publishSeconds', options.publishSeconds ?? 10) * 1e6;
  const fitOpts = options.fit ?? {};
  return (source) =>
    new Observable<Output<SurfacePayload>>((sub) => {
      const book = new ChainBook();
      const fits = new Map<string, ExpiryResult>();
      let nextCheck = NaN;
      let watermark = -Infinity;
      let ssvi: SsviOut | null = null;
      let ssviTs = -Infinity;
      let heston: HestonOut | null = null;
      let hestonTs = -Infinity;
      let publishedTs = -Infinity;
      // Refitted (keys, in fit order) or dropped since the last publish
      let refitted: string[] = [];
      let changed = false;
      // An expiry's published form, built once per fit rather than once per publish
      const compact = new WeakMap<ExpiryFit, ExpiryFit>();
      const published = (e: ExpiryFit): ExpiryFit => {
        let c = compact.get(e);
        if (!c) compact.set(e, (c = compactQuotes(e)));
        return c;
      };

      const point = (t: number, flush: boolean) => {
        let dropped = false;
        for (const [key, e] of book.expiries) {
          if (e.settlement <= t) {
            book.drop(key);
            dropped = fits.delete(key) || dropped;
          }
        }
        const due = [...book.expiries.values()]
          .filter((e) => e.dirty && (flush || t - e.lastFitTs >= refit))
          .sort((a, b) => a.lastFitTs - b.lastFitTs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        const take = flush ? due : due.slice(0, maxFits);
        for (const e of take) {
          fits.set(e.key, fitExpiry(book.chain(e, t), book.spot, fitOpts));
          e.dirty = false;
          e.lastFitTs = t;
          if (!refitted.includes(e.key)) refitted.push(e.key);
        }
        changed ||= take.length > 0 || dropped;
        if (!changed || (!flush && t - publishedTs < publishEvery)) return;
        const ssviDue = (fitOpts.ssvi ?? true) && (flush || t - ssviTs >= ssviEvery);
        const hestonDue = fitOpts.heston !== undefined && (flush || t - hestonTs >= ssviEvery);
        const hestonOpts = hestonDue ? { ...fitOpts.heston!, init: heston?.params ?? fitOpts.heston!.init } : undefined;
        // Warm start from the SSVI carried (the same phi family: the options do not change)
        const ssviInit = ssvi && ssvi.phi.kind === (fitOpts.ssviPhi ?? 'power-law') ? { rho: ssvi.rho, phi: ssvi.phi } : undefined;
        const f = assembleSurface(underlying, t, book.spot, [...fits.values()], { ...fitOpts, ssvi: ssviDue, ssviInit, heston: hestonOpts });
        if (hestonDue) hestonTs = t;
        // A failed calibration (hestonError says why) leaves the last good one carried.
        if (f.heston) heston = f.heston = withoutTimings(f.heston);
        else f.heston = heston;
        if (ssviDue && f.ssvi) {
          ssvi = f.ssvi;
          ssviTs = t;
        } else if (!ssviDue) {
          f.ssvi = ssvi;
        }
        sub.next({ key: underlying, ts: t, payload: { ...f, expiries: f.expiries.map(published), refitted: refitted.filter((k) => fits.has(k)), ssviTs: ssvi ? ssviTs : null } });
        publishedTs = t;
        refitted = [];
        changed = false;
      };

      return source.subscribe({
        next: (msg) => {
          const x = msg.payload;
          if (x.kind === 'option') {
            if (x.underlying !== underlying) return;
            book.update(x);
          } else if (x.kind === 'index') {
            if (x.symbol !== underlying) return;
            book.setSpot(x.price, x.ts);
          } else {
            return;
          }
          if (x.ts > watermark) watermark = x.ts;
          if (Number.isNaN(nextCheck)) nextCheck = x.ts + check;
          else if (x.ts >= nextCheck) {
            point(x.ts, false);
            nextCheck = x.ts + check;
          }
        },
        error: (e) => sub.error(e),
        complete: () => {
          if (Number.isFinite(watermark)) point(watermark, true);
          sub.complete();
        },
      });
    });
}

/** The surface stage: ticks.raw -> surface. */
export function surfaceStage(options: SurfaceStageOptions = {}): Stage<Tick, SurfacePayload> {
  return { name: 'surface', inputs: [TOPICS.ticksRaw], output: TOPICS.surface, operator: () => surface(options) };
}
