/**
 * Replays started through the REST API, run in the engine's process beside the live pipeline
 * (each on a bus of its own, into the engine's store): start, watch, cancel, list. Progress goes
 * to the WebSocket hub on topic `replay` (key: the run id), at most every 250 ms per run and at
 * every status change; finished runs are listed from their checkpoints in the store.
 */
import type { Logger } from 'pino';
import type { TopicHub } from '../server/hub.ts';
import type { Store } from '../store/client.ts';
import type { SinkOptions } from '../store/sink.ts';
import type { Stage } from '../../streams/stage.ts';
import { listCheckpoints, readCheckpoint, type Checkpoint, type RunStatus } from './checkpoint.ts';
import { REPLAY_TOPIC, type ReplayProgress } from './progress.ts';
import { prepareReplay, runReplay, type ReplayRequest, type ReplayResult } from './run-replay.ts';

export interface ReplayManagerDeps {
  store: Store;
  hub?: TopicHub;
  log?: Pick<Logger, 'info' | 'error'>;
  stages?: () => Promise<Stage[]>;
  sink?: SinkOptions;
  maxLineBytes?: number;
  timeToleranceMicros?: number;
  /** Replays running at once (default 2); more are refused with a clear error. */
  maxConcurrent?: number;
}

/** A replay as the API shows it. */
export interface ReplayView {
  run: string;
  status: RunStatus;
  /** Running in this process now. */
  active: boolean;
  spec: unknown;
  progress?: ReplayProgress;
  position: number;
  counts?: Record<string, unknown>;
  error?: string;
  /** Wall-clock epoch µs. */
  startedAt?: number;
  updatedAt?: number;
}

interface Job {
  run: string;
  spec: string;
  ac: AbortController;
  done: Promise<void>;
  progress?: ReplayProgress;
  result?: ReplayResult;
  error?: string;
}

/** A user error (bad request, conflict) as opposed to a failure of the engine. */
export class ReplayRequestError extends Error {
  override name = 'ReplayRequestError';
  constructor(message: string, readonly status: 400 | 404 | 409 | 429) {
    super(message);
  }
}

export class ReplayManager {
  private readonly jobs = new Map<string, Job>();
  private readonly progressSeq = new Map<string, number>();

  constructor(private readonly deps: ReplayManagerDeps) {}

  /** The store replays write into. */
  get store(): Store {
    return this.deps.store;
  }

  private publish(p: ReplayProgress): void {
    const job = this.jobs.get(p.run);
    if (job) job.progress = p;
    if (!this.deps.hub) return;
    const seq = (this.progressSeq.get(p.run) ?? 0) + 1;
    this.progressSeq.set(p.run, seq);
    this.deps.hub.publish({ topic: REPLAY_TOPIC, key: p.run, seq, ts: p.eventTs, run: p.run, payload: p });
  }

  /** Checks and starts a replay; resolves once it is running (not when it ends). */
  async start(req: ReplayRequest): Promise<ReplayView> {
    const active = [...this.jobs.values()].filter((j) => !j.result && !j.error);
    if (active.some((j) => j.run === req.run)) throw new ReplayRequestError(`run "${req.run}" is running already`, 409);
    const max = this.deps.maxConcurrent ?? 2;
    if (active.length >= max) throw new ReplayRequestError(`${active.length} replays are running (at most ${max} at once); wait for one or cancel it`, 429);
    let prepared: Awaited<ReturnType<typeof prepareReplay>>;
    try {
      prepared = await prepareReplay(req, this.deps.store);
    } catch (e) {
      throw new ReplayRequestError((e as Error).message, /already holds/.test((e as Error).message) ? 409 : 400);
    }
    const ac = new AbortController();
    const job: Job = { run: req.run, spec: prepared.spec, ac, done: Promise.resolve() };
    this.jobs.set(req.run, job);
    job.done = runReplay(req, {
      store: this.deps.store,
      stages: this.deps.stages,
      signal: ac.signal,
      sink: this.deps.sink,
      maxLineBytes: this.deps.maxLineBytes,
      timeToleranceMicros: this.deps.timeToleranceMicros,
      onProgress: (p) => this.publish(p),
    }).then(
      (r) => {
        job.result = r;
        this.deps.log?.info({ run: r.run, status: r.status, position: r.position }, 'replay ended');
      },
      (err: unknown) => {
        job.error = (err as Error)?.message ?? String(err);
        this.deps.log?.error({ err, run: req.run }, 'replay failed');
      },
    );
    return this.view(job, prepared.previous);
  }

  private view(job: Job, cp?: Omit<Checkpoint, 'stored'>): ReplayView {
    const running = !job.result && !job.error;
    const status: RunStatus = job.error ? 'failed' : job.result ? job.result.status : 'running';
    return {
      run: job.run,
      status,
      active: running,
      spec: JSON.parse(job.spec) as unknown,
      progress: job.progress,
      position: job.result?.position ?? job.progress?.position ?? cp?.position ?? 0,
      counts: (job.result?.counts ?? (job.progress ? { accepted: job.progress.accepted, rejected: job.progress.rejected } : undefined)) as Record<string, unknown> | undefined,
      ...(job.error ? { error: job.error } : {}),
      startedAt: cp?.startedAt,
      updatedAt: cp?.updatedAt,
    };
  }

  private static fromCheckpoint(c: Omit<Checkpoint, 'stored'>): ReplayView {
    return {
      run: c.run,
      status: c.status,
      active: false,
      spec: JSON.parse(c.spec) as unknown,
      position: c.position,
      counts: c.counts,
      ...(c.error ? { error: c.error } : {}),
      startedAt: c.startedAt,
      updatedAt: c.updatedAt,
    };
  }

  /** One run: running here, or as its last checkpoint says; undefined when unknown. */
  async get(run: string): Promise<ReplayView | undefined> {
    const job = this.jobs.get(run);
    const cp = await readCheckpoint(this.deps.store, run);
    if (job) return this.view(job, cp);
    return cp ? ReplayManager.fromCheckpoint(cp) : undefined;
  }

  /** Every run with a checkpoint (replays, and the engine's file feeds), running ones with their progress. */
  async list(): Promise<ReplayView[]> {
    const stored = await listCheckpoints(this.deps.store);
    const out = stored.map((c) => {
      const job = this.jobs.get(c.run);
      return job ? this.view(job, c) : ReplayManager.fromCheckpoint(c);
    });
    for (const job of this.jobs.values()) if (!stored.some((c) => c.run === job.run)) out.unshift(this.view(job));
    return out;
  }

  /** Cancels a running replay (it stops after its current batch, with a checkpoint to resume from); resolves when it has stopped. */
  async cancel(run: string): Promise<ReplayView> {
    const job = this.jobs.get(run);
    if (!job || job.result || job.error) throw new ReplayRequestError(`run "${run}" is not running in this engine`, 404);
    job.ac.abort();
    await job.done;
    return this.view(job, await readCheckpoint(this.deps.store, run));
  }

  /** Resolves when the run (running here) ends. */
  async settled(run: string): Promise<void> {
    await this.jobs.get(run)?.done;
  }

  /** Cancels every running replay and waits for them. */
  async stop(): Promise<void> {
    for (const j of this.jobs.values()) j.ac.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }
}
