/**
 * Heston-Nandi GARCH speed: closed-form chains (10 strikes, one MGF pass per maturity) against a
 * naive port of R fOptions' HNGOption (two integrals per strike, a complex log per day, adaptive
 * Simpson) and against Monte Carlo of the risk-neutral dynamics; and the MLE on 5,000 simulated
 * returns, BFGS (three starts) against Nelder-Mead from one start. Accuracy in the notes.
 */
import { opsPerSecond, type Bench, type BenchRow } from './harness.ts';
import { hnFit, hnFromUnconstrained, hnLogLikelihood, hnToUnconstrained } from '../src/quant/hn-mle.ts';
import { nelderMead } from '../src/quant/optimize.ts';
import { hnRiskNeutral, type HnParams } from '../src/quant/hn-params.ts';
import { hnDefaultH0, hnGreeksWithPanelScale, hnPrice } from '../src/quant/hn-price.ts';
import { hnMonteCarloPrice, hnSimulateReturns } from '../src/quant/hn-simulate.ts';

const P: HnParams = { omega: 2.3e-6, alpha: 2.9e-6, beta: 0.85, gamma: 184.25, lambda: -0.5 };
const S = 100;
const rDaily = 0.05 / 252;
const strikes = Array.from({ length: 10 }, (_, i) => 80 + 5 * i);

/** fOptions' .fstarHN: Re[K^{-i phi} f*(i phi + c) / (i phi)] / pi, summing complex logs per day. */
function fstar(q: HnParams, h: number, T: number, K: number, phi: number, c: number): number {
  const { omega, alpha, beta, gamma, lambda } = q;
  const zr = c;
  const zi = phi;
  let ar = zr * rDaily;
  let ai = zi * rDaily;
  let br = lambda * zr + 0.5 * (zr * zr - zi * zi);
  let bi = lambda * zi + zr * zi;
  for (let i = 2; i <= T; i++) {
    const wr = 1 - 2 * alpha * br;
    const wi = -2 * alpha * bi;
    ar += zr * rDaily + br * omega - 0.25 * Math.log(wr * wr + wi * wi);
    ai += zi * rDaily + bi * omega - 0.5 * Math.atan2(wi, wr);
    const gr = zr - gamma;
    const nr = 0.5 * (gr * gr - zi * zi);
    const ni = gr * zi;
    const d = wr * wr + wi * wi;
    const qr = (nr * wr + ni * wi) / d;
    const qi = (ni * wr - nr * wi) / d;
    const nbr = zr * (lambda + gamma) - 0.5 * gamma * gamma + beta * br + qr;
    bi = zi * (lambda + gamma) + beta * bi + qi;
    br = nbr;
  }
  const er = -0 + zr * Math.log(S) + ar + br * h;
  const ei = -zi * Math.log(K) + zi * Math.log(S) + ai + bi * h;
  const m = Math.exp(er);
  // divide by i phi: (x + iy) / (i phi) = (y - i x) / phi, real part y / phi
  return (m * Math.sin(ei)) / phi / Math.PI;
}

function simpson(f: (x: number) => number, a: number, b: number, tol: number): number {
  const rec = (a: number, b: number, fa: number, fm: number, fb: number, whole: number, tol: number, depth: number): number => {
    const m = 0.5 * (a + b);
    const lm = 0.5 * (a + m);
    const rm = 0.5 * (m + b);
    const flm = f(lm);
    const frm = f(rm);
    const left = ((m - a) / 6) * (fa + 4 * flm + fm);
    const right = ((b - m) / 6) * (fm + 4 * frm + fb);
    if (depth <= 0 || Math.abs(left + right - whole) <= 15 * tol) return left + right + (left + right - whole) / 15;
    return rec(a, m, fa, flm, fm, left, tol / 2, depth - 1) + rec(m, b, fm, frm, fb, right, tol / 2, depth - 1);
  };
  const fa = f(a);
  const fb = f(b);
  const fm = f(0.5 * (a + b));
  return rec(a, b, fa, fm, fb, ((b - a) / 6) * (fa + 4 * fm + fb), tol, 40);
}

/** HNGOption as fOptions writes it, one strike at a time. */
function naiveCall(T: number, K: number): number {
  const q = hnRiskNeutral(P);
  const h = hnDefaultH0(P);
  const upper = 60 / Math.sqrt(h * T);
  const c1 = simpson((x) => fstar(q, h, T, K, x, 1), 1e-9, upper, 1e-9);
  const c2 = simpson((x) => fstar(q, h, T, K, x, 0), 1e-9, upper, 1e-11);
  const disc = Math.exp(-rDaily * T);
  return S / 2 + disc * c1 - K * disc * (0.5 + c2);
}

const bench: Bench = async ({ quick }) => {
  const ms = quick ? 300 : 1500;
  const rows: BenchRow[] = [];
  for (const T of [21, 252]) {
    const spec = { S, K: strikes, Tdays: T, rDaily, right: 'call' as const };
    const ref = hnGreeksWithPanelScale(P, spec, 0.25, { tol: 1e-18 }).price;
    let fast = hnPrice(P, spec);
    const naive = new Float64Array(strikes.length);
    const errOf = (a: ArrayLike<number>): number => {
      let e = 0;
      for (let k = 0; k < strikes.length; k++) e = Math.max(e, Math.abs(a[k] - ref[k]));
      return e;
    };
    const value = opsPerSecond(() => {
      fast = hnPrice(P, spec);
      return strikes.length;
    }, ms);
    const baselineValue = opsPerSecond(() => {
      for (let k = 0; k < strikes.length; k++) naive[k] = naiveCall(T, strikes[k]);
      return strikes.length;
    }, ms);
    rows.push({
      name: `HN-GARCH closed form, 10-strike chain, T=${T} days`,
      unit: 'prices/s',
      value,
      baseline: 'naive fOptions HNGOption port (2 integrals per strike, adaptive Simpson)',
      baselineValue,
      note: `max abs error vs 4x-finer reference: ${errOf(fast).toExponential(1)} (naive ${errOf(naive).toExponential(1)}); S=100, K=80..125, fOptions params`,
    });
    if (T === 21) {
      const nPaths = 20_000;
      let mc = hnMonteCarloPrice(P, spec, { nPaths, seed: 1, antithetic: true });
      const mcValue = opsPerSecond(() => {
        mc = hnMonteCarloPrice(P, spec, { nPaths, seed: 1, antithetic: true });
        return strikes.length;
      }, ms);
      let maxSe = 0;
      for (const s of mc.stdErr) maxSe = Math.max(maxSe, s);
      rows.push({
        name: `HN-GARCH closed form vs Monte Carlo, 10-strike chain, T=${T} days`,
        unit: 'prices/s',
        value,
        baseline: `Q Monte Carlo, ${nPaths} antithetic paths`,
        baselineValue: mcValue,
        note: `closed-form error ${errOf(fast).toExponential(1)}; MC max error ${errOf(mc.price).toExponential(1)}, max standard error ${maxSe.toExponential(1)}`,
      });
    }
  }
  // MLE on 5,000 simulated returns
  const truth: HnParams = { omega: 2e-6, alpha: 3e-6, beta: 0.85, gamma: 150, lambda: 2 };
  const R = hnSimulateReturns(truth, 5000, { seed: 1, burnIn: 500 }).returns;
  const reps = quick ? 1 : 3;
  let fit = hnFit(R);
  let t0 = performance.now();
  for (let i = 0; i < reps; i++) fit = hnFit(R);
  const bfgsMs = (performance.now() - t0) / reps;
  const n = R.length;
  const f = (x: Float64Array): number => -hnLogLikelihood(hnFromUnconstrained(x), R) / n;
  const v = 1 / (n - 1) * R.reduce((s, x) => s + x * x, 0);
  const x0 = hnToUnconstrained({ omega: 0.023 * v, alpha: 0.03 * v, beta: 0.85, gamma: 1.8 / Math.sqrt(v), lambda: 0 });
  t0 = performance.now();
  const nm = nelderMead(f, x0, { step: Array.from(x0, () => 0.5), maxEvals: 20000 });
  const nmMs = performance.now() - t0;
  rows.push({
    name: 'HN-GARCH MLE, 5,000 daily returns (BFGS, 3 starts, + Hessian s.e.)',
    unit: 'fits/s',
    value: 1000 / bfgsMs,
    baseline: 'Nelder-Mead from one start (no s.e.)',
    baselineValue: 1000 / nmMs,
    note: `${bfgsMs.toFixed(0)} ms per fit, logLik ${fit.logLik.toFixed(3)}; Nelder-Mead ${nmMs.toFixed(0)} ms, logLik ${(-nm.f * n).toFixed(3)} (${nm.evals} evaluations)`,
  });
  return rows;
};

export default bench;
