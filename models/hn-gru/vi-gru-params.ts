/**
 * Parameters of the VI-HN-GRU (see vi-gru-cell.ts for the model), percent units (units.ts).
 *
 * The optimiser works on an unconstrained vector theta of VI_N = 25 reals. Its first five are
 * the Heston-Nandi block, mapped to valid parameters by the quant core's reparametrisation
 * (hnFromUnconstrained: omega, alpha, beta > 0, persistence beta + alpha gamma^2 < 1, any real
 * gamma and lambda); the other twenty are GRU weights, used as they are. The cell reads the
 * "natural" vector w = unpack(theta): the same layout with the HN block replaced by
 * (omega, alpha, beta, gamma, lambda).
 */
import { hnFromUnconstrained, hnToUnconstrained } from '../../src/quant/hn-mle.ts';
import type { HnParams } from '../../src/quant/hn-params.ts';
import { randomStream } from '../../src/quant/mc-random.ts';

/** Index of each weight in theta and w. Gate inputs x = [eta, y, rv, h] (vi-gru-cell.ts). */
export const W = {
  omega: 0, alpha: 1, beta: 2, gamma: 3, lambda: 4,
  /** update gate: weights on eta, y, rv (h enters only through gammaU), recurrent weight, bias, gammaU */
  wu: 5, uu: 8, bu: 9, gammaU: 10,
  /** reset gate: weights on eta, y, rv, h; recurrent weight; bias */
  wr: 11, ur: 15, br: 16,
  /** candidate: weights on eta, y, rv, h; recurrent weight (on r s); bias */
  wc: 17, uc: 21, bc: 22,
  /** readout: eta = softplus(wo s + bo) */
  wo: 23, bo: 24,
} as const;

/** Length of theta and w. */
export const VI_N = 25;

/** Names of the 25 entries of w, in order (for weights.json). */
export const VI_NAMES: readonly string[] = [
  'omega', 'alpha', 'beta', 'gamma', 'lambda',
  'wu_eta', 'wu_y', 'wu_rv', 'uu', 'bu', 'gammaU',
  'wr_eta', 'wr_y', 'wr_rv', 'wr_h', 'ur', 'br',
  'wc_eta', 'wc_y', 'wc_rv', 'wc_h', 'uc', 'bc',
  'wo', 'bo',
];

/** w = unpack(theta): the HN block through the valid-region map, the GRU block copied. */
export function viUnpack(theta: ArrayLike<number>, out = new Float64Array(VI_N)): Float64Array {
  if (theta.length !== VI_N) throw new RangeError(`theta must have ${VI_N} entries, got ${theta.length}`);
  const p = hnFromUnconstrained([theta[0], theta[1], theta[2], theta[3], theta[4]]);
  out[0] = p.omega;
  out[1] = p.alpha;
  out[2] = p.beta;
  out[3] = p.gamma;
  out[4] = p.lambda;
  for (let i = 5; i < VI_N; i++) out[i] = theta[i];
  return out;
}

/** Inverse of viUnpack (throws when the HN block is outside the valid region). */
export function viPack(w: ArrayLike<number>): Float64Array {
  if (w.length !== VI_N) throw new RangeError(`w must have ${VI_N} entries, got ${w.length}`);
  const theta = new Float64Array(VI_N);
  theta.set(hnToUnconstrained({ omega: w[0], alpha: w[1], beta: w[2], gamma: w[3], lambda: w[4] }));
  for (let i = 5; i < VI_N; i++) theta[i] = w[i];
  return theta;
}

/**
 * Chain rule through the HN block: turns a gradient in w into one in theta (in place on gOut,
 * entries 0..4; the GRU block's gradients are the same in both).
 */
export function viGradToTheta(theta: ArrayLike<number>, gW: ArrayLike<number>, gOut: Float64Array): Float64Array {
  const alpha = Math.exp(theta[1]);
  const t = Math.tanh(theta[2]);
  const sech2 = 1 - t * t;
  const s = theta[3] >= 0 ? 1 / (1 + Math.exp(-theta[3])) : Math.exp(theta[3]) / (1 + Math.exp(theta[3]));
  const gamma = t / Math.sqrt(alpha);
  const omega = Math.exp(theta[0]);
  // rows: d(omega, alpha, beta, gamma, lambda)/d theta_j (hn-mle.ts's map)
  gOut[0] = gW[0] * omega;
  gOut[1] = gW[1] * alpha + gW[3] * (-0.5 * gamma);
  gOut[2] = gW[2] * (-2 * t * sech2 * s) + gW[3] * (sech2 / Math.sqrt(alpha));
  gOut[3] = gW[2] * (sech2 * s * (1 - s));
  gOut[4] = gW[4];
  for (let i = 5; i < VI_N; i++) gOut[i] = gW[i];
  return gOut;
}

/** softplus^{-1}(v) = log(e^v - 1), for v > 0. */
export function softplusInverse(v: number): number {
  return v > 30 ? v : Math.log(Math.expm1(v));
}

/**
 * Starting theta: the HN block from plain HN-GARCH's own MLE (percent units); the GRU weights
 * small seeded normals (sd 0.05), except a few chosen so that the GRU starts close to the HN
 * variance around the sample variance v: the update gate mostly open (bu = 2), the candidate
 * tanh((h - v) / (2 v)) and the readout eta = softplus(wo s + bo) with softplus(bo) = v and slope
 * 1 in h at h = v.
 */
export function viInitialTheta(hnScaled: HnParams, v: number, seed: number): Float64Array {
  if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`v (sample variance, percent units) must be > 0, got ${v}`);
  const rng = randomStream(seed);
  const w = new Float64Array(VI_N);
  w[0] = hnScaled.omega;
  w[1] = hnScaled.alpha;
  w[2] = hnScaled.beta;
  w[3] = hnScaled.gamma;
  w[4] = hnScaled.lambda;
  for (let i = 5; i < VI_N; i++) w[i] = 0.05 * rng.normal();
  const a = 0.5 / v;
  w[W.bu] = 2;
  w[W.gammaU] = 0;
  w[W.wc + 3] = a;
  w[W.bc] = -0.5;
  w[W.bo] = softplusInverse(v);
  const sig = 1 / (1 + Math.exp(-w[W.bo]));
  // du/dh' = 0 at init, u = sigmoid(2) ~ 0.88: slope of eta in h ~ sig wo 0.88 a
  w[W.wo] = 1 / (sig * a * (1 / (1 + Math.exp(-2))));
  return viPack(w);
}

/** HN parameters in percent units from natural ones (omega, alpha x 1e4; gamma, lambda / 100). */
export function hnToPercent(p: HnParams): HnParams {
  return { omega: p.omega * 1e4, alpha: p.alpha * 1e4, beta: p.beta, gamma: p.gamma / 100, lambda: p.lambda / 100 };
}

/** HN parameters in natural units from percent ones. */
export function hnFromPercent(p: HnParams): HnParams {
  return { omega: p.omega / 1e4, alpha: p.alpha / 1e4, beta: p.beta, gamma: p.gamma * 100, lambda: p.lambda * 100 };
}
