/**
 * Wires stages to topics. Each stage runs as a consumer group on its input topics: a batch goes
 * through the stage's operator (synchronously: stages keep no timers), its outputs are stamped
 * with per-key sequence numbers and published, and only then is the batch acknowledged, so a
 * crash replays the batch rather than losing it.
 */
import type { Bus, Consumer } from '../src/bus/bus.ts';
import type { Message, Output } from '../src/bus/message.ts';
import { Sequencer, type Stage } from './stage.ts';
import { barsStage } from './bars.ts';
import { varianceStage } from './variance.ts';
import { surfaceStage } from './surface.ts';
import { loadHnGru } from '../models/hn-gru/index.ts';
import { loadSurrogate } from '../models/surrogate/index.ts';
import { SyncOperator } from './sync-operator.ts';

/**
 * The live pipeline's stages, in flow order, with the committed models: HN-GRU weights for the
 * variance stage, the Heston surrogate for the surface stage's calibration.
 */
export async function defaultStages(): Promise<Stage[]> {
  const surrogate = await loadSurrogate();
  return [barsStage as Stage, varianceStage(loadHnGru()) as Stage, surfaceStage({ fit: { heston: { surrogate } } }) as Stage];
}

export interface TopologyOptions {
  /** `live` or a replay's id; stamped on every output. */
  run: string;
  /** Called with each batch's processing time, for the stage latency histogram. */
  onBatch?: (stage: string, seconds: number, inputs: number, outputs: number) => void;
  /** Called when a stage's operator fails; the stage is restarted with fresh state. */
  onError?: (stage: string, err: unknown) => void;
}

export interface RunningTopology {
  stop(): Promise<void>;
}

/** A stage driven batch by batch, its outputs stamped with per-key sequence numbers. */
export class StageRunner<I, O> {
  private readonly op: SyncOperator<Message<I>, Output<O>>;
  readonly sequencer: Sequencer;

  constructor(readonly stage: Stage<I, O>, run: string) {
    this.sequencer = new Sequencer(stage.output, run);
    this.op = new SyncOperator(() => stage.operator());
  }

  /** Pushes a batch through the operator and returns the stamped outputs. */
  process(batch: readonly Message<I>[]): Message<O>[] {
    return this.op.push(batch).map((o) => this.sequencer.stamp(o));
  }

  /** Completes the operator (end of a tape) and returns what it flushes, stamped. */
  finish(): Message<O>[] {
    return this.op.finish().map((o) => this.sequencer.stamp(o));
  }
}

/** Starts every stage as a consumer on the bus. */
export async function startTopology(bus: Bus, stages: readonly Stage[], options: TopologyOptions): Promise<RunningTopology> {
  const joins: Promise<Consumer>[] = [];
  for (const stage of stages) {
    const runner = new StageRunner(stage, options.run);
    for (const topic of stage.inputs) {
      joins.push(
        bus.consume(topic, `stage.${stage.name}`, async (batch) => {
          const t0 = performance.now();
          let outs: Message[];
          try {
            outs = runner.process(batch);
          } catch (err) {
            // A stage bug must not stop the engine: report, restart the stage, skip nothing else.
            options.onError?.(stage.name, err);
            return;
          }
          if (outs.length > 0) await bus.publish(stage.output, outs);
          options.onBatch?.(stage.name, (performance.now() - t0) / 1000, batch.length, outs.length);
        }),
      );
    }
  }
  // Joined concurrently: a Kafka group join takes seconds.
  const consumers = await Promise.all(joins);
  return {
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
