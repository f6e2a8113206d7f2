/**
 * Seeded simulation of Heston-Nandi GARCH(1,1) (HN 2000) under the physical measure P or the
 * risk-neutral measure Q (the same recursion with hnRiskNeutral's parameters), in typed arrays,
 * and a Monte Carlo pricer used to check the closed form.
 *
 * Shocks: the project's seeded streams (mc-random.ts); the same seed gives the same paths. Antithetic pairs flip the sign of every shock of a path.
 */
import { checkHnParams, hnRiskNeutral, hnStationaryVariance, type HnParams } from './hn-params.ts';
import { hnDefaultH0, type HnOptionSpec } from './hn-price.ts';
import { randomStream } from './mc-random.ts';

/** What to simulate. */
export interface HnSimSpec {
  nDays: number;
  nPaths: number;
  S0: number;
  /** 'P' (physical, the parameters as given) or 'Q' (risk-neutral). */
  measure: 'P' | 'Q';
  seed: number;
  /** Variance of the first day's return; default: the stationary variance of the simulated measure. */
  h0?: number;
  rDaily?: number;
  qDaily?: number;
  /** Pair each path with its mirror (all shocks negated); nPaths must then be even. */
  antithetic?: boolean;
  /** Keep every day of every path (S and h, (nDays + 1) * nPaths each); default false. */
  keepPaths?: boolean;
}

/** Simulated paths. Path-major layout: path i, day t at i * (nDays + 1) + t. */
export interface HnSimResult {
  /** S at the horizon, one per path. */
  ST: Float64Array;
  /** h after the horizon (variance of the next day's return), one per path. */
  hNext: Float64Array;
  /** S_t for t = 0..nDays when keepPaths. */
  S?: Float64Array;
  /** h_{t+1}, the variance of day t + 1's return, for t = 0..nDays when keepPaths. */
  h?: Float64Array;
}

function positiveInt(v: number, name: string): void {
  if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`${name} must be a whole number >= 1, got ${v}`);
}

/** Simulates nPaths price and variance paths of nDays days under P or Q. */
export function hnSimulate(params: HnParams, spec: HnSimSpec): HnSimResult {
  checkHnParams(params);
  const { nDays, nPaths, S0, seed } = spec;
  positiveInt(nDays, 'nDays');
  positiveInt(nPaths, 'nPaths');
  if (!(Number.isFinite(S0) && S0 > 0)) throw new RangeError(`S0 must be a finite number > 0, got ${S0}`);
  if (spec.measure !== 'P' && spec.measure !== 'Q') throw new RangeError(`measure must be "P" or "Q", got ${JSON.stringify(spec.measure)}`);
  const r = spec.rDaily ?? 0;
  const q = spec.qDaily ?? 0;
  if (!Number.isFinite(r)) throw new RangeError(`rDaily must be a finite number, got ${r}`);
  if (!Number.isFinite(q)) throw new RangeError(`qDaily must be a finite number, got ${q}`);
  const anti = spec.antithetic ?? false;
  if (anti && nPaths % 2 !== 0) throw new RangeError(`nPaths must be even with antithetic pairs, got ${nPaths}`);
  const p = spec.measure === 'Q' ? hnRiskNeutral(params) : params;
  const h0 = spec.h0 ?? hnStationaryVariance(p);
  if (!(Number.isFinite(h0) && h0 > 0)) throw new RangeError(`h0 must be a finite daily variance > 0, got ${h0}`);
  const { omega, alpha, beta, gamma, lambda } = p;
  const mu = r - q;
  const rng = randomStream(seed);
  const keep = spec.keepPaths ?? false;
  const stride = nDays + 1;
  const res: HnSimResult = { ST: new Float64Array(nPaths), hNext: new Float64Array(nPaths) };
  if (keep) {
    res.S = new Float64Array(nPaths * stride);
    res.h = new Float64Array(nPaths * stride);
  }
  const shocks = new Float64Array(nDays);
  const logS0 = Math.log(S0);
  for (let i = 0; i < nPaths; i++) {
    let sign = 1;
    if (anti && i % 2 === 1) sign = -1;
    else rng.fillNormals(shocks);
    let x = logS0;
    let h = h0;
    if (keep) {
      res.S![i * stride] = S0;
      res.h![i * stride] = h0;
    }
    for (let t = 0; t < nDays; t++) {
      const z = sign * shocks[t];
      const sh = Math.sqrt(h);
      x += mu + lambda * h + sh * z;
      const d = z - gamma * sh;
      h = omega + beta * h + alpha * d * d;
      if (keep) {
        res.S![i * stride + t + 1] = Math.exp(x);
        res.h![i * stride + t + 1] = h;
      }
    }
    res.ST[i] = Math.exp(x);
    res.hNext[i] = h;
  }
  return res;
}

/** One simulated return series under P (e.g. to test estimation). */
export interface HnSeries {
  /** Daily log returns R_1..R_n. */
  returns: Float64Array;
  /** h[t] is the variance of returns[t]; h[n] the forecast after the last return. */
  h: Float64Array;
}

/**
 * n daily log returns under P, after `burnIn` discarded days (default 0) started at h0 (default the
 * stationary variance).
 */
export function hnSimulateReturns(
  params: HnParams,
  n: number,
  opts: { seed: number; h0?: number; rDaily?: number; qDaily?: number; burnIn?: number },
): HnSeries {
  checkHnParams(params);
  positiveInt(n, 'n');
  const burnIn = opts.burnIn ?? 0;
  if (!(Number.isInteger(burnIn) && burnIn >= 0)) throw new RangeError(`burnIn must be a whole number >= 0, got ${burnIn}`);
  const r = opts.rDaily ?? 0;
  const q = opts.qDaily ?? 0;
  let h = opts.h0 ?? hnStationaryVariance(params);
  if (!(Number.isFinite(h) && h > 0)) throw new RangeError(`h0 must be a finite daily variance > 0, got ${h}`);
  const rng = randomStream(opts.seed);
  const returns = new Float64Array(n);
  const hs = new Float64Array(n + 1);
  const { omega, alpha, beta, gamma, lambda } = params;
  for (let t = -burnIn; t < n; t++) {
    const z = rng.normal();
    const sh = Math.sqrt(h);
    if (t >= 0) {
      hs[t] = h;
      returns[t] = r - q + lambda * h + sh * z;
    }
    const d = z - gamma * sh;
    h = omega + beta * h + alpha * d * d;
  }
  hs[n] = h;
  return { returns, h: hs };
}

/** Monte Carlo prices under Q with their standard errors, one per strike. */
export interface HnMcPrice {
  price: Float64Array;
  stdErr: Float64Array;
}

/**
 * European prices by simulating the risk-neutral dynamics (a check on hnPrice, and the bench's
 * baseline). With antithetic pairs the standard error is taken over pair averages.
 */
export function hnMonteCarloPrice(params: HnParams, spec: HnOptionSpec, mc: { nPaths: number; seed: number; antithetic?: boolean }): HnMcPrice {
  const strikes = typeof spec.K === 'number' ? Float64Array.of(spec.K) : Float64Array.from(spec.K);
  const rights = typeof spec.right === 'string' ? null : spec.right;
  if (rights !== null && rights.length !== strikes.length) throw new RangeError(`right has ${rights.length} entries for ${strikes.length} strikes`);
  const h0 = spec.h0 ?? hnDefaultH0(params);
  const sim = hnSimulate(params, {
    nDays: spec.Tdays,
    nPaths: mc.nPaths,
    S0: spec.S,
    measure: 'Q',
    seed: mc.seed,
    h0,
    rDaily: spec.rDaily,
    qDaily: spec.qDaily,
    antithetic: mc.antithetic,
  });
  const disc = Math.exp(-spec.rDaily * spec.Tdays);
  const group = mc.antithetic ? 2 : 1;
  const m = mc.nPaths / group;
  const price = new Float64Array(strikes.length);
  const stdErr = new Float64Array(strikes.length);
  for (let k = 0; k < strikes.length; k++) {
    const K = strikes[k];
    const right = rights === null ? spec.right : rights[k];
    const call = right === 'call' || right === 'C';
    let sum = 0;
    let sum2 = 0;
    for (let j = 0; j < m; j++) {
      let v = 0;
      for (let g = 0; g < group; g++) {
        const ST = sim.ST[j * group + g];
        v += call ? Math.max(ST - K, 0) : Math.max(K - ST, 0);
      }
      v /= group;
      sum += v;
      sum2 += v * v;
    }
    const mean = sum / m;
    const variance = Math.max(0, (sum2 - m * mean * mean) / (m - 1));
    price[k] = disc * mean;
    stdErr[k] = disc * Math.sqrt(variance / m);
  }
  return { price, stdErr };
}
