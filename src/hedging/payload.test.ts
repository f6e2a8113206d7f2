/**
 * The hedges payloads: a position's figures from its ratios, and the book's aggregate over open
 * positions only (expired and removed ones leave nothing but a residual hedge to unwind).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Position } from '../positions/schema.ts';
import { bookContribution, bookFromContributions, bookPayload, contributionSize, positionPayload, type HedgeInputs, type PositionHedgePayload } from './payload.ts';

const INPUTS: HedgeInputs = { tick: 1, spot: 4800, surface: null, heston: null, variance: 1, book: 0 };
const NAMES = ['bs', 'hn'] as const;

const option = (id: string, quantity: number, hedge = 0): Position => ({
  id,
  instrument: { kind: 'option', underlying: 'SPX', root: 'SPXW', strike: 4800, expiry: '2024-02-01', right: 'C', multiplier: 1 },
  quantity,
  hedge,
  method: 'hn',
});

/** A position's payload: open with these deltas (null: none), expired (T 0) or removed. */
function payload(p: Position, deltas: Array<number | null>, state: 'open' | 'expired' | 'removed' = 'open'): PositionHedgePayload {
  const ratios = deltas.map((d) => (d === null ? null : { delta: d, gamma: 0.001, vega: 5, theta: -100 }));
  return positionPayload(p, NAMES, ratios, null, { T: state === 'expired' ? 0 : 0.08, iv: null, inputs: INPUTS, removed: state === 'removed' });
}

describe('hedge payloads', () => {
  test('a position: target = -quantity x multiplier x delta, trade = target - hedge, by hand', () => {
    // Short 2 calls of multiplier 1 at hn delta 0.5: exposure -1, target +1; hedge 0.25, trade 0.75.
    const x = payload(option('a', -2, 0.25), [0.4, 0.5]);
    assert.equal(x.target, 1);
    assert.equal(x.trade, 0.75);
    assert.deepEqual(x.targets, { bs: 0.8, hn: 1 });
    assert.equal(x.greeks!.delta, -1);
  });

  test('the book counts open positions only; an expired one neither counts nor goes missing, and its residual hedge is unwound', () => {
    const open = payload(option('open', -1, 0.2), [0.3, 0.5]);
    const noRatio = payload(option('noratio', -1), [0.3, null]);
    const expired = payload(option('expired', -1, 0.6), [null, null], 'expired');
    const expiredFlat = payload(option('expired-flat', -1, 0), [null, null], 'expired');
    const removed = payload(option('removed', -1, 0), [null, null], 'removed');
    const b = bookPayload([open, noRatio, expired, expiredFlat, removed], NAMES, INPUTS);
    assert.equal(b.positions, 2);
    assert.deepEqual(b.missing, ['noratio']);
    // Target: only `open` has one (0.5); hedge: 0.2 held on it plus 0.6 still held on the expired one.
    assert.equal(b.target, 0.5);
    assert.ok(Math.abs(b.hedge - 0.8) < 1e-15);
    // Trade: 0.5 - 0.2 on `open`, and -0.6 to unwind the expired one's hedge.
    assert.ok(Math.abs(b.trade - (0.3 - 0.6)) < 1e-15);
    // Per method: bs has a ratio on both open positions (0.3 + 0.3), hn lacks one.
    assert.deepEqual(b.targets, { bs: 0.6, hn: null });
    assert.equal(b.greeks.delta, -0.5);
    // Only closed positions: an empty aggregate.
    const closed = bookPayload([expiredFlat, removed], NAMES, INPUTS);
    assert.deepEqual([closed.positions, closed.missing, closed.target, closed.hedge, closed.trade, closed.targets], [0, [], 0, 0, 0, { bs: 0, hn: 0 }]);
  });

  test('property: closed positions change only hedge and trade, by their residual hedge; with none missing, trade = target - hedge', () => {
    const pos = fc.record({
      quantity: fc.integer({ min: -5, max: 5 }),
      hedge: fc.double({ min: -3, max: 3, noNaN: true }),
      delta: fc.double({ min: -1, max: 1, noNaN: true }),
      state: fc.constantFrom('open' as const, 'expired' as const, 'removed' as const),
    });
    fc.assert(
      fc.property(fc.array(pos, { maxLength: 12 }), (xs) => {
        const all = xs.map((x, i) => payload(option(`p${i}`, x.quantity, x.hedge), [x.delta, x.delta], x.state));
        const openOnly = all.filter((p) => !p.expired && !p.removed);
        const b = bookPayload(all, NAMES, INPUTS);
        const o = bookPayload(openOnly, NAMES, INPUTS);
        const residual = all.filter((p) => p.expired || p.removed).reduce((s, p) => s + p.hedge, 0);
        assert.equal(b.positions, openOnly.length);
        assert.deepEqual(b.missing, []);
        assert.deepEqual([b.target, b.targets, b.greeks], [o.target, o.targets, o.greeks]);
        assert.ok(Math.abs(b.hedge - (o.hedge + residual)) < 1e-9);
        assert.ok(Math.abs(b.trade - (o.trade - residual)) < 1e-9);
        assert.ok(Math.abs(b.trade - (b.target - b.hedge)) < 1e-9);
      }),
    );
  });

  test('property: the book from kept contributions equals bookPayload over the payloads, to the last bit (nulls, missing, closed, greeks without gamma)', () => {
    const pos = fc.record({
      quantity: fc.integer({ min: -20, max: 20 }),
      hedge: fc.double({ min: -30, max: 30, noNaN: true }),
      deltas: fc.tuple(fc.option(fc.double({ min: -1, max: 1, noNaN: true })), fc.option(fc.double({ min: -1, max: 1, noNaN: true }))),
      gamma: fc.option(fc.double({ min: 0, max: 0.01, noNaN: true })),
      state: fc.constantFrom('open' as const, 'open' as const, 'expired' as const, 'removed' as const),
      seen: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(pos, { maxLength: 15 }), (xs) => {
        const entries = xs.map((x, i) => {
          const p = option(`p${i}`, x.quantity, x.hedge);
          // a method without gamma: the payload takes bs's where it has one
          const ratios = x.deltas.map((d, k) => (d === null ? null : k === 0 ? { delta: d, gamma: x.gamma ?? undefined, vega: 5 } : { delta: d }));
          const payload = positionPayload(p, NAMES, ratios, null, { T: x.state === 'expired' ? 0 : 0.08, iv: null, inputs: INPUTS, removed: x.state === 'removed' });
          // a position with no payload yet is in the stage's map but not in the book
          return { p, payload: x.seen ? payload : null, contrib: x.seen ? bookContribution(payload, NAMES, new Float64Array(contributionSize(NAMES.length))) : null };
        });
        const expected = bookPayload(entries.flatMap((e) => (e.payload ? [e.payload] : [])), NAMES, INPUTS);
        assert.deepStrictEqual(bookFromContributions(entries, NAMES, INPUTS), expected);
      }),
      { numRuns: 300 },
    );
  });
});
