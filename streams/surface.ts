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
 * `refitSeconds` before, stalest first, at most `maxFitsPerCheck` of them; the slower SSVI fit
 * across expiries is redone at most once per `ssviSeconds` (in between the last one is carried,
 * with its time in `ssviTs`). With `fit.heston` (a loaded surrogate), Heston is calibrated at the
 * same cadence as the SSVI, warm-started from the previous calibration, and carried in between
 * (its time in `heston.ts`). A check point that refits nothing publishes nothing. When the input
 * completes (the end of a tape) every changed expiry is fitted and published at once.
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
  /** Shortest event time between two SSVI fits, and between two Heston calibrations, seconds (default 60). */
  ssviSeconds?: number;
  /** Options of the fits (`heston` with a loaded surrogate turns the Heston calibration on). */
  fit?: ChainFitOptions;
}

/** What the `surface` topic carries: a surface snapshot, which expiries this publish refitted, and the SSVI's age. */
export interface SurfacePayload extends SurfaceFit {
  /** Keys (`root:expiry`) refitted for this publish; the others carry their last fit (their own `ts`). */
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
 * The quotes of a published expiry with their log-moneyness and vols to 1e-6: a snapshot carries
 * every expiry's quotes (about 160 expiries on SPX), and full doubles made it near a megabyte.
 */
function compactQuotes(e: ExpiryFit): ExpiryFit {
  const q = e.quotes;
  return { ...e, quotes: { ...q, k: q.k.map(micro), bidIv: q.bidIv.map(microOrNull), midIv: q.midIv.map(microOrNull), askIv: q.askIv.map(microOrNull) } };
}

/** The surface operator over ticks. */
export function surface(options: SurfaceStageOptions = {}): OperatorFunction<Message<Tick>, Output<SurfacePayload>> {
  const underlying = options.underlying ?? 'SPX';
  const refit = positive('refitSeconds', options.refitSeconds ?? 10) * 1e6;
  const check = positive('checkSeconds', options.checkSeconds ?? 1) * 1e6;
  const maxFits = positive('maxFitsPerCheck', options.maxFitsPerCheck ?? 8, true);
  const ssviEvery = positive('ssviSeconds', options.ssviSeconds ?? 60) * 1e6;
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
        }
        if (take.length === 0 && !dropped) return;
        const ssviDue = (fitOpts.ssvi ?? true) && (flush || t - ssviTs >= ssviEvery);
        const hestonDue = fitOpts.heston !== undefined && (flush || t - hestonTs >= ssviEvery);
        const hestonOpts = hestonDue ? { ...fitOpts.heston!, init: heston?.params ?? fitOpts.heston!.init } : undefined;
        const f = assembleSurface(underlying, t, book.spot, [...fits.values()], { ...fitOpts, ssvi: ssviDue, heston: hestonOpts });
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
        sub.next({ key: underlying, ts: t, payload: { ...f, expiries: f.expiries.map(compactQuotes), refitted: take.map((e) => e.key), ssviTs: ssvi ? ssviTs : null } });
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
