/**
 * The analyst report from the real 2007-2021 replay: builds the daily tape (tools/real-tape.ts,
 * from ../shared/data into the gitignored .volrisk/tapes/) and a rolling option book from its closes
 * (tools/analyst-hedging.ts), replays the tape through the live stages with that book (the hedges
 * stage included) into an embedded store (src/replay/run-replay.ts), reads the `variance`, `nsde`
 * and `hedges` topics back, and writes docs/analyst-report.md with PNG charts under
 * docs/analyst-report/.
 *
 *   nice -n 10 node --import tsx tools/analyst-report.ts [--data DIR] [--store DIR] [--run ID]
 *
 * Without --store the embedded store lives in a temporary folder removed at the end; with one,
 * a finished run there is read back without replaying it again. Ctrl-C stops the replay cleanly
 * (the run keeps its checkpoint in a kept store) and writes no report. Needs /usr/bin/chromium
 * (or PLAYWRIGHT_CHROMIUM) for the charts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { TOPICS } from '../src/bus/topics.ts';
import { BOOK_KEY } from '../src/positions/schema.ts';
import { openStore } from '../src/store/client.ts';
import { migrate } from '../src/store/migrations.ts';
import { topicValues } from '../src/store/analyst-queries.ts';
import { runReplay } from '../src/replay/run-replay.ts';
import { progressLine } from '../src/replay/progress.ts';
import type { VariancePayload } from '../streams/variance.ts';
import type { NsdePayload } from '../streams/nsde.ts';
import { defaultStages } from '../streams/topology.ts';
import { PositionsBook } from '../src/positions/book.ts';
import type { Tick } from '../src/ticks/schema.ts';
import { buildRealTape } from './real-tape.ts';
import { rollingBook, type TapeDay } from './analyst-hedging.ts';
import { hedgingSection } from './analyst-report-hedging.ts';
import { accuracyByYear, bandCoverage, forecastPairs, VARIANCE_MODELS, type BandDay, type Coverage, type VarianceDay, type VarianceModel } from './analyst-metrics.ts';
import { lineChartSvg, type LineChart } from './analyst-plot-svg.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HORIZONS = [1, 5, 10, 21] as const;
const MODEL_NAMES: Record<VarianceModel, string> = { garch: 'GARCH(1,1)', hn: 'HN-GARCH', gru: 'VI-HN-GRU', vix: 'VIX-implied' };
const MODEL_COLORS: Record<VarianceModel, string> = { garch: '#2e86ab', hn: '#f18f01', gru: '#d1495b', vix: '#222222' };
const H_COLORS = ['#2e86ab', '#f18f01', '#d1495b', '#3b8b3b'];
const say = (s: string) => process.stderr.write(`[analyst report] ${s}\n`);

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  if (i >= 0 && (i + 1 >= argv.length || argv[i + 1].startsWith('--'))) throw new Error(`${name}: expected a value`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const dataDir = resolve(arg('--data') ?? process.env.VOLRISK_REAL_DATA ?? resolve(repoRoot, '../shared/data'));
const run = arg('--run') ?? 'real-2007-2021';
const keptStore = arg('--store');
const tapePath = resolve(repoRoot, '.volrisk/tapes/real-daily-2007-2021.ndjson');
const docDir = resolve(repoRoot, 'docs');
const plotDir = join(docDir, 'analyst-report');
if (!existsSync(join(dataDir, 'spx/spx-daily.csv'))) throw new Error(`--data: ${dataDir} has no spx/spx-daily.csv; point it at the real-data folder`);

say(`building the tape from ${dataDir}`);
const tape = await buildRealTape({ dataDir, out: tapePath, from: '2007-01-01', to: '2022-01-01' });
say(`tape: ${tape.ticks} ticks, ${tape.firstDate} .. ${tape.lastDate} (${relative(repoRoot, tapePath)})`);

// The tape's SPX and VIX closes (one print each a trading day), for the rolling book and its P&L.
const days: TapeDay[] = [];
const vixByDate = new Map<string, number>();
for (const line of readFileSync(tapePath, 'utf8').split('\n')) {
  if (!line) continue;
  const t = JSON.parse(line) as Tick;
  if (t.kind !== 'index') continue;
  const date = new Date(t.ts / 1000).toISOString().slice(0, 10);
  if (t.symbol === 'SPX') days.push({ date, spx: t.price, ts: t.ts });
  else if (t.symbol === 'VIX') vixByDate.set(date, t.price);
}
const bookOptions = rollingBook(days);
const book = new PositionsBook(bookOptions.map((o) => o.position), {}, 'rolling book');
say(`rolling book: ${bookOptions.length} options, ${bookOptions.length / 2} monthly pairs`);

const storeDir = keptStore ? resolve(keptStore) : mkdtempSync(join(tmpdir(), 'volrisk-analyst-'));
const store = await openStore({ dataDir: storeDir });
const ac = new AbortController();
const onSigint = () => {
  say('SIGINT: stopping the replay at the next tick');
  ac.abort();
};
process.once('SIGINT', onSigint);
let completed = false;
try {
  await migrate(store);
  let lastPrint = 0;
  const t0 = Date.now();
  const r = await runReplay(
    { run, tape: { kind: 'files', files: [tapePath] }, checkpointEvery: 20_000 },
    {
      store,
      stages: () => defaultStages({ book }),
      signal: ac.signal,
      onProgress: (p) => {
        if (Date.now() - lastPrint < 2_000 && p.status === 'running') return;
        lastPrint = Date.now();
        process.stderr.write(`\r${progressLine(p)}   `);
      },
    },
  );
  process.stderr.write('\n');
  say(`replay ${r.status}${r.alreadyDone ? ' (already done in this store)' : ''}: ${r.position} items, ${r.counts.accepted} accepted, ${r.counts.rejected} rejected, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (r.status !== 'done') {
    say(keptStore ? `stopped; rerun with --store ${keptStore} to resume run ${run}` : 'stopped; no report written');
  } else {
    await writeReport(r.counts.accepted, r.alreadyDone ? null : (Date.now() - t0) / 1000);
    completed = true;
  }
} finally {
  process.off('SIGINT', onSigint);
  await store.close();
  if (!keptStore) rmSync(storeDir, { recursive: true, force: true });
}
if (!completed) process.exitCode = 130;

/** Reads the topics back, computes the tables and writes the Markdown and the charts. */
async function writeReport(accepted: number, seconds: number | null): Promise<void> {
  const vRows = await topicValues(store, { run, topic: TOPICS.variance, key: 'SPX', limit: 1_000_000 });
  const nRows = await topicValues(store, { run, topic: TOPICS.nsde, key: 'VIX', limit: 1_000_000 });
  const hRows = (await topicValues(store, { run, topic: TOPICS.hedges, limit: 10_000_000 })).filter((m) => m.key !== BOOK_KEY);
  say(`read ${vRows.length} variance, ${nRows.length} nsde and ${hRows.length} position hedges messages`);
  const hedging = hedgingSection({ rows: hRows, days, vix: vixByDate, book: bookOptions });

  // Variance: the daily closes that advanced the filters, one per date (the last, should a date repeat).
  const byDate = new Map<string, VariancePayload>();
  const sources: Record<string, number> = {};
  for (const m of vRows) {
    const p = m.payload as VariancePayload;
    if (p.kind !== 'close' || !p.updated || p.realized === null) continue;
    byDate.set(p.date, p);
  }
  const vDays: VarianceDay[] = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)).map((p) => {
    sources[p.realizedSource ?? 'none'] = (sources[p.realizedSource ?? 'none'] ?? 0) + 1;
    return {
      date: p.date,
      realized: p.realized as number,
      next: { garch: p.garch, hn: p.hn, gru: p.gru, vix: p.vixVariance },
      mean21: { garch: p.forecasts.garch.var21d / 21, hn: p.forecasts.hn.var21d / 21, gru: p.forecasts.gru.var21d / 21, vix: p.vixVariance },
    };
  });
  if (vDays.length < 30) throw new Error(`variance topic of run ${run}: only ${vDays.length} daily closes; the replay produced too little to report on`);

  // Neural SDE: the day's last publish (one VIX close a day on this tape), after a full warm history.
  const nByDate = new Map<string, NsdePayload>();
  let shortHistory = 0;
  for (const m of nRows) nByDate.set(new Date(m.ts / 1000).toISOString().slice(0, 10), m.payload as NsdePayload);
  const bandDays: BandDay[] = [...nByDate].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([date, p]) => {
    const full = p.historyDays >= p.warm;
    if (!full) shortHistory++;
    return { date, vix: p.vix, bands: new Map(full ? p.horizons.map((h) => [h.days, { q05: h.q05, q95: h.q95 }] as const) : []) };
  });
  const paths = nRows.length ? (nRows[0].payload as NsdePayload).paths : 0;
  // Band width against the real spread of 1-day log VIX changes: a normal 5-95% band spans 3.29 sd.
  let logWidth = 0;
  let nWidth = 0;
  const dLog: number[] = [];
  bandDays.forEach((d, i) => {
    const b = d.bands.get(1);
    if (b) {
      logWidth += Math.log(b.q95 / b.q05);
      nWidth++;
    }
    if (i > 0) dLog.push(Math.log(d.vix / bandDays[i - 1].vix));
  });
  logWidth /= nWidth || 1;
  const mLog = dLog.reduce((a, b) => a + b, 0) / (dLog.length || 1);
  const sdLog = Math.sqrt(dLog.reduce((a, b) => a + (b - mLog) ** 2, 0) / Math.max(1, dLog.length - 1));

  const years = [...new Set(vDays.map((d) => d.date.slice(0, 4)))].sort();
  const acc = (h: 1 | 21) => Object.fromEntries(VARIANCE_MODELS.map((m) => [m, accuracyByYear(forecastPairs(vDays, m, h))])) as Record<VarianceModel, ReturnType<typeof accuracyByYear>>;
  const acc1 = acc(1);
  const acc21 = acc(21);
  const cov = Object.fromEntries(HORIZONS.map((h) => [h, bandCoverage(bandDays, h)])) as Record<number, Map<string, Coverage>>;
  const covYears = [...new Set(bandDays.map((d) => d.date.slice(0, 4)))].sort();

  const SCALE = 1e4; // RMSE in squared daily percent
  const accTable = (a: typeof acc1, title: string) => {
    let s = `| year | n | ${VARIANCE_MODELS.map((m) => `${MODEL_NAMES[m]} QLIKE`).join(' | ')} | ${VARIANCE_MODELS.map((m) => `${MODEL_NAMES[m]} RMSE`).join(' | ')} |\n`;
    s += `|---|---:|${VARIANCE_MODELS.map(() => '---:').join('|')}|${VARIANCE_MODELS.map(() => '---:').join('|')}|\n`;
    for (const y of [...years, 'all']) {
      const row = VARIANCE_MODELS.map((m) => a[m].get(y));
      if (!row[0]) continue;
      const best = Math.min(...row.map((r) => r?.qlike ?? Infinity));
      const q = row.map((r) => (r ? (r.qlike === best ? `**${r.qlike.toFixed(3)}**` : r.qlike.toFixed(3)) : '-'));
      const e = row.map((r) => (r ? (r.rmse * SCALE).toFixed(3) : '-'));
      s += `| ${y === 'all' ? '**all**' : y} | ${row[0].n} | ${q.join(' | ')} | ${e.join(' | ')} |\n`;
    }
    return `${title}\n\n${s}`;
  };
  const pct = (c: Coverage | undefined) => (c && c.n ? `${((100 * c.inside) / c.n).toFixed(1)}%` : '-');
  let covTable = `| year | ${HORIZONS.map((h) => `${h}d inside (n)`).join(' | ')} | ${HORIZONS.map((h) => `${h}d above / below`).join(' | ')} |\n|---|${HORIZONS.map(() => '---:').join('|')}|${HORIZONS.map(() => '---:').join('|')}|\n`;
  for (const y of [...covYears, 'all']) {
    const cs = HORIZONS.map((h) => cov[h].get(y));
    if (cs.every((c) => !c)) continue;
    covTable += `| ${y === 'all' ? '**all**' : y} | ${cs.map((c) => `${pct(c)} (${c?.n ?? 0})`).join(' | ')} | ${cs.map((c) => (c ? `${((100 * c.above) / c.n).toFixed(1)}% / ${((100 * c.below) / c.n).toFixed(1)}%` : '-')).join(' | ')} |\n`;
  }

  mkdirSync(plotDir, { recursive: true });
  const charts: Array<[string, LineChart]> = [
    ['variance-qlike-1d.png', { title: '1-day variance forecasts: mean QLIKE by year (lower is better)', xLabels: years, yLabel: 'QLIKE = RV/F + ln F', series: VARIANCE_MODELS.map((m) => ({ label: MODEL_NAMES[m], color: MODEL_COLORS[m], values: years.map((y) => acc1[m].get(y)?.qlike ?? null) })) }],
    ['variance-qlike-21d.png', { title: '21-day variance forecasts: mean QLIKE by year (lower is better)', xLabels: years, yLabel: 'QLIKE of the 21-day mean daily variance', series: VARIANCE_MODELS.map((m) => ({ label: MODEL_NAMES[m], color: MODEL_COLORS[m], values: years.map((y) => acc21[m].get(y)?.qlike ?? null) })) }],
    ['nsde-coverage.png', { title: 'Neural SDE: share of days the real VIX fell inside the 5-95% band', xLabels: covYears, yLabel: 'coverage (%)', yRange: [0, 100], series: [...HORIZONS.map((h, i) => ({ label: `${h} trading days`, color: H_COLORS[i], values: covYears.map((y) => { const c = cov[h].get(y); return c && c.n ? (100 * c.inside) / c.n : null; }) })), { label: 'nominal 90%', color: '#888', dashed: true, values: covYears.map(() => 90) }] }],
  ];
  // Forecast against realized over time: monthly means of annualised vol (thinned so the chart stays readable).
  const months = [...new Set(vDays.map((d) => d.date.slice(0, 7)))].sort();
  const monthly = (f: (d: VarianceDay, i: number) => number | null) => months.map((mo) => {
    const v: number[] = [];
    vDays.forEach((d, i) => { if (d.date.startsWith(mo)) { const x = f(d, i); if (x !== null && Number.isFinite(x)) v.push(x); } });
    return v.length ? 100 * Math.sqrt((252 * v.reduce((a, b) => a + b, 0)) / v.length) : null;
  });
  charts.push(['variance-vs-realized.png', { title: 'Monthly mean 1-day variance forecast vs the next day\'s realized, as annualised vol', xLabels: months, yLabel: 'annualised vol (%)', width: 1300, series: [
    { label: 'realized (next day)', color: '#aaaaaa', values: monthly((_, i) => (i + 1 < vDays.length ? vDays[i + 1].realized : null)) },
    ...VARIANCE_MODELS.map((m) => ({ label: MODEL_NAMES[m], color: MODEL_COLORS[m], values: monthly((d) => d.next[m]) })),
  ] }]);
  charts.push(...hedging.charts);
  const browser = await chromium.launch({ executablePath: process.env.PLAYWRIGHT_CHROMIUM ?? '/usr/bin/chromium' });
  try {
    for (const [file, c] of charts) {
      const W = c.width ?? 1000;
      const H = c.height ?? 520;
      const page = await browser.newPage({ viewport: { width: W, height: H } });
      await page.setContent(`<html><body style="margin:0">${lineChartSvg(c)}</body></html>`);
      await page.screenshot({ path: join(plotDir, file), clip: { x: 0, y: 0, width: W, height: H } });
      await page.close();
    }
  } finally {
    await browser.close();
  }

  const all1 = VARIANCE_MODELS.map((m) => `${MODEL_NAMES[m]} ${acc1[m].get('all')?.qlike.toFixed(3)}`).join(', ');
  const srcText = Object.entries(sources).map(([k, v]) => `${k} ${v}`).join(', ');
  const md = `# Analyst report: the real 2007-2021 daily tape through the live pipeline

Generated by \`tools/analyst-report.ts\`; regenerate with (needs ../shared/data and /usr/bin/chromium):

\`\`\`
nice -n 10 node --import tsx tools/analyst-report.ts
\`\`\`

The script builds the daily tape with \`tools/real-tape.ts\` (SPX and VIX daily OHLC, VVIX closes,
VIX futures VX1..VX8 settlements, ${tape.firstDate} .. ${tape.lastDate}, ${tape.ticks.toLocaleString('en-US')} ticks) and a rolling
option book from its closes (${bookOptions.length} options, see the hedging section), replays the tape
as run \`${run}\` through the live engine's stages (\`defaultStages({ book })\`: bars, variance,
surface, nsde, hedges) into ${seconds === null ? 'a kept' : 'a temporary'} embedded ClickHouse store (${accepted.toLocaleString('en-US')} ticks accepted, ${seconds === null ? 'replayed by an earlier invocation' : `replay ${seconds.toFixed(0)} s`}),
and reads the \`variance\`, \`nsde\` and \`hedges\` topics back with \`topicValues\`.

## Variance forecast accuracy

Each daily close of the \`variance\` topic (key SPX) carries every model's variance forecast of the
next day: \`garch\` (GARCH(1,1)), \`hn\` (Heston-Nandi GARCH), \`gru\` (the VI-HN-GRU's eta), and
\`vixVariance\` = (VIX/100)^2/252. The outcome is the next day's \`realized\` in the next day's payload,
the filter's own realized measure of that day (sources over the ${vDays.length.toLocaleString('en-US')} days: ${srcText}).
The 21-day forecast is \`forecasts.<model>.var21d\` / 21 (for VIX, (VIX/100)^2/252: VIX is a 30-day
implied variance) against the mean realized variance of the next 21 trading days. Losses (Patton
2011, models/hn-gru/losses.ts): QLIKE = RV/F + ln F (lower is better, bold = best in the row) and
RMSE of the daily variance in squared daily percent (variance x 1e4).

Overall 1-day QLIKE: ${all1}.

${accTable(acc1, '### 1-day forecasts against the next day\'s realized variance')}
![1-day QLIKE by year](analyst-report/variance-qlike-1d.png)

${accTable(acc21, '### 21-day forecasts against the mean realized variance of the next 21 trading days')}
![21-day QLIKE by year](analyst-report/variance-qlike-21d.png)

![forecasts against realized](analyst-report/variance-vs-realized.png)

## Neural-SDE VIX quantile coverage

Each VIX close publishes the neural SDE's fan (\`nsde\` topic, key VIX, ${paths} paths per publish):
quantiles of VIX h trading days ahead. A day counts as covered at horizon h when the real VIX
close h trading days later (counted along the tape's VIX closes) lay inside that day's
[q05, q95] band; nominal coverage 90%, with 5% expected above and 5% below. Days whose signature
history was shorter than the model's warm-up (${shortHistory} at the start of the tape) are left out.

${covTable}
![coverage by year](analyst-report/nsde-coverage.png)

Reading: the bands are too narrow at every horizon, with misses on both sides. At one day, the
mean width of the band in log VIX is ${logWidth.toFixed(3)}, while the real 1-day log VIX changes over
the tape have a standard deviation of ${sdLog.toFixed(3)} (a normal 5-95% band would be
${(3.29 * sdLog).toFixed(3)} wide). This matches the trained model's own evaluation, whose daily
spread of X = 2 ln(VIX/100) is below the real one (models/nsde/metrics.json: sdDx). The longer
bands also revert quickly towards the model's long-run level, so after a jump in VIX the 21-day
band can lie wholly below the current VIX. On this run, coverage is highest in 2009 (a long
decline from the 2008 peak) and 2017 (calm). It is lowest in the years of sudden spikes (2008,
2018, 2020).

${hedging.markdown}
## Data caveats

- The tape is daily closes only (16:15 New York): no intraday bars, so the realized variance is
  the filter's daily measure (${srcText}), a noisy proxy (Garman-Klass range plus the squared
  overnight return where the bar has OHLC). QLIKE ranks forecasts consistently under such noise;
  RMSE is dominated by the crisis days (2008, 2020).
- The variance models were fitted on 1983-07 .. 2012-12 (VI-HN-GRU early stopping on 2013-2017),
  so 2007-2012 is in-sample for every filter and 2013-2017 for the GRU's stopping; only
  2018-2021 is out of sample (models/hn-gru/splits.ts). The filters start from the fitted
  history's initial state at the first 2007 bar, so the first days carry a burn-in.
- The neural SDE was trained on windows up to 2015 and validated on 2016-2019
  (models/nsde/README.md): its coverage before 2020 is in-sample.
- The VI-HN-GRU's 21-day forecast is the weakest by QLIKE and RMSE in most years, as in its own
  test-set evaluation (models/hn-gru/metrics.json, \`test.twentyOneDay\`): its 1-day forecast
  is the best, its 21-day expectation is not.
- The VIX-implied forecast is a risk-neutral 30-day variance; it carries the variance risk
  premium, so it is biased upward against realized variance by construction.
- Holidays: the tape's trading days are the days the files have; the VIX futures expiries ignore
  exchange holidays (tools/real-tape.ts), which the variance and nsde numbers do not use.
`;
  writeFileSync(join(docDir, 'analyst-report.md'), md);
  say(`wrote docs/analyst-report.md and ${charts.length} charts in docs/analyst-report/`);
  say(`1-day QLIKE all years: ${all1}`);
  for (const h of HORIZONS) say(`nsde ${h}d coverage all years: ${pct(cov[h].get('all'))} of ${cov[h].get('all')?.n ?? 0}`);
  for (const line of hedging.summary) say(`hedging: ${line}`);
}
