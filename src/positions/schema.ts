/**
 * The positions book's schema (TypeBox): what a position is, as a book file holds it and as the
 * REST API accepts it. The same schemas validate the file at start, the request bodies and
 * generate the OpenAPI docs.
 *
 * Units: an option's `multiplier` is index units per contract (100 for SPX), so a position's
 * exposure to the index is quantity x multiplier x delta index units. A future's multiplier is
 * the currency per index point (ES 50, VX 1000); hedges of every position are in units of its
 * hedge underlying (the index itself, e.g. SPX index units, 1 unit = 1 x the index level).
 */
import { Type, type Static } from '@sinclair/typebox';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD', examples: ['2024-03-15'] });

/**
 * When a position starts to be hedged: a UTC day (its 00:00) or an instant with its offset. Before
 * it the hedges stage emits nothing for the position, so a book file can hold a rolling book
 * (positions opened over time) and a replay hedges each from its inception.
 */
const OpenedAt = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  description: 'YYYY-MM-DD (00:00 UTC) or an ISO 8601 instant with offset; the position is not hedged before it (default: always)',
  examples: ['2024-03-01', '2024-03-01T20:00:00Z'],
});

/** A European SPX option (AM-settled SPX or PM-settled SPXW). */
export const OptionInstrument = Type.Object(
  {
    kind: Type.Literal('option'),
    underlying: Type.Literal('SPX', { description: 'index the option is written on' }),
    root: Type.Optional(Type.Union([Type.Literal('SPX'), Type.Literal('SPXW')], { description: 'SPX (AM-settled, default) or SPXW (PM-settled)' })),
    strike: Type.Number({ exclusiveMinimum: 0 }),
    expiry: IsoDate,
    right: Type.Union([Type.Literal('C'), Type.Literal('P')]),
    multiplier: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'index units per contract (default 100)' })),
  },
  { $id: 'OptionInstrument', additionalProperties: false },
);

/** A future: on SPX (ES-like, delivers the index) or on VIX (VX). */
export const FutureInstrument = Type.Object(
  {
    kind: Type.Literal('future'),
    underlying: Type.Union([Type.Literal('SPX'), Type.Literal('VIX')], { description: 'SPX for ES-like index futures, VIX for VX' }),
    root: Type.Optional(Type.String({ minLength: 1, maxLength: 8, examples: ['ES', 'VX'] })),
    expiry: IsoDate,
    multiplier: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'currency per index point (default 1)' })),
  },
  { $id: 'FutureInstrument', additionalProperties: false },
);

export const Instrument = Type.Union([OptionInstrument, FutureInstrument], { $id: 'Instrument' });

/** What a client sends to create or replace a position (the id comes from the URL or the body). */
export const PositionInput = Type.Object(
  {
    instrument: Instrument,
    quantity: Type.Number({ description: 'contracts held; negative = short' }),
    hedge: Type.Optional(Type.Number({ description: 'current hedge held, in underlying units (default 0)' })),
    method: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'hedge method whose ratio sets the target (default bs)' })),
    opened: Type.Optional(OpenedAt),
  },
  { $id: 'PositionInput', additionalProperties: false },
);

/** A position of the book. */
export const Position = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$', description: 'position id (the `hedges` key)' }),
    ...PositionInput.properties,
  },
  { $id: 'Position', additionalProperties: false },
);

/** A book file: `positions: [...]` (a bare array is accepted too). */
export const BookFile = Type.Object({ positions: Type.Array(Position) }, { additionalProperties: false });

export type OptionInstrument = Static<typeof OptionInstrument>;
export type FutureInstrument = Static<typeof FutureInstrument>;
export type Instrument = Static<typeof Instrument>;
export type PositionInput = Static<typeof PositionInput>;
export type Position = Static<typeof Position>;

/** The key `hedges` uses for the book's aggregate (no position may take it). */
export const BOOK_KEY = 'book';
/** The method a position without one is hedged by. */
export const DEFAULT_METHOD = 'bs';
/** Default contract multipliers. */
export const DEFAULT_OPTION_MULTIPLIER = 100;
export const DEFAULT_FUTURE_MULTIPLIER = 1;

/** A position's `opened` as epoch microseconds (-Infinity when it has none: hedged from the start). */
export function openedMicros(p: { opened?: string }): number {
  if (p.opened === undefined) return -Infinity;
  return Date.parse(p.opened) * 1000;
}
