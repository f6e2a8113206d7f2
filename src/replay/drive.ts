/**
 * Drives a finite tape through a wired pipeline (pipeline.ts), for a replay and for the engine's
 * file feed alike: paced batches into the ingestor, a checkpoint every `checkpointEvery` tape
 * items (checkpoint.ts), progress reports, and at the end of the tape the topology's `finish`, so
 * every stage flushes what it holds. Aborting stops at the next batch with a `cancelled`
 * checkpoint, from which the same run id resumes.
 *
 * A resumed run replays the tape from its start (the prefix up to the checkpoint as fast as
 * possible, whatever the speed), which rebuilds every stage's state; the pipeline was wired with
 * the checkpoint's stored sequences, so that prefix is not written again.
 */
import { outcomeTs, type ParseOutcome } from '../ticks/candidate.ts';
import { pacedBatches, type Speed } from '../tape/pace.ts';
import type { IngestCounts } from '../tape/ingest.ts';
import { storedSequences, writeCheckpoint, type Checkpoint, type RunStatus } from './checkpoint.ts';
import type { Pipeline } from './pipeline.ts';
import type { ReplayProgress } from './progress.ts';

export type Tape = Iterable<ParseOutcome> | AsyncIterable<ParseOutcome>;

export interface DriveOptions {
  /** The run's description (tape and speed) as JSON, recorded with each checkpoint. */
  spec: string;
  speed: Speed;
  signal?: AbortSignal;
  /** Tape items between checkpoints (default 100,000; 0: only at the end). */
  checkpointEvery?: number;
  /** The checkpoint this run resumes from (the pipeline must have been wired with its `stored`). */
  previous?: Checkpoint;
  /** Tape items expected, when known, for progress. */
  total?: number;
  /** Largest ingest batch (default 2,048). */
  maxBatch?: number;
  /** End of tape: complete the stages' inputs so they flush (default true). */
  finish?: boolean;
  /** Progress, at most every `progressMs` of wall time (default 250) and at every status change. */
  onProgress?: (p: ReplayProgress) => void;
  progressMs?: number;
  onCheckpoint?: (c: Checkpoint) => void;
}

export interface DriveResult {
  status: RunStatus;
  position: number;
  counts: IngestCounts;
  checkpoint: Checkpoint;
}

const wallMicros = (): number => Date.now() * 1000;

/** Splits one async iterator into its first `n` items and the rest, without closing it in between. */
function shared<T>(it: AsyncIterator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => ({ next: () => it.next(), return: async () => ({ done: true as const, value: undefined }) }) };
}

async function* take<T>(items: AsyncIterable<T>, n: number): AsyncGenerator<T> {
  if (n <= 0) return;
  let i = 0;
  for await (const x of items) {
    yield x;
    if (++i >= n) return;
  }
}

/** The tape in batches: the first `fastUntil` items unpaced, the rest at `speed`. */
async function* batches(tape: Tape, speed: Speed, fastUntil: number, signal: AbortSignal | undefined, maxBatch: number | undefined): AsyncGenerator<ParseOutcome[]> {
  if (fastUntil <= 0) {
    yield* pacedBatches(tape, { speed, time: outcomeTs, signal, maxBatch });
    return;
  }
  const it: AsyncIterator<ParseOutcome> =
    Symbol.asyncIterator in tape ? (tape as AsyncIterable<ParseOutcome>)[Symbol.asyncIterator]() : (async function* () { yield* tape as Iterable<ParseOutcome>; })();
  try {
    const s = shared(it);
    yield* pacedBatches(take(s, fastUntil), { speed: 'max', time: outcomeTs, signal, maxBatch });
    if (!signal?.aborted) yield* pacedBatches(s, { speed, time: outcomeTs, signal, maxBatch });
  } finally {
    await it.return?.();
  }
}

/** Runs `tape` through `pipeline` to its end (or an abort), checkpointing on the way. */
export async function driveTape(pipeline: Pipeline, tape: Tape, options: DriveOptions): Promise<DriveResult> {
  const { store, run, ingestor } = pipeline;
  const prev = options.previous;
  const every = options.checkpointEvery ?? 100_000;
  const progressMs = options.progressMs ?? 250;
  const resumeAt = prev?.position ?? 0;
  const t0 = performance.now();
  let version = prev?.version ?? 0;
  let position = 0;
  let eventTs = 0;
  let lastCheckpoint = resumeAt;
  let lastProgress = -Infinity;
  let checkpoints = 0;
  let latest: Checkpoint | undefined;
  const startedAt = prev?.startedAt ?? wallMicros();

  const progress = (status: RunStatus, force: boolean, error?: string): void => {
    if (!options.onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < progressMs) return;
    lastProgress = now;
    const counts = ingestor.counts();
    const elapsedMs = now - t0;
    options.onProgress({
      run,
      status,
      position,
      total: options.total,
      eventTs,
      accepted: counts.accepted,
      rejected: counts.rejected,
      resumedFrom: resumeAt,
      checkpoints,
      elapsedMs,
      itemsPerSecond: elapsedMs > 0 ? (position / elapsedMs) * 1000 : 0,
      ...(error ? { error } : {}),
    });
  };

  const checkpoint = async (status: RunStatus, error = '', stored?: Checkpoint['stored']): Promise<Checkpoint> => {
    if (stored === undefined) {
      await pipeline.drain(600_000);
      stored = await storedSequences(store, run);
    }
    const c: Checkpoint = {
      run,
      version: ++version,
      status,
      spec: options.spec,
      position: Math.max(position, resumeAt),
      eventTs,
      stored,
      counts: ingestor.counts() as unknown as Record<string, unknown>,
      error,
      startedAt,
      updatedAt: wallMicros(),
    };
    await writeCheckpoint(store, c);
    checkpoints++;
    latest = c;
    options.onCheckpoint?.(c);
    return c;
  };

  try {
    // The run is listed as running from its start; what is stored is what the last checkpoint said.
    await checkpoint('running', '', prev?.stored ?? {});
    progress('running', true);
    for await (const batch of batches(tape, options.speed, resumeAt, options.signal, options.maxBatch)) {
      await ingestor.push(batch);
      position += batch.length;
      for (let i = batch.length - 1; i >= 0; i--) {
        const ts = outcomeTs(batch[i]);
        if (ts !== undefined) {
          if (ts > eventTs) eventTs = ts;
          break;
        }
      }
      if (every > 0 && position - lastCheckpoint >= every) {
        await checkpoint('running');
        lastCheckpoint = position;
      }
      progress('running', false);
      if (options.signal?.aborted) break;
    }
    if (options.signal?.aborted) {
      const c = await checkpoint('cancelled');
      progress('cancelled', true);
      return { status: 'cancelled', position, counts: ingestor.counts(), checkpoint: c };
    }
    if (options.finish ?? true) await pipeline.topology.finish();
    const c = await checkpoint('done');
    progress('done', true);
    return { status: 'done', position, counts: ingestor.counts(), checkpoint: c };
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    try {
      await checkpoint('failed', message, latest?.stored ?? prev?.stored ?? {});
    } catch {
      // The store itself may be what failed; the error below says why.
    }
    progress('failed', true, message);
    throw err;
  }
}
