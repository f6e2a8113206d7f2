import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { lastValueFrom, take, toArray } from 'rxjs';
import { isReject, outcomeTs, type Candidate, type ParseOutcome } from '../ticks/candidate.ts';
import { REAL_DATA_DIR, skipWithoutRealData } from '../ticks/real-data.ts';
import { zonedToEpochMicros } from '../ticks/time.ts';
import { validateTicks, isAccepted } from '../ticks/validate.ts';
import { fileOutcomes, fileTape } from './file-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'volrisk-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
async function all(it: AsyncIterable<ParseOutcome>): Promise<ParseOutcome[]> {
  const out: ParseOutcome[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const sym = (o: ParseOutcome) => (isReject(o) ? `!${o.reason}` : ((o as Candidate).value as { symbol?: string; kind: string }).symbol ?? (o as Candidate).value);

describe('file tape', () => {
  const vix = write('VIX_History.csv', 'DATE,OPEN,HIGH,LOW,CLOSE\n01/02/2024,13,14,12,13.2\n01/03/2024,13,14,12,14.0\nbad,1,1,1,1\n01/05/2024,13,14,12,13.3\n');
  const spx = write('spx-daily.csv', 'Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-03,4700,4710,4690,4704,4704,1\n2024-01-04,4700,4710,4690,4688,4688,1\n');

  test('daily histories are merged by event time; a day of VIX and SPX interleaves; a timeless reject goes out at once', async () => {
    const out = await all(fileOutcomes([vix, spx]));
    assert.deepEqual(out.map(sym), ['VIX', 'VIX', '!unparseable', 'SPX', 'SPX', 'VIX']);
    const times = out.map(outcomeTs).filter((t) => t !== undefined);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
  });

  test("order 'files' keeps file order", async () => {
    const out = await all(fileOutcomes([vix, spx], { order: 'files' }));
    assert.deepEqual(out.map(sym), ['VIX', 'VIX', '!unparseable', 'VIX', 'SPX', 'SPX']);
  });

  test('mixed formats default to file order; unknown formats fail with the file named', async () => {
    const nd = write('t.ndjson', '{"kind":"index","symbol":"SPX","price":1,"ts":1}\n');
    assert.deepEqual((await all(fileOutcomes([nd, vix]))).map(sym).slice(0, 2), ['SPX', 'VIX']);
    const junk = write('junk.bin', 'hello\n');
    await assert.rejects(all(fileOutcomes([junk])), /junk\.bin: not a tick file/);
    await assert.rejects(all(fileOutcomes([join(dir, 'missing.csv')])), /ENOENT.*missing\.csv/);
  });

  test('fileTape as fast as possible, through validation', async () => {
    const out = await lastValueFrom(fileTape([vix, spx], { speed: 'max' }).pipe(validateTicks(), toArray()));
    assert.equal(out.filter(isAccepted).length, 5);
    assert.deepEqual(out.filter((x) => !isAccepted(x)).map((x) => (x as { line: number }).line), [4]);
  });

  test('fileTape paced: unsubscribing after the first items stops the tape', async () => {
    // 1e9 times real time: a day of event time is ~86 µs of wall time, so this runs quickly.
    const out = await lastValueFrom(fileTape([vix, spx], { speed: 1e9 }).pipe(take(2), toArray()));
    assert.equal(out.length, 2);
  });

  test('real VIX and SPX histories merge in time order', { skip: skipWithoutRealData('spx/spx-daily.csv') || skipWithoutRealData('vix/vix-daily.csv') }, async () => {
    let last = -Infinity;
    let n = 0;
    const from = zonedToEpochMicros('2020-03-16', '16:15');
    const seen: string[] = [];
    for await (const o of fileOutcomes([join(REAL_DATA_DIR, 'vix/vix-daily.csv'), join(REAL_DATA_DIR, 'spx/spx-daily.csv')])) {
      const t = outcomeTs(o)!;
      assert.ok(t >= last);
      last = t;
      n++;
      if (t === from) seen.push(String(sym(o)));
    }
    assert.equal(n, 9235 + 24114);
    assert.deepEqual(seen, ['VIX', 'SPX']); // same instant: the file named first goes first
  });
});
