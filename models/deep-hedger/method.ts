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
 */
import type { HedgeContext, HedgeMethod, HedgeRatio } from '../../src/hedging/method.ts';
import { featureRow, N_FEATURES, type HedgeFeatures } from './features.ts';
import { DeepHedgerBatch } from './batch.ts';
import { loadDeepHedger, type DeepHedger, type DeepHedgerState } from './live.ts';
import type { Dynamics } from './setup.ts';

/** The method's name (and key under ctx.memory). */
export const DEEP_METHOD = 'deep-gru';

const DAY_MICROS = 86_400e6;

/** What the method keeps per position. */
export interface DeepMemory {
  /** Session (UTC day number of event time) of the pending features. */
  day: number;
  committed: DeepHedgerState;
  /** Spot at the last committed session's close; null in the first session. */
  prevClose: number | null;
  pending: { f: HedgeFeatures; spot: number } | null;
  /** The committed state's recurrent projection, kept so a tick costs only the input side of the step (batch.ts). */
  cache: DeepHedgerBatch;
}

/** The method over a loaded policy. */
export function deepHedgerMethod(hedger: DeepHedger, name = DEEP_METHOD): HedgeMethod {
  const row = new Float64Array(N_FEATURES);
  const out = new Float64Array(1);
  const one = (ctx: HedgeContext): HedgeRatio | null => {
    if (!(ctx.T > 0)) return null;
    const ins = ctx.position.instrument;
    if (ins.kind !== 'option') return null;
    const v = ctx.variance;
    if (!v || !(v.gru > 0)) return null;
    const day = Math.floor(ctx.ts / DAY_MICROS);
    let mem = ctx.memory[name] as DeepMemory | undefined;
    if (mem === undefined) {
      mem = { day, committed: hedger.initialState(), prevClose: null, pending: null, cache: new DeepHedgerBatch(hedger.policy, 1) };
      ctx.memory[name] = mem;
    }
    if (day > mem.day) {
      if (mem.pending !== null) {
        mem.committed = hedger.ratio(mem.committed, mem.pending.f).next;
        mem.cache.setState(0, mem.committed.h);
        mem.prevClose = mem.pending.spot;
        mem.pending = null;
      }
      mem.day = day;
    }
    const f: HedgeFeatures = {
      price: ctx.spot / ins.strike,
      timeToMaturity: Math.min(1, ctx.T / hedger.setup.T),
      logReturn: mem.prevClose === null ? 0 : Math.log(ctx.spot / mem.prevClose),
      vol: Math.sqrt(252 * v.gru),
    };
    mem.pending = { f, spot: ctx.spot };
    if (!hedger.covers(f)) return null;
    const call = mem.cache.preview(featureRow(f, row, 0), 1, out)[0];
    return { delta: ins.right === 'C' ? call : call - Math.exp(-ctx.q * ctx.T) };
  };
  return { name, ratio: one, ratios: (ctxs) => ctxs.map(one) };
}

/** Loads the committed policy (default: trained under the SPX Heston fit) as a hedge method. */
export async function loadDeepHedgerMethod(dynamics: Dynamics = 'heston', dir?: string): Promise<HedgeMethod> {
  return deepHedgerMethod(await loadDeepHedger(dynamics, dir));
}
