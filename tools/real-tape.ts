/**
 * Builds the real daily tape for replays from ../shared/data (read there; the tape is written to
 * a gitignored folder, .volrisk/tapes/, and never committed): one NDJSON tick file, in event-time
 * order, of SPX and VIX daily OHLC, the VVIX close, and the VIX futures curve VX1..VX8 as futures
 * settlements, from 2007 to 2021 by default.
 *
 *   node --import tsx tools/real-tape.ts [--data DIR] [--out FILE] [--from 2007-01-01] [--to 2022-01-01]
 *   node bin/volrisk.js replay .volrisk/tapes/real-daily-2007-2021.ndjson --run real-2007-2021
 *
 * The index series go through the engine's own index-history parser (src/ticks/parse-index-
 * history.ts: each day's print at the 16:15 New York close, OHLC where the file has it; VVIX has
 * only closes), so the tape says what a file feed of those files would. The futures file holds
 * continuous series VX1..VX8 whose roll rule is not documented; each VXn of a day is written as
 * the n-th contract month still trading after that day's close, its expiry from the CFE rule
 * (the Wednesday 30 days before the third Friday of the next month; exchange holidays, which move
 * a few expiries by a day, are not modelled), priced at the file's value as a settlement.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFile } from '../src/ticks/parse-file.ts';
import { isReject } from '../src/ticks/candidate.ts';
import type { FutureTick, IndexTick, Tick } from '../src/ticks/schema.ts';
import { INDEX_CLOSE_TIME } from '../src/ticks/settlement.ts';
import { zonedToEpochMicros } from '../src/ticks/time.ts';
import { dayOf, isoOf, vixFutureExpiry } from '../src/tape/simulator-calendar.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface RealTapeOptions {
  /** The real-data folder (default VOLRISK_REAL_DATA or ../shared/data). */
  dataDir: string;
  out: string;
  /** First and end (exclusive) date, YYYY-MM-DD. */
  from?: string;
  to?: string;
}

export interface RealTapeSummary {
  out: string;
  from: string;
  to: string;
  ticks: number;
  /** Ticks per index symbol or futures position (VX1..VX8). */
  bySeries: Record<string, number>;
  /** Input rows the parsers rejected (with reasons), and futures cells that were empty. */
  rejected: Record<string, number>;
  firstDate: string;
  lastDate: string;
}

const INDEX_FILES: ReadonlyArray<[string, string]> = [
  ['SPX', 'spx/spx-daily.csv'],
  ['VIX', 'vix/vix-daily.csv'],
  ['VVIX', 'vol-indices/VVIX_History.csv'],
];
const FUTURES_FILE = 'vix-futures/vix_futures.csv';
const SRC = 'real-tape';

/** The contract month (YYYY-MM) and expiry of the n-th (1-based) VIX future trading after `date`'s close. */
export function vxContract(date: string, n: number): { month: string; expiry: string } {
  const day = dayOf(date);
  let year = Number(date.slice(0, 4));
  let month = Number(date.slice(5, 7));
  // The month's contract still trades after the close while its expiry is later than the day.
  if (vixFutureExpiry(year, month) <= day) month++;
  month += n - 1;
  year += Math.floor((month - 1) / 12);
  month = ((month - 1) % 12) + 1;
  return { month: `${year}-${String(month).padStart(2, '0')}`, expiry: isoOf(vixFutureExpiry(year, month)) };
}

/** The futures curve rows of [from, to) as ticks. */
async function futuresTicks(path: string, from: string, to: string, rejected: Record<string, number>): Promise<Array<{ tick: FutureTick; series: string }>> {
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/).filter(Boolean);
  const header = lines[0].split(',');
  const dateCol = header.indexOf('DATE');
  const vx = Array.from({ length: 8 }, (_, i) => header.indexOf(`VX${i + 1}`));
  if (dateCol < 0 || vx.some((c) => c < 0)) throw new Error(`${path}: expected columns DATE and VX1..VX8, got ${header.join(',')}`);
  const out: Array<{ tick: FutureTick; series: string }> = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const date = cells[dateCol];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`${path}: bad DATE "${date}" in "${line}"`);
    if (date < from || date >= to) continue;
    const ts = zonedToEpochMicros(date, INDEX_CLOSE_TIME);
    for (let n = 1; n <= 8; n++) {
      const price = Number(cells[vx[n - 1]]);
      if (cells[vx[n - 1]] === '' || !(price > 0)) {
        rejected[`VX${n}: empty or non-positive`] = (rejected[`VX${n}: empty or non-positive`] ?? 0) + 1;
        continue;
      }
      out.push({ tick: { kind: 'future', root: 'VX', ...vxContract(date, n), price, settlement: true, ts, src: SRC }, series: `VX${n}` });
    }
  }
  return out;
}

/** Builds the tape; resolves with what it wrote. */
export async function buildRealTape(options: RealTapeOptions): Promise<RealTapeSummary> {
  const from = options.from ?? '2007-01-01';
  const to = options.to ?? '2022-01-01';
  for (const [name, d] of [['--from', from], ['--to', to]]) if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`${name}: expected YYYY-MM-DD, got "${d}"`);
  if (to <= from) throw new Error(`--to (${to}) must be after --from (${from})`);
  const t0 = zonedToEpochMicros(from, '00:00');
  const t1 = zonedToEpochMicros(to, '00:00');
  const rejected: Record<string, number> = {};
  const ticks: Array<{ tick: Tick; order: number; series: string }> = [];
  for (const [i, [symbol, rel]] of INDEX_FILES.entries()) {
    for await (const o of parseFile(resolve(options.dataDir, rel), { format: 'index-history', symbol })) {
      if (isReject(o)) {
        rejected[`${symbol}: ${o.reason}`] = (rejected[`${symbol}: ${o.reason}`] ?? 0) + 1;
        continue;
      }
      const t = o.value as IndexTick;
      if (t.ts < t0 || t.ts >= t1) continue;
      ticks.push({ tick: { ...t, src: SRC }, order: i, series: symbol });
    }
  }
  for (const f of await futuresTicks(resolve(options.dataDir, FUTURES_FILE), from, to, rejected)) ticks.push({ ...f, order: INDEX_FILES.length });
  // One source in time order; within a close, indices first, then the curve from the front.
  ticks.sort((a, b) => a.tick.ts - b.tick.ts || a.order - b.order);

  mkdirSync(dirname(options.out), { recursive: true });
  const w = createWriteStream(options.out);
  const bySeries: Record<string, number> = {};
  let buf = '';
  let sseq = 0;
  for (const { tick, series } of ticks) {
    bySeries[series] = (bySeries[series] ?? 0) + 1;
    buf += JSON.stringify({ ...tick, sseq: ++sseq }) + '\n';
    if (buf.length > 1 << 20) {
      if (!w.write(buf)) await once(w, 'drain');
      buf = '';
    }
  }
  w.end(buf);
  await once(w, 'finish');
  const dateOf = (ts: number) => new Date(ts / 1000).toISOString().slice(0, 10);
  return {
    out: options.out,
    from,
    to,
    ticks: ticks.length,
    bySeries,
    rejected,
    firstDate: ticks.length ? dateOf(ticks[0].tick.ts) : '',
    lastDate: ticks.length ? dateOf(ticks[ticks.length - 1].tick.ts) : '',
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const from = arg('--from') ?? '2007-01-01';
  const to = arg('--to') ?? '2022-01-01';
  const out = arg('--out') ?? resolve(repoRoot, `.volrisk/tapes/real-daily-${from.slice(0, 4)}-${Number(to.slice(0, 4)) - (to.endsWith('-01-01') ? 1 : 0)}.ndjson`);
  const dataDir = arg('--data') ?? process.env.VOLRISK_REAL_DATA ?? resolve(repoRoot, '../shared/data');
  buildRealTape({ dataDir, out, from, to }).then(
    (s) => process.stdout.write(JSON.stringify(s, null, 2) + '\n'),
    (err: unknown) => {
      process.stderr.write(`real-tape: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
