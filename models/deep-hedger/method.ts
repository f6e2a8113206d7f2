/**
 * The deep hedger as a live hedge method (src/hedging/method.ts), named 'deep-gru'.
 *
 * Rebalancing step: one GRU step per trading session in event time (the UTC calendar day of
 * ctx.ts; an SPX session never straddles 00:00 UTC), as in training, where one step is one
 * daily close. Per position, ctx.memory['deep-gru'] keeps the state committed after the last
 * completed session, that session's last spot, and the latest features of the current one.
 * Every tick previews the current session's step from the committed state with the current
 * features (the ratio as if the session closed now); the first tick of a later session commits
 * the previous session's last features (its close) and moves on.
 *
 * Features (features.ts): price S/K (the policy was trained at the money, S_0 = K, so a position
 * is read as struck at the money at its inception), time to maturity min(1, T / T_train) with T
 * and T_train in years, the log return since the last session's close (0 in the first session),
 * and the annualised vol of the live VI-HN-GRU variance sqrt(252 ctx.variance.gru), the same
 * variance model that made the training feature. Calls get the policy's ratio; puts the parity
 * ratio ratio - e^{-qT}. Null before the first variance state, for futures, once expired, and
 * where the price feature leaves the training range (DeepHedger.covers).
 *
 * Speed: a round's positions go through one folded step (fast-step.ts: the committed state's
 * recurrent projection made once a session, the vol and time terms when they move, exponentials
 * from a table), the same step as DeepHedger.ratio to about 1e-15, without allocating per tick
 * beyond the returned ratios.
 */
import type { HedgeContext, HedgeMethod, HedgeRatio } from '../../src/hedging/method.ts';
import { N_FEATURES, type HedgeFeatures } from './features.ts';
import { FoldedGru, type FoldedState } from './fast-step.ts';
import { loadDeepHedger, type DeepHedger, type DeepHedgerState } from './live.ts';
import type { Dynamics } from './setup.ts';

/** The method's name (and key under ctx.memory). */
export const DEEP_METHOD = 'deep-gru';

const DAY_MICROS = 86_400e6;

/** The current session's latest features and spot: what its close commits. */
export interface PendingClose extends HedgeFeatures {
  spot: number;
}

/** What the method keeps per position. */
export interface DeepMemory {
  /** Session (UTC day number of event time) of the pending features. */
  day: number;
  committed: DeepHedgerState;
  /** Spot at the last committed session's close; null in the first session. */
  prevClose: number | null;
  /** Updated in place by every tick of the session; null before its first. */
  pending: PendingClose | null;
  /** The committed state folded for the tick's step (fast-step.ts): its recurrent projection is made once a session. */
  folded: FoldedState;
}

const FEATURE_NAMES = ['price', 'timeToMaturity', 'logReturn', 'vol'] as const;

/**
 * The method over a loaded policy. `ratios` runs one folded step for all the round's positions
 * (fast-step.ts); `ratio` is the same for one.
 */
export function deepHedgerMethod(hedger: DeepHedger, name = DEEP_METHOD): HedgeMethod {
  const gru = new FoldedGru(hedger.policy);
  // Scratch for a round, grown to the largest seen: kernel rows, their states, contexts and put parity terms.
  let x = new Float64Array(64 * N_FEATURES);
  let out = new Float64Array(64);
  let parity = new Float64Array(64);
  let rows = new Int32Array(64);
  const states: FoldedState[] = [];

  /** Session bookkeeping for ctx; its pending close when the policy answers for it, else null. */
  const prepare = (ctx: HedgeContext): DeepMemory | null => {
    if (!(ctx.T > 0)) return null;
    const ins = ctx.position.instrument;
    if (ins.kind !== 'option') return null;
    const v = ctx.variance;
    if (!v || !(v.gru > 0)) return null;
    const day = Math.floor(ctx.ts / DAY_MICROS);
    let mem = ctx.memory[name] as DeepMemory | undefined;
    if (mem === undefined) {
      mem = { day, committed: hedger.initialState(), prevClose: null, pending: null, folded: gru.newState() };
      ctx.memory[name] = mem;
    }
    if (day > mem.day) {
      if (mem.pending !== null) {
        mem.committed = hedger.ratio(mem.committed, mem.pending).next;
        gru.commit(mem.folded, mem.committed.h);
        mem.prevClose = mem.pending.spot;
        mem.pending = null;
      }
      mem.day = day;
    }
    const price = ctx.spot / ins.strike;
    const timeToMaturity = Math.min(1, ctx.T / hedger.setup.T);
    const logReturn = mem.prevClose === null ? 0 : Math.log(ctx.spot / mem.prevClose);
    const vol = Math.sqrt(252 * v.gru);
    const f = mem.pending;
    if (f === null) mem.pending = { price, timeToMaturity, logReturn, vol, spot: ctx.spot };
    else {
      f.price = price;
      f.timeToMaturity = timeToMaturity;
      f.logReturn = logReturn;
      f.vol = vol;
      f.spot = ctx.spot;
    }
    return hedger.covers(mem.pending!) ? mem : null;
  };

  const ratios = (ctxs: readonly HedgeContext[]): Array<HedgeRatio | null> => {
    const n = ctxs.length;
    if (rows.length < n) {
      x = new Float64Array(n * N_FEATURES);
      out = new Float64Array(n);
      parity = new Float64Array(n);
      rows = new Int32Array(n);
    }
    states.length = 0;
    for (let i = 0; i < n; i++) {
      const ctx = ctxs[i];
      const mem = prepare(ctx);
      if (mem === null) continue;
      const m = states.length, f = mem.pending!, at = m * N_FEATURES;
      x[at] = f.price;
      x[at + 1] = f.timeToMaturity;
      x[at + 2] = f.logReturn;
      x[at + 3] = f.vol;
      for (let k = 0; k < N_FEATURES; k++) {
        if (!Number.isFinite(x[at + k])) throw new RangeError(`features.${FEATURE_NAMES[k]} must be a finite number, got ${x[at + k]}`);
      }
      const ins = ctx.position.instrument;
      parity[m] = ins.kind === 'option' && ins.right === 'P' ? Math.exp(-ctx.q * ctx.T) : 0;
      rows[m] = i;
      states.push(mem.folded);
    }
    const res: Array<HedgeRatio | null> = new Array<HedgeRatio | null>(n).fill(null);
    const m = states.length;
    gru.preview(states, x, m, out);
    // Calls get the policy's ratio, puts the parity ratio.
    for (let q = 0; q < m; q++) res[rows[q]] = { delta: out[q] - parity[q] };
    return res;
  };
  return { name, ratio: (ctx) => ratios([ctx])[0], ratios };
}

/** Loads the committed policy (default: trained under the SPX Heston fit) as a hedge method. */
export async function loadDeepHedgerMethod(dynamics: Dynamics = 'heston', dir?: string): Promise<HedgeMethod> {
  return deepHedgerMethod(await loadDeepHedger(dynamics, dir));
}
