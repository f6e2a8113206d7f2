/**
 * Pacing a tape by its event time: real time, N times real time, or as fast as possible. This
 * is the one place a tape looks at the wall clock; stages never do.
 *
 * The tape is handed on in batches: every item already due goes out together (up to
 * `maxBatch`), so a fast feed costs one bus publish per batch, and the consumer's awaiting of
 * each batch is the backpressure that slows the tape down when the pipeline is behind.
 */
import { Observable } from 'rxjs';

/** `1` is real time, `N` is N times faster, `'max'` is as fast as the consumer takes it. */
export type Speed = number | 'max';

/** Parses a speed given as `max`, `realtime`, `1x`, `10` or `10x`. */
export function parseSpeed(text: string): Speed {
  const t = text.trim().toLowerCase();
  if (t === 'max' || t === 'asap') return 'max';
  if (t === 'realtime' || t === 'real') return 1;
  const n = Number(t.endsWith('x') ? t.slice(0, -1) : t);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`speed: expected "max", "realtime" or a positive multiple like "10x", got "${text}"`);
  return n;
}

export interface PaceOptions<T> {
  speed: Speed;
  /** Event time of an item in epoch microseconds; items without one go out with the current batch. */
  time: (item: T) => number | undefined;
  /** Largest batch (default 2,048). */
  maxBatch?: number;
  /** Stops the tape early when aborted. */
  signal?: AbortSignal;
  /**
   * Event-time gaps longer than this (seconds; default 900) take no wall time: a closed market
   * (a night, a weekend) is skipped rather than slept through, at any speed.
   */
  maxGapSeconds?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const turn = () => new Promise<void>((r) => setImmediate(r));
/** Longest stretch a tape runs without letting timers and I/O (the server, the sink) have a turn. */
const MAX_BUSY_MS = 10;

/** Yields the items of a tape in batches, spaced by their event times divided by `speed`. */
export async function* pacedBatches<T>(items: Iterable<T> | AsyncIterable<T>, options: PaceOptions<T>): AsyncGenerator<T[]> {
  const maxBatch = options.maxBatch ?? 2048;
  const isAsync = Symbol.asyncIterator in items;
  const it: Iterator<T> | AsyncIterator<T> = isAsync ? (items as AsyncIterable<T>)[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
  const speed = options.speed;
  const maxGap = (options.maxGapSeconds ?? 900) * 1e6;
  if (!(maxGap >= 0)) throw new RangeError(`maxGapSeconds must be >= 0, got ${options.maxGapSeconds}`);
  let lastEvent = -Infinity;
  let t0Event: number | undefined;
  let t0Wall = 0;
  let batch: T[] = [];
  let pending: T | undefined;
  let hasPending = false;
  // A consumer that takes batches without a macrotask of its own (an embedded bus with room)
  // would otherwise let a fast tape starve the event loop: the server stops answering.
  let lastTurn = performance.now();
  const handOn = async function* (b: T[]): AsyncGenerator<T[]> {
    yield b;
    if (performance.now() - lastTurn > MAX_BUSY_MS) {
      await turn();
      lastTurn = performance.now();
    }
  };
  try {
    for (;;) {
      if (options.signal?.aborted) return;
      let item: T;
      if (hasPending) {
        item = pending as T;
        hasPending = false;
      } else {
        // A sync tape is pulled without an await per item: a microtask per tick is measurable.
        const r = isAsync ? await it.next() : (it as Iterator<T>).next();
        if (r.done) break;
        item = r.value;
      }
      if (speed !== 'max') {
        const t = options.time(item);
        if (t !== undefined) {
          if (t0Event === undefined || t - lastEvent > maxGap) {
            // Re-anchored so the item after a gap is due now; what was due before it is handed on first.
            t0Event = t;
            t0Wall = performance.now();
          }
          if (t > lastEvent) lastEvent = t;
          const wait = t0Wall + (t - t0Event) / 1000 / speed - performance.now();
          if (wait > 0.5) {
            // Not yet due: hand on what is due, then wait for this one.
            if (batch.length > 0) {
              yield* handOn(batch);
              batch = [];
            }
            pending = item;
            hasPending = true;
            await sleep(Math.max(1, wait));
            lastTurn = performance.now();
            continue;
          }
        }
      }
      batch.push(item);
      if (batch.length >= maxBatch) {
        yield* handOn(batch);
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    await it.return?.();
  }
}

/** The same tape as an Observable of single items (for tests and taps). Unsubscribing stops it. */
export function paced<T>(items: Iterable<T> | AsyncIterable<T>, options: PaceOptions<T>): Observable<T> {
  return new Observable<T>((sub) => {
    const ac = new AbortController();
    (async () => {
      for await (const batch of pacedBatches(items, { ...options, signal: ac.signal })) {
        for (const x of batch) {
          if (ac.signal.aborted) return;
          sub.next(x);
        }
        // Give timers and I/O a turn between batches when running flat out.
        await new Promise<void>((r) => setImmediate(r));
      }
      if (!ac.signal.aborted) sub.complete();
    })().catch((err) => sub.error(err));
    return () => ac.abort();
  });
}
