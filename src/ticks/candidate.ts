/**
 * What parsers hand to validation: a decoded but unvalidated record with where it came from.
 * Parsers yield `Candidate | Reject`; validation turns each candidate into a Tick or a Reject.
 */
import type { Reject } from './reject.ts';

export interface Candidate {
  /** Source name: a file name, `sim`, a feed. */
  src: string;
  /** 1-based line or record number in the source. */
  line: number;
  /** The decoded record (an object shaped like a Tick, to be checked). */
  value: unknown;
  /** The raw text, kept by text parsers; built from `value` when a reject needs it. */
  raw?: string;
}

export type ParseOutcome = Candidate | Reject;

/** Tells rejects from candidates. */
export const isReject = (x: ParseOutcome): x is Reject => (x as Reject).reason !== undefined;

/** Event time of an outcome in epoch microseconds when it has one (a candidate's `ts`, a reject's known time). */
export function outcomeTs(x: ParseOutcome): number | undefined {
  if (isReject(x)) return Number.isFinite(x.ts) ? x.ts : undefined;
  const v = x.value as { ts?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.ts === 'number' && Number.isFinite(v.ts) ? v.ts : undefined;
}
