/**
 * The VI-HN-GRU recursion: the one definition that training (through its adjoint), evaluation
 * and the live filter all call. Hand-written: a scalar recurrence over days is sequential, so
 * there is nothing for a tensor library to batch (README, "Engine").
 *
 * Percent units (units.ts). The state after the close of day t - 1 is (s, eta, h): eta = eta_t,
 * the model's variance of day t's return, h = h_t the Heston-Nandi variance of day t, s the GRU
 * hidden state that produced eta. Day t brings the return y and realized variance rv:
 *   likelihood   y ~ N(lambda eta, eta),  z = (y - lambda eta) / sqrt(eta)   (eta in the inversion)
 *   HN           h' = omega + beta h + alpha (z - gamma sqrt(h))^2           (same shock z)
 *   input        x = [eta, y, rv, h']                                       (all known at the close)
 *   update gate  u = sigmoid(wu . [eta, y, rv] + uu s + bu + gammaU h')     (h' as a dynamic bias)
 *   reset gate   r = sigmoid(wr . x + ur s + br)
 *   candidate    c = tanh(wc . x + uc r s + bc)
 *   hidden       s' = (1 - u) s + u c
 *   variance     eta' = softplus(wo s' + bo)
 * h' is the issue's h_t (the HN variance at the close that feeds the gate); the update gate takes
 * no separate input weight on h', which would duplicate gammaU.
 */
import { LOG_2PI } from './units.ts';

/** Filter state after a close (percent units). */
export interface ViState {
  /** GRU hidden state. */
  s: number;
  /** Variance of the next day's return (percent^2). */
  eta: number;
  /** HN variance of the next day (percent^2), driven by the model's own shocks. */
  h: number;
}

/** Numbers the adjoint needs per step (tape layout). */
export const TAPE_WIDTH = 14;
export const T_S = 0, T_ETA = 1, T_H = 2, T_Y = 3, T_RV = 4, T_Z = 5, T_SH = 6, T_D = 7, T_HN = 8, T_U = 9, T_R = 10, T_C = 11, T_SN = 12, T_AO = 13;

const sigmoid = (a: number): number => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a)));

/** softplus(a) = log(1 + e^a), without overflow. */
export function softplus(a: number): number {
  return a > 30 ? a : a < -30 ? Math.exp(a) : Math.log1p(Math.exp(a));
}

/** The GRU cell: next hidden state from (s, eta, y, rv, h'); writes u, r, c into the tape when given. */
export function gruCell(w: Float64Array, s: number, eta: number, y: number, rv: number, hN: number, tape: Float64Array | null, off: number): number {
  const u = sigmoid(w[5] * eta + w[6] * y + w[7] * rv + w[8] * s + w[9] + w[10] * hN);
  const r = sigmoid(w[11] * eta + w[12] * y + w[13] * rv + w[14] * hN + w[15] * s + w[16]);
  const c = Math.tanh(w[17] * eta + w[18] * y + w[19] * rv + w[20] * hN + w[21] * r * s + w[22]);
  if (tape !== null) {
    tape[off + T_U] = u;
    tape[off + T_R] = r;
    tape[off + T_C] = c;
  }
  return (1 - u) * s + u * c;
}

/**
 * One day of the model: consumes day t's return y and realized variance rv (percent units),
 * advances st to the next day, and returns day t's negative log-likelihood (percent units; add
 * ln 100 for natural log returns). With a tape, records the step at offset off for the adjoint.
 */
export function viStep(w: Float64Array, st: ViState, y: number, rv: number, tape: Float64Array | null = null, off = 0): number {
  const { s, eta, h } = st;
  const se = Math.sqrt(eta);
  const z = (y - w[4] * eta) / se;
  const sh = Math.sqrt(h);
  const d = z - w[3] * sh;
  const hN = w[0] + w[2] * h + w[1] * d * d;
  const sN = gruCell(w, s, eta, y, rv, hN, tape, off);
  const ao = w[23] * sN + w[24];
  const etaN = softplus(ao);
  if (tape !== null) {
    tape[off + T_S] = s;
    tape[off + T_ETA] = eta;
    tape[off + T_H] = h;
    tape[off + T_Y] = y;
    tape[off + T_RV] = rv;
    tape[off + T_Z] = z;
    tape[off + T_SH] = sh;
    tape[off + T_D] = d;
    tape[off + T_HN] = hN;
    tape[off + T_SN] = sN;
    tape[off + T_AO] = ao;
  }
  st.s = sN;
  st.eta = etaN;
  st.h = hN;
  return 0.5 * (LOG_2PI + Math.log(eta) + z * z);
}

/**
 * Runs days [from, to) of y and rv through viStep from st (mutated); returns the summed NLL.
 * nllOut[t], when given, receives day t's NLL; tape, when given, step t at (t - from) TAPE_WIDTH.
 */
export function viRun(
  w: Float64Array,
  st: ViState,
  y: ArrayLike<number>,
  rv: ArrayLike<number>,
  from: number,
  to: number,
  nllOut: Float64Array | null = null,
  tape: Float64Array | null = null,
): number {
  let sum = 0;
  for (let t = from; t < to; t++) {
    const l = viStep(w, st, y[t], rv[t], tape, (t - from) * TAPE_WIDTH);
    if (nllOut !== null) nllOut[t] = l;
    sum += l;
  }
  return sum;
}

/**
 * Expected total variance of the next n days (percent^2) from state st (not mutated): eta of the
 * next day, then the cell iterated with its inputs at their conditional expectations, y =
 * lambda eta, rv = eta, and HN's exact expected step h' = omega + alpha + (beta + alpha gamma^2) h
 * (a certainty-equivalent path: the GRU's non-linearity makes the exact mean a simulation).
 */
export function viExpectedTotalVariance(w: Float64Array, st: ViState, n: number): number {
  let { s, eta, h } = st;
  const pers = w[2] + w[1] * w[3] * w[3];
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += eta;
    if (k === n - 1) break;
    h = w[0] + w[1] + pers * h;
    s = gruCell(w, s, eta, w[4] * eta, eta, h, null, 0);
    eta = softplus(w[23] * s + w[24]);
  }
  return sum;
}
