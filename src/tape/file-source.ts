/**
 * The file tape: tick files (NDJSON, CSV, CBOE option-chain exports, CBOE index histories) as
 * one lazily read stream of parse outcomes, paced by event time. Files are read in chunks, so
 * memory does not grow with their size.
 *
 * Order: with `order: 'files'` each file in turn, in file order; with `order: 'time'` the files
 * are merged by event time (each file is assumed to be in time order itself; ties keep the
 * order the files were named in; a reject without a time goes out as soon as it is read).
 * The default is 'time' when every file is a daily index history (so VIX and SPX of one day
 * interleave), else 'files'.
 */
import type { Observable } from 'rxjs';
import { outcomeTs, type ParseOutcome } from '../ticks/candidate.ts';
import { fileFormat, parseFile, type ParseFileOptions } from '../ticks/parse-file.ts';
import { paced, type Speed } from './pace.ts';

/** Options of the file tape. */
export interface FileSourceOptions extends ParseFileOptions {
  /** `files`: one file after another; `time`: merged by event time. Default: see the module doc. */
  order?: 'files' | 'time';
}

/** The parse outcomes of several files, in file order or merged by event time. */
export async function* fileOutcomes(paths: readonly string[], options: FileSourceOptions = {}): AsyncGenerator<ParseOutcome> {
  if (paths.length === 0) return;
  let order = options.order;
  if (order === undefined) {
    const formats = await Promise.all(paths.map((p) => fileFormat(p, options.format)));
    order = paths.length > 1 && formats.every((f) => f === 'index-history') ? 'time' : 'files';
  }
  if (order === 'files') {
    for (const p of paths) yield* parseFile(p, options);
    return;
  }
  yield* mergeByTime(paths.map((p) => parseFile(p, options)));
}

/** Merges streams each in time order into one in time order; ties go to the earlier stream. */
export async function* mergeByTime(streams: ReadonlyArray<AsyncIterator<ParseOutcome>>): AsyncGenerator<ParseOutcome> {
  const heads: Array<IteratorResult<ParseOutcome> | undefined> = await Promise.all(streams.map((s) => s.next()));
  try {
    for (;;) {
      let best = -1;
      let bestTs = Infinity;
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i];
        if (!h || h.done) continue;
        const ts = outcomeTs(h.value);
        if (ts === undefined) {
          best = i;
          break;
        }
        if (best < 0 || ts < bestTs) {
          best = i;
          bestTs = ts;
        }
      }
      if (best < 0) return;
      yield heads[best]!.value as ParseOutcome;
      heads[best] = await streams[best].next();
    }
  } finally {
    await Promise.all(streams.map((s, i) => (heads[i]?.done ? undefined : s.return?.())));
  }
}

/**
 * The file tape as an Observable: the files' outcomes paced by event time at `speed` (1 real
 * time, N times faster, 'max' as fast as the consumer takes them). Subscribing starts reading;
 * unsubscribing stops it and closes the files.
 */
export function fileTape(paths: readonly string[], options: FileSourceOptions & { speed: Speed }): Observable<ParseOutcome> {
  return paced(fileOutcomes(paths, options), { speed: options.speed, time: outcomeTs });
}
