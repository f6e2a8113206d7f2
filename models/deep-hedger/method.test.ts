import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HedgeContext } from '../../src/hedging/method.ts';
import type { Position } from '../../src/positions/schema.ts';
import { deepHedgerFrom } from './live.ts';
import { DEEP_METHOD, deepHedgerMethod, type DeepMemory } from './method.ts';
import { initPolicyArrays } from './network.ts';
import { makeSetup } from './setup.ts';

const setup = makeSetup('bs');
const policy = initPolicyArrays(8, 21, Float64Array.of(1, 0.5, 0, 0.15), Float64Array.of(0.05, 0.3, 0.01, 0.02));
policy.Wo.forEach((_, j) => (policy.Wo[j] = Math.cos(j)));
const hedger = deepHedgerFrom(policy, setup);
const DAY = 86_400e6;
const T0 = Date.UTC(2024, 0, 2, 15) * 1000;

const call: Position = { id: 'c', instrument: { kind: 'option', underlying: 'SPX', strike: 4800, expiry: '2024-02-01', right: 'C' }, quantity: -1 };
const put: Position = { id: 'p', instrument: { kind: 'option', underlying: 'SPX', strike: 4800, expiry: '2024-02-01', right: 'P' }, quantity: 1 };
const gru = 0.0001; // daily variance: vol sqrt(252e-4) = 0.1587

function ctx(position: Position, ts: number, spot: number, memory: Record<string, unknown>, T = 0.08, q = 0.01): HedgeContext {
  return {
    position, ts, spot, T, r: 0.05, q, surface: null, heston: null, memory,
    variance: { hn: gru, gru, garch: gru, hnParams: null, ts },
  };
}

test('one GRU step per event-time session: intraday ticks preview, the next session commits the last close', () => {
  const m = deepHedgerMethod(hedger);
  const mem: Record<string, unknown> = {};
  const vol = Math.sqrt(252 * gru);
  // session 1: two ticks; session 2: one tick
  const a = m.ratio(ctx(call, T0, 4790, mem))!.delta;
  const b = m.ratio(ctx(call, T0 + 3600e6, 4810, mem))!.delta;
  const c = m.ratio(ctx(call, T0 + DAY, 4850, mem, 0.077))!.delta;
  const s0 = hedger.initialState();
  const f1a = { price: 4790 / 4800, timeToMaturity: 0.08 / setup.T, logReturn: 0, vol };
  const f1b = { ...f1a, price: 4810 / 4800 };
  // The method previews through the cached recurrent projection (batch.ts): the same step, to rounding.
  const same = (x: number, y: number, what?: string) => assert.ok(Math.abs(x - y) < 1e-12, `${what ?? ''} ${x} vs ${y}`);
  same(a, hedger.ratio(s0, f1a).ratio);
  same(b, hedger.ratio(s0, f1b).ratio, 'the second tick of a session starts from the same committed state');
  const s1 = hedger.ratio(s0, f1b).next;
  const f2 = { price: 4850 / 4800, timeToMaturity: 0.077 / setup.T, logReturn: Math.log(4850 / 4810), vol };
  same(c, hedger.ratio(s1, f2).ratio, 'the next session steps from the close of the last one');
  assert.equal((mem[DEEP_METHOD] as DeepMemory).committed.steps, 1);
});

test('puts by parity, null where the method cannot answer', () => {
  const m = deepHedgerMethod(hedger);
  const c = m.ratio(ctx(call, T0, 4800, {}))!.delta;
  const p = m.ratio(ctx(put, T0, 4800, {}))!.delta;
  assert.ok(Math.abs(p - (c - Math.exp(-0.01 * 0.08))) < 1e-15);
  const fut: Position = { id: 'f', instrument: { kind: 'future', underlying: 'SPX', expiry: '2024-03-15' }, quantity: 1 };
  assert.equal(m.ratio(ctx(fut, T0, 4800, {})), null);
  assert.equal(m.ratio(ctx(call, T0, 4800, {}, 0)), null, 'expired');
  assert.equal(m.ratio({ ...ctx(call, T0, 4800, {}), variance: null }), null, 'no variance yet');
  assert.equal(m.ratio(ctx(call, T0, 3000, {})), null, 'price feature far outside training');
  const ctxs = [ctx(call, T0, 4800, {}), ctx(put, T0, 4800, {})];
  assert.deepEqual(m.ratios!(ctxs), [{ delta: c }, { delta: p }]);
});

test('a round of many positions over three sessions: ratios equals the reference stepping of each position', () => {
  const m = deepHedgerMethod(hedger);
  // Calls and puts, at and away from the money, inside the training horizon (time feature moving every tick) and beyond it (clipped at 1).
  const book: Position[] = [
    { id: 'a', instrument: { kind: 'option', underlying: 'SPX', strike: 4800, expiry: '2024-01-19', right: 'C' }, quantity: 1 },
    { id: 'b', instrument: { kind: 'option', underlying: 'SPX', strike: 4750, expiry: '2024-01-19', right: 'P' }, quantity: 1 },
    { id: 'c', instrument: { kind: 'option', underlying: 'SPX', strike: 4900, expiry: '2024-06-21', right: 'C' }, quantity: 1 },
    { id: 'd', instrument: { kind: 'option', underlying: 'SPX', strike: 4700, expiry: '2024-06-21', right: 'P' }, quantity: 1 },
    { id: 'f', instrument: { kind: 'future', underlying: 'SPX', expiry: '2024-03-15' }, quantity: 1 },
  ];
  const expiryT = [16.5 / 365, 16.5 / 365, 170 / 365, 170 / 365, 0.2];
  const memories = book.map(() => ({}) as Record<string, unknown>);
  // Reference per position: committed state, last close, pending features, as the module header describes.
  const ref = book.map(() => ({ s: hedger.initialState(), prevClose: null as number | null, pending: null as null | { f: Parameters<typeof hedger.ratio>[1]; spot: number }, day: -1 }));
  let spot = 4800;
  let checked = 0;
  for (let k = 0; k < 3 * 8; k++) {
    const session = Math.floor(k / 8);
    const ts = T0 + session * DAY + (k % 8) * 1800e6;
    spot *= 1 + 0.004 * Math.sin(3 * k + 1);
    const g = gru * (1 + 0.1 * Math.floor(k / 5));
    const elapsed = (ts - T0) / (365 * DAY);
    const ctxs = book.map((p, i) => ({ ...ctx(p, ts, spot, memories[i], expiryT[i] - elapsed), variance: { hn: g, gru: g, garch: g, hnParams: null, ts } }));
    const got = m.ratios!(ctxs);
    ctxs.forEach((c, i) => {
      const ins = c.position.instrument;
      if (ins.kind !== 'option') return assert.equal(got[i], null, 'future');
      const r = ref[i];
      const day = Math.floor(ts / DAY);
      if (day > r.day && r.pending) {
        r.s = hedger.ratio(r.s, r.pending.f).next;
        r.prevClose = r.pending.spot;
        r.pending = null;
      }
      r.day = day;
      const f = { price: spot / ins.strike, timeToMaturity: Math.min(1, c.T / setup.T), logReturn: r.prevClose === null ? 0 : Math.log(spot / r.prevClose), vol: Math.sqrt(252 * g) };
      r.pending = { f, spot };
      const call = hedger.ratio(r.s, f).ratio;
      const want = ins.right === 'C' ? call : call - Math.exp(-c.q * c.T);
      assert.ok(got[i] !== null && Math.abs(got[i]!.delta - want) < 1e-12, `tick ${k} position ${c.position.id}: ${got[i]?.delta} vs ${want}`);
      checked++;
    });
  }
  assert.equal(checked, 4 * 24);
  assert.equal((memories[0][DEEP_METHOD] as DeepMemory).committed.steps, 2);
});
