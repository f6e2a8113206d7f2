/**
 * The report's hedging section end to end on three months of the real tape: the rolling book
 * replayed through the live stages (defaultStages({ book })), its `hedges` read back from the
 * store. Checks that every option has that day's message at each close (the tape's close, that
 * day's variance), says `expired` at its expiry day's close, that hn and deep-gru publish and the
 * surface methods do not (no option quotes on a daily tape), that put and call of a month have
 * the same hedged P&L (put-call parity: same strike, a put's ratio is the call's minus 1 at zero
 * rates) and that the book's aggregate counts only the open pair. Skips without ../shared/data.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '../src/bus/topics.ts';
import { openStore } from '../src/store/client.ts';
import { migrate } from '../src/store/migrations.ts';
import { topicValues } from '../src/store/analyst-queries.ts';
import { REAL_DATA_DIR, skipWithoutRealData } from '../src/ticks/real-data.ts';
import { runReplay } from '../src/replay/run-replay.ts';
import { PositionsBook } from '../src/positions/book.ts';
import { BOOK_KEY } from '../src/positions/schema.ts';
import type { Tick } from '../src/ticks/schema.ts';
import type { BookHedgePayload } from '../src/hedging/payload.ts';
import { defaultStages } from '../streams/topology.ts';
import { buildRealTape } from './real-tape.ts';
import { rollingBook, type TapeDay } from './analyst-hedging.ts';
import { hedgingSection } from './analyst-report-hedging.ts';

const dir = mkdtempSync(join(tmpdir(), 'volrisk-analyst-hedging-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const skip = ['spx/spx-daily.csv', 'vix/vix-daily.csv', 'vol-indices/VVIX_History.csv', 'vix-futures/vix_futures.csv'].map((p) => skipWithoutRealData(p)).find(Boolean) ?? false;

test('the rolling book through the live hedges stage on the real tape, Jan-Mar 2007', { skip, timeout: 120_000 }, async () => {
  const tape = join(dir, 'tape.ndjson');
  await buildRealTape({ dataDir: REAL_DATA_DIR, out: tape, from: '2007-01-01', to: '2007-04-01' });
  const days: TapeDay[] = [];
  const vix = new Map<string, number>();
  for (const line of readFileSync(tape, 'utf8').split('\n')) {
    if (!line) continue;
    const t = JSON.parse(line) as Tick;
    if (t.kind !== 'index') continue;
    const date = new Date(t.ts / 1000).toISOString().slice(0, 10);
    if (t.symbol === 'SPX') days.push({ date, spx: t.price, ts: t.ts });
    else if (t.symbol === 'VIX') vix.set(date, t.price);
  }
  const book = rollingBook(days);
  // January and February pairs; March's would expire past the tape.
  assert.deepEqual(book.map((o) => o.position.id), ['roll-2007-01-03-C', 'roll-2007-01-03-P', 'roll-2007-02-01-C', 'roll-2007-02-01-P']);
  const store = await openStore({ dataDir: join(dir, 'store') });
  try {
    await migrate(store);
    const r = await runReplay({ run: 't', tape: { kind: 'files', files: [tape] } }, { store, stages: () => defaultStages({ book: new PositionsBook(book.map((o) => o.position)) }) });
    assert.equal(r.status, 'done');
    const rows = await topicValues(store, { run: 't', topic: TOPICS.hedges, limit: 1_000_000 });
    const s = hedgingSection({ rows: rows.filter((m) => m.key !== BOOK_KEY), days, vix, book });
    const lifetimes = book.reduce((n, o) => n + o.expiry - o.open, 0);
    const { absent, ...checks } = s.checks;
    assert.deepEqual(checks, { positionDays: lifetimes, noMessage: 0, spotMismatch: 0, staleVariance: 0, expiredSeen: 4, published: ['hn', 'deep-gru'], held: { hn: 0, 'deep-gru': 0 }, vixCarried: 0 });
    // Every other method of the stage needs a surface or its Heston calibration (bs, heston, heston-mv, and lrm, mvh where the stage has them).
    for (const n of ['bs', 'heston', 'heston-mv']) assert.ok(absent.includes(n), `${n} absent: ${absent.join(', ')}`);
    // Each hedge's P&L: one per option, finite; call and put of a month equal by parity (up to the HN curve interpolation, 2e-5 in delta).
    for (const col of ['unhedged', 'bs-vix', 'hn', 'deep-gru']) assert.equal(s.outcomes.filter((o) => o.col === col && Number.isFinite(o.pts)).length, 4, col);
    for (const col of ['bs-vix', 'hn', 'deep-gru']) {
      for (const month of ['2007-01', '2007-02']) {
        const [c, p] = (['C', 'P'] as const).map((right) => s.outcomes.find((o) => o.col === col && o.month === month && o.right === right)!.pts);
        assert.ok(Math.abs(c - p) < 0.05, `${col} ${month}: call ${c} vs put ${p}`);
      }
    }
    // The book's aggregate: the open pair only, never an expired option (bookPayload).
    const books = rows.filter((m) => m.key === BOOK_KEY).map((m) => m.payload as BookHedgePayload);
    assert.ok(books.length > 0);
    assert.ok(books.every((b) => b.positions <= 2 && b.missing.length === 0), JSON.stringify(books.find((b) => b.positions > 2 || b.missing.length > 0)));
    assert.equal(books.at(-1)!.positions, 0);
  } finally {
    await store.close();
  }
});
