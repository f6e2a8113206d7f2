/**
 * The hedges stage on the market simulator's tape, fed by the real upstream stages (bars ->
 * variance with the committed HN-GRU weights; surface with the committed Heston surrogate), with
 * the example book data/positions.example.yaml: every position gets hedges from every classical
 * method and the quadratic ones (lrm, mvh) that cover its instrument.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, toArray } from 'rxjs';
import type { Message, Output } from '../src/bus/message.ts';
import type { Tick } from '../src/ticks/schema.ts';
import { createSimulator } from '../src/tape/simulator.ts';
import { loadHnGru } from '../models/hn-gru/index.ts';
import { loadSurrogate } from '../models/surrogate/index.ts';
import { DEFAULT_BOOK_PATH, loadBook } from '../src/positions/load.ts';
import { CLASSICAL_NAMES, classicalMethods } from '../src/hedging/ratios.ts';
import { QUADRATIC_NAMES, quadraticMethods } from '../src/hedging/quadratic.ts';
import { bars } from './bars.ts';
import { variance } from './variance.ts';
import { surface } from './surface.ts';
import { hedges, type BookHedgePayload, type PositionHedgePayload } from './hedges.ts';

const surrogate = await loadSurrogate();
after(() => surrogate.dispose());

function asMessages<P>(topic: string, outs: Output<P>[]): Message<P>[] {
  return outs.map((o, i) => ({ topic, key: o.key, seq: i + 1, ts: o.ts, run: 't', payload: o.payload }));
}

test('every position of the example book gets hedges from every classical and quadratic method on the simulator', { timeout: 120_000 }, async () => {
  // The last minutes of 2024-01-02 (a daily close for the variance filter) and the next open:
  // 20 ticks/s keeps the test short while every listed expiry is quoted.
  const ticks: Message<Tick>[] = [];
  let seq = 0;
  for (const t of createSimulator({ seed: 42, ticksPerSecond: 20, start: '2024-01-02T15:45', end: '2024-01-03T09:50', indexEverySteps: 1 }))
    ticks.push({ topic: 'ticks.raw', key: t.kind === 'index' ? t.symbol : 'k', seq: ++seq, ts: t.ts, run: 't', payload: t });
  const weights = loadHnGru();
  const barMsgs = asMessages('bars', await lastValueFrom(from(ticks).pipe(bars(), toArray())));
  const varMsgs = asMessages('variance', await lastValueFrom(from(barMsgs).pipe(variance(weights), toArray())));
  const surfMsgs = asMessages('surface', await lastValueFrom(from(ticks).pipe(surface({ refitSeconds: 30, ssviSeconds: 600, fit: { heston: { surrogate } } }), toArray())));
  assert.ok(varMsgs.length > 0 && surfMsgs.some((m) => m.payload.heston), 'the upstream stages publish');
  // The bus interleaves topics; here by event time, a stage's output after the tick that made it.
  const all = [...ticks.map((m) => [m, 0] as const), ...varMsgs.map((m) => [m, 1] as const), ...surfMsgs.map((m) => [m, 1] as const)]
    .sort((a, b) => a[0].ts - b[0].ts || a[1] - b[1])
    .map(([m]) => m as Message<never>);

  const names = [...CLASSICAL_NAMES, ...QUADRATIC_NAMES];
  const book = loadBook(DEFAULT_BOOK_PATH, { methods: names });
  const methods = [...classicalMethods(), ...quadraticMethods()];
  const out = await lastValueFrom(from(all).pipe(hedges({ book, hnParams: weights.hn, methods }), toArray()));

  for (const p of book.list()) {
    const mine = out.filter((o) => o.key === p.id).map((o) => o.payload as PositionHedgePayload);
    assert.ok(mine.length > 100, `${p.id}: ${mine.length} messages`);
    const vix = p.instrument.kind === 'future' && p.instrument.underlying === 'VIX';
    // A VIX future has no Black-Scholes, HN-GARCH or quadratic hedge by SPX (src/hedging/ratios.ts, quadratic.ts).
    const want = vix ? ['heston', 'heston-mv'] : names;
    const full = mine.filter((m) => want.every((n) => Number.isFinite(m.ratios[n])));
    assert.ok(full.length > 0, `${p.id}: no message with every method (${JSON.stringify(mine.at(-1)!.ratios)})`);
    const last = mine.at(-1)!;
    assert.ok(last.target !== null && Number.isFinite(last.target), `${p.id}: target`);
    assert.equal(last.trade, last.target - (p.hedge ?? 0));
    assert.ok(last.inputs.surface !== null && last.inputs.heston !== null && last.inputs.variance !== null, `${p.id}: inputs ${JSON.stringify(last.inputs)}`);
    if (p.instrument.kind === 'option') {
      assert.ok(last.iv !== null && last.iv > 0.05 && last.iv < 0.6, `${p.id}: iv ${last.iv}`);
      // The simulator prices with Heston: its delta and the Black-Scholes delta at the smile's vol differ by the skew only.
      assert.ok(Math.abs(last.ratios.bs! - last.ratios.heston!) < 0.1, `${p.id}: bs ${last.ratios.bs} vs heston ${last.ratios.heston}`);
      // Once the surface has a calibration, lrm and mvh are published on every message.
      const calibrated = mine.filter((m) => m.inputs.heston !== null);
      assert.ok(calibrated.length > 100 && calibrated.every((m) => Number.isFinite(m.ratios.lrm) && Number.isFinite(m.ratios.mvh)), `${p.id}: lrm/mvh missing after calibration`);
      // Near the minimum-variance delta (src/hedging/quadratic.test.ts): here 0.06 allows for the
      // premium (lambdaS v under P moves the minimal martingale measure off Q), coarse rebalancing
      // of the long maturities (8 dates) and Monte Carlo noise (rms about 0.015 at 1024 paths).
      for (const n of QUADRATIC_NAMES) assert.ok(Math.abs(last.ratios[n]! - last.ratios['heston-mv']!) < 0.06, `${p.id}: ${n} ${last.ratios[n]} vs heston-mv ${last.ratios['heston-mv']}`);
    }
  }
  const lastBook = out.filter((o) => o.key === 'book').at(-1)!.payload as BookHedgePayload;
  assert.equal(lastBook.positions, book.list().length);
  assert.deepEqual(lastBook.missing, []);
  // Per-key event time never goes back.
  const lastTs = new Map<string, number>();
  for (const o of out) {
    assert.ok(o.ts >= (lastTs.get(o.key) ?? -Infinity), `${o.key} at ${o.ts}`);
    lastTs.set(o.key, o.ts);
  }
});
