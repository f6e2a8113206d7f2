import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, from, lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Message } from '../src/bus/message.ts';
import type { Tick } from '../src/ticks/schema.ts';
import { NEW_YORK, zonedToEpochMicros } from '../src/ticks/time.ts';
import { hestonChain } from '../src/surface/heston-chain.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadSurrogate } from '../models/surrogate/surrogate.ts';
import { DEFAULT_MODEL_DIR } from '../models/surrogate/weights.ts';
import { surface, surfaceStage, type SurfaceStageOptions } from './surface.ts';

const t0 = zonedToEpochMicros('2024-01-05', '10:00', NEW_YORK);
const SEC = 1e6;
const params = { v0: 0.02, kappa: 2, theta: 0.04, sigma: 0.6, rho: -0.7 };
const expiries = [{ root: 'SPXW', expiry: '2024-01-19' }, { root: 'SPX', expiry: '2024-03-15' }] as const;
let seq = 0;
const msg = (payload: Tick): Message<Tick> => ({ topic: 'ticks.raw', key: 'k', seq: ++seq, ts: payload.ts, run: 'test', payload });

/** One full chain (and a spot print) at event time ts, priced at spot S; quotes stamped ts + i microseconds. */
function chainAt(ts: number, S: number): Message<Tick>[] {
  const { quotes } = hestonChain({ params, S, r: 0.05, q: 0.015, ts, expiries, strikes: 24, tick: 0.05, strikeSpot: 4700 });
  return [msg({ kind: 'index', symbol: 'SPX', price: S, ts }), ...quotes.map((q, i) => msg({ ...q, ts: ts + i }))];
}

/** A chain of the March expiry only, after the January one settled. */
function chainAfter(ts: number): Message<Tick>[] {
  const { quotes } = hestonChain({ params, S: 4800, r: 0.05, q: 0.015, ts, expiries: expiries.slice(1), strikes: 24, tick: 0.05, strikeSpot: 4700 });
  return [msg({ kind: 'index', symbol: 'SPX', price: 4800, ts }), ...quotes.map((q, i) => msg({ ...q, ts: ts + i }))];
}

const run = async (msgs: Message<Tick>[], o: SurfaceStageOptions = {}) => lastValueFrom(from(msgs).pipe(surface(o), toArray()));

describe('surface stage', () => {
  test('throttled by event time: 60 re-quotes a second apart give a publish per 10 s, from the latest quotes', async () => {
    const msgs: Message<Tick>[] = [];
    for (let s = 0; s < 60; s++) msgs.push(...chainAt(t0 + s * SEC, 4700 + s)); // spot drifts up a point a second
    const out = await run(msgs, { refitSeconds: 10, checkSeconds: 1, ssviSeconds: 30 });
    // ~5,900 ticks: publishes at 10 s, 20 s, ... 50 s of event time, and one flush at the end.
    assert.ok(msgs.length > 5000);
    assert.deepEqual(out.map((o) => Math.round((o.ts - t0) / SEC)), [1, 11, 21, 31, 41, 51, 59]);
    for (const o of out) assert.equal(o.key, 'SPX');
    const last = out.at(-1)!.payload;
    assert.deepEqual(last.refitted.sort(), ['SPX:2024-03-15', 'SPXW:2024-01-19']);
    assert.equal(last.spot, 4759);
    // The last fit used the last chain (S = 4759): its forward is S e^{(r-q)T}, not an older one.
    for (const e of last.expiries) {
      const F = 4759 * Math.exp(0.035 * e.T);
      assert.ok(Math.abs(e.forward / F - 1) < 2e-5, `${e.key} F ${e.forward} vs ${F}`);
    }
    // The SSVI is refitted at most every 30 s (and on the flush); in between it is carried.
    assert.deepEqual(out.map((o) => Math.round((o.payload.ssviTs! - t0) / SEC)), [1, 1, 1, 31, 31, 31, 59]);
    assert.ok(last.ssvi && last.arbitrage && last.grid.iv.length > 0);
  });

  test('unchanged re-quotes refit nothing; at most maxFitsPerCheck expiries per check, stalest first', async () => {
    const idx = (ts: number, S = 4700) => msg({ kind: 'index', symbol: 'SPX', price: S, ts });
    // Same prices 30 s later: the first check point fits both expiries, then nothing is dirty.
    const out = await run([...chainAt(t0, 4700), idx(t0 + 15 * SEC), ...chainAt(t0 + 30 * SEC, 4700), idx(t0 + 45 * SEC)]);
    assert.deepEqual(out.map((o) => [(o.ts - t0) / SEC, o.payload.refitted.sort()]), [[15, ['SPX:2024-03-15', 'SPXW:2024-01-19']]]);
    // One fit per check point: never-fitted first (ties by key), then the stalest; the end flushes the rest.
    const one = await run([...chainAt(t0, 4700), idx(t0 + 15 * SEC), idx(t0 + 16 * SEC), ...chainAt(t0 + 30 * SEC, 4710), idx(t0 + 45 * SEC)], { maxFitsPerCheck: 1, publishSeconds: 1 });
    assert.deepEqual(one.map((o) => [(o.ts - t0) / SEC, o.payload.refitted]), [
      [15, ['SPX:2024-03-15']], [16, ['SPXW:2024-01-19']], [45, ['SPX:2024-03-15']], [45, ['SPXW:2024-01-19']],
    ]);
  });

  test('publishSeconds: fits keep their check points; a snapshot lists every expiry refitted since the last one', async () => {
    const idx = (ts: number) => msg({ kind: 'index', symbol: 'SPX', price: 4700, ts });
    const out = await run([...chainAt(t0, 4700), idx(t0 + 15 * SEC), idx(t0 + 16 * SEC), idx(t0 + 20 * SEC), idx(t0 + 25 * SEC)], { maxFitsPerCheck: 1, publishSeconds: 10 });
    // 15 s: the first fit is published; 16 s: the second fit waits (1 s after a publish); 20 s: still
    // inside the 10 s; 25 s: published, listing the fit of 16 s, which keeps its own time.
    assert.deepEqual(out.map((o) => [(o.ts - t0) / SEC, o.payload.refitted]), [[15, ['SPX:2024-03-15']], [25, ['SPXW:2024-01-19']]]);
    const jan = out[1].payload.expiries.find((e) => e.key === 'SPXW:2024-01-19')!;
    assert.equal((jan.ts - t0) / SEC, 16);
    // A published expiry carries the quotes its slice was fitted to (out of the money, two-sided)
    for (const e of out[1].payload.expiries) {
      assert.equal(e.quotes.k.length, e.n);
      assert.ok(e.quotes.fit.every((f) => f));
      e.quotes.K.forEach((K, i) => assert.equal(e.quotes.right[i], K >= e.forward ? 'C' : 'P'));
    }
  });

  test('marble: nothing is published before a check point; a check point refits and publishes', () => {
    const scheduler = new TestScheduler((a, b) => assert.deepEqual(a, b));
    scheduler.run(({ cold, expectObservable }) => {
      const idx = (ts: number) => msg({ kind: 'index', symbol: 'SPX', price: 4700, ts });
      const input = concat(from(chainAt(t0, 4700)), cold('a-b-c|', { a: idx(t0 + 0.5 * SEC), b: idx(t0 + 1 * SEC), c: idx(t0 + 3 * SEC) }));
      const out = input.pipe(surface(), map((o) => [o.ts, o.payload.refitted.length, o.payload.expiries.length]));
      expectObservable(out).toBe('--x--|', { x: [t0 + SEC, 2, 2] });
    });
  });

  test('deterministic: the same tape gives the same outputs', async () => {
    const msgs = [...chainAt(t0, 4700), ...chainAt(t0 + 12 * SEC, 4705)];
    assert.deepEqual(await run(msgs), await run(msgs));
  });

  test('a settled expiry leaves the surface; other underlyings and tick kinds are ignored', async () => {
    const after = zonedToEpochMicros('2024-01-19', '16:05', NEW_YORK);
    const other: Message<Tick> = msg({ kind: 'index', symbol: 'VIX', price: 13, ts: t0 });
    const out = await run([other, ...chainAt(t0, 4700), msg({ kind: 'index', symbol: 'SPX', price: 4700, ts: t0 + 2 * SEC }), ...chainAfter(after)]);
    // At the first tick after settlement the January expiry is dropped (published with the March fit carried), then March is refitted at the end.
    assert.deepEqual(out.map((o) => [o.payload.expiries.map((e) => e.key), o.payload.refitted]), [
      [['SPXW:2024-01-19', 'SPX:2024-03-15'], ['SPX:2024-03-15', 'SPXW:2024-01-19']], [['SPX:2024-03-15'], []], [['SPX:2024-03-15'], ['SPX:2024-03-15']],
    ]);
    assert.equal(out[0].payload.spot, 4700);
  });

  test('Heston is calibrated at the SSVI cadence, warm-started, and carried in between', { skip: existsSync(join(DEFAULT_MODEL_DIR, 'weights.json')) ? false : 'no committed surrogate weights' }, async () => {
    const surrogate = await loadSurrogate();
    try {
      const msgs: Message<Tick>[] = [];
      // Four expiries (2w to ~6m) and 40 strikes: enough grid cells (1m, 2m, 3m rows) for 5 parameters.
      const more = [...expiries, { root: 'SPX', expiry: '2024-02-16' }, { root: 'SPX', expiry: '2024-06-21' }] as const;
      for (let s = 0; s < 40; s += 2) {
        const ts = t0 + s * SEC;
        const { quotes } = hestonChain({ params, S: 4700 + s, r: 0.05, q: 0.015, ts, expiries: more, strikes: 40, tick: 0.05, strikeSpot: 4700 });
        msgs.push(msg({ kind: 'index', symbol: 'SPX', price: 4700 + s, ts }), ...quotes.map((q, i) => msg({ ...q, ts: ts + i })));
      }
      const out = await run(msgs, { refitSeconds: 10, checkSeconds: 1, ssviSeconds: 30, fit: { heston: { surrogate } } });
      // Publishes at 2, 12, 22, 32 s and the flush at 38 s; calibrations at 2, 32 and the flush, like the SSVI.
      assert.equal(out[0].payload.hestonError, undefined);
      assert.deepEqual(out.map((o) => Math.round((o.ts - t0) / SEC)), [2, 12, 22, 32, 38]);
      assert.deepEqual(out.map((o) => Math.round((o.payload.heston!.ts - t0) / SEC)), [2, 2, 2, 32, 38]);
      assert.deepEqual(out.map((o) => o.payload.heston!.ts), out.map((o) => o.payload.ssviTs));
      for (const o of out) {
        const h = o.payload.heston!;
        assert.ok(h.rmseExact < 0.003 && Math.abs(h.params.rho - params.rho) < 0.1, JSON.stringify(h));
      }
      // Carried between calibrations: the very same parameters.
      assert.deepEqual(out[1].payload.heston, out[0].payload.heston);
      assert.equal(out[0].payload.hestonError, undefined);
    } finally {
      surrogate.dispose();
    }
  });

  test('options are checked; the stage reads ticks.raw and writes surface', () => {
    assert.throws(() => surface({ refitSeconds: 0 }), /refitSeconds must be a finite number > 0/);
    assert.throws(() => surface({ maxFitsPerCheck: 1.5 }), /maxFitsPerCheck must be a positive integer/);
    const s = surfaceStage();
    assert.deepEqual([s.name, s.inputs, s.output], ['surface', ['ticks.raw'], 'surface']);
  });
});
