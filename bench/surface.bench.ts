/**
 * Surface fits: quasi-explicit SVI per expiry against a plain Nelder-Mead over all five raw
 * parameters on the same slices, and the constrained SSVI surface fit against a plain joint
 * Nelder-Mead over (rho, eta, gamma, theta per expiry). Data: a Heston surface (6 expiries x 21
 * strikes) priced by the quant core and inverted to implied vols. Fit quality in the notes.
 */
import { opsPerSecond, type Bench } from './harness.ts';
import { hestonPrices } from '../src/quant/heston.ts';
import { impliedVol } from '../src/quant/implied-vol.ts';
import { nelderMead } from '../src/quant/nelder-mead.ts';
import { fitSsvi } from '../src/quant/ssvi-fit.ts';
import { ssviDerivs, type SsviParams } from '../src/quant/ssvi.ts';
import { fitSviSlice } from '../src/quant/svi-fit.ts';
import { sviW, type SviRaw } from '../src/quant/svi-raw.ts';

const expiries = [0.1, 0.25, 0.5, 1, 1.5, 2];
const hp = { v0: 0.04, kappa: 1.5, theta: 0.05, sigma: 0.6, rho: -0.7 };

function surface() {
  const S = 100, r = 0.03;
  return expiries.map((T) => {
    const F = S * Math.exp(r * T);
    const k = Float64Array.from({ length: 21 }, (_, i) => (-0.5 + 0.05 * i) * Math.sqrt(T));
    const K = Array.from(k, (x) => F * Math.exp(x));
    const pr = hestonPrices(hp, S, T, r, 0, K, K.map((x) => x >= F));
    const iv = Float64Array.from(K, (x, i) => impliedVol(pr[i], S, x, T, r, 0, x >= F ? 'C' : 'P').iv);
    return { T, k, iv, w: Float64Array.from(iv, (v) => v * v * T) };
  });
}

/** Baseline: Nelder-Mead on (a, b, rho, m, sigma) with the same bounds as penalties. */
function plainSvi(k: Float64Array, w: Float64Array): SviRaw {
  const obj = (x: Float64Array) => {
    const p = { a: x[0], b: x[1], rho: x[2], m: x[3], sigma: x[4] };
    if (p.b < 0 || Math.abs(p.rho) >= 1 || p.sigma <= 0 || p.b * (1 + Math.abs(p.rho)) > 2) return Infinity;
    let e = 0;
    for (let i = 0; i < k.length; i++) e += (sviW(p, k[i]) - w[i]) ** 2;
    return e;
  };
  const r = nelderMead(obj, [0.5 * Math.min(...w), 0.1, -0.5, 0, 0.1], { maxEvals: 5000, fTol: 1e-20, xTol: 1e-10 });
  return { a: r.x[0], b: r.x[1], rho: r.x[2], m: r.x[3], sigma: r.x[4] };
}

function sviRmseIv(sl: ReturnType<typeof surface>, fits: SviRaw[]): number {
  let s = 0, n = 0;
  sl.forEach((x, j) => x.k.forEach((k, i) => { s += (Math.sqrt(Math.max(sviW(fits[j], k), 0) / x.T) - x.iv[i]) ** 2; n++; }));
  return Math.sqrt(s / n);
}

/** Baseline: joint Nelder-Mead over (rho, eta, gamma, theta_1..n), constraints as penalties. */
function plainSsvi(sl: ReturnType<typeof surface>): { p: SsviParams; th: number[] } {
  const n = sl.length;
  const decode = (x: Float64Array) => ({ p: { rho: Math.tanh(x[0]), phi: { kind: 'power-law' as const, eta: Math.exp(x[1]), gamma: 1 / (1 + Math.exp(-x[2])) } }, th: Array.from(x.subarray(3), Math.exp) });
  const obj = (x: Float64Array) => {
    const { p, th } = decode(x);
    let e = 0;
    for (let j = 0; j < n; j++) {
      if (j > 0 && th[j] < th[j - 1]) return Infinity;
      for (let i = 0; i < sl[j].k.length; i++) e += (ssviDerivs(p, th[j], sl[j].k[i])[0] - sl[j].w[i]) ** 2;
    }
    return e;
  };
  const x0 = [-0.5, Math.log(0.5), 0, ...sl.map((s) => Math.log(s.w[Math.floor(s.w.length / 2)]))];
  return decode(nelderMead(obj, x0, { maxEvals: 20000, fTol: 1e-20, xTol: 1e-10 }).x);
}

function ssviRmseIv(sl: ReturnType<typeof surface>, p: SsviParams, th: ArrayLike<number>): number {
  let s = 0, n = 0;
  sl.forEach((x, j) => x.k.forEach((k, i) => { s += (Math.sqrt(ssviDerivs(p, th[j], k)[0] / x.T) - x.iv[i]) ** 2; n++; }));
  return Math.sqrt(s / n);
}

const bench: Bench = async ({ quick }) => {
  const sl = surface();
  const ms = quick ? 300 : 1500;
  const fast = sl.map((s) => fitSviSlice(s.k, s.w).params), slow = sl.map((s) => plainSvi(s.k, s.w));
  const sviFast = opsPerSecond(() => { for (const s of sl) fitSviSlice(s.k, s.w); return sl.length; }, ms);
  const sviSlow = opsPerSecond(() => { for (const s of sl) plainSvi(s.k, s.w); return sl.length; }, ms);
  const pts = { k: sl.flatMap((s) => Array.from(s.k)), T: sl.flatMap((s) => Array.from(s.k, () => s.T)), iv: sl.flatMap((s) => Array.from(s.iv)) };
  const ss = fitSsvi(pts), sp = plainSsvi(sl);
  const ssviFast = opsPerSecond(() => { fitSsvi(pts); return 1; }, ms);
  const ssviSlow = opsPerSecond(() => { plainSsvi(sl); return 1; }, ms);
  const pct = (x: number) => (100 * x).toFixed(3);
  return [
    {
      name: 'SVI slice fits/s, quasi-explicit (21 strikes, Heston smiles)', unit: 'fits/s', value: sviFast,
      baseline: 'Nelder-Mead over 5 raw params', baselineValue: sviSlow,
      note: `IV RMSE ${pct(sviRmseIv(sl, fast))} vs ${pct(sviRmseIv(sl, slow))} vol pts`,
    },
    {
      name: 'SSVI surface fits/s, constrained (6 expiries x 21 strikes)', unit: 'fits/s', value: ssviFast,
      baseline: 'joint Nelder-Mead over 3 + 6 params', baselineValue: ssviSlow,
      note: `IV RMSE ${pct(ss.rmseIv)} vs ${pct(ssviRmseIv(sl, sp.p, sp.th))} vol pts`,
    },
  ];
};
export default bench;
