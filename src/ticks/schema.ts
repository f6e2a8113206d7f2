/**
 * Tick schemas: one TypeBox schema per tick kind drives validation, the TypeScript types and
 * the OpenAPI documents. Units: `ts` is event time in epoch microseconds (UTC); prices in
 * index points (options and futures in their quoted points); sizes in contracts.
 */
import { Type, type Static } from '@sinclair/typebox';

/** Index symbols the engine knows. */
export const INDEX_SYMBOLS = ['SPX', 'VIX', 'VVIX', 'VIX9D', 'VIX3M', 'VIX6M', 'SKEW'] as const;
/** SPX option roots: SPX (AM-settled monthlies) and SPXW (PM-settled weeklies and dailies). */
export const OPTION_ROOTS = ['SPX', 'SPXW'] as const;
/** Futures roots. */
export const FUTURE_ROOTS = ['VX'] as const;

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'calendar date YYYY-MM-DD' });
const Micros = Type.Number({ description: 'event time, epoch microseconds UTC' });
const Price = Type.Number({ description: 'price in points' });
const Size = Type.Number({ description: 'size in contracts' });

const common = {
  ts: Micros,
  /** The source's own sequence number, for duplicate detection across restarts and retries. */
  sseq: Type.Optional(Type.Number({ description: 'source sequence number (duplicates are rejected)' })),
  /** Where the tick came from: a file name, `sim`, a feed name. */
  src: Type.Optional(Type.String({ maxLength: 256 })),
};

/** A print of an index (SPX, VIX, VVIX, ...). open/high/low are set when the print summarises a session. */
export const IndexTick = Type.Object(
  {
    kind: Type.Literal('index'),
    symbol: Type.String({ description: 'index symbol', examples: ['SPX', 'VIX', 'VVIX'] }),
    price: Price,
    open: Type.Optional(Price),
    high: Type.Optional(Price),
    low: Type.Optional(Price),
    ...common,
  },
  { $id: 'IndexTick', additionalProperties: false },
);

/** A VIX futures quote or settlement for one contract month. */
export const FutureTick = Type.Object(
  {
    kind: Type.Literal('future'),
    root: Type.String({ description: 'futures root', examples: ['VX'] }),
    month: Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'contract month YYYY-MM' }),
    expiry: IsoDate,
    bid: Type.Optional(Price),
    ask: Type.Optional(Price),
    bidSize: Type.Optional(Size),
    askSize: Type.Optional(Size),
    /** Last trade, or the settlement price when `settlement` is true. */
    price: Type.Optional(Price),
    settlement: Type.Optional(Type.Boolean()),
    ...common,
  },
  { $id: 'FutureTick', additionalProperties: false },
);

/** A two-sided quote of one SPX option. */
export const OptionTick = Type.Object(
  {
    kind: Type.Literal('option'),
    root: Type.String({ description: 'option root', examples: ['SPX', 'SPXW'] }),
    underlying: Type.String({ examples: ['SPX'] }),
    expiry: IsoDate,
    strike: Price,
    right: Type.Union([Type.Literal('C'), Type.Literal('P')]),
    bid: Price,
    ask: Price,
    bidSize: Type.Optional(Size),
    askSize: Type.Optional(Size),
    last: Type.Optional(Price),
    /** Contracts traded in the session so far (CBOE exports carry it). */
    volume: Type.Optional(Size),
    /** Open interest in contracts (CBOE exports carry it). */
    openInterest: Type.Optional(Size),
    ...common,
  },
  { $id: 'OptionTick', additionalProperties: false },
);

/** Any tick. */
export const Tick = Type.Union([IndexTick, FutureTick, OptionTick], { $id: 'Tick' });

export type IndexTick = Static<typeof IndexTick>;
export type FutureTick = Static<typeof FutureTick>;
export type OptionTick = Static<typeof OptionTick>;
export type Tick = Static<typeof Tick>;
export type TickKind = Tick['kind'];
