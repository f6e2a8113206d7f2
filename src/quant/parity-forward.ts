/**
 * Forward and discount factor of one expiry from put-call parity, C - P = D (F - K): a weighted
 * straight-line fit of mid(C) - mid(P) against K over the strikes nearest the money, each
 * residual in units of the pair's bid-ask spread (so a tight quote counts more), with outliers
 * (beyond `trim` robust standard deviations, from the median absolute residual) dropped and the
 * line refitted until none is. D = -slope, F = intercept / D. Hand-written numerics.
 */

/** A chain of one expiry: calls and puts at common strikes, bid and ask each. */
export interface ParityChain {
  K: ArrayLike<number>;
  callBid: ArrayLike<number>;
  callAsk: ArrayLike<number>;
  putBid: ArrayLike<number>;
  putAsk: ArrayLike<number>;
}

/** Options of parityForward. */
export interface ParityOptions {
  /** Spot, to report the implied rate and dividend yield (and seed the near-the-money choice). */
  spot?: number;
  /** Strikes used, nearest the money (default 20). */
  nearMoney?: number;
  /** Outlier cut in robust standard deviations (default 3). */
  trim?: number;
}

/** The fit: forward, discount factor, implied rates, and its quality. */
export interface ParityFit {
  F: number;
  D: number;
  /** Continuously compounded rate -ln(D)/T. */
  r: number;
  /** Dividend yield r - ln(F/S)/T (NaN without spot). */
  q: number;
  /** Standard error of F from the fit. */
  seF: number;
  /** Strikes used after trimming, and trimmed. */
  used: number;
  trimmed: number;
  /** RMS residual in units of the pairs' combined spreads (about 0.3 or less for a clean chain). */
  rmsSpread: number;
  /** RMS residual in price units. */
  rmsPrice: number;
}

/** Estimates the forward and discount factor of an expiry T (years) from put-call parity. */
export function parityForward(chain: ParityChain, T: number, opts: ParityOptions = {}): ParityFit {
  if (!(Number.isFinite(T) && T > 0)) throw new RangeError(`T must be a finite number of years > 0, got ${T}`);
  const n = chain.K.length;
  for (const f of ['callBid', 'callAsk', 'putBid', 'putAsk'] as const) {
    if (chain[f]?.length !== n) throw new RangeError(`chain.${f} has ${chain[f]?.length ?? 'no'} entries, chain.K has ${n}`);
  }
  const spot = opts.spot;
  if (spot !== undefined && !(spot > 0 && Number.isFinite(spot))) throw new RangeError(`opts.spot must be a finite price > 0, got ${spot}`);
  const nearMoney = opts.nearMoney ?? 20, trim = opts.trim ?? 3;
  if (!(Number.isInteger(nearMoney) && nearMoney >= 3)) throw new RangeError(`opts.nearMoney must be an integer >= 3, got ${nearMoney}`);
  if (!(trim > 0)) throw new RangeError(`opts.trim must be > 0, got ${trim}`);
  // Usable pairs: both sides two-sided, not crossed
  const K: number[] = [], y: number[] = [], s: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = chain.K[i], cb = chain.callBid[i], ca = chain.callAsk[i], pb = chain.putBid[i], pa = chain.putAsk[i];
    if (!(k > 0 && Number.isFinite(k))) throw new RangeError(`chain.K[${i}] must be a finite strike > 0, got ${k}`);
    if (!(cb > 0 && pb > 0 && ca >= cb && pa >= pb && Number.isFinite(ca) && Number.isFinite(pa))) continue;
    K.push(k);
    y.push(0.5 * (cb + ca) - 0.5 * (pb + pa));
    s.push(Math.max(ca - cb + (pa - pb), 1e-4 * (ca + pa)));
  }
  if (K.length < 3) throw new RangeError(`chain: need at least 3 strikes with two-sided calls and puts, got ${K.length}`);
  // Near the money: around the strike where C - P changes sign (or the spot)
  let atm = spot ?? NaN;
  if (Number.isNaN(atm)) {
    let best = Infinity;
    for (let i = 0; i < K.length; i++) if (Math.abs(y[i]) < best) { best = Math.abs(y[i]); atm = K[i]; }
  }
  const order = K.map((_, i) => i).sort((a, b) => Math.abs(K[a] - atm) - Math.abs(K[b] - atm)).slice(0, nearMoney);
  let use = order.slice();
  let fit = line(use, K, y, s);
  let trimmed = 0;
  for (let round = 0; round < 10 && use.length > 3; round++) {
    const z = use.map((i) => (y[i] - fit.a - fit.b * K[i]) / s[i]);
    const mad = median(z.map((v) => Math.abs(v - median(z))));
    const scale = Math.max(1.4826 * mad, 1e-3);
    const keep = use.filter((_, j) => Math.abs(z[j] - median(z)) <= trim * scale);
    if (keep.length === use.length || keep.length < 3) break;
    trimmed += use.length - keep.length;
    use = keep;
    fit = line(use, K, y, s);
  }
  const D = -fit.b;
  if (!(D > 0)) throw new RangeError(`chain: put-call parity gives a discount factor ${D} <= 0 (C - P does not fall with K)`);
  const F = fit.a / D;
  // Delta method on F = -a/b: dF/da = 1/D, dF/db = a/D^2
  const seF = Math.sqrt(Math.max(0, fit.vaa / (D * D) + (fit.a * fit.a * fit.vbb) / D ** 4 + (2 * fit.a * fit.vab) / D ** 3));
  let ss = 0, sp = 0;
  for (const i of use) {
    const e = y[i] - fit.a - fit.b * K[i];
    ss += (e / s[i]) ** 2;
    sp += e * e;
  }
  const r = -Math.log(D) / T;
  return {
    F, D, r, q: spot !== undefined ? r - Math.log(F / spot) / T : NaN, seF, used: use.length, trimmed,
    rmsSpread: Math.sqrt(ss / use.length), rmsPrice: Math.sqrt(sp / use.length),
  };
}

function median(a: number[]): number {
  const b = a.slice().sort((x, y) => x - y);
  const m = b.length >> 1;
  return b.length % 2 ? b[m] : 0.5 * (b[m - 1] + b[m]);
}

/** Weighted least squares y = a + b K with weights 1/s^2, and the covariance of (a, b). */
function line(use: number[], K: number[], y: number[], s: number[]) {
  let sw = 0, sk = 0, sy = 0;
  for (const i of use) { const w = 1 / (s[i] * s[i]); sw += w; sk += w * K[i]; sy += w * y[i]; }
  const kbar = sk / sw, ybar = sy / sw;
  let skk = 0, sky = 0;
  for (const i of use) { const w = 1 / (s[i] * s[i]); skk += w * (K[i] - kbar) ** 2; sky += w * (K[i] - kbar) * (y[i] - ybar); }
  if (!(skk > 0)) throw new RangeError('chain: the strikes used for parity are all equal');
  const b = sky / skk, a = ybar - b * kbar;
  // Residual variance scale from the weighted residuals
  let rss = 0;
  for (const i of use) rss += ((y[i] - a - b * K[i]) / s[i]) ** 2;
  const sigma2 = use.length > 2 ? rss / (use.length - 2) : 0;
  return { a, b, vbb: sigma2 / skk, vaa: sigma2 * (1 / sw + (kbar * kbar) / skk), vab: (-sigma2 * kbar) / skk };
}
