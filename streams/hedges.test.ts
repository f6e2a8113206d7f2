import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Message, Output } from '../src/bus/message.ts';
import type { Tick } from '../src/ticks/schema.ts';
import type { SurfaceFit } from '../src/surface/surface-assemble.ts';
import { bsGreeks } from '../src/quant/black-scholes.ts';
import { hestonGreeks } from '../src/quant/heston-greeks.ts';
import { PositionsBook } from '../src/positions/book.ts';
import type { Position } from '../src/positions/schema.ts';
import { yearsToExpiry } from '../src/hedging/context.ts';
import type { HedgeMethod } from '../src/hedging/method.ts';
import { CLASSICAL_NAMES, classicalMethods } from '../src/hedging/ratios.ts';
import { hedges, hedgesStage, type BookHedgePayload, type HedgesPayload, type PositionHedgePayload } from './hedges.ts';

const T0 = Date.UTC(2024, 0, 2, 15, 0) * 1000; // 2024-01-02 10:00 New York
const SEC = 1e6;
const HESTON = { v0: 0.04, kappa: 2, theta: 0.05, sigma: 0.5, rho: -0.7 };
const HN = { lambda: -0.5, omega: 2.3e-6, alpha: 2.9e-6, beta: 0.85, gamma: 184.25 };
const VOL = 0.2;

let seq = 0;
const spx = (dt: number, price: number): Message<Tick> => ({ topic: 'ticks.raw', key: 'SPX', seq: ++seq, ts: T0 + dt * SEC, run: 't', payload: { kind: 'index', symbol: 'SPX', price, ts: T0 + dt * SEC } });
const optionTick = (dt: number): Message<Tick> => ({
  topic: 'ticks.raw', key: 'SPX:2024-03-15', seq: ++seq, ts: T0 + dt * SEC, run: 't',
  payload: { kind: 'option', root: 'SPX', underlying: 'SPX', expiry: '2024-03-15', strike: 4800, right: 'C', bid: 100, ask: 101, ts: T0 + dt * SEC },
});
/** A surface with one flat-vol SVI slice at 2024-03-15 (r = 3%, q = 1%) and a Heston calibration. */
function surfaceMsg(dt: number, spot: number): Message<SurfaceFit> {
  const ts = T0 + dt * SEC;
  const T = yearsToExpiry({ kind: 'option', underlying: 'SPX', strike: 1, expiry: '2024-03-15', right: 'C' }, ts);
  const slice = { status: 'fitted', key: 'SPX:2024-03-15', root: 'SPX', expiry: '2024-03-15', ts, T, forward: spot * Math.exp(0.02 * T), discount: Math.exp(-0.03 * T), r: 0.03, q: 0.01, svi: { a: VOL * VOL * T, b: 0, rho: 0, m: 0, sigma: 0.1 } };
  const payload = { underlying: 'SPX', ts, spot, expiries: [slice], heston: { params: HESTON, ts } } as unknown as SurfaceFit;
  return { topic: 'surface', key: 'SPX', seq: ++seq, ts, run: 't', payload };
}
const varianceMsg = (dt: number, hn: number): Message<{ index: string; hn: number; gru: number; garch: number }> => ({
  topic: 'variance', key: 'SPX', seq: ++seq, ts: T0 + dt * SEC, run: 't', payload: { index: 'SPX', hn, gru: hn, garch: hn },
});

const CALL: Position = { id: 'c', instrument: { kind: 'option', underlying: 'SPX', strike: 4800, expiry: '2024-03-15', right: 'C' }, quantity: -10, hedge: 300 };
const PUT: Position = { id: 'p', instrument: { kind: 'option', underlying: 'SPX', strike: 4600, expiry: '2024-03-15', right: 'P' }, quantity: 5, method: 'heston-mv' };
const ES: Position = { id: 'es', instrument: { kind: 'future', underlying: 'SPX', expiry: '2024-03-15', multiplier: 50 }, quantity: -2, method: 'hn' };

type AnyMsg = Message<Tick | SurfaceFit | { index: string; hn: number; gru: number; garch: number }>;
async function run(book: PositionsBook, msgs: AnyMsg[], opts: { coalesceMicros?: number; methods?: HedgeMethod[] } = {}): Promise<Output<HedgesPayload>[]> {
  return lastValueFrom(from(msgs).pipe(hedges({ book, hnParams: HN, ...opts }), toArray()));
}
/** A stateful method whose ratio counts its calls per position (in its memory); it throws for position `failsFor`. */
function countingMethod(name: string, failsFor?: string): HedgeMethod {
  return {
    name,
    ratio(ctx) {
      const n = ((ctx.memory[name] as number | undefined) ?? 0) + 1;
      ctx.memory[name] = n;
      if (ctx.position.id === failsFor) throw new Error('no luck');
      return { delta: n };
    },
  };
}
const pos = (o: Output<HedgesPayload>) => o.payload as PositionHedgePayload;
const bookOf = (o: Output<HedgesPayload>) => o.payload as BookHedgePayload;

describe('hedges stage', () => {
  test('nothing before the first SPX print; then every position and the book on each print', async () => {
    const book = new PositionsBook([CALL, PUT]);
    const out = await run(book, [optionTick(0), surfaceMsg(1, 4800), spx(2, 4800), spx(3, 4810)]);
    assert.deepEqual(out.map((o) => [o.key, (o.ts - T0) / SEC]), [['c', 2], ['p', 2], ['book', 2], ['c', 3], ['p', 3], ['book', 3]]);
  });

  test('ratios per method, the chosen target and trade, greeks and input times', async () => {
    const book = new PositionsBook([CALL, PUT, ES]);
    const out = await run(book, [spx(0, 4790), surfaceMsg(1, 4790), varianceMsg(2, 1e-4), spx(3, 4800)]);
    const last = out.filter((o) => o.ts === T0 + 3 * SEC);
    const c = pos(last.find((o) => o.key === 'c')!);
    const T = yearsToExpiry(CALL.instrument, T0 + 3 * SEC);
    const g = bsGreeks(4800, 4800, T, 0.03, 0.01, VOL, 'C');
    assert.equal(c.ratios.bs, g.delta);
    assert.deepEqual(Object.keys(c.ratios), CLASSICAL_NAMES);
    for (const n of CLASSICAL_NAMES) assert.ok(Number.isFinite(c.ratios[n]), `${n}: ${c.ratios[n]}`);
    assert.equal(c.target, 10 * 100 * g.delta);
    assert.equal(c.trade, c.target! - 300);
    assert.deepEqual(c.greeks, { delta: -1000 * g.delta, gamma: -1000 * g.gamma, vega: -1000 * g.vega, theta: -1000 * g.theta });
    assert.equal(c.iv, VOL);
    assert.deepEqual(c.inputs, { tick: T0 + 3 * SEC, spot: 4800, surface: T0 + SEC, heston: T0 + SEC, variance: T0 + 2 * SEC, book: 0 });
    const p = pos(last.find((o) => o.key === 'p')!);
    const h = hestonGreeks(HESTON, 4800, T, 0.03, 0.01, [4600], false);
    assert.ok(Math.abs(p.ratios['heston-mv']! - h.mvDelta[0]) < 2e-5, 'the interpolated curve, within its tolerance (src/hedging/moneyness-curve.ts)');
    assert.equal(p.target, -500 * p.ratios['heston-mv']!);
    const es = pos(last.find((o) => o.key === 'es')!);
    assert.ok(Math.abs(es.target! - 100 * Math.exp(0.02 * T)) < 1e-9);
    const b = bookOf(last.find((o) => o.key === 'book')!);
    assert.equal(b.positions, 3);
    assert.deepEqual(b.missing, []);
    assert.ok(Math.abs(b.target - (c.target! + p.target! + es.target!)) < 1e-9);
    assert.equal(b.hedge, 300);
    assert.ok(Math.abs(b.trade - (b.target - 300)) < 1e-9);
    assert.ok(Math.abs(b.greeks.delta + b.target) < 1e-9, 'the target flattens the book delta');
  });

  test('before the surface and variance: bs, heston and hn say nothing, and the book lists who lacks a target', async () => {
    const out = await run(new PositionsBook([CALL, ES]), [spx(0, 4800)]);
    const c = pos(out[0]);
    assert.deepEqual(c.ratios, { bs: null, heston: null, 'heston-mv': null, hn: null });
    assert.equal(c.target, null);
    assert.equal(c.trade, null);
    // An index future needs no model: F = S e^{(r - q) T}, here with the stage's default r = q = 0.
    assert.equal(pos(out[1]).target, 100);
    assert.deepEqual(bookOf(out.at(-1)!).missing, ['c']);
  });

  test('coalescing: at most one recompute per position per window of event time, the latest inputs win, the end flushes', async () => {
    const book = new PositionsBook([CALL]);
    const out = await run(book, [surfaceMsg(0, 4800), spx(1, 4800), spx(1.2, 4801), optionTick(1.5), spx(1.7, 4802), spx(2.1, 4803), spx(2.5, 4804)], { coalesceMicros: SEC });
    const calls = out.filter((o) => o.key === 'c').map((o) => [(o.ts - T0) / SEC, pos(o).inputs.spot]);
    assert.deepEqual(calls, [[1, 4800], [2.1, 4803], [2.5, 4804]]);
  });

  test('book changes apply at the next input, with the version; removal unwinds the hedge', async () => {
    const book = new PositionsBook([CALL]);
    const msgs = [surfaceMsg(0, 4800), spx(1, 4800), spx(2, 4801), spx(3, 4802)];
    const seen: Output<HedgesPayload>[] = [];
    let i = 0;
    await lastValueFrom(
      from(msgs).pipe(
        map((m) => {
          // The REST layer changes the book between inputs.
          if (i === 2) book.put('p', { instrument: PUT.instrument, quantity: 5 });
          if (i === 3) {
            book.setHedge('c', 250);
            book.remove('p');
          }
          i++;
          return m;
        }),
        hedges({ book }),
        map((o) => seen.push(o)),
      ),
      { defaultValue: 0 },
    );
    const at = (dt: number) => seen.filter((o) => o.ts === T0 + dt * SEC);
    assert.deepEqual(at(1).map((o) => o.key), ['c', 'book']);
    assert.deepEqual(at(2).map((o) => o.key), ['c', 'p', 'book']);
    assert.equal(pos(at(2)[1]).inputs.book, 1);
    const [removed, c3, b3] = at(3);
    assert.equal(removed.key, 'p');
    assert.equal(pos(removed).removed, true);
    assert.equal(pos(removed).target, 0);
    assert.equal(pos(c3).hedge, 250);
    assert.equal(pos(c3).trade, pos(c3).target! - 250);
    assert.equal(pos(c3).inputs.book, 3);
    assert.equal(bookOf(b3).positions, 1);
  });

  test('an expired position says so once (target 0), then rests', async () => {
    const old: Position = { id: 'old', instrument: { kind: 'option', underlying: 'SPX', root: 'SPXW', strike: 4800, expiry: '2024-01-02', right: 'C' }, quantity: 1, hedge: -40 };
    const close = (Date.UTC(2024, 0, 2, 21, 0) * 1000 - T0) / SEC; // 16:00 New York
    const out = await run(new PositionsBook([old, CALL]), [surfaceMsg(0, 4800), spx(close - 1, 4800), spx(close + 1, 4801), spx(close + 2, 4802)]);
    const olds = out.filter((o) => o.key === 'old').map(pos);
    assert.deepEqual(olds.map((p) => [p.expired, p.target]), [[false, olds[0].target], [true, 0]]);
    assert.equal(olds[1].trade, 40);
    assert.equal(out.filter((o) => o.key === 'c').length, 3);
  });

  test('a position opened later says nothing before its inception, then starts its methods\' state there', async () => {
    const counter = countingMethod('counter');
    const opened = new Date((T0 + 2.5 * SEC) / 1000).toISOString();
    const later: Position = { ...CALL, id: 'later', opened };
    const out = await run(new PositionsBook([CALL, later]), [surfaceMsg(0, 4800), spx(1, 4800), spx(2, 4801), spx(3, 4802), spx(4, 4803)], { methods: [counter] });
    assert.deepEqual(out.filter((o) => o.key === 'later').map((o) => [(o.ts - T0) / SEC, pos(o).ratios.counter]), [[3, 1], [4, 2]]);
    assert.deepEqual(out.filter((o) => o.key === 'book').map((o) => bookOf(o).positions), [1, 1, 2, 2]);
  });

  test('a failing method is reported per position and spares the others; memory persists per position until its instrument changes', async () => {
    const flaky = countingMethod('flaky', 'p');
    const book = new PositionsBook([CALL, PUT]);
    const msgs = [surfaceMsg(0, 4800), spx(1, 4800), spx(2, 4801), spx(3, 4802)];
    let i = 0;
    const out = await lastValueFrom(
      from(msgs).pipe(
        map((m) => {
          const { id: _id, ...input } = CALL;
          if (i++ === 3) book.put('c', { ...input, instrument: { ...CALL.instrument, strike: 4900 } as Position['instrument'] });
          return m;
        }),
        hedges({ book, methods: [...classicalMethods(), flaky] }),
        toArray(),
      ),
    );
    const cs = out.filter((o) => o.key === 'c').map(pos);
    assert.deepEqual(cs.map((p) => p.ratios.flaky), [1, 2, 1]);
    const p = pos(out.find((o) => o.key === 'p')!);
    assert.deepEqual(p.errors, { flaky: 'no luck' });
    assert.equal(p.ratios.flaky, null);
    assert.ok(Number.isFinite(p.ratios.bs));
  });

  test('the same tape gives the same outputs (event time only)', async () => {
    const msgs = [surfaceMsg(0, 4800), varianceMsg(0.5, 1e-4), spx(1, 4800), spx(2, 4790)];
    const a = await run(new PositionsBook([CALL, PUT, ES]), msgs);
    const b = await run(new PositionsBook([CALL, PUT, ES]), msgs);
    assert.deepEqual(a, b);
  });

  test('marble: one position and the book per SPX print, nothing on option quotes', () => {
    const scheduler = new TestScheduler((a, b) => assert.deepEqual(a, b));
    scheduler.run(({ cold, expectObservable }) => {
      const input = cold<AnyMsg>('s-o-a-o-(b|)', { s: surfaceMsg(0, 4800), o: optionTick(0.5), a: spx(1, 4800), b: spx(2, 4850) });
      const out = input.pipe(
        hedges({ book: new PositionsBook([CALL]) }),
        map((o) => `${o.key}:${o.key === 'book' ? bookOf(o).positions : pos(o).inputs.spot}`),
      );
      expectObservable(out).toBe('----(cx)(dx|)', { c: 'c:4800', d: 'c:4850', x: 'book:1' });
    });
  });

  test('the stage reads ticks.raw, surface and variance and writes hedges', () => {
    const s = hedgesStage({ book: new PositionsBook() });
    assert.deepEqual([s.name, s.inputs, s.output], ['hedges', ['ticks.raw', 'surface', 'variance'], 'hedges']);
    assert.throws(() => hedges({ book: new PositionsBook(), coalesceMicros: -1 }), /coalesceMicros must be/);
  });
});
