/**
 * Runs an RxJS operator synchronously over batches: push a batch in, collect what came out.
 * Stages keep no timers (event time only), so every output of a batch is produced before
 * `push` returns; this is how a pure operator is driven by a bus consumer or a tape.
 */
import { Subject, type OperatorFunction } from 'rxjs';

export class SyncOperator<I, O> {
  private input!: Subject<I>;
  private outputs: O[] = [];
  private failed: { error: unknown } | undefined;

  constructor(private readonly make: () => OperatorFunction<I, O>) {
    this.connect();
  }

  private connect(): void {
    this.input = new Subject<I>();
    this.input.pipe(this.make()).subscribe({
      next: (o) => this.outputs.push(o),
      error: (error) => (this.failed = { error }),
    });
  }

  /**
   * Pushes a batch and returns its outputs. If the operator fails, it is rebuilt with fresh
   * state and the error is thrown; the failing batch's outputs are discarded.
   */
  push(batch: Iterable<I>): O[] {
    for (const x of batch) {
      this.input.next(x);
      if (this.failed) {
        const { error } = this.failed;
        this.failed = undefined;
        this.outputs = [];
        this.connect();
        throw error;
      }
    }
    return this.take();
  }

  /** Completes the input (end of a tape) and returns what the operator flushes. */
  finish(): O[] {
    this.input.complete();
    return this.take();
  }

  private take(): O[] {
    const outs = this.outputs;
    this.outputs = [];
    return outs;
  }
}
