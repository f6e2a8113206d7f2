/**
 * The analyst report's hedging numbers, pure: the rolling option book built from the tape's
 * daily closes, each position's hedged P&L from a daily sequence of hedge ratios, and the P&L
 * metrics (mean, sd, mean absolute error, 5% quantile, CVaR 95%) by group.
 *
 * The book: on the first trading day of each month the desk sells one at-the-money SPXW call and
 * one put (strike: the day's SPX close rounded to 5 points; quantity -1, multiplier 1, so the
 * target hedge is the delta), PM-settled on the first trading day of the next month, so exactly
 * one pair is open at a time, each lives about 21 trading days (the deep hedger's training
 * horizon, and about the VIX's 30 calendar days). Settlement is 16:00 New York (SPXW,
 * src/ticks/settlement.ts) and the tape's closes are stamped 16:15, so the last hedge is set at the
 * close before the expiry day and the payoff is on the expiry day's close.
 *
 * The P&L of a short option hedged daily at zero rates (the daily tape has no rates):
 *   P&L = premium - payoff + sum_{t=0}^{N-1} h_t (S_{t+1} - S_t),
 * with h_t the hedge held from close t to close t + 1 (index units per contract) and S_0 .. S_N
 * the closes from inception to expiry.
 */
import { bsGreeks, bsPrice, type Right } from '../src/quant/black-scholes.ts';
import type { Position } from '../src/positions/schema.ts';

/** One trading day of the tape: the SPX close and its event time (epoch microseconds). */
export interface TapeDay {
  date: string;
  spx: number;
  ts: number;
}

/** One option of the rolling book: the position, and the tape days it lives over. */
export interface BookOption {
  position: Position;
  right: Right;
  strike: number;
  /** Index of the inception day and of the expiry day in the tape's days. */
  open: number;
  expiry: number;
}

/** Strike grid of the book's options (SPX strikes near the money are listed every 5 points). */
export const STRIKE_STEP = 5;

/**
 * The rolling book over `days` (in date order, one per trading day): a call and a put sold on the
 * first trading day of each month, expiring on the first trading day of the next month; a month
 * whose expiry lies past the tape is left out.
 */
export function rollingBook(days: readonly TapeDay[]): BookOption[] {
  for (let i = 1; i < days.length; i++) if (!(days[i].date > days[i - 1].date)) throw new RangeError(`rollingBook: days must be in strictly increasing date order; ${days[i].date} follows ${days[i - 1].date}`);
  const firsts: number[] = [];
  days.forEach((d, i) => {
    if (i === 0 || d.date.slice(0, 7) !== days[i - 1].date.slice(0, 7)) firsts.push(i);
  });
  const out: BookOption[] = [];
  for (let k = 0; k + 1 < firsts.length; k++) {
    const open = firsts[k];
    const expiry = firsts[k + 1];
    const d = days[open];
    if (!(d.spx > 0)) throw new RangeError(`rollingBook: SPX close of ${d.date} is ${d.spx}; expected > 0`);
    const strike = Math.round(d.spx / STRIKE_STEP) * STRIKE_STEP;
    for (const right of ['C', 'P'] as const) {
      out.push({
        position: {
          id: `roll-${d.date}-${right}`,
          instrument: { kind: 'option', underlying: 'SPX', root: 'SPXW', strike, expiry: days[expiry].date, right, multiplier: 1 },
          quantity: -1,
          // The target follows hn, a method that publishes on a daily tape (the report reads every method's ratio).
          method: 'hn',
          opened: d.date,
        },
        right,
        strike,
        open,
        expiry,
      });
    }
  }
  return out;
}

/** The option's payoff at `spot`. */
export function optionPayoff(right: Right, strike: number, spot: number): number {
  return right === 'C' ? Math.max(spot - strike, 0) : Math.max(strike - spot, 0);
}

/** Black-Scholes price at zero rate and yield (the report's common premium). */
export function premiumZeroRates(right: Right, spot: number, strike: number, T: number, vol: number): number {
  return bsPrice(spot, strike, T, 0, 0, vol, right);
}

/** Black-Scholes delta at zero rate and yield (the report's VIX benchmark). */
export function deltaZeroRates(right: Right, spot: number, strike: number, T: number, vol: number): number {
  return bsGreeks(spot, strike, T, 0, 0, vol, right).delta;
}

/**
 * Hedged P&L of one short option: premium - payoff + sum_t hedges[t] (spots[t + 1] - spots[t]).
 * `spots` are the closes S_0 .. S_N, `hedges` h_0 .. h_{N-1}.
 */
export function hedgedPnl(premium: number, payoff: number, spots: readonly number[], hedges: readonly number[]): number {
  if (spots.length !== hedges.length + 1) throw new RangeError(`hedgedPnl: ${spots.length} closes for ${hedges.length} hedges; expected one close more than hedges`);
  let gain = 0;
  for (let t = 0; t < hedges.length; t++) {
    if (!Number.isFinite(hedges[t]) || !Number.isFinite(spots[t]) || !Number.isFinite(spots[t + 1])) throw new RangeError(`hedgedPnl: non-finite hedge or close at step ${t}`);
    gain += hedges[t] * (spots[t + 1] - spots[t]);
  }
  return premium - payoff + gain;
}

/**
 * A method's daily hedges from its ratios, null where it gave none that day: the hedge is then
 * held from the day before (0 before its first ratio), as a desk keeps its hedge while the model
 * is silent. Returns the hedges and how many days were so held.
 */
export function holdWhereMissing(ratios: ReadonlyArray<number | null>): { hedges: number[]; held: number } {
  let last = 0;
  let held = 0;
  const hedges = ratios.map((r) => {
    if (r === null || !Number.isFinite(r)) {
      held++;
      return last;
    }
    last = r;
    return r;
  });
  return { hedges, held };
}

/** P&L metrics of a sample. */
export interface PnlStats {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1): the hedging error. */
  sd: number;
  /** Mean absolute P&L. */
  mae: number;
  /** Lower 5% quantile: the k-th smallest value, k = ceil(0.05 n). */
  q05: number;
  /** CVaR 95%: the mean of the k smallest values (the worst 5%), same k. */
  cvar95: number;
}

/** The metrics of `xs` (empty: n 0, the rest NaN). */
export function pnlStats(xs: readonly number[]): PnlStats {
  const n = xs.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, mae: NaN, q05: NaN, cvar95: NaN };
  for (const [i, x] of xs.entries()) if (!Number.isFinite(x)) throw new RangeError(`pnlStats: value ${i} is ${x}`);
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  const mae = xs.reduce((a, b) => a + Math.abs(b), 0) / n;
  const sorted = [...xs].sort((a, b) => a - b);
  const k = Math.max(1, Math.ceil(0.05 * n - 1e-9));
  let tail = 0;
  for (let i = 0; i < k; i++) tail += sorted[i];
  return { n, mean, sd, mae, q05: sorted[k - 1], cvar95: tail / k };
}

/** Metrics per group: each value counts in every group its `groups` names (e.g. its year and 'all'). */
export function statsByGroup(rows: ReadonlyArray<{ groups: readonly string[]; pnl: number }>): Map<string, PnlStats> {
  const by = new Map<string, number[]>();
  for (const r of rows) for (const g of r.groups) (by.get(g) ?? by.set(g, []).get(g)!).push(r.pnl);
  return new Map([...by].map(([g, xs]) => [g, pnlStats(xs)]));
}

/** What the report reads of a stored `hedges` message of a position. */
export interface HedgeMessage {
  ratios: Record<string, number | null>;
  expired: boolean;
  inputs: { tick: number; spot: number; variance: number | null };
}

/**
 * Each day's hedge message of one position: for each close's event time in `tickTs`, the first
 * message (in stored order) computed at that SPX print, or null. Why the first: the live
 * schedule carries a day's close through the bars and variance stages before the hedges stage
 * sees the print itself, so the stage first recomputes on the new variance with the previous
 * close (that message still names the previous print) and then on the print; the print's first
 * message is the one with both the close and the variance of that day, and a later one naming the
 * same print was made on the next day's variance, which was not known at that close.
 */
export function closeMessages<M extends HedgeMessage>(messages: readonly M[], tickTs: readonly number[]): Array<M | null> {
  const first = new Map<number, M>();
  for (const m of messages) if (!first.has(m.inputs.tick)) first.set(m.inputs.tick, m);
  return tickTs.map((ts) => first.get(ts) ?? null);
}
