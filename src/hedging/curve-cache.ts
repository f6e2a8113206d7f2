/**
 * The curves of one model by maturity node (moneyness-curve.ts's greeks, quadratic-curve.ts's
 * least-squares Monte Carlo ratios), for its latest state, rebuilt under a per-round work budget
 * so that a new calibration or variance state does not stall one tick with a pricing pass per
 * maturity of the book. A curve is built by a job that
 * yields the work it has done in small steps (a Fourier panel, a strike), so a round stops
 * within one step of its budget and the next round resumes where it stopped; while a node's new
 * curve is not finished, the newest finished curve of an older state stands in, and the ratio
 * says so (its `stateTs`). A node nothing can stand in for (the first state, or a maturity that
 * just crossed into a new node) is built at once. The budget counts work units, not time, so the
 * outputs stay a function of the inputs.
 *
 * Which node is built first: the one asked for in the previous round whose stand-in is oldest
 * (then the lowest node). In the order positions ask, a budget smaller than a state's rebuild
 * would spend every new state on the first nodes asked and leave the last ones on their first
 * curves for ever (a Monte Carlo rebuild of a whole book takes longer than a calibration lasts);
 * oldest first refreshes every node in turn.
 */
import type { MoneynessCurve } from './moneyness-curve.ts';

/** A curve build in steps: each `next()` does one step and yields its work units; the last returns the curve. */
export type CurveJob<C = MoneynessCurve> = Iterator<number, C, void>;

/**
 * Work units per recompute round for curve builds, shareable by several caches (the Heston and
 * HN methods of one stage), so that a round's building stays within one budget whichever model
 * needs it. A round is known by the array of contexts the stage hands every method at once.
 */
export class RebuildBudget {
  // The last round's key, held until the next round (a WeakRef would keep every key alive to the
  // end of a synchronous replay: a WeakRef's target lives until the current job ends).
  private round: object | null = null;
  private left = 0;

  /** `perRound` work units per round (> 0). */
  constructor(readonly perRound: number) {
    if (!(perRound > 0)) throw new RangeError(`curve rebuild budget must be > 0 work units per round, got ${perRound}`);
  }

  /** Enters the round `key` (its context array): a key not seen last starts a new round with the full budget. */
  open(key: object): void {
    if (this.round === key) return;
    this.round = key;
    this.left = this.perRound;
  }

  /** Spends work units. */
  spend(units: number): void {
    this.left -= units;
  }

  /** Whether the round's budget is used up. */
  get spent(): boolean {
    return this.left <= 0;
  }
}

interface Stand<C> {
  curve: C;
  /** Event time of the state it was built for. */
  ts: number;
}

/** Curves (`C`) by node for the latest model state, older states' curves standing in while it is built. */
export class CurveCache<P, C = MoneynessCurve> {
  private key = '';
  private ts = NaN;
  private curves = new Map<number, C>();
  private jobs = new Map<number, CurveJob<C>>();
  /** Per node asked for since the state changed, the newest finished curve of an older state. */
  private stand = new Map<number, Stand<C>>();
  /** Nodes asked for under the current state that have no current curve yet. */
  private waiting = new Set<number>();
  private inRound = false;
  /** Nodes without a current curve asked for in this round and in the previous one. */
  private asked = new Set<number>();
  private prevAsked = new Set<number>();
  /** The node to build next in this round (see the module header); undefined: any asked for. */
  private due: number | undefined;
  /** Event time of the state of the last curve `get` returned. */
  usedTs = NaN;

  /** `build(params, node)` starts one node's curve job; `budget` bounds the work on new-state curves per round. */
  constructor(
    private readonly build: (params: P, node: number) => CurveJob<C>,
    private budget: RebuildBudget,
  ) {}

  /** Spends `budget` from now on (a stage's one budget for all its methods: HedgeMethod.shareBudget). */
  useBudget(budget: RebuildBudget): void {
    this.budget = budget;
  }

  /** Starts a recompute round (`key`: its context array): the budget applies until endRound. */
  beginRound(key: object): void {
    this.budget.open(key);
    this.inRound = true;
    this.prevAsked = this.asked;
    this.asked = new Set();
    this.due = this.oldest();
  }

  /** Of the nodes asked for last round that still lack a current curve, the one with the oldest stand-in. */
  private oldest(): number | undefined {
    let best: number | undefined;
    let bestTs = Infinity;
    for (const node of this.prevAsked) {
      const s = this.curves.has(node) ? undefined : this.stand.get(node);
      if (s && (s.ts < bestTs || (s.ts === bestTs && node < best!))) {
        best = node;
        bestTs = s.ts;
      }
    }
    return best;
  }

  /** Ends the round: single calls outside rounds build whatever they need. */
  endRound(): void {
    this.inRound = false;
  }

  private spent(): boolean {
    return this.inRound && this.budget.spent;
  }

  /** The curve at `node` for the state `key` (event time `ts`, parameters `params`). */
  get(key: string, ts: number, params: P, node: number): C {
    if (key !== this.key) this.newState(key, ts);
    const c = this.curves.get(node);
    if (c) {
      this.usedTs = this.ts;
      return c;
    }
    this.waiting.add(node);
    if (this.inRound) this.asked.add(node);
    const old = this.stand.get(node);
    if (old && (this.spent() || (this.inRound && this.due !== undefined && node !== this.due))) {
      this.usedTs = old.ts;
      return old.curve;
    }
    let job = this.jobs.get(node);
    if (!job) {
      job = this.build(params, node);
      this.jobs.set(node, job);
    }
    for (;;) {
      let r: IteratorResult<number, C>;
      try {
        r = job.next();
      } catch (e) {
        // A failed build is retried from the start next time (and fails the same way, with its own message).
        this.jobs.delete(node);
        throw e;
      }
      if (r.done) {
        this.jobs.delete(node);
        this.waiting.delete(node);
        this.curves.set(node, r.value);
        if (node === this.due) this.due = this.oldest();
        this.usedTs = this.ts;
        return r.value;
      }
      if (this.inRound) this.budget.spend(r.value);
      // Without a stand-in the curve is finished now, whatever the budget.
      if (old && this.spent()) {
        this.usedTs = old.ts;
        return old.curve;
      }
    }
  }

  /** A new state: each node in use keeps its newest finished curve to stand in; unfinished jobs are dropped. */
  private newState(key: string, ts: number): void {
    const stand = new Map<number, Stand<C>>();
    for (const [node, curve] of this.curves) stand.set(node, { curve, ts: this.ts });
    for (const node of this.waiting) {
      const s = this.stand.get(node);
      if (s) stand.set(node, s);
    }
    this.stand = stand;
    this.key = key;
    this.ts = ts;
    this.curves = new Map();
    this.jobs = new Map();
    this.waiting = new Set();
    if (this.inRound) this.due = this.oldest();
  }
}
