/**
 * Pacing a tape by its event time: real time, N times real time, or as fast as possible. This
 * is the one place a source looks at the wall clock; stages never do.
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
  /** Event time of an item in epoch microseconds; items without one are emitted at once. */
  time: (item: T) => number | undefined;
  /** Items emitted per macrotask at most when running flat out, so timers and I/O still get a turn. */
  chunk?: number;
}

/**
 * Emits the items of an iterable, spaced by their event times divided by `speed`. Subscribing
 * starts the iteration; unsubscribing stops it (the iterator's `return` is called).
 */
export function paced<T>(items: Iterable<T> | AsyncIterable<T>, options: PaceOptions<T>): Observable<T> {
  const chunk = options.chunk ?? 2048;
  return new Observable<T>((sub) => {
    let stopped = false;
    const it: Iterator<T> | AsyncIterator<T> =
      Symbol.asyncIterator in items ? (items as AsyncIterable<T>)[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
    let t0Event: number | undefined;
    let t0Wall = 0;
    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    const yieldTurn = () => new Promise<void>((r) => setImmediate(r));
    (async () => {
      let n = 0;
      for (;;) {
        if (stopped) return;
        const r = await it.next();
        if (r.done || stopped) break;
        const item = r.value;
        if (options.speed !== 'max') {
          const t = options.time(item);
          if (t !== undefined) {
            if (t0Event === undefined) {
              t0Event = t;
              t0Wall = performance.now();
            }
            const due = t0Wall + (t - t0Event) / 1000 / options.speed;
            const wait = due - performance.now();
            if (wait > 1) await sleep(wait);
          }
        }
        if (stopped) return;
        sub.next(item);
        if (++n % chunk === 0) await yieldTurn();
      }
      if (!stopped) sub.complete();
    })().catch((err) => sub.error(err));
    return () => {
      stopped = true;
      void it.return?.();
    };
  });
}
