/**
 * The real daily tape (tools/real-tape.ts), built from ../shared/data into a temp folder and
 * replayed through the live pipeline into embedded ClickHouse: every tick accepted, one daily
 * variance step per SPX day from 2007 to 2021 with the VIX merged in, and the futures curve
 * stored under contract months from the CFE expiry rule. Skips without the data.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '../src/bus/topics.ts';
import { openStore } from '../src/store/client.ts';
import { keyStats } from '../src/store/queries.ts';
import { topicValues } from '../src/store/analyst-queries.ts';
import { REAL_DATA_DIR, skipWithoutRealData } from '../src/ticks/real-data.ts';
import { runReplay } from '../src/replay/run-replay.ts';
import type { VariancePayload } from '../streams/variance.ts';
import { buildRealTape, vxContract } from './real-tape.ts';

const dir = mkdtempSync(join(tmpdir(), 'volrisk-real-tape-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const skip = ['spx/spx-daily.csv', 'vix/vix-daily.csv', 'vol-indices/VVIX_History.csv', 'vix-futures/vix_futures.csv'].map((p) => skipWithoutRealData(p)).find(Boolean) ?? false;

describe('real daily tape 2007-2021', () => {
  test('VIX futures contract months and expiries follow the CFE rule', () => {
    // CFE final settlement dates of VX: January 2021 on 2021-01-20, February on 2021-02-17,
    // March on 2021-03-17 (Cboe Futures Exchange VX settlement calendar).
    assert.deepEqual(vxContract('2021-01-19', 1), { month: '2021-01', expiry: '2021-01-20' });
    assert.deepEqual(vxContract('2021-01-20', 1), { month: '2021-02', expiry: '2021-02-17' });
    assert.deepEqual(vxContract('2021-01-19', 3), { month: '2021-03', expiry: '2021-03-17' });
    assert.deepEqual(vxContract('2021-12-23', 2), { month: '2022-02', expiry: '2022-02-16' });
  });

  test('built from ../shared/data and replayed through the live pipeline', { skip, timeout: 240_000 }, async () => {
    const out = join(dir, 'real.ndjson');
    const s = await buildRealTape({ dataDir: REAL_DATA_DIR, out, from: '2007-01-01', to: '2022-01-01' });
    assert.deepEqual(s.rejected, {});
    assert.equal(s.firstDate, '2007-01-03');
    assert.equal(s.lastDate, '2021-12-31');
    for (let n = 1; n <= 8; n++) assert.equal(s.bySeries[`VX${n}`], s.bySeries.VX1);
    assert.ok(s.bySeries.SPX > 3700 && Math.abs(s.bySeries.VIX - s.bySeries.SPX) <= 2, JSON.stringify(s.bySeries));

    const store = await openStore({ dataDir: join(dir, 'data') });
    try {
      const r = await runReplay({ run: 'real-2007-2021', tape: { kind: 'files', files: [out] } }, { store });
      assert.equal(r.status, 'done');
      assert.equal(r.counts.accepted, s.ticks);
      assert.equal(r.counts.rejected, 0, JSON.stringify(r.counts));
      const v = (await topicValues(store, { run: 'real-2007-2021', topic: TOPICS.variance, key: 'SPX' })).map((m) => m.payload as VariancePayload);
      const closes = v.filter((x) => x.kind === 'close');
      // One filter step per SPX day.
      assert.equal(closes.length, s.bySeries.SPX);
      const years = new Set(closes.map((x) => x.date.slice(0, 4)));
      for (let y = 2007; y <= 2021; y++) assert.ok(years.has(String(y)), `variance in ${y}`);
      // SPX comes before VIX within a close, so a step sees the previous day's VIX: none on the first.
      assert.equal(closes[0].vix, null);
      const bad = closes.slice(1).filter((x) => !(x.vix !== null && x.hn > 0 && x.garch > 0 && x.gru > 0));
      assert.deepEqual(bad.slice(0, 3), []);
      // 2008-10-10 (Lehman month): the HN-GARCH daily variance far above its 2007 level.
      const at = (d: string) => closes.find((x) => x.date === d)!;
      assert.ok(at('2008-10-10').hn > 5 * at('2007-01-04').hn, `${at('2008-10-10').hn} vs ${at('2007-01-04').hn}`);
      const futures = (await keyStats(store, 'real-2007-2021', TOPICS.ticksRaw)).filter((k) => k.key.startsWith('VX'));
      assert.ok(futures.length > 150, `${futures.length} VX contracts`);
    } finally {
      await store.close();
    }
  });
});
