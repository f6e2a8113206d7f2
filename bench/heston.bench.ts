/**
 * Heston surface pricing speed: 60-point surfaces (10 strikes x 6 maturities) per second with
 * one characteristic-function pass per maturity, against the same prices computed one strike at
 * a time (a fresh characteristic-function pass per strike), with the max absolute price error of
 * each against a high-accuracy run (relTol 1e-15) in the note.
 */
import { opsPerSecond, type Bench } from './harness.ts';
import { hestonPrices } from '../src/quant/heston.ts';

const S = 100;
const r = 0.03;
const q = 0.01;
const strikes = Float64Array.from({ length: 10 }, (_, i) => 80 + 5 * i);
const maturities = [1 / 12, 0.25, 0.5, 1, 2, 5];
const cases = [
  { name: 'equity', p: { v0: 0.04, kappa: 2, theta: 0.04, sigma: 0.5, rho: -0.7 } },
  // Fang & Oosterlee (2008) parameters: Feller condition violated, small v0
  { name: 'Fang-Oosterlee', p: { v0: 0.0175, kappa: 1.5768, theta: 0.0398, sigma: 0.5751, rho: -0.5711 } },
];

const bench: Bench = async ({ quick }) => {
  const ms = quick ? 300 : 1500;
  const rows = [];
  for (const { name, p } of cases) {
    const ref = maturities.map((T) => hestonPrices(p, S, T, r, q, strikes, true, undefined, { relTol: 1e-15 }));
    const surf = maturities.map(() => new Float64Array(strikes.length));
    const one = new Float64Array(1);
    const single = maturities.map(() => new Float64Array(strikes.length));
    const vectorised = (): number => {
      for (let t = 0; t < maturities.length; t++) hestonPrices(p, S, maturities[t], r, q, strikes, true, surf[t]);
      return 1;
    };
    const perStrike = (): number => {
      for (let t = 0; t < maturities.length; t++) {
        for (let k = 0; k < strikes.length; k++) {
          hestonPrices(p, S, maturities[t], r, q, strikes.subarray(k, k + 1), true, one);
          single[t][k] = one[0];
        }
      }
      return 1;
    };
    vectorised();
    perStrike();
    const err = (a: Float64Array[]): number => {
      let e = 0;
      for (let t = 0; t < maturities.length; t++) for (let k = 0; k < strikes.length; k++) e = Math.max(e, Math.abs(a[t][k] - ref[t][k]));
      return e;
    };
    const value = opsPerSecond(vectorised, ms);
    const baselineValue = opsPerSecond(perStrike, ms);
    rows.push({
      name: `Heston 60-point surface (${name}), one CF pass per maturity`,
      unit: 'surfaces/s',
      value,
      baseline: 'same prices one strike at a time (CF pass per strike)',
      baselineValue,
      goal: '>= 1000 (< 1 ms/surface) at 1e-8',
      note: `${(1000 / value).toFixed(3)} ms/surface; max abs price error ${err(surf).toExponential(1)} (baseline ${err(single).toExponential(1)}) vs relTol 1e-15 run; S=100, K=80..125, T=1m..5y`,
    });
  }
  return rows;
};

export default bench;
