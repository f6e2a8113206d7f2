/**
 * The quadratic-hedging benchmark's real case: SPX on 2020-01-31 (close 3225.52 from
 * ../shared/data/spx, VIX 18.84 from ../shared/data/vix, both read there, never copied),
 * T = 59/252, daily rebalancing, a call at 3225 and a put at 2600, under Heston and Bates;
 * LRM and MVH by least-squares Monte Carlo against the Black-Scholes, Heston and
 * minimum-variance deltas and the seed-like estimator, evaluated under P on fresh paths.
 * Writes docs/quadratic-hedging.md.
 *
 *   node --import tsx tools/quadratic-hedging-report.ts [--paths-log2 15] [--seed 2020]
 *        [--date 2020-01-31] [--data DIR] [--out docs/quadratic-hedging.md]
 *
 * Parameters (written into the report): Heston kappa, theta, sigma, rho from the exact-pricer
 * calibration of the 2022-02-04 SPX chain (models/surrogate/README.md; the data hold no chain
 * from 2020), Bates from data/simulator-params.json (fitted to VIX futures, VVIX and SPX jumps by
 * tools/fit-simulator.ts); v0 = VIX^2 of the date; r and q assumed (no rate data): 3-month
 * T-bill and SPX dividend yield of early 2020. P: equity premium 0.0875 per year
 * (data/simulator-params.json, SPX history), constant or proportional to v with the same mean.
 */
import { option, repoRoot } from './tool-args.ts';
import { REAL_DATA_DIR } from '../src/ticks/real-data.ts';
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { BatesParams, HestonParams } from '../src/quant/heston-cf.ts';
import { hestonPrices } from '../src/quant/heston.ts';
import { simulateHedgePaths, type EquityPremium, type HedgedOption, type HedgeMarket } from '../src/quant/hedge-lsmc-paths.ts';
import { fitQuadraticHedge } from '../src/quant/hedge-lsmc.ts';
import { evaluateStrategy, pairedSquaredErrorGap, quadraticStrategy, type HedgeMetrics } from '../src/quant/hedge-lsmc-evaluate.ts';
import { blackScholesStrategy, hestonDeltaTable, hestonTableStrategy, modelImpliedVol } from '../src/quant/hedge-lsmc-baselines.ts';
import { fitNaiveHedge, naiveStrategy } from '../src/quant/hedge-lsmc-naive.ts';

const opt = (name: string) => option(name);
const dataDir = opt('--data') ?? REAL_DATA_DIR;
const outPath = opt('--out') ?? resolve(repoRoot, 'docs/quadratic-hedging.md');
const log2 = Number(opt('--paths-log2') ?? 15);
const seed = Number(opt('--seed') ?? 2020);
const date = opt('--date') ?? '2020-01-31';
if (!(Number.isInteger(log2) && log2 >= 8 && log2 <= 20)) throw new RangeError(`--paths-log2 must be an integer in [8, 20], got ${opt('--paths-log2')}`);
if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`--date must be YYYY-MM-DD, got ${date}`);

/** Assumptions (no rate or dividend data): early-2020 3-month T-bill and SPX dividend yield. */
const RATE = 0.0155;
const DIVIDEND_YIELD = 0.018;
/** Equity premium mu - r per year, from data/simulator-params.json (SPX history). */
const EQUITY_PREMIUM = 0.0875;
/** Documented fallbacks when ../shared/data is absent: the 2020-01-31 closes. */
const FALLBACK = { spx: 3225.52, vix: 18.84 };

function closeOn(file: string, day: string, col: number): number | null {
  const p = resolve(dataDir, file);
  if (!existsSync(p)) return null;
  for (const line of readFileSync(p, 'utf8').split('\n')) {
    if (line.startsWith(day + ',')) {
      const x = Number(line.split(',')[col]);
      return Number.isFinite(x) ? x : null;
    }
  }
  return null;
}

const spx = closeOn('spx/spx-daily.csv', date, 4);
const vix = closeOn('vix/vix-daily.csv', date, 4);
const S0 = spx ?? FALLBACK.spx;
const v0 = ((vix ?? FALLBACK.vix) / 100) ** 2;
const source = spx !== null && vix !== null ? `SPX and VIX closes of ${date} read from ${relative(repoRoot, dataDir)}` : `no data for ${date} in ${relative(repoRoot, dataDir)}: documented 2020-01-31 closes used`;

const simParams = JSON.parse(readFileSync(resolve(repoRoot, 'data/simulator-params.json'), 'utf8')) as {
  bates: { q: BatesParams; p: { kappa: number; theta: number } };
};
const models: Array<{ name: string; params: HestonParams | BatesParams; pv: { kappa: number; theta: number }; source: string }> = [
  {
    name: 'Heston',
    params: { v0, kappa: 3.10, theta: 0.090, sigma: 1.50, rho: -0.795 },
    pv: { kappa: 3.10, theta: 0.090 },
    source: 'kappa, theta, sigma, rho: exact-pricer calibration of the 2022-02-04 SPX chain (models/surrogate/README.md); P variance drift = Q',
  },
  {
    name: 'Bates',
    params: { ...simParams.bates.q, v0 },
    pv: { kappa: simParams.bates.p.kappa, theta: simParams.bates.p.theta },
    source: 'data/simulator-params.json (tools/fit-simulator.ts: VIX futures, VVIX, SPX jumps), its P variance drift',
  },
];
const options: Array<{ name: string; o: HedgedOption }> = [
  { name: 'call 3225', o: { K: 3225, call: true } },
  { name: 'put 2600', o: { K: 2600, call: false } },
];
const market: HedgeMarket = { S0, r: RATE, q: DIVIDEND_YIELD, T: 59 / 252, steps: 59 };

const ac = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\nSIGINT: stopping; the report is not written\n');
  ac.abort();
});
const progress = (s: string): void => void process.stderr.write(`[${(performance.now() / 1000).toFixed(0)} s] ${s}\n`);

const f = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : '-');
const pct = (x: number): string => (x === 0 ? '0' : `${(x * 100).toPrecision(2)}%`);
const p = (x: unknown): string => JSON.stringify(x);

interface Row { model: string; option: string; premium: string; m: HedgeMetrics }
const rows: Row[] = [];
const notes: string[] = [];
const zeroVariance: string[] = [];
const n = 2 ** log2;
// the work is synchronous: yielding between units lets the SIGINT handler run
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
for (const model of models) {
  const premia: Array<[string, EquityPremium]> = [
    ['constant', { kind: 'constant', mu: RATE + EQUITY_PREMIUM }],
    ['prop. to v', { kind: 'variance', lambdaS: EQUITY_PREMIUM / model.pv.theta }],
  ];
  for (const { name: oname, o } of options) {
    if (ac.signal.aborted) process.exit(130);
    progress(`${model.name} ${oname}: Heston greeks table`);
    const table = hestonDeltaTable(model.params, market, o, { vMax: 1.0, nv: 33, nx: 481, xMax: 0.9, signal: ac.signal });
    const V0q = hestonPrices(model.params, S0, market.T, market.r, market.q, [o.K], o.call)[0];
    for (const [pname, premium] of premia) {
      await tick();
      if (ac.signal.aborted) process.exit(130);
      progress(`${model.name} ${oname} premium ${pname}: paths`);
      const base = { params: model.params, market, premium, physicalVariance: model.pv, paths: n, seed };
      const fit = simulateHedgePaths({ ...base, stream: 0 });
      const ev = simulateHedgePaths({ ...base, stream: 1 });
      progress('LRM and MVH fits');
      const t0 = performance.now();
      const lrm = fitQuadraticHedge(fit, o, model.params, 'LRM', {}, ac.signal);
      const t1 = performance.now();
      const mvh = fitQuadraticHedge(fit, o, model.params, 'MVH', {}, ac.signal);
      const t2 = performance.now();
      const mvhRegressed = fitQuadraticHedge(fit, o, model.params, 'MVH', { feedbackMean: 'regressed' }, ac.signal);
      await tick();
      if (ac.signal.aborted) process.exit(130);
      progress('evaluation');
      const strategies = [
        quadraticStrategy(lrm), quadraticStrategy(mvh), quadraticStrategy(mvhRegressed, 'MVH, b regressed'), blackScholesStrategy(model.params, market, o),
        hestonTableStrategy(table, market, o, 'delta', V0q), hestonTableStrategy(table, market, o, 'mvDelta', V0q),
        naiveStrategy(fitNaiveHedge(fit, o, 'LRM')), naiveStrategy(fitNaiveHedge(fit, o, 'MVH')),
      ];
      const ms: HedgeMetrics[] = [];
      for (const st of strategies) {
        ms.push(evaluateStrategy(ev, o, st));
        await tick();
        if (ac.signal.aborted) process.exit(130);
      }
      if (oname === options[0].name) {
        let zero = 0, tiny = 0;
        for (let i = 0; i < ev.paths; i++) {
          for (let k = 0; k < market.steps; k++) {
            const v = ev.v[i * (market.steps + 1) + k];
            if (v === 0) zero++;
            if (v < 1e-4) tiny++;
          }
        }
        const m = ev.paths * market.steps;
        zeroVariance.push(`${model.name} (${pname} premium): v = 0 exactly on ${pct(zero / m)} of path-dates, v < 1e-4 (vol < 1%) on ${pct(tiny / m)}`);
      }
      for (const m of ms) rows.push({ model: model.name, option: oname, premium: pname, m });
      const gap = pairedSquaredErrorGap(ms[0].errors, ms[1].errors);
      notes.push(
        `| ${model.name} | ${oname} | ${pname} | ${lrm.ratio0.toFixed(4)} ± ${lrm.ratio0StdError.toFixed(4)} | ${mvh.ratio0.toFixed(4)} | ${mvh.L0.toFixed(4)} | ${gap.mean.toFixed(1)} ± ${gap.stdError.toFixed(1)} | ${(modelImpliedVol(model.params, market, o) * 100).toFixed(2)}% | ${((t1 - t0) / 1000).toFixed(1)} / ${((t2 - t1) / 1000).toFixed(1)} |`,
      );
    }
  }
}

const lines = [
  '# Quadratic hedging: the real case',
  '',
  'Regenerate (about 5 minutes on 2 cores):',
  '',
  '```sh',
  `nice -n 10 node --import tsx tools/quadratic-hedging-report.ts --paths-log2 ${log2} --seed ${seed} --date ${date}`,
  '```',
  '',
  `SPX, ${date}: S0 = ${S0.toFixed(2)}, v0 = VIX^2 = ${v0.toFixed(5)} (${source}). T = 59/252, 59 daily rebalancing dates, r = ${RATE}, q = ${DIVIDEND_YIELD} (assumed: early-2020 3-month T-bill and SPX dividend yield; the data hold no rates). Equity premium mu - r = ${EQUITY_PREMIUM} per year (data/simulator-params.json), either constant or proportional to v (lambdaS v with lambdaS = premium / thetaP, the same mean).`,
  '',
  ...models.map((m) => `- ${m.name}: ${p(m.params)}; P variance drift ${p(m.pv)}. Source: ${m.source}.`),
  '',
  `Fit on ${n} paths (stream 0 of seed ${seed}), evaluated under P on ${n} fresh paths (stream 1). Money in index points per option, discounted to t = 0. Effectiveness = 1 - Var(error)/Var(payoff); corr = pooled correlation of the cost increments with the gains; > 10 and > 50: share of (path, date) hedge ratios beyond the seed's clipping bounds, none clipped. LRM and MVH: src/quant/hedge-lsmc.ts; "seed-like": the reconstruction of the seed's estimator in src/quant/hedge-lsmc-naive.ts (raw monomials in S and v, ratios of separately regressed moments, Schweizer's products).`,
  '',
  '| model | option | premium | method | V0 | mean error | RMSE | effectiveness | corr(cost, gains) | max abs ratio | > 10 | > 50 |',
  '|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(({ model, option, premium, m }) =>
    `| ${model} | ${option} | ${premium} | ${m.name} | ${f(m.V0, 2)} | ${f(m.meanError)} | ${f(m.rmse)} | ${f(m.effectiveness, 4)} | ${f(m.costGainCorr, 4)} | ${m.maxAbsShares.toPrecision(3)} | ${pct(m.over10)} | ${pct(m.over50)} |`),
  '',
  'Ratios at t = 0 (shares per option), MVH opportunity process L0, the paired gap E[e_LRM^2] - E[e_MVH^2] with its standard error (positive: MVH better, as theory says), the model implied vol used by the BS delta, and fit seconds (LRM / MVH):',
  '',
  '| model | option | premium | LRM ratio0 ± SE | MVH ratio0 | L0 | E[e_LRM^2] - E[e_MVH^2] | BS vol | fit s |',
  '|---|---|---|---:|---:|---:|---:|---:|---:|',
  ...notes,
  '',
  '## Why the seed clipped its ratios, and what replaced the clip',
  '',
  'Columns "> 10" and "> 50" count, with nothing clipped, how often each estimator would have hit the seed\'s bounds on the evaluation paths. Three causes, in the order the table separates them:',
  '',
  '1. **Ratios of separately regressed moments on a raw basis** (the "seed-like" rows). xi = (E[V dX] - E[V] E[dX]) / (E[dX^2] - E[dX]^2) divides one regression by another. On raw monomials in S (S^2 of an index near 3,000 is 1e7 times the constant column) the unscaled normal equations lose most of their digits, and where the conditional variance of dX is small (v near 0, see below) the regressed denominator is noise of either sign: the ratio explodes, and Schweizer\'s products prod (1 - beta_j dX_j) carry each exploded beta into every earlier date. Fix (src/quant/hedge-lsmc.ts): every ratio is the coefficient function of one weighted least-squares problem whose objective is the hedging criterion itself (LRM: min E_k[(V_{k+1} - a - xi dX)^2]; MVH: the same weighted by the opportunity process L_{k+1}, Cerny\'s dynamic programme, no pathwise products), on Hermite polynomials of standardised ln S and sqrt v plus the Black-Scholes price and delta at the expected average variance, solved by a scaled, pivoted Cholesky that drops numerically dependent columns. Low-variance states carry weight dX^2 and cannot divide noise by noise.',
  '2. **The mean return in the feedback coefficient** b = E[L R]/E[L R^2] (the "MVH, b regressed" rows): a daily return\'s mean is about 1% of its standard deviation, so its regression on 2^' + log2 + ' paths is mostly noise and b swings between dates. Fix: the mean return comes from the model (exact for the constant premium under the QE-M scheme, first order for the premium proportional to v); only the covariance part and the second moment are regressed, and the second moment is floored at the model\'s own lower bound (1 - rho^2) E[int v] (+ jump variance).',
  '3. **The model itself, under a constant premium.** With Feller badly violated (2 kappa theta / sigma^2 = ' + (2 * 3.1 * 0.09 / 1.5 ** 2).toFixed(2) + ' for the Heston set) the variance sits at or near 0 often:',
  '',
  ...zeroVariance.map((z) => `   - ${z}`),
  '',
  '   There the market price of risk (mu - r)/sqrt(v) of a constant premium is huge (in the QE chain a step with v_k = v_{k+1} = 0 has a riskless return of mean (mu - r) dt: a near-arbitrage), so the variance-optimal feedback b/X (V - W) is legitimately large: MVH\'s remaining hits of 10 under the constant premium are this, bounded by the model\'s variance floor and not by a clip. Under a premium proportional to v (Heston 1993; Cerny and Kallsen 2008) the tradeoff lambdaS^2 v dt vanishes with v and MVH\'s ratios stay within a few shares.',
  '',
  'Checks (src/quant/hedge-lsmc*.test.ts): sigma -> 0 gives LRM = MVH = the exact discrete-time Black-Scholes ratio (quadrature) within 4 standard errors; under Heston with P = Q the LRM ratio at t = 0 is the minimum-variance delta of heston-greeks.ts; on SPX-like Feller-violating paths E[e_LRM^2] >= E[e_MVH^2] within 3 paired standard errors, LRM\'s cost is uncorrelated with its gains, and no unclipped ratio reaches 10 while the seed-like estimator\'s do.',
  '',
];
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, lines.join('\n'));
progress(`wrote ${outPath}`);
