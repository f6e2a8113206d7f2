/**
 * The analyst report's hedging section: from the replay's `hedges` messages of the rolling book
 * (tools/analyst-hedging.ts), each method's hedged P&L per option, the metrics overall, by year
 * and per right, the Markdown and the charts. No I/O: the report tool reads the store and writes
 * the files.
 */
import type { StoredMessage } from '../src/store/analyst-queries.ts';
import { yearsToExpiry } from '../src/hedging/context.ts';
import type { LineChart } from './analyst-plot-svg.ts';
import {
  closeMessages,
  deltaZeroRates,
  hedgedPnl,
  holdWhereMissing,
  optionPayoff,
  premiumZeroRates,
  statsByGroup,
  type BookOption,
  type HedgeMessage,
  type PnlStats,
  type TapeDay,
} from './analyst-hedging.ts';

/** What the section needs. */
export interface HedgingInputs {
  /** The run's `hedges` messages, in stored (ts, key, seq) order. */
  rows: readonly StoredMessage[];
  /** The tape's trading days and the VIX close of each date (where the tape has one). */
  days: readonly TapeDay[];
  vix: ReadonlyMap<string, number>;
  book: readonly BookOption[];
}

/** Consistency checks of the run's hedges against the tape and the book. */
export interface HedgingChecks {
  /** Days an option was hedged over (inception .. day before expiry), summed over the book. */
  positionDays: number;
  /** Of those, days without a message at that close; with a spot other than the tape's close; with a variance state not of that day. */
  noMessage: number;
  spotMismatch: number;
  staleVariance: number;
  /** Options that said `expired` at their expiry day's close. */
  expiredSeen: number;
  /** Live methods with a ratio on some day, and those with none. */
  published: string[];
  absent: string[];
  /** Per published method, days its hedge was held from the day before (no ratio that day). */
  held: Record<string, number>;
  /** Tape days without a VIX close (the last one carried). */
  vixCarried: number;
}

/** One option's P&L under one hedge (column id: a live method, 'bs-vix' or 'unhedged'). */
export interface Outcome {
  col: string;
  id: string;
  right: 'C' | 'P';
  year: string;
  month: string;
  /** Index points per contract, and % of the inception spot. */
  pts: number;
  pct: number;
}

/** The section's Markdown, its charts, the P&L it was made of, checks, and one-line summaries for the console. */
export interface HedgingSection {
  markdown: string;
  charts: Array<[string, LineChart]>;
  outcomes: Outcome[];
  checks: HedgingChecks;
  summary: string[];
}

/** Columns of the tables: live methods that published, then the report's own benchmarks. */
interface Column {
  id: string;
  label: string;
  color: string;
  dashed?: boolean;
}

const UNHEDGED: Column = { id: 'unhedged', label: 'unhedged (report)', color: '#888888', dashed: true };
const BS_VIX: Column = { id: 'bs-vix', label: 'BS delta at VIX (report)', color: '#222222' };
const LIVE_LABELS: Record<string, [string, string]> = {
  bs: ['bs (live)', '#2e86ab'],
  heston: ['heston (live)', '#3b8b3b'],
  'heston-mv': ['heston-mv (live)', '#7b4fa0'],
  hn: ['hn: HN-GARCH (live)', '#f18f01'],
  'deep-gru': ['deep-gru (live)', '#d1495b'],
  lrm: ['lrm (live)', '#1b998b'],
  mvh: ['mvh (live)', '#8d6a9f'],
};
const WHY_ABSENT: Record<string, string> = {
  bs: 'Black-Scholes at the live surface\'s implied vol of the contract: the daily tape carries no option quotes, so the surface stage fits nothing',
  heston: 'Heston delta at the live surface\'s Heston calibration: no surface, no calibration',
  'heston-mv': 'Heston minimum-variance delta: same calibration as heston',
  lrm: 'Local risk minimisation by least-squares Monte Carlo at the live Heston calibration: no calibration',
  mvh: 'Mean-variance hedging, same simulation and calibration as lrm',
};


const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '-');

/** Builds the section (throws when the run has no hedges of the book: e.g. a store replayed without it). */
export function hedgingSection(input: HedgingInputs): HedgingSection {
  const { days, book } = input;
  const byKey = new Map<string, HedgeMessage[]>();
  for (const m of input.rows) (byKey.get(m.key) ?? byKey.set(m.key, []).get(m.key)!).push(m.payload as HedgeMessage);
  const withMessages = book.filter((o) => byKey.has(o.position.id)).length;
  if (withMessages === 0) throw new Error(`hedges topic: no message for any of the ${book.length} positions of the rolling book; was the run replayed with the book (defaultStages({ book }))?`);

  // The VIX of a date, carrying the last close over a date the VIX file lacks.
  let carried = 0;
  const vixOf: number[] = [];
  let lastVix = NaN;
  for (const d of days) {
    const v = input.vix.get(d.date);
    if (v === undefined) carried++;
    else lastVix = v;
    vixOf.push(lastVix);
  }

  const liveNames = new Set<string>();
  for (const ms of byKey.values()) for (const m of ms) if (m.ratios) for (const k of Object.keys(m.ratios)) liveNames.add(k);
  const dayCount = new Map<string, number>(); // position-days with a ratio, per live method
  const heldDays = new Map<string, number>();
  let positionDays = 0;
  let noMessage = 0;
  let spotMismatch = 0;
  let staleVariance = 0;
  let expiredSeen = 0;
  const perOption: Array<{ o: BookOption; ratios: Map<string, Array<number | null>>; premium: number; payoff: number; spots: number[]; bs: number[]; vix0: number }> = [];
  for (const o of book) {
    const ms = byKey.get(o.position.id) ?? [];
    const ticks = days.slice(o.open, o.expiry).map((d) => d.ts);
    const daily = closeMessages(ms, ticks);
    if (ms.some((m) => m.expired && m.inputs.tick === days[o.expiry].ts)) expiredSeen++;
    const ratios = new Map<string, Array<number | null>>([...liveNames].map((n) => [n, [] as Array<number | null>]));
    daily.forEach((m, i) => {
      const t = o.open + i;
      positionDays++;
      if (!m) noMessage++;
      else {
        if (m.inputs.spot !== days[t].spx) spotMismatch++;
        // The day's own variance: published after its close and before the next one.
        const v = m.inputs.variance;
        if (v === null || !(v > days[t].ts) || (t + 1 < days.length && !(v < days[t + 1].ts))) staleVariance++;
      }
      for (const n of liveNames) {
        const r = m?.ratios[n] ?? null;
        ratios.get(n)!.push(r);
        if (r !== null) dayCount.set(n, (dayCount.get(n) ?? 0) + 1);
      }
    });
    const S0 = days[o.open].spx;
    const T0 = yearsToExpiry(o.position.instrument, days[o.open].ts);
    const premium = premiumZeroRates(o.right, S0, o.strike, T0, vixOf[o.open] / 100);
    const payoff = optionPayoff(o.right, o.strike, days[o.expiry].spx);
    const spots = days.slice(o.open, o.expiry + 1).map((d) => d.spx);
    const bs = days.slice(o.open, o.expiry).map((d, i) => deltaZeroRates(o.right, d.spx, o.strike, yearsToExpiry(o.position.instrument, d.ts), vixOf[o.open + i] / 100));
    perOption.push({ o, ratios, premium, payoff, spots, bs, vix0: vixOf[o.open] });
  }

  const published = [...liveNames].filter((n) => (dayCount.get(n) ?? 0) > 0);
  const absent = [...liveNames].filter((n) => !published.includes(n));
  const cols: Column[] = [UNHEDGED, BS_VIX, ...published.map((n) => ({ id: n, label: LIVE_LABELS[n]?.[0] ?? `${n} (live)`, color: LIVE_LABELS[n]?.[1] ?? '#555555' }))];

  const outcomes: Outcome[] = [];
  const premiums: number[] = [];
  for (const x of perOption) {
    const S0 = x.spots[0];
    premiums.push((100 * x.premium) / S0);
    const date = days[x.o.open].date;
    const add = (col: string, hedges: readonly number[]) => {
      const pts = hedgedPnl(x.premium, x.payoff, x.spots, hedges);
      outcomes.push({ col, id: x.o.position.id, right: x.o.right, year: date.slice(0, 4), month: date.slice(0, 7), pts, pct: (100 * pts) / S0 });
    };
    add(UNHEDGED.id, x.bs.map(() => 0));
    add(BS_VIX.id, x.bs);
    for (const n of published) {
      const h = holdWhereMissing(x.ratios.get(n)!);
      heldDays.set(n, (heldDays.get(n) ?? 0) + h.held);
      add(n, h.hedges);
    }
  }

  const stats = (col: string, key: 'pct' | 'pts', filter: (o: Outcome) => boolean = () => true) =>
    statsByGroup(outcomes.filter((o) => o.col === col && filter(o)).map((o) => ({ groups: [o.year, 'all'], pnl: o[key] })));
  const allPct = new Map(cols.map((c) => [c.id, stats(c.id, 'pct')]));
  const allPts = new Map(cols.map((c) => [c.id, stats(c.id, 'pts')]));
  const years = [...new Set(outcomes.map((o) => o.year))].sort();

  const row = (label: string, s: PnlStats | undefined) => (s ? `| ${label} | ${s.n} | ${f3(s.mean)} | ${f3(s.sd)} | ${f3(s.mae)} | ${f3(s.q05)} | ${f3(s.cvar95)} |` : `| ${label} | 0 | - | - | - | - | - |`);
  const head = '| hedge | n | mean | sd (hedging error) | mean abs | 5% quantile | CVaR 95% |\n|---|---:|---:|---:|---:|---:|---:|';
  const overall = [head, ...cols.map((c) => row(c.label, allPct.get(c.id)!.get('all')))].join('\n');
  const points = ['| hedge | mean | sd | 5% quantile | CVaR 95% |', '|---|---:|---:|---:|---:|', ...cols.map((c) => {
    const s = allPts.get(c.id)!.get('all')!;
    return `| ${c.label} | ${f2(s.mean)} | ${f2(s.sd)} | ${f2(s.q05)} | ${f2(s.cvar95)} |`;
  })].join('\n');
  const rights = [head, ...(['C', 'P'] as const).flatMap((r) => cols.map((c) => row(`${r === 'C' ? 'calls' : 'puts'}: ${c.label}`, stats(c.id, 'pct', (o) => o.right === r).get('all'))))].join('\n');
  let yearly = `| year | options | ${cols.map((c) => c.label).join(' | ')} |\n|---|---:|${cols.map(() => '---:').join('|')}|\n`;
  for (const y of [...years, 'all']) {
    const cells = cols.map((c) => {
      const s = allPct.get(c.id)!.get(y);
      return s ? `${f2(s.mean)} / ${f2(s.sd)} / ${f2(s.cvar95)}` : '-';
    });
    yearly += `| ${y === 'all' ? '**all**' : y} | ${allPct.get(UNHEDGED.id)!.get(y)?.n ?? 0} | ${cells.join(' | ')} |\n`;
  }

  // Charts: the book's cumulative P&L (call + put of each month, % of that month's spot), and the error by year.
  const months = [...new Set(outcomes.map((o) => o.month))].sort();
  const cumulative = (col: string) => {
    let s = 0;
    return months.map((mo) => {
      for (const o of outcomes) if (o.col === col && o.month === mo) s += o.pct;
      return s;
    });
  };
  const charts: Array<[string, LineChart]> = [
    ['hedging-cumulative.png', {
      title: 'Rolling book (short 1-month ATM call + put, monthly): cumulative P&L by hedge',
      xLabels: months, yLabel: 'cumulative P&L, sum of % of inception spot', width: 1300,
      series: cols.map((c) => ({ label: c.label, color: c.color, dashed: c.dashed, values: cumulative(c.id) })),
    }],
    ['hedging-error-by-year.png', {
      title: 'Hedging error by year: sd of one option\'s P&L (% of inception spot)',
      xLabels: years, yLabel: 'sd of P&L per option (% of spot)', yRange: [0, 1.08 * Math.max(...cols.flatMap((c) => years.map((y) => allPct.get(c.id)!.get(y)?.sd ?? 0)))],
      series: cols.map((c) => ({ label: c.label, color: c.color, dashed: c.dashed, values: years.map((y) => allPct.get(c.id)!.get(y)?.sd ?? null) })),
    }],
  ];

  const a = (id: string) => allPct.get(id)!.get('all')!;
  const hedgedCols = cols.filter((c) => c.id !== UNHEDGED.id);
  const best = hedgedCols.reduce((b, c) => (a(c.id).sd < a(b.id).sd ? c : b));
  const bestTail = hedgedCols.reduce((b, c) => (a(c.id).cvar95 > a(b.id).cvar95 ? c : b));
  const discussion = discuss({ cols, hedgedCols, outcomes, perOption, published, absent, heldDays, a, best, bestTail, years, allPct, days });
  const meanPremium = premiums.reduce((x, y) => x + y, 0) / (premiums.length || 1);
  const held = published.map((n) => `${n} ${heldDays.get(n) ?? 0}`).join(', ');
  const absentText = absent.length
    ? absent.map((n) => `- \`${n}\`: no ratio on any of the ${positionDays.toLocaleString('en-US')} position-days. ${WHY_ABSENT[n] ?? 'the method gave no ratio on this tape'}.`).join('\n')
    : '- none: every method of the stage published.';
  const lagDays = withMessages === book.length ? '' : ` (${book.length - withMessages} positions without any message)`;
  const checks = `${positionDays.toLocaleString('en-US')} position-days; ${noMessage} without a message at their close; ${spotMismatch} whose spot differs from the tape's close; ${staleVariance} whose variance is not that day's; ${expiredSeen} of ${book.length} positions said \`expired\` at their expiry day's close${lagDays}`;

  const markdown = `## Hedging P&L on a rolling option book

**The book.** Built by the report from the tape itself (\`rollingBook\` in tools/analyst-hedging.ts) and
given to the replay as an in-memory positions book (\`defaultStages({ book })\`, so the \`hedges\`
stage runs with every method of the live engine: ${[...liveNames].join(', ')}). On the first trading day of each month, the desk sells one at-the-money SPXW call and
one put: strike = that day's SPX close rounded to 5, quantity -1, multiplier 1 (the target hedge
is the delta), \`opened\` on that day, expiring on the first trading day of the next month
(PM-settled at 16:00 New York). So one pair is open at a time and each lives about 21 trading
days: the deep hedger's training horizon (21 daily steps) and about the 30 calendar days the VIX
measures. The tape's closes are stamped 16:15, after the 16:00 settlement, so the last hedge is
set on the day before expiry and the payoff is on the expiry day's SPX close. ${book.length} options
(${book.length / 2} months: inceptions ${days[book[0].open].date} .. ${days[book.at(-1)!.open].date}, the last expiry ${days[book.at(-1)!.expiry].date}).

**The P&L** of each option under each hedge, per contract (index points) and in % of the
inception spot S_0:

P&L = premium - payoff + sum_t h_t (S_{t+1} - S_t)

rebalanced once a day at the close, at zero rates and yield (the daily tape has no rates, and the
hedges stage uses r = q = 0 without a surface), no costs. The hedge h_t of a live method is its
ratio in the \`hedges\` message computed at day t's SPX close (\`closeMessages\`: the stage sees
the day's variance message just before the print, recomputes once on it with the previous close,
then on the print; the print's first message is the one with both that day's close and that
day's variance). Where a method gives no ratio on a day, the previous day's hedge is held (days
so held: ${held}). **One common premium** for every hedge, so that differences come from the hedge
alone: the Black-Scholes price at the inception day's VIX (VIX/100 as the option's implied vol,
r = q = 0). That is a proxy: the VIX is a 30-day variance swap level over all strikes, above the
at-the-money implied vol by the skew, so the premium is a little rich and every mean P&L
carries that; the gaps between hedges do not depend on it (an option's premium is the same under
every hedge). Mean premium
${meanPremium.toFixed(2)}% of spot per option (call or put).

**Hedges compared.** Live, from the \`hedges\` topic: ${published.map((n) => `\`${n}\``).join(', ')}. Computed by the
report, not by the live stage: **BS delta at VIX** (Black-Scholes delta at each day's VIX/100,
r = q = 0) and **unhedged** (h = 0). Absent:

${absentText}

The data has no multi-day option history (../shared/data/README.md: the option chains are
single-day snapshots of 2022-2025), so the surface-based methods cannot be replayed over 2007-2021; no stand-in is made
for them. Checks on the run: ${checks}.

### All options (P&L in % of inception spot)

${overall}

In index points per contract:

${points}

### Calls and puts

${rights}

### By year of inception: mean / sd / CVaR 95%, % of spot

${yearly}
![cumulative P&L](analyst-report/hedging-cumulative.png)

![hedging error by year](analyst-report/hedging-error-by-year.png)

${discussion}
`;
  const summary = cols.map((c) => `${c.id}: mean ${f3(a(c.id).mean)}% sd ${f3(a(c.id).sd)}% CVaR ${f3(a(c.id).cvar95)}% (n ${a(c.id).n})`);
  summary.push(`lowest sd: ${best.id}; best CVaR: ${bestTail.id}; absent: ${absent.join(', ') || 'none'}; ${checks}; VIX carried over ${carried} days`);
  const checkValues: HedgingChecks = { positionDays, noMessage, spotMismatch, staleVariance, expiredSeen, published, absent, held: Object.fromEntries(heldDays), vixCarried: carried };
  return { markdown, charts, outcomes, checks: checkValues, summary };
}

/** The section's reading of its own numbers: every figure and every ranking in it is computed, so it stays true on a rerun. */
function discuss(x: {
  cols: Column[];
  hedgedCols: Column[];
  outcomes: Outcome[];
  perOption: Array<{ o: BookOption; ratios: Map<string, Array<number | null>>; bs: number[]; spots: number[]; vix0: number }>;
  published: string[];
  absent: string[];
  heldDays: Map<string, number>;
  a: (id: string) => PnlStats;
  best: Column;
  bestTail: Column;
  years: string[];
  allPct: Map<string, Map<string, PnlStats>>;
  days: readonly TapeDay[];
}): string {
  const { a, cols, hedgedCols } = x;
  // Short names in the prose; the tables carry the labels saying live or report.
  const name = (id: string) => (id === BS_VIX.id ? 'the BS delta at VIX' : `\`${id}\``);
  const calls = (col: string, keep: (o: Outcome) => boolean = () => true) => x.outcomes.filter((o) => o.col === col && o.right === 'C' && keep(o));
  const crisis = new Set(['2008', '2020']);
  const calm = new Map(cols.map((c) => [c.id, statsByGroup(calls(c.id, (o) => !crisis.has(o.year)).map((o) => ({ groups: ['all'], pnl: o.pct }))).get('all')!]));
  const calmBest = hedgedCols.reduce((b, c) => (calm.get(c.id)!.sd < calm.get(b.id)!.sd ? c : b));
  const yearWins = new Map<string, string[]>();
  for (const y of x.years) {
    const w = hedgedCols.reduce((b, c) => ((x.allPct.get(c.id)!.get(y)?.sd ?? Infinity) < (x.allPct.get(b.id)!.get(y)?.sd ?? Infinity) ? c : b));
    (yearWins.get(w.id) ?? yearWins.set(w.id, []).get(w.id)!).push(y);
  }
  const worst = (col: string) => {
    const o = calls(col).reduce((b, c) => (c.pct < b.pct ? c : b));
    return `${o.month} (${o.pct.toFixed(2)}%)`;
  };
  const sdShare = hedgedCols.map((c) => `${((100 * a(c.id).sd) / a(UNHEDGED.id).sd).toFixed(0)}% (${name(c.id)})`).join(', ');
  const means = hedgedCols.map((c) => a(c.id).mean);
  let vrp = 0;
  for (const p of x.perOption) {
    if (p.o.right !== 'C') continue;
    let ss = 0;
    for (let t = 1; t < p.spots.length; t++) ss += Math.log(p.spots[t] / p.spots[t - 1]) ** 2;
    if (p.vix0 / 100 > Math.sqrt((252 * ss) / (p.spots.length - 1))) vrp++;
  }
  // Each live method's ratio against the BS delta at VIX on the calls' hedging days, and the months where it was held.
  const ratioGap = x.published.map((n) => {
    let sum = 0;
    let k = 0;
    const held = new Set<string>();
    for (const p of x.perOption) {
      if (p.o.right !== 'C') continue;
      p.ratios.get(n)!.forEach((r, i) => {
        if (r === null) held.add(x.days[p.o.open].date.slice(0, 7));
        else {
          sum += r - p.bs[i];
          k++;
        }
      });
    }
    return { n, gap: k ? sum / k : NaN, held: [...held] };
  });
  const gapText = ratioGap.map((g) => `\`${g.n}\` ${g.gap >= 0 ? '+' : ''}${g.gap.toFixed(3)}`).join(', ');
  const heldText = ratioGap.filter((g) => g.held.length > 0).map((g) => `\`${g.n}\` gave no ratio on ${x.heldDays.get(g.n) ?? 0} days (the hedge was then held from the day before), in the options opened in ${g.held.join(', ')}`).join('; ');
  let pairwise = '';
  if (x.best.id !== BS_VIX.id) {
    const b = calls(x.best.id);
    const r = calls(BS_VIX.id);
    const wins = b.filter((o, i) => Math.abs(o.pct) < Math.abs(r[i].pct)).length;
    pairwise = wins < 0.6 * b.length
      ? ` Month by month it is not a clear winner: its |P&L| is below the BS delta's in ${wins} of ${b.length} months.`
      : ` Month by month its |P&L| is below the BS delta's in ${wins} of ${b.length} months.`;
  }
  return `### Reading

- **Hedging removes most of the risk, whatever the hedge.** The sd of an option's P&L falls from
  ${a(UNHEDGED.id).sd.toFixed(2)}% of spot unhedged to ${sdShare} of that; the CVaR 95% from
  ${a(UNHEDGED.id).cvar95.toFixed(2)}% to between ${Math.max(...hedgedCols.map((c) => a(c.id).cvar95)).toFixed(2)}% and ${Math.min(...hedgedCols.map((c) => a(c.id).cvar95)).toFixed(2)}%. Daily rebalancing
  of a 1-month at-the-money option leaves the P&L of its gamma against the moves between closes,
  and of the vol each hedge assumed against the one realized: that is what the hedged sd measures.
- **The differences between hedges are small next to that${calmBest.id !== x.best.id ? ', and the ranking turns on the crisis months' : ''}.** Over
  all months, ${x.best.id === x.bestTail.id ? `${name(x.best.id)} has both the lowest sd (${a(x.best.id).sd.toFixed(3)}%) and the best CVaR (${a(x.best.id).cvar95.toFixed(3)}%)` : `${name(x.best.id)} has the lowest sd (${a(x.best.id).sd.toFixed(3)}%) and ${name(x.bestTail.id)} the best CVaR (${a(x.bestTail.id).cvar95.toFixed(3)}%)`}.${pairwise}
  Leaving out the options opened in 2008 and 2020, the lowest sd is ${name(calmBest.id)}'s
  (${hedgedCols.map((c) => `${name(c.id)} ${calm.get(c.id)!.sd.toFixed(3)}%`).join(', ')}). Lowest sd by year:
  ${[...yearWins].map(([id, ys]) => `${name(id)} in ${ys.length} (${ys.join(', ')})`).join('; ')}. Worst option:
  ${hedgedCols.map((c) => `${name(c.id)} ${worst(c.id)}`).join(', ')}. A year holds 12 independent
  months (a call and a put of a month have the same hedged P&L, see below), and an sd estimated
  from 12 has a relative standard error of about 20% (1 / sqrt(2 x 11) for normal P&L), more
  than most yearly gaps between the hedges.
- **How the live ratios differ.** Over the calls' hedging days, the mean ratio minus the BS delta
  at VIX is ${gapText}: HN-GARCH runs on the filtered physical variance mapped to its risk-neutral
  dynamics, and its delta is that model's own dC/dS: the model's leverage (its risk-neutral skew)
  puts the at-the-money call delta above a flat-vol Black-Scholes delta, while the vol level
  hardly matters here (a 1-month at-the-money call delta is N(vol sqrt(T) / 2): 0.509 at 15%, 0.511
  at 20%). The deep hedger (trained on simulated Heston paths with the VI-HN-GRU vol feature,
  CVaR + MSE objective) holds less than the delta in calls, hence more short index in puts. ${heldText ? `${heldText[0].toUpperCase()}${heldText.slice(1)}: S/K left the policy's training range (more than 4 training deviations from its training mean, \`covers\`), so in those crisis months its result is partly that of a frozen hedge.` : ''}
- **Mean P&L.** Every hedge earns on average (${Math.min(...means).toFixed(2)}% to ${Math.max(...means).toFixed(2)}% of spot per option; unhedged
  ${a(UNHEDGED.id).mean.toFixed(2)}%): the premium is priced at the VIX, which exceeded the volatility that followed in
  most months (the variance risk premium) and lies above the at-the-money implied vol by the skew.
  That mean belongs to the premium proxy, not to the hedges; compare the hedges by their sd, mean
  absolute error and tail. (The VIX at inception was above the realized vol over the option's life,
  annualised from its daily close-to-close returns, in ${vrp} of ${x.perOption.length / 2} months.)
- **Calls and puts.** For every hedge, the put's P&L equals the call's of the same month: same
  strike, premiums from one Black-Scholes vol (C - P = S - K at zero rates), and each method's put
  ratio is its call ratio minus 1, so the put's hedge differs by a short unit of index whose gain,
  S_T - S_0, offsets the payoff difference exactly. The split only matters unhedged (the short put
  carries the crash risk). The n of the tables counts options; the independent outcomes are the ${x.perOption.length / 2} months.
- **Not shown.** Transaction costs, intraday rebalancing, a real option price instead of the VIX
  proxy, and the surface-based methods (${x.absent.join(', ')}), which need option quotes the
  daily tape does not have. The HN-GARCH and VI-HN-GRU variance models were fitted on data up to
  2012 (2013-2017 for the GRU's stopping), so hn and the deep hedger's vol feature are in-sample
  before 2018.
`;
}
