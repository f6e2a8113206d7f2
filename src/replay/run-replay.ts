/**
 * A replay: a tape through the live pipeline itself (pipeline.ts: the same ingestor, stages and
 * store sink as the engine, on a bus of its own) into the store under a run id, on a replay clock
 * (real time, N times faster, or as fast as possible: the tape's event times, not the wall clock,
 * are what every stage sees). Checkpointed and resumable (drive.ts, checkpoint.ts): the same run
 * id restarted after a crash or a cancel resumes, and the stored result equals an uninterrupted
 * run's; a finished run is not replayed again.
 */
import { createEmbeddedBus } from '../bus/embedded.ts';
import { ALL_TOPICS } from '../bus/topics.ts';
import type { Store } from '../store/client.ts';
import { migrate } from '../store/migrations.ts';
import type { SinkOptions } from '../store/sink.ts';
import { parseSpeed } from '../tape/pace.ts';
import type { IngestCounts } from '../tape/ingest.ts';
import { validateTicks } from '../ticks/validate.ts';
import { defaultStages } from '../../streams/topology.ts';
import type { Stage } from '../../streams/stage.ts';
import { readCheckpoint, storedSequences, type Checkpoint, type RunStatus } from './checkpoint.ts';
import { driveTape } from './drive.ts';
import { wirePipeline } from './pipeline.ts';
import type { ReplayProgress } from './progress.ts';
import { checkRunId, normaliseTape, openTape, tapeSize, type TapeSpec } from './tape-spec.ts';

export interface ReplayRequest {
  /** The run id the results are stored under. Not `live`. */
  run: string;
  tape: TapeSpec;
  /** `max` (default), `realtime` or `Nx`. */
  speed?: string;
  /** Tape items between checkpoints (default 100,000). */
  checkpointEvery?: number;
}

export interface ReplayDeps {
  store: Store;
  /** The stages (default: the live engine's, defaultStages()). */
  stages?: () => Promise<Stage[]>;
  signal?: AbortSignal;
  onProgress?: (p: ReplayProgress) => void;
  onCheckpoint?: (c: Checkpoint) => void;
  /** Sink settings (default: flush at 1,024 rows, at most, or 100 ms). */
  sink?: SinkOptions;
  /** Validation: longest line, and how far a source's event time may step back (µs). */
  maxLineBytes?: number;
  timeToleranceMicros?: number;
}

export interface ReplayResult {
  run: string;
  status: RunStatus;
  /** The run was complete already; nothing was replayed. */
  alreadyDone: boolean;
  /** Tape position of the checkpoint it resumed from (0: a fresh run). */
  resumedFrom: number;
  position: number;
  counts: IngestCounts;
  checkpoint: Checkpoint;
}

/**
 * Messages a replay's bus holds per topic. The log keeps its last `capacity` messages whether
 * handled or not, and a surface message can be most of a megabyte, so it is small; the sink
 * flushes at half of it (two store batches in flight fill it), else a flush would wait for its
 * timer. Measured on 202,500 ticks without stages: 2,048/1,024 gives 40,000 ticks/s, the engine's
 * 65,536/20,000 49,000, and 1,024/512 26,000.
 */
const REPLAY_BUS_CAPACITY = 2_048;

/** The part of a spec a restart must repeat (the speed may change). */
const tapeIdentity = (spec: string): string => JSON.stringify((JSON.parse(spec) as { tape: unknown }).tape);

/** Checks a request and states the run it would resume, without replaying anything. */
export async function prepareReplay(req: ReplayRequest, store: Store): Promise<{ tape: TapeSpec; spec: string; previous?: Checkpoint }> {
  const run = checkRunId(req.run);
  if (run === 'live') throw new Error('run: "live" is the live engine\'s run id; give the replay its own');
  const speedText = req.speed ?? 'max';
  parseSpeed(speedText);
  if (req.checkpointEvery !== undefined && !(Number.isSafeInteger(req.checkpointEvery) && req.checkpointEvery >= 0))
    throw new Error(`checkpointEvery: expected a whole number of tape items >= 0, got ${req.checkpointEvery}`);
  const tape = await normaliseTape(req.tape);
  if (tape.kind === 'store' && tape.run === run) throw new Error(`tape run: a replay cannot read its own run "${run}"`);
  const spec = JSON.stringify({ tape, speed: speedText });
  await migrate(store);
  const previous = await readCheckpoint(store, run);
  if (previous) {
    if (tapeIdentity(previous.spec) !== tapeIdentity(spec))
      throw new Error(`run "${run}" already holds a replay of another tape (${tapeIdentity(previous.spec)}); give this one its own run id`);
  } else {
    const stored = await storedSequences(store, run);
    if (Object.keys(stored).length > 0) throw new Error(`run "${run}" already holds rows that no replay wrote (topics ${Object.keys(stored).join(', ')}); give the replay its own run id`);
  }
  return { tape, spec, previous };
}

/** Replays a tape into the store under `req.run`; resolves when it is done or cancelled. */
export async function runReplay(req: ReplayRequest, deps: ReplayDeps): Promise<ReplayResult> {
  const { store } = deps;
  const { tape, spec, previous } = await prepareReplay(req, store);
  if (previous?.status === 'done') {
    return { run: req.run, status: 'done', alreadyDone: true, resumedFrom: previous.position, position: previous.position, counts: previous.counts as unknown as IngestCounts, checkpoint: previous };
  }
  // A small log: nothing joins a replay's bus late, and a log holds its last `capacity` messages
  // per topic whether handled or not (a surface message can be most of a megabyte).
  const bus = createEmbeddedBus({ capacity: REPLAY_BUS_CAPACITY });
  await bus.ensureTopics(ALL_TOPICS.map((topic) => ({ topic })));
  try {
    const stages = await (deps.stages ?? defaultStages)();
    const errors: string[] = [];
    const pipeline = await wirePipeline({
      bus,
      store,
      run: req.run,
      stages,
      validator: () => validateTicks({ maxLineBytes: deps.maxLineBytes, timeToleranceMicros: deps.timeToleranceMicros }),
      sink: { ...deps.sink, maxRows: Math.min(deps.sink?.maxRows ?? Infinity, REPLAY_BUS_CAPACITY / 2), maxDelayMs: deps.sink?.maxDelayMs ?? 100 },
      stored: previous?.stored,
      // Every stage sees its inputs in one order, whatever the timing: the same tape, the same rows.
      lockstep: true,
      onError: (stage, err) => errors.push(`${stage}: ${(err as Error)?.message ?? String(err)}`),
    });
    try {
      const total = await tapeSize(tape, store);
      const r = await driveTape(pipeline, openTape(tape, store, deps.maxLineBytes), {
        spec,
        speed: parseSpeed(req.speed ?? 'max'),
        signal: deps.signal,
        checkpointEvery: req.checkpointEvery,
        previous,
        total,
        onProgress: deps.onProgress,
        onCheckpoint: deps.onCheckpoint,
      });
      return { run: req.run, status: r.status, alreadyDone: false, resumedFrom: previous?.position ?? 0, position: r.position, counts: r.counts, checkpoint: r.checkpoint };
    } finally {
      await pipeline.stop();
    }
  } finally {
    await bus.close();
  }
}
