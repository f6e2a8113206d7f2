/**
 * What the `hedges` topic carries, and how one position's and the book's figures are assembled
 * from the methods' per-unit ratios. Signs: a position's exposure to the index is
 * quantity x multiplier x delta index units; the target hedge is its negative (what to hold in
 * the index, or an index proxy, so the sum is flat); the trade is target - current hedge.
 */
import { DEFAULT_FUTURE_MULTIPLIER, DEFAULT_METHOD, DEFAULT_OPTION_MULTIPLIER, type Instrument, type Position } from '../positions/schema.ts';
import type { HedgeRatio } from './method.ts';

/** Position-level greeks (scaled by quantity x multiplier): delta in index units, gamma per index point, vega per 1.00 vol, theta per year. */
export interface Greeks {
  delta: number;
  gamma: number | null;
  vega: number | null;
  theta: number | null;
}

/** The event times (epoch microseconds) of the inputs a message was computed from; null: not seen yet. */
export interface HedgeInputs {
  /** The SPX print whose price is `spot`. */
  tick: number;
  spot: number;
  surface: number | null;
  heston: number | null;
  variance: number | null;
  /** Version of the positions book. */
  book: number;
}

/** One position's hedge (key: the position id). */
export interface PositionHedgePayload {
  id: string;
  instrument: Instrument;
  quantity: number;
  multiplier: number;
  /** The chosen method. */
  method: string;
  /** Current hedge, index units. */
  hedge: number;
  /** Per method: delta of one unit of the instrument (null: the method cannot say yet). */
  ratios: Record<string, number | null>;
  /** Per method: the target hedge it implies, index units. */
  targets: Record<string, number | null>;
  /** The chosen method's target hedge, index units (null when it has no ratio yet; 0 once expired or removed). */
  target: number | null;
  /** target - hedge (null with target). */
  trade: number | null;
  /** Greeks of the position by the chosen method (gamma, vega, theta from Black-Scholes where the method has none). */
  greeks: Greeks | null;
  /** Years to settlement and the surface's implied vol of the contract. */
  T: number;
  iv: number | null;
  expired: boolean;
  /** True on the last message of a position removed from the book. */
  removed: boolean;
  /** Per method, why it failed (absent when none did). */
  errors?: Record<string, string>;
  /** Per method, the event time of the older model state it used while the current one's curves were built (absent when none did). */
  lagging?: Record<string, number>;
  inputs: HedgeInputs;
}

/**
 * The book's aggregate (key `book`), over the open positions: those hedged now, i.e. neither
 * expired nor removed. A closed position's only trace is a hedge the book still records for it
 * (not yet unwound): it stays in `hedge` and `trade`, so the book's trade still unwinds it (with
 * no open position missing, `trade = target - hedge`); with its hedge back at 0 it counts nowhere. So in a rolling
 * book the expired positions do not pile up in `positions`.
 */
export interface BookHedgePayload {
  /** Open positions (not expired, not removed). */
  positions: number;
  /** Open positions whose chosen method has no ratio yet. */
  missing: string[];
  /** Sum of the open positions' targets (those with one). */
  target: number;
  /** Sum of every position's current hedge, closed ones' residual included. */
  hedge: number;
  /** Open positions' trades (those with a target) plus the unwinding of closed positions' residual hedges. */
  trade: number;
  /** Per method: the open book's target if every open position used it (null when any lacks it). */
  targets: Record<string, number | null>;
  /** Sums over the open positions with a target. */
  greeks: Greeks;
  inputs: HedgeInputs;
}

/** A position's multiplier, with the default of its kind. */
export function multiplierOf(ins: Instrument): number {
  return ins.multiplier ?? (ins.kind === 'option' ? DEFAULT_OPTION_MULTIPLIER : DEFAULT_FUTURE_MULTIPLIER);
}

/** One position's payload from its methods' ratios (`ratios[i]` is method `names[i]`'s; null: none). */
export function positionPayload(
  p: Position,
  names: readonly string[],
  ratios: ReadonlyArray<HedgeRatio | null> | null,
  errors: Record<string, string> | null,
  at: { T: number; iv: number | null; inputs: HedgeInputs; removed?: boolean },
): PositionHedgePayload {
  const mult = multiplierOf(p.instrument);
  const size = p.quantity * mult;
  const hedge = p.hedge ?? 0;
  const method = p.method ?? DEFAULT_METHOD;
  const expired = !(at.T > 0);
  const flat = expired || at.removed === true;
  const r: Record<string, number | null> = {};
  const t: Record<string, number | null> = {};
  let chosen: HedgeRatio | null = null;
  let bs: HedgeRatio | null = null;
  let lagging: Record<string, number> | undefined;
  for (let i = 0; i < names.length; i++) {
    const x = ratios ? ratios[i] : null;
    if (x?.stateTs !== undefined) (lagging ??= {})[names[i]] = x.stateTs;
    r[names[i]] = x ? x.delta : null;
    t[names[i]] = flat ? 0 : x ? -size * x.delta : null;
    if (names[i] === method) chosen = x;
    if (names[i] === 'bs') bs = x;
  }
  const target = flat ? 0 : chosen ? -size * chosen.delta : null;
  let greeks: Greeks | null = null;
  if (flat) greeks = { delta: 0, gamma: 0, vega: 0, theta: 0 };
  else if (chosen) {
    // Gamma, vega and theta from Black-Scholes where the chosen method has none.
    const gamma = chosen.gamma ?? bs?.gamma, vega = chosen.vega ?? bs?.vega, theta = chosen.theta ?? bs?.theta;
    greeks = {
      delta: size * chosen.delta,
      gamma: gamma === undefined ? null : size * gamma,
      vega: vega === undefined ? null : size * vega,
      theta: theta === undefined ? null : size * theta,
    };
  }
  const out: PositionHedgePayload = {
    id: p.id, instrument: p.instrument, quantity: p.quantity, multiplier: mult, method, hedge,
    ratios: r, targets: t, target, trade: target === null ? null : target - hedge, greeks,
    T: at.T, iv: at.iv, expired, removed: at.removed === true, inputs: at.inputs,
  };
  if (errors && Object.keys(errors).length > 0) out.errors = errors;
  if (lagging) out.lagging = lagging;
  return out;
}

/** The book's aggregate from the latest payload of every position (see BookHedgePayload for what counts). */
export function bookPayload(latest: Iterable<PositionHedgePayload>, methods: readonly string[], inputs: HedgeInputs): BookHedgePayload {
  const targets: Record<string, number | null> = Object.fromEntries(methods.map((m) => [m, 0]));
  const greeks: Greeks = { delta: 0, gamma: 0, vega: 0, theta: 0 };
  const missing: string[] = [];
  let n = 0, target = 0, hedge = 0, trade = 0;
  for (const p of latest) {
    hedge += p.hedge;
    if (p.expired || p.removed) {
      trade -= p.hedge;
      continue;
    }
    n++;
    for (const m of methods) {
      const v = p.targets[m];
      targets[m] = v === null || v === undefined || targets[m] === null ? null : targets[m]! + v;
    }
    if (p.target === null || !p.greeks) {
      missing.push(p.id);
      continue;
    }
    target += p.target;
    trade += p.trade!;
    greeks.delta += p.greeks.delta;
    for (const k of ['gamma', 'vega', 'theta'] as const) {
      const v = p.greeks[k];
      greeks[k] = v === null || greeks[k] === null ? null : greeks[k]! + v;
    }
  }
  return { positions: n, missing, target, hedge, trade, targets, greeks, inputs };
}

// A position's book contribution (bookContribution): fixed slots, then one target per method; NaN stands for null.
const C_HEDGE = 0, C_CLOSED = 1, C_COUNTED = 2, C_TARGET = 3, C_TRADE = 4, C_DELTA = 5, C_GAMMA = 6, C_VEGA = 7, C_THETA = 8, C_TARGETS = 9;

/** Length of a position's book contribution with `methods` methods (bookContribution's `out`). */
export function contributionSize(methods: number): number {
  return C_TARGETS + methods;
}

/**
 * What a position's latest payload adds to the book's aggregate, as numbers written into `out`
 * (contributionSize(methods.length) long; null as NaN: every figure a payload carries is finite
 * otherwise). The hedges stage keeps one per position and updates it when the position's payload
 * changes, so a book message costs a pass over small typed arrays instead of over the payloads'
 * records (bookFromContributions). Returns `out`.
 */
export function bookContribution(p: PositionHedgePayload, methods: readonly string[], out: Float64Array): Float64Array {
  out[C_HEDGE] = p.hedge;
  out[C_CLOSED] = p.expired || p.removed ? 1 : 0;
  const counted = p.target !== null && p.greeks !== null;
  out[C_COUNTED] = counted ? 1 : 0;
  out[C_TARGET] = counted ? p.target! : NaN;
  out[C_TRADE] = counted ? p.trade! : NaN;
  const g = p.greeks;
  out[C_DELTA] = g ? g.delta : NaN;
  out[C_GAMMA] = g?.gamma ?? NaN;
  out[C_VEGA] = g?.vega ?? NaN;
  out[C_THETA] = g?.theta ?? NaN;
  for (let m = 0; m < methods.length; m++) out[C_TARGETS + m] = p.targets[methods[m]] ?? NaN;
  return out;
}

/** A position as bookFromContributions reads it: its id and its contribution (null: no payload yet, not counted). */
export interface BookEntry {
  readonly p: { readonly id: string };
  readonly contrib: Float64Array | null;
}

/**
 * bookPayload from the positions' contributions (bookContribution), in the same order: the same
 * figures to the last bit (the same sums in the same order), allocating only the result.
 */
export function bookFromContributions(entries: Iterable<BookEntry>, methods: readonly string[], inputs: HedgeInputs): BookHedgePayload {
  const nm = methods.length;
  const acc = new Float64Array(nm);
  const none = new Uint8Array(nm);
  const missing: string[] = [];
  let n = 0, target = 0, hedge = 0, trade = 0;
  let gd = 0, gg = 0, gv = 0, gt = 0;
  let ggNull = false, gvNull = false, gtNull = false;
  for (const e of entries) {
    const c = e.contrib;
    if (c === null) continue;
    hedge += c[C_HEDGE];
    if (c[C_CLOSED] === 1) {
      trade -= c[C_HEDGE];
      continue;
    }
    n++;
    for (let m = 0; m < nm; m++) {
      const v = c[C_TARGETS + m];
      if (v !== v) none[m] = 1;
      else if (none[m] === 0) acc[m] += v;
    }
    if (c[C_COUNTED] === 0) {
      missing.push(e.p.id);
      continue;
    }
    target += c[C_TARGET];
    trade += c[C_TRADE];
    gd += c[C_DELTA];
    const g = c[C_GAMMA], v = c[C_VEGA], t = c[C_THETA];
    if (g !== g) ggNull = true;
    else if (!ggNull) gg += g;
    if (v !== v) gvNull = true;
    else if (!gvNull) gv += v;
    if (t !== t) gtNull = true;
    else if (!gtNull) gt += t;
  }
  const targets: Record<string, number | null> = {};
  for (let m = 0; m < nm; m++) targets[methods[m]] = none[m] === 1 ? null : acc[m];
  const greeks: Greeks = { delta: gd, gamma: ggNull ? null : gg, vega: gvNull ? null : gv, theta: gtNull ? null : gt };
  return { positions: n, missing, target, hedge, trade, targets, greeks, inputs };
}
