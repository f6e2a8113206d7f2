/**
 * Quadratic hedging speed: path-dates per second of the least-squares Monte Carlo fits (LRM and
 * MVH, src/quant/hedge-lsmc.ts: Hermite + Black-Scholes basis, one pivoted-Cholesky regression
 * per date) against the seed-like estimator (raw monomials, four separately regressed moments per
 * date, hedge-lsmc-naive.ts) on the same paths, fixed seeds; the fit quality (out-of-sample hedge
 * effectiveness) in the note says what the extra work per date buys.
 */
import { opsPerSecond, type Bench, type BenchRow } from './harness.ts';
import { simulateHedgePaths } from '../src/quant/hedge-lsmc-paths.ts';
import { fitQuadraticHedge, type QuadraticMethod } from '../src/quant/hedge-lsmc.ts';
import { fitNaiveHedge, naiveStrategy } from '../src/quant/hedge-lsmc-naive.ts';
import { evaluateStrategy, quadraticStrategy } from '../src/quant/hedge-lsmc-evaluate.ts';

// the real case's Heston parameters (docs/quadratic-hedging.md)
const params = { v0: 0.0355, kappa: 3.1, theta: 0.09, sigma: 1.5, rho: -0.795 };
const market = { S0: 3225.52, r: 0.0155, q: 0.018, T: 59 / 252, steps: 59 };
const premium = { kind: 'variance' as const, lambdaS: 0.0875 / 0.09 };
const option = { K: 3225, call: true };

const bench: Bench = async ({ quick }) => {
  const ms = quick ? 300 : 2000;
  const paths = quick ? 2 ** 12 : 2 ** 14;
  const fit = simulateHedgePaths({ params, market, premium, paths, seed: 1, stream: 0 });
  const ev = simulateHedgePaths({ params, market, premium, paths, seed: 1, stream: 1 });
  const work = paths * market.steps;
  const rows: BenchRow[] = [];
  for (const method of ['LRM', 'MVH'] as QuadraticMethod[]) {
    const run = (): number => {
      fitQuadraticHedge(fit, option, params, method);
      return work;
    };
    const base = (): number => {
      fitNaiveHedge(fit, option, method);
      return work;
    };
    const eff = evaluateStrategy(ev, option, quadraticStrategy(fitQuadraticHedge(fit, option, params, method))).effectiveness;
    const effBase = evaluateStrategy(ev, option, naiveStrategy(fitNaiveHedge(fit, option, method))).effectiveness;
    rows.push({
      name: `${method} LSMC fit, path-dates/s (Heston, real case call)`,
      unit: 'path-dates/s',
      value: opsPerSecond(run, ms),
      baseline: `seed-like ${method} estimator, same paths`,
      baselineValue: opsPerSecond(base, ms),
      note: `${paths} paths x ${market.steps} dates; out-of-sample hedge effectiveness ${eff.toFixed(3)} vs seed-like ${effBase.toPrecision(3)}`,
    });
  }
  return rows;
};
export default bench;
