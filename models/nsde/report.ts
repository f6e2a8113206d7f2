/**
 * Pricing comparison and picture of the committed model: writes pricing.json and paths.png
 * into the model folder, and refreshes metrics.json's test-year evaluation from the saved
 * weights (deterministic: the same numbers training wrote, unless the evaluation code changed).
 * Run after `volrisk train nsde`:
 *   node --import tsx models/nsde/report.ts
 * (needs ../shared/data, and /usr/bin/chromium or PLAYWRIGHT_CHROMIUM for the picture).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { simulateLogOu } from './calibrate.ts';
import { evaluateNsde, repeatStarts, simulateChunked, type NsdeEvaluation } from './evaluate.ts';
import { loadNsdeModel } from './load.ts';
import { plotSvg } from './plot-svg.ts';
import { prepareData } from './prepare.ts';
import { futuresComparison, spxComparison, vixOptions } from './pricing.ts';
import { normals } from './simulate.ts';
import { DEFAULT_MODEL_DIR } from './weights.ts';

const SEED = 20261121;
const say = (s: string) => process.stderr.write(`[nsde report] ${s}\n`);
const model = await loadNsdeModel();
const c = model.weights.config;
const data = prepareData({ warm: c.warm, steps: c.steps, dt: c.dt });

say('test-year evaluation');
const metricsPath = join(DEFAULT_MODEL_DIR, 'metrics.json');
const metrics = JSON.parse(readFileSync(metricsPath, 'utf8')) as { seed: number; config: { evalPathsPerWindow: number }; evaluation: NsdeEvaluation };
metrics.evaluation = evaluateNsde(model, data, { seed: metrics.seed, pathsPerWindow: metrics.config.evalPathsPerWindow });
writeFileSync(metricsPath, JSON.stringify(metrics, null, 2) + '\n');

say('VIX futures curves (2020-2021)');
const futures = futuresComparison(model, data, { paths: 1000, seed: SEED });
say(`futures RMSE nsde ${futures.rmse.nsde.toFixed(2)}, log-OU ${futures.rmse.logOu.toFixed(2)} VIX points`);
say('VIX options');
const lastFutures = futures.rows[futures.rows.length - 1].date;
const options = { date: '2024-01-05', rows: vixOptions(model, data, '2024-01-05', { paths: 4000, seed: SEED }) };
say('SPX smiles against the real chains');
const spx = await spxComparison(model, data, { paths: 4000, seed: SEED });
writeFileSync(join(DEFAULT_MODEL_DIR, 'pricing.json'), JSON.stringify({ seed: SEED, rho: data.rho, futures, futuresNote: `continuous VX1..VX6 (mean maturity (n - 1/2) months) on the first trading day of each quarter up to ${lastFutures}`, vixOptions: options, spx }, null, 2) + '\n');

say('picture');
const steps = c.steps;
const len = steps + 1;
const t = data.test;
const real: number[][] = [];
for (let r = 0; r < t.seg.n; r++) real.push(Array.from(t.seg.x.subarray(r * (c.warm + len) + c.warm, (r + 1) * (c.warm + len)), (x) => 100 * Math.exp(x / 2)));
// The evaluation's own ensemble (same starts, same normals), so the picture shows the numbers in metrics.json.
const per = metrics.config.evalPathsPerWindow;
const starts = repeatStarts(t.starts, per);
const z = normals(metrics.seed, 77, steps, starts.n);
const gen = simulateChunked(model, starts, steps, z);
const base = simulateLogOu(data.baseline, starts.x0, steps, c.dt, z);
const toVix = (x: Float64Array) => Array.from({ length: starts.n }, (_, p) => Array.from(x.subarray(p * len, (p + 1) * len), (v) => 100 * Math.exp(v / 2)));
const gV = toVix(gen);
const bV = toVix(base);
const pick = Array.from({ length: 40 }, (_, i) => Math.floor((i * t.seg.n) / 40));
const ev = metrics.evaluation;
const svg = plotSvg({
  title: `Neural SDE for VIX, test years ${t.seg.startDates[0].slice(0, 4)}-${t.seg.startDates[t.seg.n - 1].slice(0, 4)}: ${t.seg.n} real 20-day windows vs ${per} generated paths per window`,
  realPaths: pick.map((i) => real[i]),
  nsdePaths: pick.map((i) => gV[i]),
  terminal: { real: real.map((p) => p[steps]), nsde: gV.map((p) => p[steps]), logOu: bV.map((p) => p[steps]) },
  kurtosis: ev.kurtosisBySteps,
});
const browser = await chromium.launch({ executablePath: process.env.PLAYWRIGHT_CHROMIUM ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
  await page.screenshot({ path: join(DEFAULT_MODEL_DIR, 'paths.png'), clip: { x: 0, y: 0, width: 1400, height: 900 } });
} finally {
  await browser.close();
}
say('wrote pricing.json and paths.png');
