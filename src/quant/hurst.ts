/**
 * The Hurst exponent of a log-volatility series by moment scaling, after Gatheral, Jaisson and
 * Rosenbaum, "Volatility is rough", Quantitative Finance 18(6), 2018, section 2: with
 * m(q, Δ) = mean_t |x_{t+Δ} - x_t|^q for x = log sigma, log m(q, Δ) is regressed on log Δ for each
 * q (slope zeta_q), and if x behaves like fractional Brownian motion, zeta_q = q H; H is the slope
 * of zeta_q on q through the origin. Their estimate for the realized volatility of the S&P 500 is
 * H of about 0.14, with zeta_q linear in q (q = 0.5, 1, 1.5, 2, 3, the default here).
 * Hand-written: no JS library offers it.
 *
 * Input: the log of a volatility (or variance: log sigma^2 = 2 log sigma only doubles the
 * increments, which shifts every log m and leaves the slopes, hence H, unchanged). Lags are in
 * the series' own steps (days for a daily series).
 */

/** Estimation choices. */
export interface HurstOptions {
  /** Moment orders q (default 0.5, 1, 1.5, 2, 3, as in the paper's figures). */
  qs?: ArrayLike<number>;
  /** Lags Δ in steps (default 1..min(30, floor(length / 4)), at least 1..2). */
  lags?: ArrayLike<number>;
}

/** The estimate and everything it was made from. */
export interface HurstFit {
  /** Slope of zeta_q on q through the origin. */
  H: number;
  /** Slope of zeta_q on q with a free intercept (close to H, with a near-0 intercept, when the scaling is monofractal). */
  hFree: number;
  /** Intercept of that free regression. */
  hFreeIntercept: number;
  qs: Float64Array;
  lags: Float64Array;
  /** Per q: slope of log m(q, Δ) on log Δ. */
  zeta: Float64Array;
  /** Per q: intercept of that regression. */
  intercept: Float64Array;
  /** Per q: R^2 of that regression. */
  r2: Float64Array;
  /** log m(q, Δ), row q, column Δ (qs.length x lags.length). */
  logM: Float64Array;
  /** Number of increments averaged at each lag. */
  counts: Float64Array;
}

/** Ordinary least squares of y on x: [slope, intercept, R^2]. */
function ols(x: ArrayLike<number>, y: ArrayLike<number>, yOff: number, n: number): [number, number, number] {
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[yOff + i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[yOff + i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  return [slope, my - slope * mx, syy > 0 ? (sxy * sxy) / (sxx * syy) : 1];
}

function resolveOptions(opts: HurstOptions, length: number): { qs: Float64Array; lags: Float64Array } {
  const qs = Float64Array.from(opts.qs ?? [0.5, 1, 1.5, 2, 3]);
  if (qs.length < 1 || qs.some((q) => !(q > 0 && Number.isFinite(q)))) throw new RangeError(`qs must be positive finite numbers, got [${Array.from(qs).join(', ')}]`);
  const maxDefault = Math.max(2, Math.min(30, Math.floor(length / 4)));
  const lags = Float64Array.from(opts.lags ?? Array.from({ length: maxDefault }, (_, i) => i + 1));
  if (lags.length < 2) throw new RangeError(`need at least 2 lags to fit a slope, got ${lags.length}`);
  for (const l of lags) {
    if (!(Number.isInteger(l) && l >= 1 && l < length)) throw new RangeError(`lags must be integers in [1, ${length - 1}], got ${l}`);
  }
  if (new Set(lags).size !== lags.length) throw new RangeError('lags must be distinct');
  return { qs, lags };
}

/** From sums of |increment|^q per (q, lag) to the fit. */
function fit(qs: Float64Array, lags: Float64Array, sums: Float64Array, counts: Float64Array): HurstFit {
  const nq = qs.length;
  const nl = lags.length;
  const logM = new Float64Array(nq * nl);
  for (let a = 0; a < nq; a++) {
    for (let b = 0; b < nl; b++) {
      const m = sums[a * nl + b] / counts[b];
      if (!(m > 0)) throw new RangeError(`the series does not move at lag ${lags[b]} (every increment is 0): no scaling to fit`);
      logM[a * nl + b] = Math.log(m);
    }
  }
  const logLag = lags.map(Math.log);
  const zeta = new Float64Array(nq);
  const intercept = new Float64Array(nq);
  const r2 = new Float64Array(nq);
  for (let a = 0; a < nq; a++) [zeta[a], intercept[a], r2[a]] = ols(logLag, logM, a * nl, nl);
  let sqz = 0;
  let sqq = 0;
  for (let a = 0; a < nq; a++) {
    sqz += qs[a] * zeta[a];
    sqq += qs[a] * qs[a];
  }
  const [hFree, hFreeIntercept] = nq >= 2 ? ols(qs, zeta, 0, nq) : [NaN, NaN];
  return { H: sqz / sqq, hFree, hFreeIntercept, qs, lags, zeta, intercept, r2, logM, counts };
}

/** Adds |x[o + t + lag] - x[o + t]|^q over t to sums, for every q and lag. */
function accumulate(x: ArrayLike<number>, o: number, len: number, qs: Float64Array, lags: Float64Array, sums: Float64Array, counts: Float64Array): void {
  const nl = lags.length;
  for (let b = 0; b < nl; b++) {
    const lag = lags[b];
    const cnt = len - lag;
    if (cnt <= 0) continue;
    counts[b] += cnt;
    for (let a = 0; a < qs.length; a++) {
      const q = qs[a];
      let s = 0;
      if (q === 1) for (let t = 0; t < cnt; t++) s += Math.abs(x[o + t + lag] - x[o + t]);
      else if (q === 2) for (let t = 0; t < cnt; t++) s += (x[o + t + lag] - x[o + t]) ** 2;
      else for (let t = 0; t < cnt; t++) s += Math.abs(x[o + t + lag] - x[o + t]) ** q;
      sums[a * nl + b] += s;
    }
  }
}

function checkFinite(x: ArrayLike<number>, what: (i: number) => string): void {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new RangeError(`${what(i)} is not finite (${x[i]})`);
}

/**
 * Hurst exponent of one series x (log volatility) by the moment-scaling method; see the module
 * comment. Throws on a non-finite value (naming its index), on lags outside the series, or on a
 * series that does not move.
 */
export function hurstMomentScaling(x: ArrayLike<number>, opts: HurstOptions = {}): HurstFit {
  if (x.length < 3) throw new RangeError(`need at least 3 values to estimate H, got ${x.length}`);
  checkFinite(x, (i) => `value at index ${i}`);
  const { qs, lags } = resolveOptions(opts, x.length);
  const sums = new Float64Array(qs.length * lags.length);
  const counts = new Float64Array(lags.length);
  accumulate(x, 0, x.length, qs, lags, sums, counts);
  return fit(qs, lags, sums, counts);
}

/**
 * Hurst exponent of an ensemble of paths (path-major, paths[p * nSteps + t]), e.g. 20-day
 * segments of real or simulated log variance: increments at each lag are pooled over all paths
 * (never across a path's end into the next path) before the moments are taken.
 */
export function hurstMomentScalingPaths(paths: ArrayLike<number>, nPaths: number, nSteps: number, opts: HurstOptions = {}): HurstFit {
  if (!(Number.isInteger(nPaths) && nPaths >= 1)) throw new RangeError(`nPaths must be a positive integer, got ${String(nPaths)}`);
  if (!(Number.isInteger(nSteps) && nSteps >= 3)) throw new RangeError(`nSteps must be an integer >= 3, got ${String(nSteps)}`);
  if (paths.length !== nPaths * nSteps) throw new RangeError(`paths must have length nPaths x nSteps = ${nPaths * nSteps}, got ${paths.length}`);
  checkFinite(paths, (i) => `paths: path ${Math.floor(i / nSteps)}, step ${i % nSteps}`);
  const { qs, lags } = resolveOptions(opts, nSteps);
  const sums = new Float64Array(qs.length * lags.length);
  const counts = new Float64Array(lags.length);
  for (let p = 0; p < nPaths; p++) accumulate(paths, p * nSteps, nSteps, qs, lags, sums, counts);
  return fit(qs, lags, sums, counts);
}
