/**
 * Hedging P&L and the seed's objective.
 *
 * The hedger sells the call for the premium p and trades H_t units of the underlying at each
 * date t = 0..N-1 (H_{-1} = 0). The seed's terminal value of the hedge,
 *   V_T = sum_t -(H_t - H_{t-1}) S_t - c sum_t |H_t - H_{t-1}| S_t + H_{N-1} S_N,
 * equals sum_t H_t (S_{t+1} - S_t) - costs (summation by parts), the form used here. The
 * shortfall is what the hedger is short at maturity,
 *   L = (S_N - K)^+ - p - V_T        (positive: a loss; -L is the hedger's P&L),
 * and the objective is CVaR_alpha(L) + 0.10 E[L^2], i.e. minus the CVaR (the mean of the worst
 * 1 - alpha = 10% of outcomes) of the P&L -L, plus the mean squared hedging error. In training
 * CVaR is the Rockafellar-Uryasev form min_w w + E[(L - w)^+]/(1 - alpha), w trained with the
 * policy (its gradient is the empirical one, without sorting inside the graph); in evaluation it
 * is the empirical tail mean. `scope: 'itm'` restricts both terms to paths that end in the money,
 * the seed's wording taken literally (see README for why it is not the default).
 */
import { tf } from '../../src/tensor/backend.ts';

/** The objective's constants. */
export interface LossSpec {
  /** CVaR level (the seed's 0.9). */
  alpha: number;
  /** Weight of the CVaR (the seed's 1; 0 with mseWeight 1 is the variance objective of the Kamal-Derman check). */
  cvarWeight: number;
  /** Weight of the mean squared error (the seed's 0.10). */
  mseWeight: number;
  /** 'all' paths, or only those ending in the money. */
  scope: 'all' | 'itm';
}

/** The seed's objective. */
export const SEED_LOSS: LossSpec = { alpha: 0.9, cvarWeight: 1, mseWeight: 0.1, scope: 'all' };

/**
 * The mean-squared objective E[L^2]: with the premium fixed at the model price (E[L] = 0 for any
 * self-financing hedge under the pricing measure) its optimum is the minimum-variance hedge, the
 * one whose spread discrete-hedging theory (Kamal-Derman) describes.
 */
export const MSE_LOSS: LossSpec = { alpha: 0.9, cvarWeight: 0, mseWeight: 1, scope: 'all' };

/** The named objectives of the CLI's --loss. */
export const LOSSES: Readonly<Record<string, LossSpec>> = { seed: SEED_LOSS, mse: MSE_LOSS };

/** The objective named `name` (`seed` or `mse`); throws naming `what` otherwise. */
export function parseLoss(name: string, what = 'loss'): LossSpec {
  if (!Object.hasOwn(LOSSES, name)) throw new RangeError(`${what}: unknown objective "${name}" (known: ${Object.keys(LOSSES).join(', ')})`);
  return LOSSES[name];
}

/**
 * Shortfall L per path [B] from ratios H [B, N] and prices S [B, N + 1] (tfjs, differentiable
 * in H).
 */
export function shortfallTf(H: tf.Tensor2D, S: tf.Tensor2D, K: number, p: number, cost: number): tf.Tensor1D {
  return tf.tidy(() => {
    const [B, N] = H.shape;
    const St = S.slice([0, 0], [B, N]);
    const dS = tf.sub(S.slice([0, 1], [B, N]), St);
    let V = tf.sum(tf.mul(H, dS), 1);
    if (cost > 0) {
      const Hprev = tf.concat([tf.zeros([B, 1]), H.slice([0, 0], [B, N - 1])], 1);
      V = tf.sub(V, tf.mul(cost, tf.sum(tf.mul(tf.abs(tf.sub(H, Hprev)), St), 1)));
    }
    const payoff = tf.relu(tf.sub(S.slice([0, N], [B, 1]).reshape([B]), K));
    return tf.sub(tf.sub(payoff, p), V) as tf.Tensor1D;
  });
}

/** The training objective cvarWeight (w + E_m[(L - w)^+]/(1 - alpha)) + mseWeight E_m[L^2] over the paths with mask m. */
export function objectiveTf(L: tf.Tensor1D, w: tf.Tensor, mask: tf.Tensor1D | null, spec: LossSpec): tf.Scalar {
  return tf.tidy(() => {
    const tail = tf.relu(tf.sub(L, w));
    const sq = tf.square(L);
    const mean = (u: tf.Tensor): tf.Tensor => (mask === null ? tf.mean(u) : tf.div(tf.sum(tf.mul(u, mask)), tf.maximum(tf.sum(mask), 1)));
    const cvar = tf.add(w.reshape([]), tf.div(mean(tail), 1 - spec.alpha));
    return tf.add(tf.mul(spec.cvarWeight, cvar), tf.mul(spec.mseWeight, mean(sq))) as tf.Scalar;
  });
}

/** Shortfall per path in plain JS: ratios n x N and prices n x (N + 1), both path-major. */
export function shortfallJs(H: ArrayLike<number>, S: ArrayLike<number>, n: number, N: number, K: number, p: number, cost: number): Float64Array {
  const L = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let V = 0;
    let prev = 0;
    for (let t = 0; t < N; t++) {
      const h = H[i * N + t];
      const s = S[i * (N + 1) + t];
      V += h * (S[i * (N + 1) + t + 1] - s) - cost * Math.abs(h - prev) * s;
      prev = h;
    }
    L[i] = Math.max(S[i * (N + 1) + N] - K, 0) - p - V;
  }
  return L;
}

/** Summary of a sample of shortfalls. */
export interface ShortfallStats {
  n: number;
  mean: number;
  /** Standard deviation of the hedging error (the P&L's, the same number). */
  std: number;
  /** Value at risk: the alpha-quantile of L. */
  var: number;
  /** CVaR_alpha(L): the mean of the worst ceil((1 - alpha) n) shortfalls (minus the P&L's CVaR). */
  cvar: number;
  /** E[L^2]. */
  mse: number;
  /** cvarWeight cvar + mseWeight mse: the seed's objective with SEED_LOSS. */
  objective: number;
}

/** Empirical statistics of L over the paths where mask is 1 (all when mask is absent). */
export function shortfallStats(L: ArrayLike<number>, spec: LossSpec = SEED_LOSS, mask?: ArrayLike<number>): ShortfallStats {
  const xs: number[] = [];
  for (let i = 0; i < L.length; i++) if (mask === undefined || mask[i] !== 0) xs.push(L[i]);
  const n = xs.length;
  if (n === 0) throw new RangeError('shortfallStats: no paths to summarise');
  let s = 0, s2 = 0;
  for (const x of xs) { s += x; s2 += x * x; }
  const mean = s / n;
  const std = Math.sqrt(Math.max(s2 / n - mean * mean, 0));
  xs.sort((a, b) => b - a);
  const k = Math.max(1, Math.ceil((1 - spec.alpha) * n - 1e-9));
  let tail = 0;
  for (let i = 0; i < k; i++) tail += xs[i];
  const cvar = tail / k;
  const mse = s2 / n;
  return { n, mean, std, var: xs[k - 1], cvar, mse, objective: spec.cvarWeight * cvar + spec.mseWeight * mse };
}
