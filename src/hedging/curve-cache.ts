/**
 * The moneyness curves of one model (moneyness-curve.ts) by maturity node, for its latest state,
 * rebuilt under a per-round budget so that a new calibration or variance state does not stall
 * one tick with a pricing pass per maturity of the book: while a maturity's new curve is not
 * built yet, the previous state's curve stands in, and the ratio says so (its `stateTs`). The
 * budget counts curves, not time, so the outputs stay a function of the inputs.
 */
import type { MoneynessCurve } from './moneyness-curve.ts';

interface Generation {
  key: string;
  ts: number;
  curves: Map<number, MoneynessCurve>;
}

/** Curves by node for the latest model state, the previous state's kept as stand-ins. */
export class CurveCache<P> {
  private cur: Generation = { key: '', ts: NaN, curves: new Map() };
  private prev: Generation | null = null;
  private left = Infinity;
  /** Event time of the state of the last curve `get` returned. */
  usedTs = NaN;

  /** `build(params, node)` prices one node's curve; `budget` is the most curves of a new state built per round. */
  constructor(
    private readonly build: (params: P, node: number) => MoneynessCurve,
    private readonly budget: number,
  ) {
    if (!(budget >= 1)) throw new RangeError(`curve rebuild budget must be >= 1 per round, got ${budget}`);
  }

  /** Starts a round of recomputes: the budget applies until endRound. */
  beginRound(): void {
    this.left = this.budget;
  }

  /** Ends the round: single calls outside rounds build whatever they need. */
  endRound(): void {
    this.left = Infinity;
  }

  /** The curve at `node` for the state `key` (event time `ts`, parameters `params`). */
  get(key: string, ts: number, params: P, node: number): MoneynessCurve {
    if (key !== this.cur.key) {
      if (this.cur.curves.size > 0) this.prev = this.cur;
      this.cur = { key, ts, curves: new Map() };
    }
    const c = this.cur.curves.get(node);
    if (c) {
      this.usedTs = this.cur.ts;
      return c;
    }
    const stand = this.left <= 0 ? this.prev?.curves.get(node) : undefined;
    if (stand) {
      this.usedTs = this.prev!.ts;
      return stand;
    }
    this.left--;
    const built = this.build(params, node);
    this.cur.curves.set(node, built);
    this.usedTs = this.cur.ts;
    return built;
  }
}
