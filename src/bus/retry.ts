/**
 * Redelivery of a rejected batch: the same batch is handed to `handle` again after an
 * exponentially growing, capped delay, until it resolves or the consumer is cancelled. The
 * batch is never skipped, so a handler that fails forever stalls its group (and lag shows it).
 */
import type { BatchHandler } from './bus.ts';
import type { Message } from './message.ts';
import type { BusLog } from './log.ts';

export interface RetryPolicy {
  /** First delay after a rejected batch, in ms (default 100). */
  initialMs?: number;
  /** Largest delay between two attempts, in ms (default 30,000). */
  maxMs?: number;
}

export interface RetryContext {
  policy: RetryPolicy;
  log: BusLog;
  /** Identifies the consumer in log records (topic, group, ...). */
  context: Record<string, unknown>;
  /** True once the consumer stops: the batch is then abandoned, unhandled and not advanced past. */
  cancelled(): boolean;
  /** Waits `ms`, or less if the consumer is cancelled meanwhile. */
  sleep(ms: number): Promise<void>;
  /** Runs before each new attempt (Kafka: a heartbeat); an error it throws propagates. */
  beforeRetry?(): Promise<void>;
}

/** Delay before retry number `attempt` (1-based): initial * 2^(attempt-1), capped at max. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const initial = policy.initialMs ?? 100;
  const max = policy.maxMs ?? 30_000;
  return Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
}

/**
 * Hands `batch` to `handle` until it resolves (true) or the consumer is cancelled (false).
 * Each rejection is logged with its attempt number and the delay before the next attempt.
 */
export async function handleWithRetry(
  handle: BatchHandler,
  batch: readonly Message[],
  ctx: RetryContext,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await handle(batch);
      return true;
    } catch (err) {
      const delayMs = backoffMs(attempt, ctx.policy);
      ctx.log.warn(
        { ...ctx.context, err, attempt, delayMs, batchSize: batch.length, firstSeq: batch[0]?.seq },
        'bus: batch handler rejected; retrying the same batch',
      );
      if (ctx.cancelled()) return false;
      await ctx.sleep(delayMs);
      if (ctx.cancelled()) return false;
      if (ctx.beforeRetry) await ctx.beforeRetry();
    }
  }
}

/** A sleep that `wake()` ends early; one per consumer, for backoff that `stop()` can cut short. */
export class Sleeper {
  private pending: { timer: NodeJS.Timeout; resolve: () => void } | null = null;

  /** Resolves after `ms`, or at the next `wake()`. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending = null;
        resolve();
      }, ms);
      this.pending = { timer, resolve };
    });
  }

  /** Ends the current sleep now. */
  wake(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    p.resolve();
  }
}
