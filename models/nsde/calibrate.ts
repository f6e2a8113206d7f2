/**
 * Market anchors and the baseline: the speed of mean reversion of log VIX read off the VIX
 * futures term structure, the long-run level of X = log V from history, the log-OU model of X
 * fitted by maximum likelihood (its exact AR(1) transition), and the correlation of SPX returns
 * with changes in X. Hand-written (closed forms and a one-dimensional golden-section search).
 */
import { goldenSectionMin } from '../../src/quant/golden-section.ts';
import type { FuturesCurves } from './data.ts';

/** Mean of the futures VX_n's time to expiry in years: the continuous series roll monthly, so on average (n - 1/2) months. */
export function futuresTau(n: number): number {
  return (n - 0.5) / 12;
}

/**
 * kappa (per year) and the risk-neutral level thetaQ of log VIX from the term structure on the
 * dates in [from, to]: least squares of log F_n = thetaQ + (log VIX - thetaQ) e^{-kappa tau_n}
 * pooled over dates and n = 1..8 (thetaQ in closed form for each kappa, kappa by golden section
 * on [0.05, 50]). Returns thetaQ as the level of X = 2 log(VIX / 100).
 */
export function futuresMeanReversion(c: FuturesCurves, from = '0000', to = '9999'): { kappa: number; thetaQX: number; rmse: number; points: number } {
  const rows: Array<[number, number, number]> = [];
  for (let d = 0; d < c.dates.length; d++) {
    if (c.dates[d] < from || c.dates[d] > to || !(c.vix[d] > 0)) continue;
    for (let n = 1; n <= 8; n++) {
      const f = c.futures[d * 8 + n - 1];
      if (f > 0) rows.push([Math.log(c.vix[d]), Math.log(f), futuresTau(n)]);
    }
  }
  if (rows.length < 10) throw new Error(`futures curves: only ${rows.length} usable quotes between ${from} and ${to}`);
  const solve = (kappa: number): { sse: number; th: number } => {
    // log F - log VIX e = th (1 - e)  =>  th by least squares through the origin
    let num = 0;
    let den = 0;
    for (const [lv, lf, tau] of rows) {
      const e = Math.exp(-kappa * tau);
      num += (lf - lv * e) * (1 - e);
      den += (1 - e) ** 2;
    }
    const th = num / den;
    let sse = 0;
    for (const [lv, lf, tau] of rows) {
      const e = Math.exp(-kappa * tau);
      sse += (lf - (th + (lv - th) * e)) ** 2;
    }
    return { sse, th };
  };
  const k = goldenSectionMin((lk) => solve(Math.exp(lk)).sse, Math.log(0.05), Math.log(50));
  const kappa = Math.exp(k);
  const { sse, th } = solve(kappa);
  return { kappa, thetaQX: 2 * (th - Math.log(100)), rmse: Math.sqrt(sse / rows.length), points: rows.length };
}

/** Log-OU parameters of X: dX = kappa (theta - X) dt + sigma dW. */
export interface LogOu {
  kappa: number;
  theta: number;
  sigma: number;
}

/**
 * Maximum likelihood of the log-OU model on an evenly spaced series (step dt): its exact transition
 * is the Gaussian AR(1) X' = a + b X + e, e ~ N(0, s^2), whose conditional MLE is least squares;
 * b = e^{-kappa dt}, a = theta (1 - b), s^2 = sigma^2 (1 - b^2) / (2 kappa). Throws unless 0 < b < 1.
 */
export function fitLogOu(x: ArrayLike<number>, dt: number): LogOu & { logLik: number; n: number } {
  const n = x.length - 1;
  if (n < 3) throw new RangeError(`fitLogOu: need at least 4 values, got ${x.length}`);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += x[i + 1];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (x[i + 1] - my);
  }
  const b = sxy / sxx;
  const a = my - b * mx;
  if (!(b > 0 && b < 1)) throw new RangeError(`fitLogOu: AR(1) coefficient ${b} is not in (0, 1): the series does not mean-revert`);
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (x[i + 1] - a - b * x[i]) ** 2;
  const s2 = sse / n;
  const kappa = -Math.log(b) / dt;
  return { kappa, theta: a / (1 - b), sigma: Math.sqrt((s2 * 2 * kappa) / (1 - b * b)), logLik: -0.5 * n * (Math.log(2 * Math.PI * s2) + 1), n };
}

/**
 * Exact simulation of the log-OU model from each start (path-major n x (steps + 1), the start
 * included), with the given standard normals (steps x n, step-major).
 */
export function simulateLogOu(p: LogOu, x0: ArrayLike<number>, steps: number, dt: number, z: ArrayLike<number>): Float64Array {
  const n = x0.length;
  if (z.length < steps * n) throw new RangeError(`need steps x n = ${steps * n} normals, got ${z.length}`);
  const b = Math.exp(-p.kappa * dt);
  const s = p.sigma * Math.sqrt((1 - b * b) / (2 * p.kappa));
  const out = new Float64Array(n * (steps + 1));
  for (let i = 0; i < n; i++) {
    let x = x0[i];
    out[i * (steps + 1)] = x;
    for (let k = 0; k < steps; k++) {
      x = p.theta + (x - p.theta) * b + s * z[k * n + i];
      out[i * (steps + 1) + k + 1] = x;
    }
  }
  return out;
}

/**
 * Correlation of daily SPX log returns with daily changes of X on the dates both series have
 * on consecutive rows, within [from, to].
 */
export function spotVarianceCorrelation(spxDates: readonly string[], spx: ArrayLike<number>, xDates: readonly string[], x: ArrayLike<number>, from = '0000', to = '9999'): { rho: number; n: number } {
  const xi = new Map<string, number>();
  xDates.forEach((d, i) => xi.set(d, i));
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 1; i < spxDates.length; i++) {
    const d = spxDates[i];
    if (d < from || d > to) continue;
    const j = xi.get(d);
    const j0 = xi.get(spxDates[i - 1]);
    if (j === undefined || j0 === undefined || j0 !== j - 1) continue;
    a.push(Math.log(spx[i] / spx[i - 1]));
    b.push(x[j] - x[j0]);
  }
  const n = a.length;
  if (n < 10) throw new Error(`spotVarianceCorrelation: only ${n} common days between ${from} and ${to}`);
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return { rho: sab / Math.sqrt(saa * sbb), n };
}
