/**
 * A replayed real tape through the live topology: the daily SPX and VIX histories from
 * ../shared/data as the engine's file feed, merged by time, through bars and the variance stage.
 * The HN-GRU filter that the stage runs, fed this way, must arrive at the state the fit ended in
 * on 2023-12-28 (its first day differs: the stage has no previous close for 1983-07-01, and that
 * difference decays with the models' persistence).
 * The whole default topology runs, the neural-SDE fan included: about 8,500 VIX days at ~25 ms a
 * fan make this the slowest test (about 4 minutes on 2 cores).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { loadHnGru } from '../models/hn-gru/index.ts';
import { loadConfig } from './config.ts';
import { startEngine } from './engine.ts';
import { REAL_DATA_DIR, skipWithoutRealData } from './ticks/real-data.ts';
import type { VariancePayload } from '../streams/variance.ts';

const dir = mkdtempSync(join(tmpdir(), 'volrisk-real-tape-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('real daily tape through the live topology', () => {
  test('variance on 2023-12-28 equals the fitted end state', { skip: skipWithoutRealData('spx/spx-daily.csv') || skipWithoutRealData('vix/vix-daily.csv'), timeout: 900_000 }, async () => {
    const tape = [resolve(REAL_DATA_DIR, 'spx/spx-daily.csv'), resolve(REAL_DATA_DIR, 'vix/vix-daily.csv')].join(',');
    const config = loadConfig({ PORT: '0', DATA_DIR: join(dir, 'data'), VOLRISK_FEED: 'files', VOLRISK_TAPE: tape, VOLRISK_SPEED: 'max', VOLRISK_RESUME_DEPTH: '20000' });
    const engine = await startEngine(config, { logger: pino({ level: 'silent' }) });
    try {
      const counts = await engine.feedDone;
      await engine.drain(120_000);
      assert.equal(counts?.rejected, 0, JSON.stringify(counts?.byReason));
      const { messages } = engine.hub.since('variance', 'SPX', 0);
      const byDate = new Map(messages.map((m) => [(m.payload as VariancePayload).date, m.payload as VariancePayload]));
      const w = loadHnGru();
      const last = byDate.get(w.end.date)!;
      assert.ok(last, `a variance message for ${w.end.date}`);
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
      assert.ok(rel(last.hn, w.end.hnH) < 1e-9, `HN ${last.hn} vs ${w.end.hnH}`);
      assert.ok(rel(last.garch, w.end.garchS2) < 1e-9, `GARCH ${last.garch} vs ${w.end.garchS2}`);
      assert.ok(rel(last.gru, w.end.gru.eta / 1e4) < 1e-6, `GRU ${last.gru} vs ${w.end.gru.eta / 1e4}`);
      assert.equal(last.realizedSource, 'gk+overnight');
      assert.ok(last.vix !== null && last.vix > 5, 'VIX merged in by time');
    } finally {
      await engine.stop();
    }
  });
});
