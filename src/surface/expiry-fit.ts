/**
 * One expiry of a chain snapshot, fitted: forward and discount factor by put-call parity
 * (quant/parity-forward.ts), Black-76 bid/mid/ask implied vols of every quote on that forward
 * and discount (quant/implied-vol.ts), and a raw SVI slice (quant/svi-fit.ts) through the
 * out-of-the-money two-sided quotes (puts below the forward, calls at and above it).
 *
 * The SVI objective is the squared error in bid-ask units: each quote's total-variance weight
 * is 1 / (w_ask - w_bid)^2, the spread floored at 0.1 vol point so no single tight quote rules
 * the slice. The fit is reported as RMSE in implied vol (unweighted, over the fitted quotes) and
 * in bid-ask units ((svi iv - mid iv) / (ask iv - bid iv)), with the share of fitted quotes whose
 * SVI vol lies inside their bid-ask vol interval. A failure is a `skipped` result with its reason,
 * never an exception, so one bad expiry never stops a surface.
 */
import { impliedVolsBlack76, IV_OK } from '../quant/implied-vol.ts';
import { parityForward } from '../quant/parity-forward.ts';
import { fitSviSlice } from '../quant/svi-fit.ts';
import { sviW, type SviRaw } from '../quant/svi-raw.ts';
import type { ExpiryChain } from './chain-book.ts';

/** Options of an expiry fit. */
export interface ExpiryFitOptions {
  /** Fewest out-of-the-money two-sided quotes to fit an expiry (default 8). */
  minQuotes?: number;
  /** Shortest maturity fitted, years (default one hour: a 0DTE's last hour has no smile to speak of). */
  minT?: number;
  /** Strikes nearest the money used by the parity fit (default 20). */
  parityStrikes?: number;
  /** Floor of the bid-ask vol spread in the fit's weights (default 0.001). */
  minIvSpread?: number;
  /** Nelder-Mead budget of the SVI fit (default 400). */
  sviMaxEvals?: number;
}

/** Every quote of the expiry with its implied vols (null: no vol, e.g. a zero bid), column-wise. */
export interface ExpiryQuoteIvs {
  K: number[];
  right: Array<'C' | 'P'>;
  /** ln(K/F). */
  k: number[];
  bidIv: Array<number | null>;
  midIv: Array<number | null>;
  askIv: Array<number | null>;
  /** Whether the quote was one the SVI slice was fitted to. */
  fit: boolean[];
}

/** A fitted expiry. */
export interface ExpiryFit {
  status: 'fitted';
  key: string;
  root: string;
  expiry: string;
  /** Event time of the snapshot fitted, and ACT/365 years to settlement from it. */
  ts: number;
  T: number;
  forward: number;
  discount: number;
  /** Implied continuously compounded rate and dividend yield (q null without a spot). */
  r: number;
  q: number | null;
  parity: { used: number; trimmed: number; rmsSpread: number; seF: number };
  svi: SviRaw;
  /** SVI at-the-money total variance w(0) and vol. */
  atmW: number;
  atmIv: number;
  /** Quotes fitted; RMSE in implied vol; RMSE in bid-ask units; share inside the bid-ask vols. */
  n: number;
  rmseIv: number;
  rmseSpread: number;
  inside: number;
  quotes: ExpiryQuoteIvs;
}

/** An expiry that could not be fitted, and why. */
export interface ExpirySkip {
  status: 'skipped';
  key: string;
  root: string;
  expiry: string;
  ts: number;
  T: number;
  /** Two-sided quotes (bid > 0) of either right. */
  twoSided: number;
  reason: string;
}

export type ExpiryResult = ExpiryFit | ExpirySkip;

const nul = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Fits one expiry's chain; `spot` (or null) only refines the parity fit's choice of strikes and gives q. */
export function fitExpiry(c: ExpiryChain, spot: number | null, opts: ExpiryFitOptions = {}): ExpiryResult {
  const minQuotes = opts.minQuotes ?? 8;
  const minT = opts.minT ?? 1 / (365 * 24);
  const minSpread = opts.minIvSpread ?? 0.001;
  let twoSided = 0;
  for (let i = 0; i < c.K.length; i++) {
    if (c.callBid[i] > 0 && c.callAsk[i] >= c.callBid[i]) twoSided++;
    if (c.putBid[i] > 0 && c.putAsk[i] >= c.putBid[i]) twoSided++;
  }
  const skip = (reason: string): ExpirySkip => ({ status: 'skipped', key: c.key, root: c.root, expiry: c.expiry, ts: c.ts, T: c.T, twoSided, reason });
  if (!Number.isFinite(c.T)) return skip(`no settlement rule for root ${c.root}`);
  if (!(c.T >= minT)) return skip(`T ${c.T.toExponential(3)} years is below the shortest fitted maturity ${minT.toExponential(3)}`);
  if (twoSided < minQuotes) return skip(`too few two-sided quotes: ${twoSided} (need ${minQuotes})`);
  let par;
  try {
    par = parityForward(c, c.T, { spot: spot ?? undefined, nearMoney: opts.parityStrikes ?? 20 });
  } catch (e) {
    return skip(`parity: ${(e as Error).message}`);
  }
  const F = par.F, D = par.D;
  // Every quote with an offer, both rights
  const K: number[] = [], right: Array<'C' | 'P'> = [], bid: number[] = [], ask: number[] = [];
  for (let i = 0; i < c.K.length; i++) {
    for (const [r, b, a] of [['C', c.callBid[i], c.callAsk[i]], ['P', c.putBid[i], c.putAsk[i]]] as const) {
      if (!(a > 0 && b >= 0 && a >= b)) continue;
      K.push(c.K[i]); right.push(r); bid.push(b); ask.push(a);
    }
  }
  const n = K.length;
  const Kf = Float64Array.from(K), isCall = Uint8Array.from(right, (r) => (r === 'C' ? 1 : 0));
  const bIv = impliedVolsBlack76(Float64Array.from(bid), F, Kf, c.T, D, isCall);
  const mIv = impliedVolsBlack76(Float64Array.from(bid, (b, i) => 0.5 * (b + ask[i])), F, Kf, c.T, D, isCall);
  const aIv = impliedVolsBlack76(Float64Array.from(ask), F, Kf, c.T, D, isCall);
  const quotes: ExpiryQuoteIvs = { K, right, k: [], bidIv: [], midIv: [], askIv: [], fit: [] };
  for (let i = 0; i < n; i++) {
    const ok = bid[i] > 0 && bIv.status[i] === IV_OK && mIv.status[i] === IV_OK && aIv.status[i] === IV_OK;
    quotes.k.push(Math.log(K[i] / F));
    quotes.bidIv.push(nul(bIv.iv[i])); quotes.midIv.push(nul(mIv.iv[i])); quotes.askIv.push(nul(aIv.iv[i]));
    quotes.fit.push(ok && right[i] === (K[i] >= F ? 'C' : 'P'));
  }
  const { k: pk, iv: piv, weight: pW, bidIv: pb, askIv: pa } = fitPoints(quotes, c.T, minSpread);
  const pw = piv.map((m) => m * m * c.T);
  if (pk.length < minQuotes) return skip(`too few out-of-the-money two-sided quotes with implied vols: ${pk.length} (need ${minQuotes})`);
  let svi: SviRaw;
  try {
    svi = fitSviSlice(pk, pw, pW, { maxEvals: opts.sviMaxEvals }).params;
  } catch (e) {
    return skip(`svi: ${(e as Error).message}`);
  }
  let se = 0, ss = 0, inside = 0;
  for (let i = 0; i < pk.length; i++) {
    const v = Math.sqrt(Math.max(sviW(svi, pk[i]), 0) / c.T);
    se += (v - piv[i]) ** 2;
    ss += ((v - piv[i]) / Math.max(pa[i] - pb[i], 1e-12)) ** 2;
    if (v >= pb[i] && v <= pa[i]) inside++;
  }
  const atmW = sviW(svi, 0);
  return {
    status: 'fitted', key: c.key, root: c.root, expiry: c.expiry, ts: c.ts, T: c.T,
    forward: F, discount: D, r: par.r, q: spot === null ? null : par.q,
    parity: { used: par.used, trimmed: par.trimmed, rmsSpread: par.rmsSpread, seF: par.seF },
    svi, atmW, atmIv: Math.sqrt(Math.max(atmW, 0) / c.T),
    n: pk.length, rmseIv: Math.sqrt(se / pk.length), rmseSpread: Math.sqrt(ss / pk.length), inside: inside / pk.length,
    quotes,
  };
}

/** The fitted quotes of an expiry as fit points: k, mid vol, weight 1/(w_ask - w_bid)^2 (spread floored), bid and ask vols. */
export function fitPoints(q: ExpiryQuoteIvs, T: number, minIvSpread = 0.001) {
  const k: number[] = [], iv: number[] = [], weight: number[] = [], bidIv: number[] = [], askIv: number[] = [];
  for (let i = 0; i < q.k.length; i++) {
    if (!q.fit[i]) continue;
    const b = q.bidIv[i]!, m = q.midIv[i]!, a = q.askIv[i]!;
    const spreadW = Math.max(T * (a * a - b * b), 2 * T * m * minIvSpread);
    k.push(q.k[i]); iv.push(m); weight.push(1 / (spreadW * spreadW)); bidIv.push(b); askIv.push(a);
  }
  return { k, iv, weight, bidIv, askIv };
}
