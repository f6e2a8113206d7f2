/**
 * The one operator pattern every stage follows: a stage is a pure RxJS operator from input
 * messages to outputs (key, event time, payload). It reads no clock and no unseeded random
 * source, so the same input gives the same output live, in a replay and in a test. The runner
 * (topology.ts) stamps topic, run and per-key sequence numbers.
 */
import type { OperatorFunction } from 'rxjs';
import type { Message, Output } from '../src/bus/message.ts';

export interface Stage<I = unknown, O = unknown> {
  /** Stage name; also its consumer group on the bus. */
  readonly name: string;
  /** Topics it reads. */
  readonly inputs: readonly string[];
  /** Topic it writes. */
  readonly output: string;
  /** Builds a fresh operator (fresh state) for one run. */
  operator(): OperatorFunction<Message<I>, Output<O>>;
}

/** Assigns strictly increasing sequence numbers per key, starting at 1. */
export class Sequencer {
  private readonly next = new Map<string, number>();
  constructor(private readonly topic: string, private readonly run: string) {}

  /** Stamps an output as a message of this sequencer's topic and run. */
  stamp<P>(out: Output<P>): Message<P> {
    const seq = (this.next.get(out.key) ?? 0) + 1;
    this.next.set(out.key, seq);
    return { topic: this.topic, key: out.key, seq, ts: out.ts, run: this.run, payload: out.payload };
  }

  /** The last sequence number per key (for checkpoints). */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.next);
  }

  /** Restores positions from a checkpoint. */
  restore(positions: Record<string, number>): void {
    this.next.clear();
    for (const [k, v] of Object.entries(positions)) this.next.set(k, v);
  }
}
