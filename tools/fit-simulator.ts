/**
 * Fits the market simulator's Heston and Bates parameters to the real series in
 * ../shared/data (read there, never copied) and writes data/simulator-params.json: the fitted
 * numbers, the files and date ranges used, the method and fit diagnostics.
 *
 *   node --import tsx tools/fit-simulator.ts [--data DIR] [--out FILE]
 *
 * Method (simple and robust on purpose; each step printed as it runs):
 * 1. Jumps (Bates only): SPX daily log returns scaled by the previous day's VIX-implied daily
 *    vol, with a robust scale (median absolute value); returns beyond 4 scaled deviations are
 *    jumps: lambda = jumps per year, muJ and sigmaJ their mean and standard deviation.
 * 2. Risk-neutral kappa, theta: least squares of the model VIX futures curve (E^Q[VIX_T] by
 *    quadrature over the CIR transition, src/quant/vix.ts) against VX1..VX8, each day's
 *    variance backed out of that day's VIX (VIX^2 = a + b v), contract expiries from the CBOE
 *    rule; sigma: least squares of the model VVIX against the VVIX close. The two steps
 *    alternate three times.
 * 3. Physical kappaP, thetaP: an AR(1) of the daily VIX-implied variance, weighted by 1/v
 *    (its conditional variance is proportional to v); rho: the correlation of SPX log returns
 *    and the changes of that variance; equity premium: the mean daily SPX return x 252 plus the
 *    assumed dividend yield minus the assumed rate (the data hold no rates or dividends).
 */
import { option, repoRoot } from './tool-args.ts';
import { REAL_DATA_DIR } from '../src/ticks/real-data.ts';
import { goldenSectionMin } from '../src/quant/golden-section.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { modelVvix, vixFuture, vixSquaredCoefficients } from '../src/quant/vix.ts';
import { dayOf, isoOf, vixFutureExpiry, yearMonthOf } from '../src/tape/simulator-calendar.ts';
import { checkSimulatorParams, type ModelParams, type RiskNeutralParams } from '../src/tape/simulator-params.ts';

const opt = (name: string) => option(name);
const dataDir = opt('--data') ?? REAL_DATA_DIR;
const outPath = opt('--out') ?? resolve(repoRoot, 'data/simulator-params.json');

/** Assumptions the data cannot give: average 3-month T-bill and SPX dividend yield, 1990-2023. */
const RATE = 0.025;
const DIVIDEND_YIELD = 0.02;
const TRADING_DAYS = 252;
const SPX_WINDOW = ['1990-01-02', '2023-12-28'] as const;
const VVIX_FROM = '2007-01-01';

const log = (msg: string) => process.stderr.write(`${msg}\n`);

interface Series {
  file: string;
  days: number[];
  cols: Map<string, number[]>;
}

function readCsv(rel: string, dateCol: string, cols: string[]): Series {
  const file = resolve(dataDir, rel);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',').map((h) => h.trim());
  const di = header.indexOf(dateCol);
  const ci = cols.map((c) => header.indexOf(c));
  if (di < 0 || ci.some((i) => i < 0)) throw new Error(`${file}: expected columns ${dateCol}, ${cols.join(', ')}; header is ${header.join(',')}`);
  const days: number[] = [];
  const out = cols.map(() => [] as number[]);
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    const raw = f[di];
    const iso = raw.includes('/') ? `${raw.slice(6, 10)}-${raw.slice(0, 2)}-${raw.slice(3, 5)}` : raw;
    const vals = ci.map((i) => (f[i] === '' ? NaN : Number(f[i])));
    days.push(dayOf(iso));
    vals.forEach((v, k) => out[k].push(v));
  }
  return { file: rel, days, cols: new Map(cols.map((c, k) => [c, out[k]])) };
}

const range = (s: Series, from: number, to: number) => ({
  file: s.file,
  from: isoOf(Math.max(from, s.days[0])),
  to: isoOf(Math.min(to, s.days[s.days.length - 1])),
});

/** Nelder-Mead on an unconstrained vector (callers map to constrained parameters). */
function nelderMead(f: (x: number[]) => number, x0: number[], step: number, iters: number): number[] {
  const n = x0.length;
  let simplex = [x0, ...x0.map((_, i) => x0.map((v, j) => (i === j ? v + step : v)))].map((x) => ({ x, f: f(x) }));
  for (let it = 0; it < iters; it++) {
    simplex.sort((a, b) => a.f - b.f);
    const best = simplex[0];
    const worst = simplex[n];
    if (Math.abs(worst.f - best.f) <= 1e-10 * (1 + Math.abs(best.f))) break;
    const c = x0.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p.x[j], 0) / n);
    const at = (t: number) => c.map((cj, j) => cj + t * (worst.x[j] - cj));
    const r = { x: at(-1), f: 0 };
    r.f = f(r.x);
    if (r.f < best.f) {
      const e = { x: at(-2), f: 0 };
      e.f = f(e.x);
      simplex[n] = e.f < r.f ? e : r;
    } else if (r.f < simplex[n - 1].f) {
      simplex[n] = r;
    } else {
      const k = { x: at(0.5), f: 0 };
      k.f = f(k.x);
      if (k.f < worst.f) simplex[n] = k;
      else simplex = simplex.map((p, i) => (i === 0 ? p : { x: p.x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j])), f: f(p.x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j]))) }));
    }
  }
  simplex.sort((a, b) => a.f - b.f);
  return simplex[0].x;
}

const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const round = (x: number, digits = 6) => Number(x.toPrecision(digits));

/** Variance backed out of a VIX level with the model's VIX^2 = a + b v, floored at a tiny positive value. */
function impliedVariance(vix: number, q: RiskNeutralParams): number {
  const { a, b } = vixSquaredCoefficients(q);
  return Math.max(((vix / 100) ** 2 - a) / b, 1e-5);
}

// ---- data ---------------------------------------------------------------------------------
log(`reading ${dataDir}`);
const spx = readCsv('spx/spx-daily.csv', 'Date', ['Close']);
const vix = readCsv('vix/vix-daily.csv', 'DATE', ['CLOSE']);
const vvix = readCsv('vol-indices/VVIX_History.csv', 'DATE', ['VVIX']);
const fut = readCsv('vix-futures/vix_futures.csv', 'DATE', ['VIX', 'VX1', 'VX2', 'VX3', 'VX4', 'VX5', 'VX6', 'VX7', 'VX8']);
const from = dayOf(SPX_WINDOW[0]);
const to = dayOf(SPX_WINDOW[1]);

const vixByDay = new Map<number, number>();
vix.days.forEach((d, i) => vixByDay.set(d, vix.cols.get('CLOSE')![i]));

// Daily SPX log returns paired with the VIX of the day before and of the day.
const spxClose = spx.cols.get('Close')!;
const pairs: Array<{ r: number; vixPrev: number; vix: number }> = [];
for (let i = 1; i < spx.days.length; i++) {
  const d = spx.days[i];
  if (d <= from || d > to) continue;
  const vp = vixByDay.get(spx.days[i - 1]);
  const vt = vixByDay.get(d);
  if (vp === undefined || vt === undefined || !(spxClose[i] > 0 && spxClose[i - 1] > 0)) continue;
  pairs.push({ r: Math.log(spxClose[i] / spxClose[i - 1]), vixPrev: vp, vix: vt });
}
log(`SPX/VIX daily pairs ${SPX_WINDOW[0]}..${SPX_WINDOW[1]}: ${pairs.length}`);

// Futures days (every 10th, to keep the least squares quick) with their contract maturities.
const futDays: Array<{ vix: number; T: number[]; F: number[] }> = [];
for (let i = 0; i < fut.days.length; i += 10) {
  const d = fut.days[i];
  const spot = fut.cols.get('VIX')![i];
  let { year, month } = yearMonthOf(d);
  const T: number[] = [];
  const F: number[] = [];
  for (let k = 1; T.length < 8 && k < 20; k++) {
    const e = vixFutureExpiry(year, month);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
    if (e <= d) continue; // the continuous series rolls on expiry day
    const price = fut.cols.get(`VX${T.length + 1}`)![i];
    T.push((e - d) / 365);
    F.push(price);
  }
  if (spot > 0 && F.every((x) => x > 0)) futDays.push({ vix: spot, T, F });
}
log(`VIX futures days used (every 10th): ${futDays.length}`);

const vvixDays: Array<{ vix: number; vvix: number }> = [];
{
  const vv = vvix.cols.get('VVIX')!;
  for (let i = 0; i < vvix.days.length; i += 5) {
    const d = vvix.days[i];
    const v = vixByDay.get(d);
    if (d >= dayOf(VVIX_FROM) && v !== undefined && vv[i] > 0) vvixDays.push({ vix: v, vvix: vv[i] });
  }
}
log(`VVIX days used (every 5th, from ${VVIX_FROM}): ${vvixDays.length}`);

// ---- fit -----------------------------------------------------------------------------------
function futuresRmse(q: RiskNeutralParams): { rmse: number; byContract: number[]; meanErr: number[] } {
  const se = new Array(8).fill(0);
  const e = new Array(8).fill(0);
  for (const day of futDays) {
    const v = impliedVariance(day.vix, q);
    for (let k = 0; k < 8; k++) {
      const err = vixFuture(v, q, day.T[k]) - day.F[k];
      se[k] += err * err;
      e[k] += err;
    }
  }
  const n = futDays.length;
  return {
    rmse: Math.sqrt(se.reduce((s, x) => s + x, 0) / (8 * n)),
    byContract: se.map((x) => round(Math.sqrt(x / n), 4)),
    meanErr: e.map((x) => round(x / n, 4)),
  };
}

function vvixErrors(q: RiskNeutralParams): { rmse: number; model: number; real: number } {
  let se = 0;
  let m = 0;
  let r = 0;
  for (const d of vvixDays) {
    const x = modelVvix(impliedVariance(d.vix, q), q);
    se += (x - d.vvix) ** 2;
    m += x;
    r += d.vvix;
  }
  const n = vvixDays.length;
  return { rmse: Math.sqrt(se / n), model: m / n, real: r / n };
}

function fitModel(name: 'heston' | 'bates'): { params: ModelParams; diagnostics: Record<string, unknown> } {
  log(`\n== ${name} ==`);
  // 1. Jumps.
  let lambda = 0;
  let muJ = 0;
  let sigmaJ = 0;
  let jumpCount = 0;
  if (name === 'bates') {
    const z = pairs.map((p) => p.r / (p.vixPrev / 100 / Math.sqrt(TRADING_DAYS)));
    const sorted = z.map(Math.abs).sort((a, b) => a - b);
    const scale = sorted[sorted.length >> 1] / 0.6745;
    const jumps = pairs.filter((_, i) => Math.abs(z[i] / scale) > 4).map((p) => p.r);
    jumpCount = jumps.length;
    lambda = jumps.length / (pairs.length / TRADING_DAYS);
    muJ = mean(jumps);
    sigmaJ = Math.sqrt(jumps.reduce((s, x) => s + (x - muJ) ** 2, 0) / Math.max(1, jumps.length - 1));
    log(`jumps: ${jumps.length} days beyond 4 robust deviations: lambda ${lambda.toFixed(3)}/y, muJ ${muJ.toFixed(4)}, sigmaJ ${sigmaJ.toFixed(4)}`);
  }
  // 2. Risk-neutral kappa, theta (futures) and sigma (VVIX), alternating.
  const q: RiskNeutralParams = { v0: 0.04, kappa: 2, theta: 0.045, sigma: 0.5, rho: -0.7, lambda, muJ, sigmaJ };
  for (let round_ = 1; round_ <= 3; round_++) {
    const x = nelderMead(
      ([lk, lt]) => futuresRmse({ ...q, kappa: Math.exp(lk), theta: Math.exp(lt) }).rmse,
      [Math.log(q.kappa), Math.log(q.theta)],
      0.3,
      round_ === 1 ? 80 : 40,
    );
    q.kappa = Math.exp(x[0]);
    q.theta = Math.exp(x[1]);
    q.sigma = goldenSectionMin((s) => vvixErrors({ ...q, sigma: s }).rmse, 0.05, 3, 1e-4);
    log(`round ${round_}: kappa ${q.kappa.toFixed(4)} theta ${q.theta.toFixed(5)} sigma ${q.sigma.toFixed(4)}; futures RMSE ${futuresRmse(q).rmse.toFixed(4)}, VVIX RMSE ${vvixErrors(q).rmse.toFixed(3)}`);
  }
  // 3. Physical variance dynamics, rho and the equity premium.
  const v = pairs.map((p) => impliedVariance(p.vix, q));
  let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 1; i < v.length; i++) {
    const w = 1 / v[i - 1];
    sw += w;
    sx += w * v[i - 1];
    sy += w * v[i];
    sxx += w * v[i - 1] * v[i - 1];
    sxy += w * v[i - 1] * v[i];
  }
  const beta = (sw * sxy - sx * sy) / (sw * sxx - sx * sx);
  const alpha = (sy - beta * sx) / sw;
  if (!(beta > 0 && beta < 1)) throw new Error(`AR(1) of the VIX-implied variance: persistence ${beta} is outside (0, 1)`);
  const kappaP = -Math.log(beta) * TRADING_DAYS;
  const thetaP = alpha / (1 - beta);
  let sres = 0;
  for (let i = 1; i < v.length; i++) sres += (v[i] - alpha - beta * v[i - 1]) ** 2 / v[i - 1];
  const sigmaTimeSeries = Math.sqrt((sres / (v.length - 1)) * TRADING_DAYS);
  const dv = v.slice(1).map((x, i) => x - v[i]);
  const rs = pairs.slice(1).map((p) => p.r);
  const mr = mean(rs);
  const mdv = mean(dv);
  let cov = 0, vr = 0, vv = 0;
  for (let i = 0; i < rs.length; i++) {
    cov += (rs[i] - mr) * (dv[i] - mdv);
    vr += (rs[i] - mr) ** 2;
    vv += (dv[i] - mdv) ** 2;
  }
  q.rho = cov / Math.sqrt(vr * vv);
  q.v0 = thetaP;
  const simple = mean(pairs.map((p) => Math.expm1(p.r)));
  const equityPremium = simple * TRADING_DAYS + DIVIDEND_YIELD - RATE;
  log(`physical: kappaP ${kappaP.toFixed(3)} thetaP ${thetaP.toFixed(5)} (time-series sigma ${sigmaTimeSeries.toFixed(3)}); rho ${q.rho.toFixed(3)}; equity premium ${equityPremium.toFixed(4)}`);

  const fr = futuresRmse(q);
  const vx = vvixErrors(q);
  const { a, b } = vixSquaredCoefficients(q);
  const realVol = Math.sqrt((vr / rs.length) * TRADING_DAYS);
  const diagnostics = {
    futuresRmsePoints: round(fr.rmse, 4),
    futuresRmseByContract: fr.byContract,
    futuresMeanErrorByContract: fr.meanErr,
    meanRealVix: round(mean(pairs.map((p) => p.vix)), 4),
    modelVixAtThetaP: round(100 * Math.sqrt(a + b * thetaP), 4),
    meanModelVvix: round(vx.model, 4),
    meanRealVvix: round(vx.real, 4),
    vvixRmse: round(vx.rmse, 4),
    realizedSpxVol: round(realVol, 4),
    modelSpxVol: round(Math.sqrt(thetaP + lambda * (muJ * muJ + sigmaJ * sigmaJ)), 4),
    timeSeriesSigma: round(sigmaTimeSeries, 4),
    fellerRatioQ: round((2 * q.kappa * q.theta) / (q.sigma * q.sigma), 4),
    fellerRatioP: round((2 * kappaP * thetaP) / (q.sigma * q.sigma), 4),
    ...(name === 'bates' ? { jumpDays: jumpCount } : {}),
  };
  const r6 = (x: number) => round(x, 6);
  return {
    params: {
      q: { v0: r6(q.v0), kappa: r6(q.kappa), theta: r6(q.theta), sigma: r6(q.sigma), rho: r6(q.rho), lambda: r6(lambda), muJ: r6(muJ), sigmaJ: r6(sigmaJ) },
      p: { kappa: r6(kappaP), theta: r6(thetaP), equityPremium: r6(equityPremium) },
    },
    diagnostics,
  };
}

const heston = fitModel('heston');
const bates = fitModel('bates');
const lastSpx = spx.days.length - 1;
const out = {
  about: 'Fitted by tools/fit-simulator.ts; numbers only, the data stay in ../shared/data. q = risk-neutral, p = physical (see src/tape/simulator-params.ts).',
  spot: round(spxClose[lastSpx], 6),
  rate: RATE,
  dividendYield: DIVIDEND_YIELD,
  heston: heston.params,
  bates: bates.params,
  fit: {
    method: [
      'jumps (bates): SPX log returns beyond 4 robust deviations of the previous VIX-implied daily vol',
      'q.kappa, q.theta: least squares of E^Q[VIX_T] (CIR quadrature) against VX1..VX8, variance backed out of each day VIX',
      'q.sigma: least squares of the model VVIX (log-contract on the 30-day VIX distribution) against the VVIX close',
      'p.kappa, p.theta: AR(1) of the daily VIX-implied variance weighted by 1/v; q.rho: corr(SPX log return, change of that variance)',
      'p.equityPremium: 252 x mean daily SPX return + dividendYield - rate; rate and dividendYield are assumptions (no rate data)',
      'q.v0 = p.theta; spot = last SPX close in the file',
    ],
    sources: [
      { ...range(spx, from, to), use: 'returns, rho, jumps, equity premium, spot' },
      { ...range(vix, from, to), use: 'variance proxy, physical dynamics' },
      { file: fut.file, from: isoOf(fut.days[0]), to: isoOf(fut.days[fut.days.length - 1]), use: 'kappa, theta under Q (every 10th day)' },
      { ...range(vvix, dayOf(VVIX_FROM), Infinity), use: 'sigma (every 5th day)' },
    ],
    diagnostics: { heston: heston.diagnostics, bates: bates.diagnostics },
  },
};
checkSimulatorParams(out);
writeFileSync(outPath, `${JSON.stringify(out, null, 2)}\n`);
log(`\nwrote ${outPath}`);
