/**
 * The deep hedger's live step for many positions at once, folded for speed (issue 6: 1,000
 * positions in under 1 ms). The same GRU step as network.ts's gruStep, rearranged, not
 * approximated (the tests hold the two within 1e-12):
 *
 * - Folding. Per position, what does not change within a session is computed once: the
 *   recurrent projection h Wh + bh of the committed state (at commit, once a session), and with
 *   it the biases, the standardisation's means and the volatility and time-to-maturity terms (at
 *   refold, when the variance nowcast moves). A tick then adds only the price and log-return
 *   terms, 2 x 3 multiply-adds per unit, plus the time-to-maturity term where that moved since the
 *   fold (positions within the training horizon, whose feature is not clipped at 1).
 * - Exponentials in base 2 with the scale folded into the weights (fast-exp.ts), so each gate's
 *   pre-activation comes out of the multiply-adds already as exp2k's argument: z and r by
 *   e^{-u} = exp2k(-u EXP_SCALE), tanh through e^{-2u}.
 * - The head folded into the gates: ratio = bo + sum_j Wo_j (n_j + z_j (h_j - n_j))
 *   = [bo + sum_j Wo_j h_j] + sum_j Wo_j (n_j - h_j)(1 - z_j), and with ez = e^{-u_z},
 *   en = e^{-2 u_n}: Wo_j (n_j - h_j)(1 - z_j) = (A_j - B_j en) ez / ((1 + en)(1 + ez)),
 *   A_j = (1 - h_j) Wo_j, B_j = (1 + h_j) Wo_j; two units share one division.
 * - Layout: per position one packed-double JS array, 6 numbers per unit (V8 reads packed JS
 *   arrays of doubles without the per-access detach check of typed arrays: measured about 13%
 *   faster here); the weights shared by all positions in the same form.
 *
 * Range: exp2k holds for |argument| < EXP_LIMIT (e^{+-80}). Each fold keeps a bound on the
 * arguments at the training means, and a tick adds the features' distance from them times the
 * largest weights; a position whose bound reaches the limit (a price or return far outside
 * anything trained on) takes network.ts's gruStep instead, the exact reference.
 */
import { N_FEATURES } from './features.ts';
import { gruStep, type PolicyArrays } from './network.ts';
import { EXP_LIMIT, EXP_SCALE, exp2k } from './fast-exp.ts';

/** Numbers per unit in a folded state: z, r and n arguments, the recurrent n term, A, B. */
const PER_UNIT = 6;

/** One position's folded step: its committed state and what a tick reads. */
export interface FoldedState {
  /** The committed hidden state (length H). */
  readonly h: Float64Array;
  /** Per unit: the z, r and n arguments at zero (raw) features, recurrent terms of z and r included (exp units). */
  readonly base: Float64Array;
  /** Per unit (an even count, the last one zero for an odd H): z, r, n arguments at the folded vol and time, r's recurrent n term, A, B. */
  readonly c: number[];
  /** bo + sum_j Wo_j h_j. */
  head: number;
  /** The vol and time to maturity folded into c; NaN before the first fold. */
  vol: number;
  ttm: number;
  /** Max |argument| over units and gates with price and return at the training means (exp units). */
  bound: number;
}

const packedZeros = (n: number): number[] => {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(0.5);
  return a.fill(0);
};

/** The step of one policy, folded; states are made by `newState` and filled by `commit`. */
export class FoldedGru {
  private readonly H: number;
  /** Units rounded up to even (pairs share a division). */
  private readonly U: number;
  /** Per unit: price and log-return weights of z, r, n (exp units, standardisation folded in). */
  private readonly w: number[];
  /** Per unit: time-to-maturity weights of z, r, n. */
  private readonly wt: number[];
  /** Per unit: vol weights of z, r, n. */
  private readonly wv: Float64Array;
  /** Per unit: z, r, n arguments at zero (raw) features without the recurrent terms h Wh + bh. */
  private readonly k0: Float64Array;
  /** Largest |weight| of price, log return and time over units and gates. */
  private readonly maxW: readonly [number, number, number];
  private readonly scratch: Float64Array;
  private readonly hOut: Float64Array;

  /** The folded form of a policy with 4 features. */
  constructor(readonly policy: PolicyArrays) {
    const H = policy.hidden;
    if (!(Number.isInteger(H) && H >= 1)) throw new RangeError(`policy.hidden must be a positive integer, got ${H}`);
    if (N_FEATURES !== 4) throw new RangeError(`FoldedGru is written for 4 features, got ${N_FEATURES}`);
    const H3 = 3 * H;
    this.H = H;
    this.U = H + (H & 1);
    this.w = packedZeros(6 * this.U);
    this.wt = packedZeros(3 * this.U);
    this.wv = new Float64Array(3 * this.U);
    this.k0 = new Float64Array(3 * this.U);
    const maxW: [number, number, number] = [0, 0, 0];
    for (let j = 0; j < H; j++)
      for (let g = 0; g < 3; g++) {
        // e^{-u} for z and r, e^{-2u} for tanh's n, in exp2k's units.
        const s = (g === 2 ? -2 : -1) * EXP_SCALE;
        const col = g * H + j;
        const wk = (k: number) => (s * policy.Wx[k * H3 + col]) / policy.inSd[k];
        let k0 = s * policy.bx[col];
        for (let k = 0; k < N_FEATURES; k++) k0 -= wk(k) * policy.inMean[k];
        this.k0[3 * j + g] = k0;
        this.w[6 * j + 2 * g] = wk(0);
        this.w[6 * j + 2 * g + 1] = wk(2);
        this.wt[3 * j + g] = wk(1);
        this.wv[3 * j + g] = wk(3);
        maxW[0] = Math.max(maxW[0], Math.abs(wk(0)));
        maxW[1] = Math.max(maxW[1], Math.abs(wk(2)));
        maxW[2] = Math.max(maxW[2], Math.abs(wk(1)));
      }
    this.maxW = maxW;
    this.scratch = new Float64Array(6 * H);
    this.hOut = new Float64Array(H);
  }

  /** A state at h = 0 (a position at inception), not yet folded for any vol. */
  newState(): FoldedState {
    const s: FoldedState = { h: new Float64Array(this.H), base: new Float64Array(3 * this.U), c: packedZeros(PER_UNIT * this.U), head: 0, vol: NaN, ttm: NaN, bound: Infinity };
    this.commit(s, s.h);
    return s;
  }

  /** Commits state h (length H) to s: its recurrent projection now, once; the next preview refolds. */
  commit(s: FoldedState, h: ArrayLike<number>): void {
    const p = this.policy, H = this.H, H3 = 3 * H;
    if (h.length !== H) throw new RangeError(`state must have ${H} entries, got ${h.length}`);
    const gh = this.scratch.subarray(0, H3);
    for (let j = 0; j < H3; j++) gh[j] = p.bh[j];
    for (let k = 0; k < H; k++) {
      const hk = h[k];
      if (!Number.isFinite(hk)) throw new RangeError(`state[${k}] must be a finite number, got ${hk}`);
      if (hk === 0) continue;
      const row = k * H3;
      for (let j = 0; j < H3; j++) gh[j] += hk * p.Wh[row + j];
    }
    if (h !== s.h) s.h.set(h);
    let head = p.bo;
    for (let j = 0; j < H; j++) {
      const hj = s.h[j], wo = p.Wo[j];
      s.base[3 * j] = this.k0[3 * j] - EXP_SCALE * gh[j];
      s.base[3 * j + 1] = this.k0[3 * j + 1] - EXP_SCALE * gh[H + j];
      s.base[3 * j + 2] = this.k0[3 * j + 2];
      s.c[PER_UNIT * j + 3] = -2 * EXP_SCALE * gh[2 * H + j];
      s.c[PER_UNIT * j + 4] = (1 - hj) * wo;
      s.c[PER_UNIT * j + 5] = (1 + hj) * wo;
      head += hj * wo;
    }
    s.head = head;
    s.vol = NaN;
  }

  /** Folds vol and time to maturity into s's arguments and bounds them. */
  private refold(s: FoldedState, vol: number, ttm: number): void {
    const c = s.c, w = this.w, m0 = this.policy.inMean[0], m2 = this.policy.inMean[2];
    let bound = 0;
    for (let j = 0; j < this.U; j++)
      for (let g = 0; g < 3; g++) {
        const v = s.base[3 * j + g] + this.wt[3 * j + g] * ttm + this.wv[3 * j + g] * vol;
        c[PER_UNIT * j + g] = v;
        // r in (0, 1) scales n's recurrent term.
        const at = Math.abs(v + w[6 * j + 2 * g] * m0 + w[6 * j + 2 * g + 1] * m2) + (g === 2 ? Math.abs(c[PER_UNIT * j + 3]) : 0);
        if (at > bound) bound = at;
      }
    s.vol = vol;
    s.ttm = ttm;
    // NaN features give a NaN bound: the exact path, which returns NaN.
    s.bound = bound;
  }

  /**
   * Ratios (calls, per unit) after one step from each state with raw features x (row-major,
   * N_FEATURES per position: price, time to maturity, log return, vol), states[i] reading row i,
   * written into out; the committed states are left as they are (a vol different from the
   * folded one refolds that state).
   */
  preview(states: readonly FoldedState[], x: ArrayLike<number>, n: number, out: Float64Array): Float64Array {
    const p = this.policy, m0 = p.inMean[0], m2 = p.inMean[2];
    const [ma, ml, mt] = this.maxW;
    for (let i = 0; i < n; i++) {
      const s = states[i];
      const o = i * N_FEATURES;
      const a = x[o], tt = x[o + 1], l = x[o + 2], v = x[o + 3];
      if (v !== s.vol) this.refold(s, v, tt);
      const dt = tt - s.ttm;
      if (!(s.bound + Math.abs(a - m0) * ma + Math.abs(l - m2) * ml + Math.abs(dt) * mt < EXP_LIMIT)) {
        out[i] = gruStep(p, s.h, x, o, this.hOut, this.scratch);
        continue;
      }
      out[i] = dt === 0 ? this.sum2(s, a, l) : this.sum3(s, a, l, dt);
    }
    return out;
  }

  /** The head over all units, time to maturity as folded. */
  private sum2(s: FoldedState, a: number, l: number): number {
    const c = s.c, w = this.w, end = PER_UNIT * this.U;
    let acc = s.head;
    for (let o = 0, q = 0; o < end; o += 12, q += 12) {
      const ez = exp2k(c[o] + a * w[q] + l * w[q + 1]);
      const er = exp2k(c[o + 1] + a * w[q + 2] + l * w[q + 3]);
      const en = exp2k(c[o + 2] + a * w[q + 4] + l * w[q + 5] + c[o + 3] / (1 + er));
      const ez1 = exp2k(c[o + 6] + a * w[q + 6] + l * w[q + 7]);
      const er1 = exp2k(c[o + 7] + a * w[q + 8] + l * w[q + 9]);
      const en1 = exp2k(c[o + 8] + a * w[q + 10] + l * w[q + 11] + c[o + 9] / (1 + er1));
      const d = (1 + en) * (1 + ez), d1 = (1 + en1) * (1 + ez1);
      acc += ((c[o + 4] - c[o + 5] * en) * ez * d1 + (c[o + 10] - c[o + 11] * en1) * ez1 * d) / (d * d1);
    }
    return acc;
  }

  /** sum2 with the time to maturity moved by dt since the fold. */
  private sum3(s: FoldedState, a: number, l: number, dt: number): number {
    const c = s.c, w = this.w, wt = this.wt, end = PER_UNIT * this.U;
    let acc = s.head;
    for (let o = 0, q = 0, r = 0; o < end; o += 12, q += 12, r += 6) {
      const ez = exp2k(c[o] + a * w[q] + l * w[q + 1] + dt * wt[r]);
      const er = exp2k(c[o + 1] + a * w[q + 2] + l * w[q + 3] + dt * wt[r + 1]);
      const en = exp2k(c[o + 2] + a * w[q + 4] + l * w[q + 5] + dt * wt[r + 2] + c[o + 3] / (1 + er));
      const ez1 = exp2k(c[o + 6] + a * w[q + 6] + l * w[q + 7] + dt * wt[r + 3]);
      const er1 = exp2k(c[o + 7] + a * w[q + 8] + l * w[q + 9] + dt * wt[r + 4]);
      const en1 = exp2k(c[o + 8] + a * w[q + 10] + l * w[q + 11] + dt * wt[r + 5] + c[o + 9] / (1 + er1));
      const d = (1 + en) * (1 + ez), d1 = (1 + en1) * (1 + ez1);
      acc += ((c[o + 4] - c[o + 5] * en) * ez * d1 + (c[o + 10] - c[o + 11] * en1) * ez1 * d) / (d * d1);
    }
    return acc;
  }
}
