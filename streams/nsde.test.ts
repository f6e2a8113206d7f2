import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, toArray } from 'rxjs';
import type { Message } from '../src/bus/message.ts';
import type { Tick } from '../src/ticks/schema.ts';
import { DEFAULT_CONFIG, initWeights } from '../models/nsde/network.ts';
import { makeModel } from '../models/nsde/simulate.ts';
import { eventSeed, loadNsdeModel, nsde, nsdeStage, vixFan, weekdaysBetween, type NsdePayload } from './nsde.ts';

// A small untrained network: the stage's logic does not depend on the trained weights.
const config = { ...DEFAULT_CONFIG, hidden: 8, warm: 3 };
const model = makeModel(initWeights(config, 5, { kappa: 4, theta: -3.36, inMean: new Float32Array(15), inStd: new Float32Array(15).fill(1) }));

let seq = 0;
const tick = (symbol: string, iso: string, price: number): Message<Tick> => ({
  topic: 'ticks.raw', key: symbol, seq: ++seq, ts: Date.parse(iso) * 1000, run: 't',
  payload: { kind: 'index', symbol, price, ts: Date.parse(iso) * 1000 },
});
const run = async (msgs: Message<Tick>[], opts = {}) => lastValueFrom(from(msgs).pipe(nsde(model, { paths: 64, ...opts }), toArray()));

describe('nsde stage', () => {
  test('publishes the VIX fan at horizons 1..21, ordered quantiles, VaR and ES of a rise, keyed VIX', async () => {
    const out = await run([tick('SPX', '2024-01-05T15:00:00Z', 4700), tick('VIX', '2024-01-05T15:00:00Z', 13.5)]);
    assert.equal(out.length, 1, 'SPX prints are ignored');
    const o = out[0];
    assert.equal(o.key, 'VIX');
    assert.equal(o.ts, Date.parse('2024-01-05T15:00:00Z') * 1000);
    const p: NsdePayload = o.payload;
    assert.equal(p.vix, 13.5);
    assert.equal(p.historyDays, 0);
    assert.deepEqual(p.horizons.map((h) => h.days), Array.from({ length: 21 }, (_, i) => i + 1));
    for (const h of p.horizons) {
      assert.ok(h.q05 <= h.q25 && h.q25 <= h.q50 && h.q50 <= h.q75 && h.q75 <= h.q95, `day ${h.days}`);
      assert.ok(h.q05 > 0);
      assert.ok(Math.abs(h.var95 - (h.q95 - 13.5)) < 1e-12);
      assert.ok(h.es95 >= h.var95);
    }
    // The spread of the fan grows with the horizon.
    assert.ok(p.horizons[19].q95 - p.horizons[19].q05 > p.horizons[0].q95 - p.horizons[0].q05);
  });

  test('throttled by event time: at most one publish per throttleSeconds', async () => {
    const msgs = Array.from({ length: 30 }, (_, i) => tick('VIX', new Date(Date.parse('2024-01-05T15:00:00Z') + i * 10_000).toISOString(), 13 + i * 0.01));
    const out = await run(msgs, { throttleSeconds: 60 });
    assert.deepEqual(out.map((o) => (o.ts - out[0].ts) / 1e6), [0, 60, 120, 180, 240]);
  });

  test('a replay of the same tape publishes the same numbers; another event time draws other paths', async () => {
    const msgs = [tick('VIX', '2024-01-03T20:00:00Z', 14), tick('VIX', '2024-01-04T20:00:00Z', 14.5), tick('VIX', '2024-01-05T20:00:00Z', 13.5)];
    const a = await run(msgs);
    const b = await run(msgs);
    assert.deepEqual(a, b);
    assert.notEqual(eventSeed(msgs[0].ts, 42), eventSeed(msgs[0].ts + 1, 42));
    const c = vixFan(model, [14, 14.5], 13.5, { paths: 64, maxHorizon: 21, seed: eventSeed(msgs[2].ts + 1, 42) });
    assert.notDeepEqual(c, a[2].payload.horizons);
  });

  test('keeps the last close of each exchange day as the history that seeds the signature', async () => {
    const days = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'];
    const msgs = days.flatMap((d, i) => [tick('VIX', `${d}T15:00:00Z`, 20 + i), tick('VIX', `${d}T20:00:00Z`, 30 + i)]);
    const out = await run(msgs, { throttleSeconds: 3600 * 6 });
    assert.deepEqual(out.map((o) => o.payload.historyDays), [0, 1, 2, 3, 3]);
    // The history is the days' last prints (30 + i): the fan from the stage equals the fan from them.
    const last = out[4];
    const direct = vixFan(model, [31, 32, 33], 24, { paths: 64, maxHorizon: 21, seed: eventSeed(last.ts, 42) });
    assert.deepEqual(last.payload.horizons, direct);
  });

  test('carries the VX futures curve (mid, else last) beside the model mean at each expiry in range', async () => {
    const fut = (expiry: string, iso: string, q: { bid?: number; ask?: number; price?: number }): Message<Tick> => ({
      topic: 'ticks.raw', key: `VX:${expiry}`, seq: ++seq, ts: Date.parse(iso) * 1000, run: 't',
      payload: { kind: 'future', root: 'VX', month: expiry.slice(0, 7), expiry, ts: Date.parse(iso) * 1000, ...q },
    });
    const out = await run([
      fut('2024-01-03', '2024-01-02T15:00:00Z', { price: 13 }),
      fut('2024-01-17', '2024-01-05T14:00:00Z', { bid: 14.1, ask: 14.3 }),
      fut('2024-02-14', '2024-01-05T14:00:00Z', { price: 15.2 }),
      tick('VIX', '2024-01-05T15:00:00Z', 13.5),
    ]);
    const f = out[0].payload.futures;
    assert.deepEqual(f.map((x) => x.expiry), ['2024-01-17', '2024-02-14'], 'the expired contract is dropped');
    assert.ok(Math.abs(f[0].market - 14.2) < 1e-12);
    assert.equal(f[0].tradingDays, 8);
    assert.equal(f[0].model, out[0].payload.horizons[7].mean);
    assert.equal(f[1].market, 15.2);
    assert.equal(f[1].model, null, 'beyond the 21-day horizon');
  });

  test('the stage reads ticks.raw and writes nsde; bad options are named', () => {
    const s = nsdeStage(model);
    assert.deepEqual([s.name, s.inputs, s.output], ['nsde', ['ticks.raw'], 'nsde']);
    assert.throws(() => nsde(model, { paths: 3 }), /nsde stage: paths must be an integer >= 16/);
    assert.throws(() => nsde(model, { throttleSeconds: -1 }), /throttleSeconds/);
  });

  test('weekdays between two dates skip weekends', () => {
    assert.equal(weekdaysBetween('2024-01-05', '2024-01-08'), 1, 'Friday to Monday');
    assert.equal(weekdaysBetween('2024-01-05', '2024-01-05'), 0);
    assert.equal(weekdaysBetween('2024-01-01', '2024-01-31'), 22);
  });

  test('the committed model loads; its fan is centred near the current VIX and widens with the horizon', async () => {
    const m = await loadNsdeModel();
    assert.equal(m.weights.config.warm, 10);
    for (const vix of [12, 20, 40]) {
      const fan = vixFan(m, new Array(10).fill(vix), vix, { paths: 256, maxHorizon: 20, seed: 3 });
      assert.ok(Math.abs(fan[0].q50 / vix - 1) < 0.1, `one-day median ${fan[0].q50} from ${vix}`);
      assert.ok(fan[19].q95 - fan[19].q05 > fan[0].q95 - fan[0].q05);
    }
  });
});
