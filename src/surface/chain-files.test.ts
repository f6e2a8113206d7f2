// fitChainFiles on a Heston chain written as an NDJSON tape, and on every real CBOE chain under
// ../shared/data/spx-options (skipped when absent), with a per-file table as test diagnostics.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fitChainFiles } from './chain-files.ts';
import { hestonChain } from './heston-chain.ts';
import { REAL_DATA_DIR, skipWithoutRealData } from '../ticks/real-data.ts';
import { NEW_YORK, zonedToEpochMicros } from '../ticks/time.ts';

describe('fitChainFiles', () => {
  test('an NDJSON tape of a Heston chain: spot, time, forwards, JSON summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'volrisk-surface-'));
    try {
      const ts = zonedToEpochMicros('2024-01-05', '16:15', NEW_YORK);
      const { quotes, truth } = hestonChain({
        params: { v0: 0.02, kappa: 2, theta: 0.04, sigma: 0.6, rho: -0.7 }, S: 4700, r: 0.05, q: 0.015, ts, strikes: 30,
        expiries: [{ root: 'SPXW', expiry: '2024-02-02' }, { root: 'SPX', expiry: '2024-03-15' }],
      });
      // A stale quote for every contract first: the later one must win.
      const stale = quotes.map((q) => ({ ...q, bid: q.bid * 0.5, ts: ts - 60e6 }));
      const lines = [...stale, { kind: 'index', symbol: 'SPX', price: 4700, ts }, ...quotes].map((x) => JSON.stringify(x));
      const path = join(dir, 'chain.ndjson');
      writeFileSync(path, lines.join('\n') + '\n');
      const [s] = await fitChainFiles([path]);
      assert.deepEqual([s.file, s.underlying, s.ts, s.time, s.spot, s.rejected], [path, 'SPX', ts, '2024-01-05T21:15:00.000Z', 4700, 0]);
      assert.deepEqual(s.expiries.map((e) => e.key), truth.map((t) => t.key));
      for (const e of s.expiries) {
        const t = truth.find((x) => x.key === e.key)!;
        assert.ok(Math.abs(e.forward / t.F - 1) < 1e-9 && e.rmseIv < 0.001, JSON.stringify(e));
      }
      assert.ok(s.ssvi && s.arbitrage?.ok);
      assert.deepEqual(JSON.parse(JSON.stringify(s)).expiries[0].svi, s.expiries[0].svi);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file without option quotes is named in the error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'volrisk-surface-'));
    try {
      const path = join(dir, 'spx.ndjson');
      writeFileSync(path, JSON.stringify({ kind: 'index', symbol: 'SPX', price: 4700, ts: 1.7e15 }) + '\n');
      await assert.rejects(fitChainFiles([path]), (e: Error) => e.message.startsWith(`${path}: no valid option quotes`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const skip = skipWithoutRealData('spx-options');
const root = join(REAL_DATA_DIR, 'spx-options');
const files = skip ? [] : readdirSync(root).sort().flatMap((d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.csv')).sort().map((f) => join(root, d, f)));

describe('fitChainFiles on the real SPX chains', () => {
  test('every chain fits: near forwards within 0.25% of spot, RMSEs per file (diagnostics)', { skip }, async (t) => {
    const res = await fitChainFiles(files);
    t.diagnostic('file | expiries fit/skipped | max |F/S-1| (T<=2w) | SVI rmse IV | SVI rmse bid-ask | SSVI rmse IV | butterfly/calendar flags | fit ms');
    for (const s of res) {
      const near = s.expiries.filter((e) => e.T <= 14 / 365);
      const dev = Math.max(...near.map((e) => Math.abs(e.forward / s.spot! - 1)));
      t.diagnostic(
        `${relative(root, s.file)} | ${s.expiries.length}/${s.skipped.length} | ${near.length ? (100 * dev).toFixed(3) + '%' : '-'} | ${s.rmseIv.toFixed(4)} | ` +
          `${s.rmseSpread.toFixed(2)} | ${s.ssvi?.rmseIv.toFixed(4) ?? s.ssviError} | ${s.arbitrage?.butterflyCount}/${s.arbitrage?.calendarCount} | ${s.fitMs.toFixed(0)}`,
      );
      assert.ok(s.spot! > 0, `${s.file}: spot`);
      assert.ok(s.expiries.length > 0, `${s.file}: nothing fitted (${JSON.stringify(s.skipped.slice(0, 3))})`);
      if (near.length) assert.ok(dev < 0.0025, `${s.file}: near forward ${(100 * dev).toFixed(3)}% from spot`);
      for (const e of s.expiries) {
        // Near expiries' parity slopes are noisy (a few days of rates is below the quotes' resolution); longer ones imply a plausible rate.
        assert.ok(e.T < 0.1 ? Math.abs(e.discount - 1) < 0.01 : e.r > -0.01 && e.r < 0.12, `${s.file} ${e.key}: discount ${e.discount}, rate ${e.r}`);
        assert.ok(e.rmseSpread < 5, `${s.file} ${e.key}: SVI rmse ${e.rmseSpread} bid-ask spreads`);
      }
      assert.ok(s.ssvi, `${s.file}: ${s.ssviError}`);
      assert.ok(s.rmseIv < 0.03, `${s.file}: SVI rmse ${s.rmseIv}`);
    }
  });
});
