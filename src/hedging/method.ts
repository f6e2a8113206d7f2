/**
 * The pluggable hedge method: what the `hedges` stage (streams/hedges.ts) calls, once per method
 * per affected position per batch of ticks. A method turns a context (the position, the event
 * time, the spot, and the latest surface, Heston calibration and variance state the stage has
 * seen) into a hedge ratio, or null when it cannot hedge that position with what is known yet
 * (no calibration yet, an instrument it does not cover).
 *
 * Conventions every method follows:
 * - `ratio.delta` is dV/dS of ONE unit of the instrument (multiplier 1) with respect to the
 *   hedge underlying's level `ctx.spot` (SPX index points), i.e. how many index units hedge one
 *   unit. The stage scales by quantity x multiplier and negates to get the target hedge.
 * - Time is event time only (`ctx.ts`, `ctx.T`); a method reads no clock and no unseeded random
 *   source, so a replay gives the same ratios.
 * - `ctx.memory` is this position's mutable state store, kept by the stage across calls and
 *   reset when the position's instrument changes or the position is removed. Every method of a
 *   position sees the same object, so a stateful method keeps its state under its own name
 *   (`ctx.memory[this.name]`, e.g. a GRU hidden state). Stateless methods ignore it.
 * - A method may throw on a numerical failure: the stage catches it, reports the message in
 *   the position's `errors`, and goes on with the other methods.
 *
 * The quadratic methods `lrm` and `mvh` (quadratic.ts) are LRM's and MVH's date-0 ratios by
 * least-squares Monte Carlo at the live Heston calibration under P, one simulation per calibration
 * and maturity node (a curve in moneyness serving every strike), built lazily like the Heston curves.
 *
 * A learned method (the deep hedger) is an adapter: `{ name: 'deep-gru', ratio: (ctx) => ... }`
 * reading `ctx.spot`, `ctx.T`, `ctx.memory['deep-gru']` (its hidden state, first spot) and a volatility from
 * `ctx.variance` or `ctx.surface?.iv`.
 */
import type { HestonParams } from '../quant/heston-cf.ts';
import type { HnParams } from '../quant/hn-params.ts';
import type { Position } from '../positions/schema.ts';
import type { RebuildBudget } from './curve-cache.ts';

/** The live Heston calibration (the `surface` topic's `heston`), risk-neutral, annual units. */
export interface HestonInput {
  params: HestonParams;
  /** Event time of the surface it was calibrated to, epoch microseconds. */
  ts: number;
}

/** The live variance state (the `variance` topic's payload, key SPX) and the HN-GARCH model behind it. */
export interface VarianceInput {
  /** HN-GARCH variance of the next day, h_{t+1} (daily, natural units). */
  hn: number;
  /** VI-HN-GRU variance of the next day (daily). */
  gru: number;
  /** GARCH(1,1) variance of the next day (daily). */
  garch: number;
  /** The daily HN-GARCH parameters (physical measure) that filter `hn`; null when the stage was given none. */
  hnParams: HnParams | null;
  /** Event time of the variance message, epoch microseconds. */
  ts: number;
}

/** Market data of the position's expiry read off the live surface. */
export interface SurfaceInput {
  /** Implied vol of the contract (strike and expiry) on the live surface; null when the surface cannot give it. */
  iv: number | null;
  /** Forward of the expiry (the nearest fitted expiries interpolated in T when it is not fitted). */
  forward: number | null;
  /** Discount factor to the expiry. */
  discount: number | null;
  /** Continuously compounded rate and dividend yield implied by forward, discount and spot. */
  r: number;
  q: number;
  /** Event time of the surface message, epoch microseconds. */
  ts: number;
}

/** Everything a method sees for one position at one moment. */
export interface HedgeContext {
  position: Position;
  /** Event time of the tick that triggered the recompute, epoch microseconds. */
  ts: number;
  /** Spot of the hedge underlying (SPX) at `ts`. */
  spot: number;
  /** Years to the instrument's expiry from `ts`, ACT/365 (0 once expired). */
  T: number;
  /** Rate and dividend yield to use (from the surface when there is one, else the stage's defaults). */
  r: number;
  q: number;
  /** The live surface at the position's expiry; null before the first surface. */
  surface: SurfaceInput | null;
  /** The live Heston calibration; null before the first one. */
  heston: HestonInput | null;
  /** The live variance state; null before the first one. */
  variance: VarianceInput | null;
  /** This position's state store; a method keeps its state under its own name (see the module header). */
  memory: Record<string, unknown>;
}

/** A method's answer for one unit of the instrument (multiplier 1). */
export interface HedgeRatio {
  /** dV/dS: index units that hedge one unit of the instrument. */
  delta: number;
  /** d2V/dS2, when the method knows it. */
  gamma?: number;
  /** dV/dsigma per 1.00 of vol, when the method knows it. */
  vega?: number;
  /** -dV/dT per year, when the method knows it. */
  theta?: number;
  /** Model value of one unit, when the method knows it. */
  price?: number;
  /**
   * Event time of the model state the ratio used, when older than the context's (a stand-in
   * while the current state's curves are still being built); absent when current.
   */
  stateTs?: number;
}

/** A hedge method. */
export interface HedgeMethod {
  /** Name: a position's `method` chooses by it; also the key of its ratio in `hedges`. */
  readonly name: string;
  /** The ratio for this context, or null when the method cannot hedge it with what is known. */
  ratio(ctx: HedgeContext): HedgeRatio | null;
  /**
   * Optional batch form: one answer per context, index-aligned; the stage calls it (when given)
   * with every position it recomputes at one moment, so a method can share work across them
   * (e.g. one characteristic-function pass per maturity for all strikes). Must equal mapping
   * `ratio` over the contexts.
   */
  ratios?(ctxs: readonly HedgeContext[]): Array<HedgeRatio | null>;
  /**
   * Optional, for methods that build model curves in steps (curve-cache.ts): spend `budget` from
   * now on instead of their own. The hedges stage hands every method one budget when it starts,
   * so that all of a round's rebuilds together stay within it whichever model needs them.
   */
  shareBudget?(budget: RebuildBudget): void;
}
