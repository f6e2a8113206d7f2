/**
 * Hedges stage: SPX prints (ticks.raw), the live surface (its SVI slices and Heston
 * calibration) and the live variance state (HN-GARCH h_{t+1}) -> every hedge method's ratio for
 * each position of the book, the chosen method's target hedge and the trade to reach it, greeks,
 * and the book's aggregate -> topic `hedges`, keyed by position id, and `book`.
 *
 * When: an input that changes what a position depends on marks it dirty (an SPX print, a surface
 * or a variance message marks every position; a book change marks the positions it changed). A
 * dirty position is recomputed at that input, unless it was recomputed less than `coalesceMicros`
 * of event time before; then it waits, dirty, for the first input past that window (or the end of
 * the input), so it is recomputed at most once per window whatever the tick rate, and the latest
 * inputs always win. Each recompute round emits one message per recomputed position and then one
 * `book` message. Every method sees all the round's positions at once (HedgeMethod.ratios); the
 * classical Heston and HN-GARCH methods interpolate per-maturity curves rebuilt only when their
 * model state changes (src/hedging/ratios.ts), so a round costs about an interpolation per
 * position and method, plus, after a new calibration or variance state, a fixed budget of the
 * new curves' building (src/hedging/curve-cache.ts): one RebuildBudget per stage, handed to every
 * method that builds curves (HedgeMethod.shareBudget: the Heston, HN-GARCH and quadratic LRM/MVH
 * curves), so a round's rebuilds together stay within it; older curves stand in until they are
 * built. The `book` message sums per-position contributions kept as small typed arrays
 * (src/hedging/payload.ts bookContribution), so the stage holds no payloads between rounds (less
 * for the garbage collector to copy: the stage's p99 is set by its pauses). An expired position emits
 * one message (target 0, `expired`) and then rests until the book changes it; a position with an
 * `opened` instant emits nothing before it (a rolling book), and its stateful methods start there. Output event time
 * is the highest input event time seen, so it never goes back per key when topics interleave.
 *
 * The book: the stage reads `book.snapshot()` (src/positions/book.ts) before each input message
 * and, when its version moved, applies it at that message: positions added or changed are
 * recomputed with it, removed ones emit a last message (`removed`, target 0, trade unwinding the
 * hedge). So a REST change takes effect at the next input the stage processes (the next SPX
 * print at the latest), at that input's event time, and every output names the book version it
 * used (`inputs.book`). This keeps the operator free of timers and of any subscription of its
 * own: given the same inputs and the same book versions at each input, it emits the same outputs
 * (a replay with a fixed book file is exactly reproducible). A restarted operator starts from the
 * book's current snapshot. Method state (`HedgeContext.memory`) lives per position in
 * the operator, and is dropped when a position's instrument changes or it is removed.
 *
 * Ordering: outputs of a position come in input order; `seq` (stamped by the runner) then gives
 * bots a gap-free, per-key ordered stream.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Message, Output } from '../src/bus/message.ts';
import { TOPICS } from '../src/bus/topics.ts';
import type { Tick } from '../src/ticks/schema.ts';
import type { HnParams } from '../src/quant/hn-params.ts';
import type { SurfaceFit } from '../src/surface/surface-assemble.ts';
import type { BookView } from '../src/positions/book.ts';
import { BOOK_KEY, openedMicros, type Position } from '../src/positions/schema.ts';
import type { HedgeContext, HedgeMethod, HedgeRatio, HestonInput, SurfaceInput, VarianceInput } from '../src/hedging/method.ts';
import { classicalMethods, DEFAULT_REBUILD_WORK } from '../src/hedging/ratios.ts';
import { RebuildBudget } from '../src/hedging/curve-cache.ts';
import { instrumentSettlement, MICROS_PER_YEAR, surfaceAt } from '../src/hedging/context.ts';
import { bookContribution, bookFromContributions, contributionSize, positionPayload, type BookHedgePayload, type HedgeInputs, type PositionHedgePayload } from '../src/hedging/payload.ts';
import type { Stage } from './stage.ts';

export type { BookHedgePayload, PositionHedgePayload } from '../src/hedging/payload.ts';

/** What `hedges` carries: a position's hedge (key: its id) or the book's aggregate (key `book`). */
export type HedgesPayload = PositionHedgePayload | BookHedgePayload;

/** The variance fields the stage reads (the `variance` topic's payload, streams/variance.ts). */
interface VarianceFields {
  index?: string;
  hn: number;
  gru: number;
  garch: number;
}

/** Options of the hedges stage. */
export interface HedgesStageOptions {
  /** The positions book (read at each input; see the module header). */
  book: BookView;
  /** Hedge methods, in report order (default: classicalMethods(): bs, heston, heston-mv, hn). */
  methods?: readonly HedgeMethod[];
  /** The variance model's daily HN-GARCH parameters (models/hn-gru weights `hn`); without them `hn` gives no ratio. */
  hnParams?: HnParams | null;
  /** The index whose prints, surface and variance are read (default 'SPX'). */
  underlying?: string;
  /** Rate and dividend yield used before a surface is seen (default 0, 0). */
  rate?: number;
  dividendYield?: number;
  /** Shortest event time between two recomputes of one position, microseconds (default 0: at every input). */
  coalesceMicros?: number;
  /**
   * Work units per recompute round for all methods' model-curve rebuilds together (default
   * DEFAULT_REBUILD_WORK, about 1 ms): one budget handed to every method that takes one
   * (HedgeMethod.shareBudget), replacing their own.
   */
  rebuildWork?: number;
}

interface PosState {
  p: Position;
  /** Instrument as JSON: a change resets method memory. */
  insKey: string;
  /** Settlement instant, epoch microseconds. */
  settle: number;
  /** When the position starts to be hedged (its `opened`), epoch microseconds. */
  opens: number;
  memory: Record<string, unknown>;
  dirty: boolean;
  last: number;
  expiredSent: boolean;
  surface: SurfaceInput | null | undefined;
  /**
   * What the position's latest payload adds to the book (payload.ts bookContribution; null before
   * its first message): a book message reads these typed arrays, and the stage holds no payload.
   */
  contrib: Float64Array | null;
}

type Input = Message<Tick | SurfaceFit | VarianceFields>;

/** The hedges operator over ticks.raw, surface and variance messages. */
export function hedges(options: HedgesStageOptions): OperatorFunction<Input, Output<HedgesPayload>> {
  const methods = options.methods ?? classicalMethods();
  const names = methods.map((m) => m.name);
  if (new Set(names).size !== names.length) throw new RangeError(`hedges stage: method names must be unique, got ${names.join(', ')}`);
  const underlying = options.underlying ?? 'SPX';
  const coalesce = options.coalesceMicros ?? 0;
  if (!(Number.isFinite(coalesce) && coalesce >= 0)) throw new RangeError(`hedges stage: coalesceMicros must be a finite number >= 0, got ${coalesce}`);
  const r0 = options.rate ?? 0;
  const q0 = options.dividendYield ?? 0;
  const hnParams = options.hnParams ?? null;
  const contribLength = contributionSize(names.length);
  // One budget per stage: a round's rebuilds (Heston, HN, quadratic curves) share it.
  const budget = new RebuildBudget(options.rebuildWork ?? DEFAULT_REBUILD_WORK);
  for (const m of methods) m.shareBudget?.(budget);

  return (source) =>
    new Observable<Output<HedgesPayload>>((sub) => {
      const states = new Map<string, PosState>();
      let version = -1;
      let spot = NaN;
      let tickTs = NaN;
      let surface: SurfaceFit | null = null;
      let heston: HestonInput | null = null;
      let variance: VarianceInput | null = null;
      let watermark = -Infinity;
      let bookDirty = false;

      const inputs = (): HedgeInputs => ({
        tick: tickTs, spot, surface: surface?.ts ?? null, heston: heston?.ts ?? null, variance: variance?.ts ?? null, book: version,
      });

      // Whether some position is dirty (skips the scan on the many ticks that change nothing).
      let pending = false;
      const markAll = () => {
        for (const s of states.values()) s.dirty = true;
        pending = states.size > 0;
      };

      const syncBook = () => {
        const snap = options.book.snapshot();
        if (snap.version === version) return;
        version = snap.version;
        for (const [id, s] of states) {
          if (snap.positions.has(id)) continue;
          states.delete(id);
          if (!Number.isFinite(spot) || s.contrib === null) continue;
          // A last message so a bot unwinds the hedge of a position that is gone.
          const payload = positionPayload(s.p, names, null, null, { T: 0, iv: null, inputs: inputs(), removed: true });
          sub.next({ key: id, ts: Math.max(watermark, tickTs), payload });
          bookDirty = true;
        }
        for (const [id, p] of snap.positions) {
          const s = states.get(id);
          if (s && s.p === p) continue;
          const insKey = JSON.stringify(p.instrument);
          if (s) {
            if (s.insKey !== insKey) {
              s.memory = {};
              s.surface = undefined;
            }
            Object.assign(s, { p, insKey, settle: instrumentSettlement(p.instrument), opens: openedMicros(p), dirty: true, expiredSent: false, last: -Infinity });
            pending = true;
          } else {
            states.set(id, { p, insKey, settle: instrumentSettlement(p.instrument), opens: openedMicros(p), memory: {}, dirty: true, last: -Infinity, expiredSent: false, surface: undefined, contrib: null });
            pending = true;
          }
        }
      };

      const compute = (ts: number, flush: boolean) => {
        if (!Number.isFinite(spot) || (!pending && !bookDirty)) return;
        const due: PosState[] = [];
        pending = false;
        for (const s of states.values()) {
          if (!s.dirty) continue;
          if (!flush && ts - s.last < coalesce) {
            pending = true;
            continue;
          }
          due.push(s);
        }
        if (due.length === 0 && !bookDirty) return;
        const ctxs: HedgeContext[] = [];
        const live: PosState[] = [];
        const outTs = Math.max(watermark, tickTs);
        const now = inputs();
        let emitted = bookDirty;
        for (const s of due) {
          s.dirty = false;
          if (tickTs < s.opens) continue;
          s.last = ts;
          const T = Math.max(0, (s.settle - tickTs) / MICROS_PER_YEAR);
          if (!(T > 0)) {
            if (s.expiredSent) continue;
            s.expiredSent = true;
            const payload = positionPayload(s.p, names, null, null, { T: 0, iv: null, inputs: now });
            s.contrib = bookContribution(payload, names, s.contrib ?? new Float64Array(contribLength));
            sub.next({ key: s.p.id, ts: outTs, payload });
            emitted = true;
            continue;
          }
          if (s.surface === undefined) s.surface = surface ? surfaceAt(surface, s.p.instrument, spot) : null;
          const sf = s.surface;
          ctxs.push({ position: s.p, ts: tickTs, spot, T, r: sf?.r ?? r0, q: sf?.q ?? q0, surface: sf, heston, variance, memory: s.memory });
          live.push(s);
        }
        // One context array for every method, so methods that share work (heston, heston-mv) can.
        const results: Array<Array<HedgeRatio | null>> = [];
        // Allocated only for the positions a method fails on.
        const errors: Array<Record<string, string> | null> = new Array(live.length).fill(null);
        for (const m of methods) results.push(runMethod(m, ctxs, errors));
        const row: Array<HedgeRatio | null> = new Array(methods.length);
        for (let i = 0; i < live.length; i++) {
          const s = live[i];
          for (let k = 0; k < methods.length; k++) row[k] = results[k][i];
          const payload = positionPayload(s.p, names, row, errors[i], { T: ctxs[i].T, iv: ctxs[i].surface?.iv ?? null, inputs: now });
          s.contrib = bookContribution(payload, names, s.contrib ?? new Float64Array(contribLength));
          sub.next({ key: s.p.id, ts: outTs, payload });
        }
        bookDirty = false;
        if (!emitted && live.length === 0) return;
        // bookPayload over the latest payloads, from their kept contributions (the same figures, no pass over records).
        sub.next({ key: BOOK_KEY, ts: outTs, payload: bookFromContributions(states.values(), names, now) });
      };

      return source.subscribe({
        next: (msg) => {
          if (msg.ts > watermark) watermark = msg.ts;
          syncBook();
          if (msg.topic === TOPICS.surface) {
            const f = msg.payload as SurfaceFit;
            if (f.underlying !== underlying) return;
            surface = f;
            if (f.heston) heston = { params: f.heston.params, ts: f.heston.ts };
            for (const s of states.values()) s.surface = undefined;
            markAll();
          } else if (msg.topic === TOPICS.variance) {
            const v = msg.payload as VarianceFields;
            if (msg.key !== underlying && v.index !== underlying) return;
            variance = { hn: v.hn, gru: v.gru, garch: v.garch, hnParams, ts: msg.ts };
            markAll();
          } else {
            const t = msg.payload as Tick;
            if (t.kind !== 'index' || t.symbol !== underlying) {
              compute(watermark, false);
              return;
            }
            spot = t.price;
            tickTs = t.ts;
            markAll();
          }
          compute(watermark, false);
        },
        error: (e) => sub.error(e),
        complete: () => {
          syncBook();
          compute(watermark, true);
          sub.complete();
        },
      });
    });
}

/** A method over a round's contexts; a failure is confined to the positions it failed on. */
function runMethod(m: HedgeMethod, ctxs: readonly HedgeContext[], errors: Array<Record<string, string> | null>): Array<HedgeRatio | null> {
  const one = (c: HedgeContext, i: number): HedgeRatio | null => {
    try {
      const r = m.ratio(c);
      if (r && !Number.isFinite(r.delta)) throw new RangeError(`non-finite delta ${r.delta}`);
      return r;
    } catch (e) {
      (errors[i] ??= {})[m.name] = (e as Error).message;
      return null;
    }
  };
  if (m.ratios && ctxs.length > 1) {
    try {
      const rs = m.ratios(ctxs);
      if (rs.length === ctxs.length && rs.every((r) => r === null || Number.isFinite(r.delta))) return rs;
    } catch {
      // Retried one by one below, so only the positions that fail report it.
    }
  }
  return ctxs.map(one);
}

/** The hedges stage: ticks.raw, surface and variance -> hedges. */
export function hedgesStage(options: HedgesStageOptions): Stage<Tick | SurfaceFit | VarianceFields, HedgesPayload> {
  return {
    name: 'hedges',
    inputs: [TOPICS.ticksRaw, TOPICS.surface, TOPICS.variance],
    output: TOPICS.hedges,
    operator: () => hedges(options),
  };
}
