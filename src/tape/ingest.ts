/**
 * Ingest: the edge where a tape (simulator, files, REST, Kafka) enters the pipeline. Each batch
 * of parse outcomes goes through validation; accepted ticks are published on `ticks.raw` (the
 * tape, logged before anything processes it) and rejects on `ticks.rejected` with their reason.
 * Publishing is awaited, so a pipeline that falls behind slows the tape instead of dropping it.
 */
import type { OperatorFunction } from 'rxjs';
import type { Bus } from '../bus/bus.ts';
import type { Message } from '../bus/message.ts';
import { TOPICS } from '../bus/topics.ts';
import type { ParseOutcome } from '../ticks/candidate.ts';
import type { Reject } from '../ticks/reject.ts';
import type { Tick } from '../ticks/schema.ts';
import { tickKey } from '../ticks/key.ts';
import { isAccepted, type Accepted } from '../ticks/validate.ts';
import { OutcomeCounter, type OutcomeCounts } from '../ticks/count-outcomes.ts';
import { Sequencer } from '../../streams/stage.ts';
import { SyncOperator } from '../../streams/sync-operator.ts';
import { pacedBatches, type Speed } from './pace.ts';

export type IngestCounts = OutcomeCounts;

export interface IngestHooks {
  onAccepted?: (ticks: readonly Tick[]) => void;
  onRejected?: (rejects: readonly Reject[]) => void;
}

/**
 * Validates and publishes batches of parse outcomes. One ingestor per pipeline run owns the
 * sequence numbers of `ticks.raw` and `ticks.rejected`, so every way in (feed, REST, files)
 * shares them; each lane (e.g. `feed`, `rest`) has its own validation state, since its sources'
 * clocks and sequence numbers are its own.
 */
export class Ingestor {
  private readonly lanes = new Map<string, SyncOperator<ParseOutcome, Accepted | Reject>>();
  private readonly ticks: Sequencer;
  private readonly rejects: Sequencer;
  private readonly counter = new OutcomeCounter();

  constructor(
    private readonly bus: Bus,
    private readonly validate: () => OperatorFunction<ParseOutcome, Accepted | Reject>,
    run: string,
    private readonly hooks: IngestHooks = {},
  ) {
    this.ticks = new Sequencer(TOPICS.ticksRaw, run);
    this.rejects = new Sequencer(TOPICS.ticksRejected, run);
  }

  /** Counts so far: accepted, rejected, and rejects by reason. */
  counts(): IngestCounts {
    return this.counter.total();
  }

  /** Validates a batch in a lane and publishes its ticks and rejects; resolves once the bus accepted both. */
  async push(batch: readonly ParseOutcome[], lane = 'feed'): Promise<{ accepted: Tick[]; rejected: Reject[] }> {
    const accepted: Tick[] = [];
    const rejected: Reject[] = [];
    let validator = this.lanes.get(lane);
    if (!validator) this.lanes.set(lane, (validator = new SyncOperator(this.validate)));
    for (const x of validator.push(batch)) {
      if (isAccepted(x)) accepted.push(x);
      else rejected.push(x);
      this.counter.add(x);
    }
    const tickMsgs: Message<Tick>[] = new Array(accepted.length);
    for (let i = 0; i < accepted.length; i++) {
      const t = accepted[i];
      tickMsgs[i] = this.ticks.stamp({ key: tickKey(t), ts: t.ts, payload: t });
    }
    const rejectMsgs = rejected.map((r) => this.rejects.stamp({ key: r.src, ts: r.ts, payload: r }));
    if (tickMsgs.length > 0) await this.bus.publish(TOPICS.ticksRaw, tickMsgs);
    if (rejectMsgs.length > 0) await this.bus.publish(TOPICS.ticksRejected, rejectMsgs);
    if (accepted.length > 0) this.hooks.onAccepted?.(accepted);
    if (rejected.length > 0) this.hooks.onRejected?.(rejected);
    return { accepted, rejected };
  }
}

/** Event time of a parse outcome, for pacing. */
export function outcomeTime(o: ParseOutcome): number | undefined {
  if ((o as Reject).reason !== undefined) return undefined;
  const v = (o as { value?: { ts?: unknown } }).value;
  return v && typeof v.ts === 'number' && Number.isFinite(v.ts) ? v.ts : undefined;
}

export interface TapeOptions {
  speed: Speed;
  signal?: AbortSignal;
  maxBatch?: number;
  /** Called after each batch with the running counts. */
  onProgress?: (counts: IngestCounts) => void;
}

/** Runs a whole tape through an ingestor at the given speed; resolves when it ends or is aborted. */
export async function runTape(tape: Iterable<ParseOutcome> | AsyncIterable<ParseOutcome>, ingestor: Ingestor, options: TapeOptions): Promise<IngestCounts> {
  for await (const batch of pacedBatches(tape, { speed: options.speed, time: outcomeTime, maxBatch: options.maxBatch, signal: options.signal })) {
    await ingestor.push(batch);
    options.onProgress?.(ingestor.counts());
    if (options.signal?.aborted) break;
  }
  return ingestor.counts();
}
