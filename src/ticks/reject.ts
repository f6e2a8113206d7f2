/**
 * Rejections: every input the engine refuses becomes a `Reject` with a reason code and the
 * offending field, published on `ticks.rejected` and stored; nothing in the input stops the engine.
 */
import { Type, type Static } from '@sinclair/typebox';

/** Why an input was rejected. */
export const REJECT_REASONS = [
  'unparseable', // not JSON / not CSV / wrong column count
  'oversize', // line longer than the configured limit
  'schema', // a field missing or of the wrong type
  'non_finite', // NaN or Infinity in a numeric field
  'non_positive', // a price that must be > 0 is not
  'crossed', // bid > ask
  'negative_size',
  'unknown_symbol', // index symbol, option root or futures root not known
  'bad_strike', // strike <= 0
  'expired', // expiry before the tick's time
  'time_backwards', // event time earlier than the last accepted beyond the tolerance
  'duplicate', // source sequence already seen
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const Reject = Type.Object(
  {
    reason: Type.Union(REJECT_REASONS.map((r) => Type.Literal(r))),
    /** The offending field, or '' when the whole input is at fault. */
    field: Type.String(),
    /** A human sentence naming the value and the rule. */
    detail: Type.String(),
    /** Source name (file, `sim`, feed). */
    src: Type.String(),
    /** 1-based line (or record) number within the source. */
    line: Type.Number(),
    /** The raw input, truncated to a bounded length. */
    raw: Type.String(),
    /**
     * Event time when known, else the time of the last accepted tick of its source (epoch
     * microseconds). Parsers put NaN (`UNKNOWN_TS`) when a line gave none; validation fills it in.
     */
    ts: Type.Number(),
  },
  { $id: 'Reject' },
);
export type Reject = Static<typeof Reject>;

/** The longest raw text kept with a reject, so an oversize line cannot bloat the store. */
export const MAX_RAW_KEPT = 1024;

/** Builds a reject, truncating the raw input. */
export function reject(
  reason: RejectReason,
  field: string,
  detail: string,
  where: { src: string; line: number; raw: string; ts: number },
): Reject {
  const raw = where.raw.length > MAX_RAW_KEPT ? where.raw.slice(0, MAX_RAW_KEPT) + '…' : where.raw;
  return { reason, field, detail, src: where.src, line: where.line, raw, ts: where.ts };
}
