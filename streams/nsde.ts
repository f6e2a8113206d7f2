/**
 * Neural-SDE stage: VIX index prints (ticks.raw) -> the distribution of VIX over the next
 * trading days from paths of the trained neural SDE (models/nsde) -> topic `nsde`, key `VIX`:
 * quantiles (5, 25, 50, 75, 95%) and the mean of VIX at horizons 1..20 days, the 95%
 * value-at-risk and expected shortfall of a rise in VIX (the loss of a short-volatility book),
 * and the VIX futures curve (latest VX quotes in ticks.raw, mid or last) beside the model's
 * E[VIX] at each contract's expiry within the simulated horizon.
 *
 * The stage keeps the last close of each exchange day (New York calendar) and seeds the
 * running signature with the (t, X) path of the last `warm` closes and the current print, as in
 * training; with less history, the earliest known value is carried back (a flat history). It
 * simulates at most once per `throttleSeconds` of event time, on the print that crosses the
 * throttle; the normals come from a stream seeded by the print's event time and the stage seed,
 * so a replay of the same tape publishes the same numbers (on the same tensor backend).
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Message, Output } from '../src/bus/message.ts';
import { TOPICS } from '../src/bus/topics.ts';
import type { Tick } from '../src/ticks/schema.ts';
import { normals, simulatePaths, windowSignature, type NsdeModel } from '../models/nsde/simulate.ts';
import { SIG_LEN } from '../models/nsde/signature-step.ts';
import { exchangeDayOf } from './exchange-day.ts';
import type { Stage } from './stage.ts';

export { loadNsdeModel } from '../models/nsde/load.ts';

/** Options of the nsde stage. */
export interface NsdeStageOptions {
  /** Index symbol read (default 'VIX'). */
  symbol?: string;
  /** Simulated paths per publish (default 256). */
  paths?: number;
  /** Longest horizon in trading days; horizons are 1..maxHorizon (default 21: the issue asks for 1, 5, 10 and 21 days). */
  maxHorizon?: number;
  /** Shortest event time between two publishes, seconds (default 60). */
  throttleSeconds?: number;
  /** Mixed into each publish's RNG seed (default 42). */
  seed?: number;
}

/** VIX quantiles at one horizon. */
export interface NsdeHorizon {
  /** Trading days ahead. */
  days: number;
  mean: number;
  q05: number;
  q25: number;
  q50: number;
  q75: number;
  q95: number;
  /** 95% value-at-risk of a rise in VIX, in VIX points: q95 - current. */
  var95: number;
  /** 95% expected shortfall of a rise: mean of the paths at or above q95, minus current. */
  es95: number;
}

/** One VIX futures contract: the market's latest quote and the model's E[VIX] at its expiry. */
export interface NsdeFuture {
  expiry: string;
  /** Weekdays from today (exclusive) to the expiry (inclusive); holidays are not known here. */
  tradingDays: number;
  market: number;
  /** Model E[VIX] at that horizon, null beyond the simulated horizon (or on the expiry day). */
  model: number | null;
}

/** What the `nsde` topic carries. */
export interface NsdePayload {
  symbol: string;
  /** The print the simulation starts from. */
  vix: number;
  /** Daily closes (before today) that seeded the signature, out of the model's `warm`. */
  historyDays: number;
  warm: number;
  paths: number;
  horizons: NsdeHorizon[];
  /** Unexpired VX contracts seen so far, by expiry. */
  futures: NsdeFuture[];
}

/** Weekdays after `from` up to and including `to` (YYYY-MM-DD); 0 when to <= from. */
export function weekdaysBetween(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  let n = 0;
  for (let t = a + 86_400_000; t <= b; t += 86_400_000) {
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) n++;
  }
  return n;
}

function check(name: string, x: number, min: number, integer: boolean): number {
  if (!(Number.isFinite(x) && x >= min) || (integer && !Number.isInteger(x))) throw new RangeError(`nsde stage: ${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${x}`);
  return x;
}

/** 32-bit seed from the event time and the stage seed (murmur3's finaliser, so nearby times differ in every bit). */
export function eventSeed(ts: number, seed: number): number {
  let h = (Math.floor(ts / 4294967296) ^ (ts >>> 0) ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

/**
 * The VIX fan from `history` (previous daily closes, oldest first) and the current print: the
 * simulation behind each publish, exposed for tests and the dashboard's what-if.
 */
export function vixFan(model: NsdeModel, history: readonly number[], vix: number, opts: { paths: number; maxHorizon: number; seed: number }): NsdePayload['horizons'] {
  const { warm, dt } = model.weights.config;
  const pts = history.slice(-warm);
  while (pts.length < warm) pts.unshift(pts.length ? pts[0] : vix);
  pts.push(vix);
  const x = Float64Array.from(pts, (v) => 2 * Math.log(v / 100));
  const sig = new Float64Array(SIG_LEN);
  windowSignature(x, 0, x.length, dt, sig);
  const n = opts.paths;
  const sig0 = new Float64Array(n * SIG_LEN);
  for (let p = 0; p < n; p++) sig0.set(sig, p * SIG_LEN);
  const H = opts.maxHorizon;
  const paths = simulatePaths(model, { n, x0: new Float64Array(n).fill(x[warm]), sig0 }, H, normals(opts.seed, 0, H, n));
  const col = new Float64Array(n);
  const out: NsdeHorizon[] = [];
  for (let h = 1; h <= H; h++) {
    let sum = 0;
    for (let p = 0; p < n; p++) {
      col[p] = 100 * Math.exp(paths[p * (H + 1) + h] / 2);
      sum += col[p];
    }
    col.sort();
    const q95 = quantile(col, 0.95);
    let tail = 0;
    let nt = 0;
    for (let p = n - 1; p >= 0 && col[p] >= q95; p--) {
      tail += col[p];
      nt++;
    }
    out.push({
      days: h, mean: sum / n, q05: quantile(col, 0.05), q25: quantile(col, 0.25), q50: quantile(col, 0.5), q75: quantile(col, 0.75), q95,
      var95: q95 - vix, es95: (nt ? tail / nt : q95) - vix,
    });
  }
  return out;
}

/** The nsde operator over ticks. */
export function nsde(model: NsdeModel, options: NsdeStageOptions = {}): OperatorFunction<Message<Tick>, Output<NsdePayload>> {
  const symbol = options.symbol ?? 'VIX';
  const paths = check('paths', options.paths ?? 256, 16, true);
  const maxHorizon = check('maxHorizon', options.maxHorizon ?? 21, 1, true);
  const throttle = check('throttleSeconds', options.throttleSeconds ?? 60, 0, false) * 1e6;
  const seed = check('seed', options.seed ?? 42, 0, true);
  const warm = model.weights.config.warm;
  return (source) =>
    new Observable<Output<NsdePayload>>((sub) => {
      const dayOf = exchangeDayOf();
      const closes: number[] = [];
      let day = '';
      let last = NaN;
      let lastTs = -Infinity;
      let published = -Infinity;
      const futures = new Map<string, number>();
      return source.subscribe({
        next: (msg) => {
          const t = msg.payload;
          if (t.kind === 'future') {
            if (t.root !== 'VX') return;
            const px = t.bid !== undefined && t.ask !== undefined && t.bid > 0 && t.ask >= t.bid ? (t.bid + t.ask) / 2 : t.price;
            if (px !== undefined && px > 0) futures.set(t.expiry, px);
            return;
          }
          if (t.kind !== 'index' || t.symbol !== symbol || !(t.price > 0)) return;
          // Out-of-order prints would rewrite history that already seeded a publish.
          if (t.ts < lastTs) return;
          const d = dayOf(t.ts).date;
          if (d !== day) {
            if (day !== '') {
              closes.push(last);
              if (closes.length > warm) closes.shift();
            }
            day = d;
          }
          last = t.price;
          lastTs = t.ts;
          if (t.ts - published < throttle) return;
          published = t.ts;
          try {
            const horizons = vixFan(model, closes, t.price, { paths, maxHorizon, seed: eventSeed(t.ts, seed) });
            const curve: NsdeFuture[] = [];
            for (const [expiry, market] of [...futures].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
              if (expiry < d) {
                futures.delete(expiry);
                continue;
              }
              const tradingDays = weekdaysBetween(d, expiry);
              curve.push({ expiry, tradingDays, market, model: tradingDays >= 1 && tradingDays <= maxHorizon ? horizons[tradingDays - 1].mean : null });
            }
            sub.next({ key: symbol, ts: t.ts, payload: { symbol, vix: t.price, historyDays: closes.length, warm, paths, horizons, futures: curve } });
          } catch (e) {
            sub.error(e);
          }
        },
        error: (e) => sub.error(e),
        complete: () => sub.complete(),
      });
    });
}

/** The stage: ticks.raw -> nsde, with a loaded model (loadNsdeModel). */
export function nsdeStage(model: NsdeModel, options: NsdeStageOptions = {}): Stage<Tick, NsdePayload> {
  return { name: 'nsde', inputs: [TOPICS.ticksRaw], output: TOPICS.nsde, operator: () => nsde(model, options) };
}
