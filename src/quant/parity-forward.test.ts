// Forward and discount factor by put-call parity: synthetic chains with known F and D (Black-76
// prices, noisy quotes, outliers), and the real CBOE SPX chains, whose near-the-money parity
// forward lies within about 0.25% of the printed spot (../shared/data/README.md).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { black76Price } from './black-scholes.ts';
import { parityForward } from './parity-forward.ts';
import { parseFile } from '../ticks/parse-file.ts';
import { REAL_DATA_DIR, skipWithoutRealData } from '../ticks/real-data.ts';
import type { OptionTick } from '../ticks/schema.ts';

function chain(F: number, D: number, T: number, noise: number, seed = 1) {
  let s = seed;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) - 0.5;
  const K = Array.from({ length: 41 }, (_, i) => Math.round(F * 0.8) + 5 * i * Math.round(F / 500));
  const callBid: number[] = [], callAsk: number[] = [], putBid: number[] = [], putAsk: number[] = [];
  for (const k of K) {
    const vol = 0.2 - 0.3 * Math.log(k / F);
    const c = black76Price(F, k, T, D, vol, 'C'), p = black76Price(F, k, T, D, vol, 'P');
    const sc = 0.05 + 0.01 * c, sp = 0.05 + 0.01 * p; // spreads widen with price
    const mc = c + noise * sc * u(), mp = p + noise * sp * u();
    callBid.push(mc - sc / 2); callAsk.push(mc + sc / 2); putBid.push(mp - sp / 2); putAsk.push(mp + sp / 2);
  }
  return { K, callBid, callAsk, putBid, putAsk };
}

describe('put-call parity forward', () => {
  test('exact quotes give F and D to rounding', () => {
    const f = parityForward(chain(4500, Math.exp(-0.05 * 0.5), 0.5, 0), 0.5, { spot: 4450 });
    assert.ok(Math.abs(f.F - 4500) < 1e-8, String(f.F));
    assert.ok(Math.abs(f.D - Math.exp(-0.025)) < 1e-12);
    assert.ok(Math.abs(f.r - 0.05) < 1e-10);
    assert.ok(Math.abs(f.q - (0.05 - Math.log(4500 / 4450) / 0.5)) < 1e-10);
    assert.equal(f.trimmed, 0);
  });

  test('noisy quotes: F within 3 standard errors, the standard error small', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const f = parityForward(chain(4500, 0.98, 0.4, 0.5, seed), 0.4);
      assert.ok(Math.abs(f.F - 4500) < 3 * f.seF + 1e-9, `seed ${seed}: F ${f.F} se ${f.seF}`);
      assert.ok(f.seF < 1, String(f.seF));
      assert.ok(Math.abs(f.D - 0.98) < 0.005);
    }
  });

  test('an outlier is trimmed and does not move F', () => {
    const c = chain(4500, 0.98, 0.4, 0.2);
    const clean = parityForward(c, 0.4);
    const i = c.K.indexOf(4500);
    c.callBid[i] += 40; c.callAsk[i] += 40; // a stale call quote 40 points off
    const f = parityForward(c, 0.4);
    assert.ok(f.trimmed >= 1);
    assert.ok(Math.abs(f.F - clean.F) < 0.5, `${f.F} vs ${clean.F}`);
  });

  test('bad chains are refused by name', () => {
    const c = chain(100, 0.99, 1, 0);
    assert.throws(() => parityForward({ ...c, putAsk: c.putAsk.slice(1) }, 1), /chain.putAsk has/);
    assert.throws(() => parityForward(c, 0), /T must be/);
    assert.throws(() => parityForward({ ...c, callBid: c.callBid.map(() => 0) }, 1), /at least 3 strikes/);
  });

  const skip = skipWithoutRealData('spx-options/2024-01-05');
  test('real SPX chain 2024-01-05: forwards of the expiries within two weeks lie within 0.25% of spot', { skip }, async () => {
    let spot = NaN, ts = 0;
    const byExpiry = new Map<string, OptionTick[]>();
    for await (const o of parseFile(join(REAL_DATA_DIR, 'spx-options/2024-01-05/spx_quotedata.csv'))) {
      if ('reason' in o) continue;
      const v = o.value as { kind: string; price?: number; ts?: number };
      if (v.kind === 'index') { spot = v.price!; ts = v.ts!; }
      if (v.kind === 'option') {
        const t = v as unknown as OptionTick;
        if (!byExpiry.has(t.expiry)) byExpiry.set(t.expiry, []);
        byExpiry.get(t.expiry)!.push(t);
      }
    }
    let checked = 0;
    for (const [expiry, ticks] of byExpiry) {
      const T = (Date.parse(`${expiry}T21:00:00Z`) * 1000 - ts) / (365.25 * 86400e6);
      if (!(T > 0 && T < 15 / 365)) continue;
      const calls = new Map(ticks.filter((t) => t.right === 'C').map((t) => [t.strike, t]));
      const puts = new Map(ticks.filter((t) => t.right === 'P').map((t) => [t.strike, t]));
      const K = [...calls.keys()].filter((k) => puts.has(k)).sort((a, b) => a - b);
      const f = parityForward({
        K, callBid: K.map((k) => calls.get(k)!.bid), callAsk: K.map((k) => calls.get(k)!.ask),
        putBid: K.map((k) => puts.get(k)!.bid), putAsk: K.map((k) => puts.get(k)!.ask),
      }, T, { spot });
      assert.ok(Math.abs(f.F / spot - 1) < 0.0025, `${expiry}: F ${f.F} spot ${spot}`);
      assert.ok(f.D > 0.99 && f.D <= 1.0005, `${expiry}: D ${f.D}`);
      assert.ok(f.rmsSpread < 0.5, `${expiry}: residuals ${f.rmsSpread} spreads`);
      checked++;
    }
    assert.ok(checked >= 6, `only ${checked} expiries checked`);
  });
});
