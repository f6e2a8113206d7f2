/**
 * Prices from simulated VIX paths, compared with the market where the data has it:
 * - VIX futures: the model's E[VIX_T] at the continuous contracts' mean maturities
 *   ((n - 1/2) months, futuresTau) against the real VX1..VX6 curve on dates of the test years
 *   (the futures file ends 2021-12-23), with the log-OU baseline's closed form beside it;
 * - VIX calls and puts at several horizons (undiscounted, r = 0) with their Black-76 vols (no
 *   VIX option quotes are in the data, so there is nothing to compare them with);
 * - SPX options through a spot path driven by the simulated variance, dlog S = -V dt / 2 +
 *   sqrt(V) dB, d<B, W> = rho dt with rho from the data, priced on the parity forward of a real
 *   CBOE chain of that date and inverted to implied vols (quant core), against the market's
 *   SVI smile of the same expiry.
 * The model is fitted to the historical (P) dynamics: its futures and option prices carry no
 * variance risk premium, which the comparison shows.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { impliedVolBlack76 } from '../../src/quant/implied-vol.ts';
import { sviW } from '../../src/quant/svi-raw.ts';
import { randomStream } from '../../src/quant/mc-random.ts';
import { REAL_DATA_DIR } from '../../src/ticks/real-data.ts';
import { fitChainFiles } from '../../src/surface/chain-files.ts';
import { futuresTau, simulateLogOu, type LogOu } from './calibrate.ts';
import { loadFuturesCurves, vixToX } from './data.ts';
import type { NsdeData } from './prepare.ts';
import { SIG_LEN } from './signature-step.ts';
import { simulateChunked } from './evaluate.ts';
import { normals, windowSignature, type NsdeModel, type Starts } from './simulate.ts';

/** n copies of the start on `date` (the history window ending there seeds the signature). */
export function startsOn(data: NsdeData, date: string, n: number): Starts {
  const i = data.vix.dates.indexOf(date);
  if (i < data.warm) throw new Error(`pricing: no VIX close on ${date}, or fewer than ${data.warm} days of history before it`);
  const hist = vixToX(data.vix.values.subarray(i - data.warm, i + 1));
  const sig = new Float64Array(SIG_LEN);
  windowSignature(hist, 0, data.warm + 1, data.dt, sig);
  const sig0 = new Float64Array(n * SIG_LEN);
  for (let p = 0; p < n; p++) sig0.set(sig, p * SIG_LEN);
  return { n, x0: new Float64Array(n).fill(hist[data.warm]), sig0 };
}

/** E[VIX_T] of the log-OU model from X0 (X_T Gaussian: VIX = 100 e^{X/2}). */
export function logOuVixMean(p: LogOu, x0: number, T: number): number {
  const e = Math.exp(-p.kappa * T);
  const m = p.theta + (x0 - p.theta) * e;
  const v = (p.sigma * p.sigma * (1 - e * e)) / (2 * p.kappa);
  return 100 * Math.exp(m / 2 + v / 8);
}

/** One date's futures curve: market, model and baseline per contract. */
export interface FuturesRow {
  date: string;
  vix: number;
  contracts: Array<{ n: number; tau: number; market: number; nsde: number; logOu: number }>;
}

/** Model and baseline futures curves against the market on the given dates (default: the first trading day of each quarter of 2020-2021). */
export function futuresComparison(m: NsdeModel, data: NsdeData, opts: { paths: number; seed: number; dates?: string[]; dataDir?: string; maxContract?: number }): { rows: FuturesRow[]; rmse: { nsde: number; logOu: number }; bias: { nsde: number; logOu: number } } {
  const curves = loadFuturesCurves(opts.dataDir ?? REAL_DATA_DIR);
  const maxN = opts.maxContract ?? 6;
  const dates = opts.dates ?? ['2020-01', '2020-04', '2020-07', '2020-10', '2021-01', '2021-04', '2021-07', '2021-10'].map((p) => curves.dates.find((d) => d.startsWith(p) && data.vix.dates.includes(d))!).filter(Boolean);
  const steps = Math.round(futuresTau(maxN) * 252);
  const rows: FuturesRow[] = [];
  let se = [0, 0];
  let bi = [0, 0];
  let cnt = 0;
  dates.forEach((date, di) => {
    const ci = curves.dates.indexOf(date);
    if (ci < 0) throw new Error(`pricing: no futures curve on ${date}`);
    const st = startsOn(data, date, opts.paths);
    const x = simulateChunked(m, st, steps, normals(opts.seed, 300 + di, steps, opts.paths));
    const contracts: FuturesRow['contracts'] = [];
    for (let n = 1; n <= maxN; n++) {
      const market = curves.futures[ci * 8 + n - 1];
      if (!(market > 0)) continue;
      const tau = futuresTau(n);
      const k = Math.round(tau * 252);
      let s = 0;
      for (let p = 0; p < opts.paths; p++) s += 100 * Math.exp(x[p * (steps + 1) + k] / 2);
      const nsde = s / opts.paths;
      const logOu = logOuVixMean(data.baseline, st.x0[0], k * data.dt);
      contracts.push({ n, tau, market, nsde, logOu });
      se = [se[0] + (nsde - market) ** 2, se[1] + (logOu - market) ** 2];
      bi = [bi[0] + nsde - market, bi[1] + logOu - market];
      cnt++;
    }
    rows.push({ date, vix: curves.vix[ci], contracts });
  });
  return { rows, rmse: { nsde: Math.sqrt(se[0] / cnt), logOu: Math.sqrt(se[1] / cnt) }, bias: { nsde: bi[0] / cnt, logOu: bi[1] / cnt } };
}

/** VIX option prices (undiscounted) and Black-76 vols at horizons, from one date's start. */
export interface VixOptionRow {
  horizonDays: number;
  forward: number;
  strikes: Array<{ K: number; call: number; put: number; iv: number }>;
}

/** VIX calls and puts at strikes forward x {0.8, 0.9, 1, 1.1, 1.25, 1.5} at the given horizons (trading days). */
export function vixOptions(m: NsdeModel, data: NsdeData, date: string, opts: { paths: number; seed: number; horizons?: number[] }): VixOptionRow[] {
  const horizons = opts.horizons ?? [5, 10, 20];
  const steps = Math.max(...horizons);
  const x = simulateChunked(m, startsOn(data, date, opts.paths), steps, normals(opts.seed, 400, steps, opts.paths));
  return horizons.map((h) => {
    const v = Float64Array.from({ length: opts.paths }, (_, p) => 100 * Math.exp(x[p * (steps + 1) + h] / 2));
    const F = v.reduce((a, b) => a + b, 0) / v.length;
    const T = h * data.dt;
    return {
      horizonDays: h,
      forward: F,
      strikes: [0.8, 0.9, 1, 1.1, 1.25, 1.5].map((mult) => {
        const K = Math.round(F * mult * 100) / 100;
        let call = 0;
        let put = 0;
        for (const s of v) {
          call += Math.max(s - K, 0);
          put += Math.max(K - s, 0);
        }
        call /= v.length;
        put /= v.length;
        // The OTM side inverts most stably; parity holds exactly on the sample (F is its mean).
        const iv = impliedVolBlack76(K >= F ? call : put, F, K, T, 1, K >= F ? 'C' : 'P').iv;
        return { K, call, put, iv };
      }),
    };
  });
}

/** One SPX chain date: per log-moneyness the market SVI vol and the model's and baseline's. */
export interface SpxRow {
  date: string;
  expiry: string;
  T: number;
  steps: number;
  forward: number;
  points: Array<{ k: number; market: number; nsde: number; logOu: number }>;
  rmse: { nsde: number; logOu: number };
}

/**
 * Spot log-returns over the X paths (path-major n x (steps + 1)) with the normals that drove X
 * (steps x n) and independent ones: log(S_T / F) per path.
 */
export function spotLogReturns(x: Float64Array, n: number, steps: number, dt: number, rho: number, zX: Float32Array, seed: number): Float64Array {
  const perp = new Float64Array(steps * n);
  randomStream(seed, 500).fillNormals(perp);
  const c = Math.sqrt(1 - rho * rho);
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    let s = 0;
    for (let k = 0; k < steps; k++) {
      const v = Math.exp(x[p * (steps + 1) + k]);
      s += -0.5 * v * dt + Math.sqrt(v * dt) * (rho * zX[k * n + p] + c * perp[k * n + p]);
    }
    out[p] = s;
  }
  // Each path's martingale correction is exact only in the limit: rescale so that E[S_T] = F on the sample.
  const mean = out.reduce((a, r) => a + Math.exp(r), 0) / n;
  for (let p = 0; p < n; p++) out[p] -= Math.log(mean);
  return out;
}

/** Black-76 vols at log-moneyness ks of OTM options on forward F paid from log(S_T / F) samples (undiscounted). */
export function smileFromLogReturns(r: Float64Array, F: number, T: number, ks: number[]): number[] {
  return ks.map((k) => {
    const K = F * Math.exp(k);
    let pay = 0;
    for (const x of r) pay += k >= 0 ? Math.max(F * Math.exp(x) - K, 0) : Math.max(K - F * Math.exp(x), 0);
    return impliedVolBlack76(pay / r.length, F, K, T, 1, k >= 0 ? 'C' : 'P').iv;
  });
}

/** SPX smiles of the model and the baseline against each real chain in spx-options/ (the expiry nearest 20 trading days). */
export async function spxComparison(m: NsdeModel, data: NsdeData, opts: { paths: number; seed: number; dataDir?: string }): Promise<{ rows: SpxRow[]; missing: string[] }> {
  const root = join(opts.dataDir ?? REAL_DATA_DIR, 'spx-options');
  const rows: SpxRow[] = [];
  const missing: string[] = [];
  const dates = existsSync(root) ? readdirSync(root).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort() : [];
  const ks = [-0.1, -0.05, -0.025, 0, 0.025, 0.05];
  for (const [di, date] of dates.entries()) {
    const file = join(root, date, 'spx_quotedata.csv');
    if (!existsSync(file) || !data.vix.dates.includes(date)) {
      missing.push(`${date}: ${existsSync(file) ? 'no VIX close that day' : 'no spx_quotedata.csv (long-dated exports only)'}`);
      continue;
    }
    const [fit] = await fitChainFiles([file], { ssvi: false });
    const exp = fit.expiries.filter((e) => e.T > 5 / 365 && e.T < 45 / 365).sort((a, b) => Math.abs(a.T - 28 / 365) - Math.abs(b.T - 28 / 365))[0];
    if (!exp) {
      missing.push(`${date}: no expiry between 5 and 45 days`);
      continue;
    }
    const steps = Math.max(1, Math.round(exp.T * 252));
    const st = startsOn(data, date, opts.paths);
    const z = normals(opts.seed, 600 + di, steps, opts.paths);
    const xN = simulateChunked(m, st, steps, z);
    const xB = simulateLogOu(data.baseline, st.x0, steps, data.dt, z);
    const ivN = smileFromLogReturns(spotLogReturns(xN, opts.paths, steps, data.dt, data.rho, z, opts.seed + di), exp.forward, exp.T, ks);
    const ivB = smileFromLogReturns(spotLogReturns(xB, opts.paths, steps, data.dt, data.rho, z, opts.seed + di), exp.forward, exp.T, ks);
    const points = ks.map((k, i) => ({ k, market: Math.sqrt(sviW(exp.svi, k) / exp.T), nsde: ivN[i], logOu: ivB[i] }));
    // A deep OTM option that no simulated path reaches has no implied vol (NaN): left out of the RMSE.
    const rm = (f: (p: (typeof points)[number]) => number) => {
      const ok = points.filter((p) => Number.isFinite(f(p)));
      return Math.sqrt(ok.reduce((a, p) => a + (f(p) - p.market) ** 2, 0) / ok.length);
    };
    rows.push({ date, expiry: exp.expiry, T: exp.T, steps, forward: exp.forward, points, rmse: { nsde: rm((p) => p.nsde), logOu: rm((p) => p.logOu) } });
  }
  return { rows, missing };
}
