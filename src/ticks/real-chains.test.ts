// Every real CBOE chain under ../shared/data/spx-options parses, with per-file counts checked
// against an independent, deliberately naive reading of the same file.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { OutcomeCounter } from './count-outcomes.ts';
import { parseFile } from './parse-file.ts';
import { REAL_DATA_DIR, skipWithoutRealData } from './real-data.ts';
import type { Reject } from './reject.ts';
import type { OptionTick, IndexTick } from './schema.ts';
import { zonedToEpochMicros } from './time.ts';
import { TickValidator, isAccepted } from './validate.ts';

const skip = skipWithoutRealData('spx-options');
const root = join(REAL_DATA_DIR, 'spx-options');
const chains = skip ? [] : readdirSync(root).flatMap((day) => readdirSync(join(root, day)).filter((f) => f.endsWith('.csv')).map((f) => ({ day, path: join(root, day, f) })));

/** The naive reading: rows, their expiry cell, and the two asks, by fixed positions of the standard layout. */
function naive(path: string) {
  const lines = readFileSync(path, 'utf8').split('\n').map((l) => l.replace(/\r$/, ''));
  const spot = Number(/Last: ([\d.]+)/.exec(lines.find((l) => l.includes('Last:'))!)![1]);
  const rows = lines.filter((l) => /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4},/.test(l)).map((l) => l.split(','));
  return { spot, rows };
}

describe('real CBOE option chains', () => {
  test('there are the chains the data README lists', { skip }, () => {
    const days = [...new Set(chains.map((c) => c.day))].sort();
    assert.deepEqual(days, ['2022-02-04', '2023-08-18', '2023-12-08', '2024-01-05', '2025-10-01']);
    assert.equal(chains.filter((c) => c.day === '2025-10-01').length, 11);
  });

  for (const { day, path } of chains) {
    test(`${relative(REAL_DATA_DIR, path)} parses; counts match a naive reading`, async (t) => {
      const v = new TickValidator();
      const counter = new OutcomeCounter();
      const options: OptionTick[] = [];
      const index: IndexTick[] = [];
      const rejects: Reject[] = [];
      for await (const o of parseFile(path)) {
        const r = v.check(o);
        counter.add(r);
        if (!isAccepted(r)) rejects.push(r);
        else if (r.kind === 'option') options.push(r);
        else if (r.kind === 'index') index.push(r);
      }
      const counts = counter.total();
      t.diagnostic(JSON.stringify(counts));
      const { spot, rows } = naive(path);

      // Everything accounted for: one index print and a call and a put per row.
      assert.equal(counts.accepted + counts.rejected, 2 * rows.length + 1);
      assert.deepEqual(index.map((x) => [x.symbol, x.price]), [['SPX', spot]]);
      // Nothing in a real export is malformed; the only rejects are expired expiries and
      // quotes with no offer.
      assert.deepEqual(Object.keys(counts.byReason).filter((k) => k !== 'expired' && k !== 'non_positive'), []);

      // Expired: rows whose expiry is on or before the trading day the folder names (all
      // snapshots were taken after that day's close, so SPX AM and SPXW PM have both settled).
      const dayNoon = Date.parse(`${day}T12:00:00Z`);
      const expiredRows = rows.filter((r) => Date.parse(`${r[0]} 12:00:00 GMT`) <= dayNoon);
      assert.equal(counts.byReason.expired ?? 0, 2 * expiredRows.length);
      // Quotes with ask 0 (no offer) among the live rows: column 5 (call ask) and 16 (put ask).
      const live = rows.filter((r) => !expiredRows.includes(r));
      const noAsk = live.reduce((n, r) => n + (Number(r[5]) === 0 ? 1 : 0) + (Number(r[16]) === 0 ? 1 : 0), 0);
      assert.equal(counts.byReason.non_positive ?? 0, noAsk);

      // Accepted quotes are usable: 0 <= bid <= ask, ask > 0, strike > 0, not expired.
      for (const o of options) assert.ok(o.bid >= 0 && o.bid <= o.ask && o.ask > 0 && o.strike > 0, JSON.stringify(o));
      assert.equal(options.length, 2 * live.length - noAsk);
      assert.ok(rejects.every((r) => r.src === path && r.line > 0 && r.raw.length > 0));
    });
  }

  test('snapshot times: from the date line, and for the Russian 2023-12-08 line the folder date at 16:15 ET', { skip }, async () => {
    const first = async (day: string) => {
      for await (const o of parseFile(join(root, day, 'spx_quotedata.csv'))) if (!('reason' in o)) return (o.value as { ts: number }).ts;
      return undefined;
    };
    assert.equal(await first('2022-02-04'), Date.parse('2022-02-06T01:09:00Z') * 1000); // "February 5 2022, 8:09 PM EST"
    assert.equal(await first('2023-08-18'), Date.parse('2023-08-21T02:42:00Z') * 1000); // "August 20, 2023 at 10:42 PM EDT"
    assert.equal(await first('2023-12-08'), zonedToEpochMicros('2023-12-08', '16:15'));
    assert.equal(await first('2024-01-05'), Date.parse('2024-01-07T15:52:00Z') * 1000); // "January 7, 2024 at 10:52 AM EST"
  });
});
