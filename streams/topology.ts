/**
 * Wires stages to topics. Each stage runs as a consumer group on its input topics: a batch goes
 * through the stage's operator (synchronously: stages keep no timers), its outputs are stamped
 * with per-key sequence numbers and published, and only then is the batch acknowledged, so a
 * crash replays the batch rather than losing it.
 *
 * A finite tape (a replay, a file feed) ends with `finish()`: stage by stage in flow order, once
 * everything upstream is handled, the stage's input completes and what it flushes (bars still
 * open, the surface's pending fits) is published, so the next stage sees it before it completes.
 *
 * Two schedules run the same stages (runners, operators, sequence numbers):
 * - live (default): each stage is a consumer group of its own on each input topic, so stages run
 *   concurrently and scale out on Kafka; a stage reading several topics sees their batches in
 *   arrival order, which differs from run to run.
 * - lockstep (finite tapes: replays and the engine's file feed): one consumer takes the source
 *   topics (inputs no stage produces, i.e. `ticks.raw`), and carries each message through every
 *   stage that reads it, and each output on through the stages that read that, depth first in
 *   stage order, before the next message; the outputs are then published (to the store, the
 *   hub). Every stage thus sees its inputs in one fixed order whatever the batching or timing,
 *   which makes a replay reproducible row for row even for stages with several inputs.
 *
 * Wiring point: a new stage is added to `defaultStages` in flow order (a stage after the stages
 * it reads).
 */
import type { Bus, Consumer } from '../src/bus/bus.ts';
import type { Message, Output } from '../src/bus/message.ts';
import { Sequencer, type Stage } from './stage.ts';
import { barsStage } from './bars.ts';
import { varianceStage } from './variance.ts';
import { surfaceStage } from './surface.ts';
import { loadHnGru } from '../models/hn-gru/index.ts';
import { loadSurrogate } from '../models/surrogate/index.ts';
import { loadNsdeModel, nsdeStage } from './nsde.ts';
import { hedgesStage } from './hedges.ts';
import { classicalMethods } from '../src/hedging/ratios.ts';
import { quadraticMethods } from '../src/hedging/quadratic.ts';
import { loadDeepHedgerMethod } from '../models/deep-hedger/method.ts';
import type { BookView } from '../src/positions/book.ts';
import { SyncOperator } from './sync-operator.ts';

/**
 * The live pipeline's stages, in flow order, with the committed models: HN-GRU weights for the
 * variance stage, the Heston surrogate for the surface stage's calibration.
 */
export interface DefaultStagesOptions {
  /** The positions book; with one, the hedges stage runs (every classical method, the quadratic lrm and mvh, and the deep hedger). */
  book?: BookView;
}

/**
 * The live engine's stages in flow order, with the committed models: bars, variance (HN-GRU),
 * surface (SVI/SSVI and surrogate Heston calibration), nsde (the neural-SDE VIX fan, at most once
 * per 5 minutes of event time: a publish simulates 256 paths), and hedges when a book is given.
 */
export async function defaultStages(options: DefaultStagesOptions = {}): Promise<Stage[]> {
  const [surrogate, nsdeModel] = await Promise.all([loadSurrogate(), loadNsdeModel()]);
  const hn = loadHnGru();
  const stages: Stage[] = [
    barsStage as Stage,
    varianceStage(hn) as Stage,
    surfaceStage({ fit: { heston: { surrogate } } }) as Stage,
    nsdeStage(nsdeModel, { throttleSeconds: 300 }) as Stage,
  ];
  if (options.book) {
    const deep = await loadDeepHedgerMethod('heston');
    stages.push(hedgesStage({ book: options.book, hnParams: hn.hn, methods: [...classicalMethods(), ...quadraticMethods(), deep] }) as Stage);
  }
  return stages;
}

export interface TopologyOptions {
  /** `live` or a replay's id; stamped on every output. */
  run: string;
  /** Called with each batch's processing time, for the stage latency histogram. */
  onBatch?: (stage: string, seconds: number, inputs: number, outputs: number) => void;
  /** Called when a stage's operator fails; the stage is restarted with fresh state. */
  onError?: (stage: string, err: unknown) => void;
  /** Run the stages in lockstep (see the module doc) instead of as concurrent consumers. */
  lockstep?: boolean;
}

export interface RunningTopology {
  /**
   * Ends a finite tape: in flow order, waits until every stage has handled everything published,
   * then completes the stage's input and publishes what it flushes. Later batches reach no stage.
   */
  finish(): Promise<void>;
  stop(): Promise<void>;
}

/** Resolves once every consumer group named `stage.*` has handled everything published to it. */
async function stagesIdle(bus: Bus, groups: ReadonlySet<string>, timeoutMs = 600_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    let lag = 0;
    for (const [id, n] of Object.entries(bus.lag())) if (groups.has(id.slice(0, id.indexOf('/')))) lag += n;
    if (lag === 0) return;
    if (performance.now() > until) throw new Error(`topology finish: ${lag} messages still unhandled by the stages after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
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

/** Starts the stages on the bus: each as a consumer, or all in lockstep (`options.lockstep`). */
export async function startTopology(bus: Bus, stages: readonly Stage[], options: TopologyOptions): Promise<RunningTopology> {
  if (options.lockstep) return startLockstep(bus, stages, options);
  const joins: Promise<Consumer>[] = [];
  const runners: StageRunner<unknown, unknown>[] = [];
  for (const stage of stages) {
    const runner = new StageRunner(stage, options.run);
    runners.push(runner);
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
  const groups = new Set(stages.map((s) => `stage.${s.name}`));
  let finished: Promise<void> | undefined;
  return {
    finish: () =>
      (finished ??= (async () => {
        for (const runner of runners) {
          await stagesIdle(bus, groups);
          let outs: Message[];
          try {
            outs = runner.finish();
          } catch (err) {
            options.onError?.(runner.stage.name, err);
            continue;
          }
          if (outs.length > 0) await bus.publish(runner.stage.output, outs);
        }
        await stagesIdle(bus, groups);
      })()),
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}

interface StageTally {
  seconds: number;
  inputs: number;
  outputs: number;
}

/** The lockstep schedule (see the module doc). */
async function startLockstep(bus: Bus, stages: readonly Stage[], options: TopologyOptions): Promise<RunningTopology> {
  const runners = stages.map((s) => new StageRunner(s, options.run));
  const readers = new Map<string, StageRunner<unknown, unknown>[]>();
  for (const r of runners) for (const t of r.stage.inputs) (readers.get(t) ?? readers.set(t, []).get(t)!).push(r);
  const produced = new Set(stages.map((s) => s.output));
  const sources = [...readers.keys()].filter((t) => !produced.has(t));
  const group = 'stages';
  let tally = new Map<string, StageTally>();

  /** Carries `m` through the stages reading its topic, and their outputs on, collecting every output by topic. */
  const carry = (m: Message, out: Map<string, Message[]>): void => {
    const rs = readers.get(m.topic);
    if (!rs) return;
    for (const r of rs) {
      const t0 = performance.now();
      let outs: Message[];
      try {
        outs = r.process([m]);
      } catch (err) {
        // A stage bug must not stop the engine: report, restart the stage, skip this message.
        options.onError?.(r.stage.name, err);
        continue;
      }
      const t = tally.get(r.stage.name) ?? tally.set(r.stage.name, { seconds: 0, inputs: 0, outputs: 0 }).get(r.stage.name)!;
      t.seconds += (performance.now() - t0) / 1000;
      t.inputs++;
      t.outputs += outs.length;
      if (outs.length === 0) continue;
      const acc = out.get(r.stage.output) ?? out.set(r.stage.output, []).get(r.stage.output)!;
      for (const o of outs) {
        acc.push(o);
        carry(o, out);
      }
    }
  };

  const publish = async (out: Map<string, Message[]>): Promise<void> => {
    for (const [topic, msgs] of out) await bus.publish(topic, msgs);
    const done = tally;
    tally = new Map();
    // Stage time includes the stages it fed (depth first); the histogram is per batch as live.
    for (const [stage, t] of done) options.onBatch?.(stage, t.seconds, t.inputs, t.outputs);
  };

  let finishing = false;
  const consumers = await Promise.all(
    sources.map((topic) =>
      bus.consume(topic, group, async (batch) => {
        if (finishing) return;
        const out = new Map<string, Message[]>();
        for (const m of batch) carry(m, out);
        await publish(out);
      }),
    ),
  );
  let finished: Promise<void> | undefined;
  return {
    finish: () =>
      (finished ??= (async () => {
        await stagesIdle(bus, new Set([group]));
        finishing = true;
        const out = new Map<string, Message[]>();
        for (const r of runners) {
          let outs: Message[];
          try {
            outs = r.finish();
          } catch (err) {
            options.onError?.(r.stage.name, err);
            continue;
          }
          if (outs.length === 0) continue;
          const acc = out.get(r.stage.output) ?? out.set(r.stage.output, []).get(r.stage.output)!;
          for (const o of outs) {
            acc.push(o);
            carry(o, out);
          }
        }
        await publish(out);
      })()),
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
