/**
 * The pipeline wiring shared by the live engine (src/engine.ts) and replays (run-replay.ts): on a
 * bus, the store sink consuming every topic, the stages of streams/topology.ts, and the ingestor
 * that validates a tape onto `ticks.raw`, all under one run id. The engine adds its server, hub
 * and feed around it; a replay adds a tape, checkpoints and progress. Nothing here knows which.
 */
import type { OperatorFunction } from 'rxjs';
import type { Bus, Consumer } from '../bus/bus.ts';
import type { Message } from '../bus/message.ts';
import { ALL_TOPICS } from '../bus/topics.ts';
import type { Store } from '../store/client.ts';
import { createSink, type Sink, type SinkOptions } from '../store/sink.ts';
import { Ingestor, type IngestHooks } from '../tape/ingest.ts';
import type { ParseOutcome } from '../ticks/candidate.ts';
import type { Reject } from '../ticks/reject.ts';
import type { Accepted } from '../ticks/validate.ts';
import type { Stage } from '../../streams/stage.ts';
import { startTopology, type RunningTopology, type TopologyOptions } from '../../streams/topology.ts';
import type { Sequences } from './checkpoint.ts';

export interface PipelineOptions extends Omit<TopologyOptions, 'run'> {
  bus: Bus;
  store: Store;
  /** `live` or a replay's id, stamped on every message and row. */
  run: string;
  /** The stages, in flow order (defaultStages()). */
  stages: readonly Stage[];
  /** Builds a fresh validator per ingest lane. */
  validator: () => OperatorFunction<ParseOutcome, Accepted | Reject>;
  ingestHooks?: IngestHooks;
  sink?: SinkOptions;
  /** Largest batch a store consumer takes (default the sink's maxRows, else 20,000). */
  storeBatch?: number;
  /** A resumed run's checkpoint: messages at or below these sequences are stored already and are not written again. */
  stored?: Sequences;
}

export interface Pipeline {
  readonly run: string;
  readonly bus: Bus;
  readonly store: Store;
  readonly sink: Sink;
  readonly ingestor: Ingestor;
  readonly topology: RunningTopology;
  /** Resolves once every consumer (stages and store) has handled everything published so far. */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops the stages and the store consumers and flushes the sink; `warn` hears what could not be drained. */
  stop(warn?: (message: string) => void): Promise<void>;
}

/** Wires the store sink, the stages and an ingestor on `bus` for one run. */
export async function wirePipeline(options: PipelineOptions): Promise<Pipeline> {
  const { bus, store, run } = options;
  const sink = createSink(store, options.sink);
  const skip = options.stored;
  const write = skip
    ? (batch: readonly Message[]) => sink.write(batch.filter((m) => m.seq > (skip[m.topic]?.[m.key] ?? 0)))
    : (batch: readonly Message[]) => sink.write(batch);
  const storeBatch = options.storeBatch ?? options.sink?.maxRows ?? 20_000;
  // A full batch fills the sink and flushes at once, so under load the store never waits on the
  // sink's timer; two batches in flight let the next one be encoded while the last is inserted
  // (rows are idempotent, so their order does not matter). Joined concurrently, because a Kafka
  // group join takes seconds.
  const storeConsumers: Consumer[] = await Promise.all(ALL_TOPICS.map((topic) => bus.consume(topic, 'store', write, { maxBatch: storeBatch, maxInFlight: 2 })));
  const topology = await startTopology(bus, options.stages, { run, onBatch: options.onBatch, onError: options.onError, lockstep: options.lockstep });
  const ingestor = new Ingestor(bus, options.validator, run, options.ingestHooks);

  const drain = async (timeoutMs = 30_000): Promise<void> => {
    const until = performance.now() + timeoutMs;
    for (;;) {
      const lag = Object.values(bus.lag()).reduce((a, b) => a + b, 0);
      if (lag === 0) return;
      if (performance.now() > until) throw new Error(`drain: ${lag} messages still unhandled after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  let stopping: Promise<void> | undefined;
  return {
    run,
    bus,
    store,
    sink,
    ingestor,
    topology,
    drain,
    stop: (warn = () => {}) =>
      (stopping ??= (async () => {
        await drain().catch((err: Error) => warn(err.message));
        await topology.stop();
        await drain(10_000).catch((err: Error) => warn(err.message));
        await Promise.all(storeConsumers.map((c) => c.stop()));
        await sink.close();
      })()),
  };
}
