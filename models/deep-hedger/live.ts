/**
 * The trained policy for live use, one GRU state per position: `ratio(state, features)` runs
 * one step of the cell (plain JS, network.ts's gruStep) and returns the hedge ratio with the
 * next state, leaving the given state untouched, so a caller can preview a step (intraday) and
 * commit it later (at the close).
 */
import { N_FEATURES, featureRow, type HedgeFeatures } from './features.ts';
import { gruStep, type PolicyArrays } from './network.ts';
import type { Dynamics, HedgeSetup } from './setup.ts';
import { DEFAULT_MODEL_DIR, loadWeights } from './weights.ts';

/** A position's recurrent state: the GRU hidden vector after its last committed step. */
export interface DeepHedgerState {
  readonly h: Float64Array;
  /** Steps committed so far. */
  readonly steps: number;
}

/** A loaded policy. */
export interface DeepHedger {
  /** What it was trained on (strike = S0, horizon T, daily steps). */
  readonly setup: HedgeSetup;
  readonly policy: PolicyArrays;
  /** The state of a position not yet seen (zeros, as at inception in training). */
  initialState(): DeepHedgerState;
  /** Ratio of a call (per unit) after the features of this date, and the state that step leads to. */
  ratio(state: DeepHedgerState, f: HedgeFeatures): { ratio: number; next: DeepHedgerState };
  /**
   * Whether the features lie where the policy was trained: the normalised price within 4
   * training deviations of its mean (a network extrapolates badly beyond its data).
   */
  covers(f: HedgeFeatures): boolean;
}

/** A DeepHedger over given weights. */
export function deepHedgerFrom(policy: PolicyArrays, setup: HedgeSetup): DeepHedger {
  const x = new Float64Array(N_FEATURES);
  const scratch = new Float64Array(6 * policy.hidden);
  return {
    setup,
    policy,
    initialState: () => ({ h: new Float64Array(policy.hidden), steps: 0 }),
    ratio(state, f) {
      if (!(state && state.h instanceof Float64Array && state.h.length === policy.hidden)) {
        throw new RangeError(`state.h must be a Float64Array of ${policy.hidden} entries (from initialState or a previous ratio)`);
      }
      featureRow(f, x);
      const h = new Float64Array(policy.hidden);
      const ratio = gruStep(policy, state.h, x, 0, h, scratch);
      return { ratio, next: { h, steps: state.steps + 1 } };
    },
    covers: (f) => Math.abs((f.price - policy.inMean[0]) / policy.inSd[0]) <= 4,
  };
}

/**
 * Loads the committed policy trained under `dynamics` (default 'heston', the simulator's SPX
 * fit) from dir (default: this folder). Throws naming the file when it is missing or malformed.
 */
export async function loadDeepHedger(dynamics: Dynamics = 'heston', dir = DEFAULT_MODEL_DIR): Promise<DeepHedger> {
  const t = loadWeights(dynamics, dir);
  return deepHedgerFrom(t.policy, t.setup);
}
