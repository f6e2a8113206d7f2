/** Counting validation outcomes: accepted, rejected, and rejects by reason, in total and per source. */
import type { Reject, RejectReason } from './reject.ts';
import type { Accepted } from './validate.ts';

/** Counts of one stream or one source. */
export interface OutcomeCounts {
  accepted: number;
  rejected: number;
  /** Rejects per reason (reasons with none are left out). */
  byReason: Partial<Record<RejectReason, number>>;
}

const empty = (): OutcomeCounts => ({ accepted: 0, rejected: 0, byReason: {} });

/** Adds outcomes one at a time; reads totals and per-source counts. */
export class OutcomeCounter {
  private readonly all = empty();
  private readonly perSrc = new Map<string, OutcomeCounts>();

  /** Counts one outcome. */
  add(x: Accepted | Reject): void {
    const src = x.src ?? '';
    let s = this.perSrc.get(src);
    if (!s) this.perSrc.set(src, (s = empty()));
    if ((x as Reject).reason === undefined) {
      this.all.accepted++;
      s.accepted++;
    } else {
      const reason = (x as Reject).reason;
      for (const c of [this.all, s]) {
        c.rejected++;
        c.byReason[reason] = (c.byReason[reason] ?? 0) + 1;
      }
    }
  }

  /** Counts over everything added. */
  total(): OutcomeCounts {
    return structuredClone(this.all);
  }

  /** Counts per source name, in the order sources first appeared. */
  bySource(): Record<string, OutcomeCounts> {
    return Object.fromEntries([...this.perSrc].map(([k, v]) => [k, structuredClone(v)]));
  }
}

/** Counts a whole stream of outcomes (an array, an iterable or an async iterable). */
export async function countOutcomes(items: Iterable<Accepted | Reject> | AsyncIterable<Accepted | Reject>): Promise<OutcomeCounts> {
  const c = new OutcomeCounter();
  for await (const x of items) c.add(x);
  return c.total();
}
