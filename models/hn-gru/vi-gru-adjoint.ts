/**
 * Exact gradient of the VI-HN-GRU's negative log-likelihood by a hand-derived adjoint
 * (backpropagation through time) of viStep: one forward pass records each step on a tape, one
 * backward pass carries the adjoints of (s, eta, h) from the last day to the first and
 * accumulates the weight gradients. Cost: about two forward passes, whatever the number of
 * weights (central differences would need 2 x 25 passes). Hand-written; checked against central
 * differences in vi-gru-adjoint.test.ts.
 */
import { T_AO, T_C, T_D, T_ETA, T_H, T_HN, T_R, T_RV, T_S, T_SH, T_SN, T_U, T_Y, T_Z, TAPE_WIDTH, viRun, type ViState } from './vi-gru-cell.ts';
import { VI_N, viGradToTheta, viUnpack } from './vi-gru-params.ts';

/** Reusable buffers for viNllGrad (allocate once per series length). */
export interface AdjointWork {
  tape: Float64Array<ArrayBuffer>;
  w: Float64Array<ArrayBuffer>;
  gW: Float64Array<ArrayBuffer>;
}

/** Buffers for series of up to n days. */
export function adjointWork(n: number): AdjointWork {
  return { tape: new Float64Array(n * TAPE_WIDTH), w: new Float64Array(VI_N), gW: new Float64Array(VI_N) };
}

const sigmoid = (a: number): number => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a)));

/**
 * Mean NLL per day (percent units) of days [from, to) starting from state st0 (not mutated), and
 * its gradient in theta written into grad. The state after the last day is returned in `end`.
 */
export function viNllGrad(
  theta: Float64Array,
  y: ArrayLike<number>,
  rv: ArrayLike<number>,
  from: number,
  to: number,
  st0: ViState,
  grad: Float64Array,
  work: AdjointWork = adjointWork(to - from),
): { nll: number; end: ViState } {
  const n = to - from;
  if (n <= 0) throw new RangeError(`need at least one day, got [${from}, ${to})`);
  if (work.tape.length < n * TAPE_WIDTH) throw new RangeError(`work buffers hold ${work.tape.length / TAPE_WIDTH} days, need ${n}`);
  const w = viUnpack(theta, work.w);
  const tape = work.tape;
  const end: ViState = { s: st0.s, eta: st0.eta, h: st0.h };
  const nll = viRun(w, end, y, rv, from, to, null, tape) / n;
  const g = work.gW;
  g.fill(0);
  const w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w8 = w[8], w10 = w[10];
  const w11 = w[11], w14 = w[14], w15 = w[15], w17 = w[17], w20 = w[20], w21 = w[21], w23 = w[23];
  let gsN = 0, getaN = 0, ghN = 0;
  for (let k = n - 1; k >= 0; k--) {
    const o = k * TAPE_WIDTH;
    const s = tape[o + T_S], eta = tape[o + T_ETA], h = tape[o + T_H], yt = tape[o + T_Y], rt = tape[o + T_RV];
    const z = tape[o + T_Z], sh = tape[o + T_SH], d = tape[o + T_D], hN = tape[o + T_HN];
    const u = tape[o + T_U], r = tape[o + T_R], c = tape[o + T_C], sN = tape[o + T_SN], ao = tape[o + T_AO];
    // readout eta' = softplus(ao), ao = wo s' + bo
    const gao = getaN * sigmoid(ao);
    g[23] += gao * sN;
    g[24] += gao;
    const gs1 = gsN + gao * w23;
    // s' = (1 - u) s + u c
    const gu = gs1 * (c - s);
    const gc = gs1 * u;
    let gs = gs1 * (1 - u);
    // candidate
    const gac = gc * (1 - c * c);
    g[17] += gac * eta; g[18] += gac * yt; g[19] += gac * rt; g[20] += gac * hN; g[21] += gac * r * s; g[22] += gac;
    let geta = gac * w17;
    let gh1 = ghN + gac * w20;
    const gr = gac * w21 * s;
    gs += gac * w21 * r;
    // reset gate
    const gar = gr * r * (1 - r);
    g[11] += gar * eta; g[12] += gar * yt; g[13] += gar * rt; g[14] += gar * hN; g[15] += gar * s; g[16] += gar;
    geta += gar * w11;
    gh1 += gar * w14;
    gs += gar * w15;
    // update gate
    const gau = gu * u * (1 - u);
    g[5] += gau * eta; g[6] += gau * yt; g[7] += gau * rt; g[8] += gau * s; g[9] += gau; g[10] += gau * hN;
    geta += gau * w5;
    gh1 += gau * w10;
    gs += gau * w8;
    // HN: h' = omega + beta h + alpha d^2, d = z - gamma sqrt(h)
    g[0] += gh1; g[1] += gh1 * d * d; g[2] += gh1 * h;
    const gd = gh1 * 2 * w1 * d;
    const gz = gd + z; // + z from the day's NLL term z^2 / 2
    g[3] -= gd * sh;
    const gh = gh1 * w2 - (gd * w3 * 0.5) / sh;
    // z = (y - lambda eta) / sqrt(eta); NLL's own 0.5 log eta
    const se = Math.sqrt(eta);
    geta += 0.5 / eta + gz * (-w4 / se - (0.5 * z) / eta);
    g[4] -= gz * se;
    gsN = gs;
    getaN = geta;
    ghN = gh;
  }
  for (let i = 0; i < VI_N; i++) g[i] /= n;
  viGradToTheta(theta, g, grad);
  return { nll, end };
}

/** Mean NLL per day of days [from, to) from st0 (not mutated), no gradient. */
export function viNll(theta: Float64Array, y: ArrayLike<number>, rv: ArrayLike<number>, from: number, to: number, st0: ViState): number {
  const st = { ...st0 };
  return viRun(viUnpack(theta), st, y, rv, from, to) / (to - from);
}
