/**
 * The bench harness: each bench file default-exports a function returning rows; every row
 * compares a subject with a baseline measured in the same run, on fixed seeds, so the ratio
 * means something on any machine.
 */
export interface BenchRow {
  /** What is measured, e.g. "ticks/s through parse+validate+bus+bars+sink". */
  name: string;
  unit: string;
  value: number;
  baseline: string;
  baselineValue: number;
  /** Goal on the reference 2-core machine, as text (e.g. ">= 200000"). */
  goal?: string;
  /** Accuracy or other context. */
  note?: string;
}

export type Bench = (opts: { quick: boolean }) => Promise<BenchRow[]>;

/** Runs `fn` repeatedly for about `ms` milliseconds and returns operations per second. */
export function opsPerSecond(fn: () => number, ms = 1000): number {
  let ops = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    ops += fn();
    t = performance.now();
  }
  return (ops / (t - t0)) * 1000;
}

/** Percentile of an unsorted sample (nearest rank). */
export function percentile(sample: ArrayLike<number>, p: number): number {
  const a = Float64Array.from(sample).sort();
  if (a.length === 0) return NaN;
  const i = Math.min(a.length - 1, Math.max(0, Math.ceil((p / 100) * a.length) - 1));
  return a[i];
}
