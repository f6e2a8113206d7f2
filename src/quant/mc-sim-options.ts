/**
 * Options and results shared by the Heston/Bates path simulators (mc-heston-qe.ts, the QE scheme,
 * and mc-heston-euler.ts, the full-truncation Euler baseline), and their validation.
 *
 * Units: S0 in price units; T in years; r, q and mu continuously compounded per year; variance
 * parameters annualised. Path layout: with keepPaths, path i's values at t_j = j T/steps,
 * j = 0..steps, sit at [i (steps + 1) + j]; without it, only the terminal value of path i, at [i].
 */
import { toCfModel, type BatesParams, type HestonParams } from './heston-cf.ts';
import type { PhysicalDynamics } from './mc-measure.ts';
import { randomStream, type RandomStream } from './mc-random.ts';

/** 'Q': risk-neutral (drift r - q, Q variance drift); 'P': physical (drift mu - q, P variance drift). */
export type Measure = 'Q' | 'P';

/** What to simulate. */
export interface HestonSimOptions {
  /** Risk-neutral model parameters; lambda > 0 makes it Bates (lognormal jumps), as in hestonPrices. */
  params: HestonParams | BatesParams;
  S0: number;
  /** Short rate, continuously compounded per year. */
  r: number;
  /** Dividend yield, continuously compounded per year (default 0). */
  q?: number;
  /** Horizon in years. */
  T: number;
  /** Time steps over [0, T]. */
  steps: number;
  /** Paths; even when antithetic. */
  paths: number;
  /** Seed of the random streams (integer in [-2^31, 2^32)). */
  seed: number;
  /** Which independent stream of the seed to use (default 0). */
  stream?: number;
  /** Pairs paths 2k, 2k+1 on mirrored draws (Z and -Z, U and 1 - U). Default false. */
  antithetic?: boolean;
  /** Default 'Q'. */
  measure?: Measure;
  /** Required when measure is 'P': expected total return mu and the P variance drift (see mc-measure.ts). */
  physical?: PhysicalDynamics;
  /** Keep whole paths (paths x (steps + 1)) rather than terminal values only. Default false. */
  keepPaths?: boolean;
}

/** Simulated paths (layout in the module header). */
export interface HestonPaths {
  /** Prices: paths x (steps + 1) with keepPaths, else one terminal price per path. */
  S: Float64Array;
  /** Variances, same layout as S. */
  v: Float64Array;
  paths: number;
  steps: number;
  /** T / steps, years. */
  dt: number;
  keepPaths: boolean;
}

/** Validated inputs in the form the simulators read. */
export interface SimSetup {
  v0: number;
  /** Variance drift under the simulated measure. */
  kappa: number;
  theta: number;
  sigma: number;
  rho: number;
  lambda: number;
  muJ: number;
  sigmaJ: number;
  /** Drift of ln S per year before the -v/2 term: (r or mu) - q - lambda kbar. */
  logDrift: number;
  S0: number;
  T: number;
  dt: number;
  steps: number;
  paths: number;
  antithetic: boolean;
  keepPaths: boolean;
  rng: RandomStream;
}

/** Largest number of entries kept per array with keepPaths (8 bytes each). */
export const MAX_KEPT = 25_000_000;
/** Largest number of paths in one call (terminal values take 16 bytes a path); use several streams for more. */
export const MAX_PATHS = 50_000_000;

function need(ok: boolean, name: string, what: string, value: unknown): void {
  if (!ok) throw new RangeError(`${name} ${what}, got ${String(value)}`);
}

/** Checks the options and resolves the measure; throws a RangeError naming the bad input. */
export function setupSimulation(o: HestonSimOptions): SimSetup {
  need(o !== null && typeof o === 'object', 'options', 'must be an object', o);
  const m = toCfModel(o.params);
  const { S0, r, T, steps, paths } = o;
  const q = o.q ?? 0;
  need(Number.isFinite(S0) && S0 > 0, 'S0', 'must be a finite number > 0', S0);
  need(Number.isFinite(r), 'r', 'must be a finite number', r);
  need(Number.isFinite(q), 'q', 'must be a finite number', q);
  need(Number.isFinite(T) && T > 0, 'T', 'must be a finite number > 0 (years)', T);
  need(Number.isInteger(steps) && steps >= 1 && steps <= 1_000_000, 'steps', 'must be an integer in [1, 1e6]', steps);
  need(Number.isInteger(paths) && paths >= 1 && paths <= MAX_PATHS, 'paths', `must be an integer in [1, ${MAX_PATHS}]`, paths);
  const antithetic = o.antithetic ?? false;
  need(typeof antithetic === 'boolean', 'antithetic', 'must be a boolean', antithetic);
  need(!antithetic || paths % 2 === 0, 'paths', 'must be even when antithetic', paths);
  const keepPaths = o.keepPaths ?? false;
  need(typeof keepPaths === 'boolean', 'keepPaths', 'must be a boolean', keepPaths);
  need(!keepPaths || paths * (steps + 1) <= MAX_KEPT, 'paths x (steps + 1)', `must be <= ${MAX_KEPT} with keepPaths`, paths * (steps + 1));
  const measure = o.measure ?? 'Q';
  need(measure === 'Q' || measure === 'P', 'measure', "must be 'Q' or 'P'", measure);
  let kappa = m.kappa;
  let theta = m.theta;
  let mu = r;
  if (measure === 'P') {
    const p = o.physical;
    need(p !== undefined && p !== null && typeof p === 'object', 'physical', "must be given when measure is 'P'", p);
    const ph = p as PhysicalDynamics;
    need(Number.isFinite(ph.mu), 'physical.mu', 'must be a finite number', ph.mu);
    need(Number.isFinite(ph.kappa) && ph.kappa >= 0, 'physical.kappa', 'must be a finite number >= 0', ph.kappa);
    need(Number.isFinite(ph.theta) && ph.theta >= 0, 'physical.theta', 'must be a finite number >= 0', ph.theta);
    ({ kappa, theta, mu } = ph);
  }
  const dt = T / steps;
  need(m.lambda * dt <= 30, 'params.lambda x dt', 'must be <= 30 (expected jumps per step): use more steps', m.lambda * dt);
  return {
    v0: m.v0,
    kappa,
    theta,
    sigma: m.sigma,
    rho: m.rho,
    lambda: m.lambda,
    muJ: m.muJ,
    sigmaJ: m.sigmaJ,
    logDrift: mu - q - m.lambda * m.jumpMean,
    S0,
    T,
    dt,
    steps,
    paths,
    antithetic,
    keepPaths,
    rng: randomStream(o.seed, o.stream ?? 0),
  };
}

/** Output arrays for a setup: paths x (steps + 1) with keepPaths, else one entry per path. */
export function allocatePaths(s: SimSetup): HestonPaths {
  const n = s.keepPaths ? s.paths * (s.steps + 1) : s.paths;
  return { S: new Float64Array(n), v: new Float64Array(n), paths: s.paths, steps: s.steps, dt: s.dt, keepPaths: s.keepPaths };
}
