import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SurfaceFit } from '../surface/surface-assemble.ts';
import type { Instrument } from '../positions/schema.ts';
import { MICROS_PER_YEAR, surfaceAt, yearsToExpiry } from './context.ts';

const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const TS = Date.UTC(2024, 0, 2, 15, 0) * 1000; // 10:00 New York
const opt = (expiry: string, strike: number, root?: 'SPX' | 'SPXW'): Instrument => ({ kind: 'option', underlying: 'SPX', root, strike, expiry, right: 'C' });

/** A flat-vol slice (SVI with b = 0) at an expiry, with its T from TS. */
function slice(root: string, expiry: string, vol: number, r: number, q: number, spot: number) {
  const T = yearsToExpiry(opt(expiry, 1, root as 'SPX'), TS);
  return { status: 'fitted', key: `${root}:${expiry}`, root, expiry, ts: TS, T, forward: spot * Math.exp((r - q) * T), discount: Math.exp(-r * T), r, q, svi: { a: vol * vol * T, b: 0, rho: 0, m: 0, sigma: 0.1 } };
}
const surface = (slices: unknown[], spot = 4800) => ({ underlying: 'SPX', ts: TS, spot, expiries: slices }) as unknown as SurfaceFit;

describe('hedge context', () => {
  test('settlement: SPX AM at 09:30 New York, SPXW PM at 16:00, VX at 09:00; 0 once settled', () => {
    const day = 24 * 3600e6;
    near(yearsToExpiry(opt('2024-01-03', 1, 'SPX'), TS) * MICROS_PER_YEAR, day - 0.5 * 3600e6, 1, 'SPX AM');
    near(yearsToExpiry(opt('2024-01-03', 1, 'SPXW'), TS) * MICROS_PER_YEAR, day + 6 * 3600e6, 1, 'SPXW PM');
    near(yearsToExpiry({ kind: 'future', underlying: 'VIX', expiry: '2024-01-03' }, TS) * MICROS_PER_YEAR, day - 3600e6, 1, 'VX');
    assert.equal(yearsToExpiry(opt('2024-01-02', 1, 'SPX'), TS), 0);
  });

  test('a fitted expiry gives its own forward, discount, rates and SVI vol', () => {
    const s = slice('SPX', '2024-03-15', 0.2, 0.03, 0.01, 4800);
    const x = surfaceAt(surface([s]), opt('2024-03-15', 4500), 4810)!;
    assert.deepEqual([x.forward, x.discount, x.r, x.q, x.ts], [s.forward, s.discount, 0.03, 0.01, TS]);
    near(x.iv!, 0.2, 1e-15, 'iv');
  });

  test('between expiries: total variance linear in T at fixed moneyness, rates linear in T; flat vol outside', () => {
    const a = slice('SPX', '2024-02-16', 0.15, 0.03, 0.01, 4800);
    const b = slice('SPX', '2024-06-21', 0.25, 0.04, 0.02, 4800);
    const ins = opt('2024-03-15', 4800);
    const T = yearsToExpiry(ins, TS);
    const x = surfaceAt(surface([a, b]), ins, 4800)!;
    const w = (T - a.T) / (b.T - a.T);
    near(x.r, 0.03 + w * 0.01, 1e-15, 'r');
    near(x.q, 0.01 + w * 0.01, 1e-15, 'q');
    near(x.iv! ** 2 * T, 0.15 ** 2 * a.T + w * (0.25 ** 2 * b.T - 0.15 ** 2 * a.T), 1e-15, 'total variance');
    near(x.forward!, 4800 * Math.exp((x.r - x.q) * T), 1e-9, 'forward');
    near(surfaceAt(surface([a, b]), opt('2024-01-19', 4800), 4800)!.iv!, 0.15, 1e-15, 'before the first');
    near(surfaceAt(surface([a, b]), opt('2024-12-20', 4800), 4800)!.iv!, 0.25, 1e-15, 'after the last');
    const fut = surfaceAt(surface([a, b]), { kind: 'future', underlying: 'SPX', expiry: '2024-03-15' }, 4800)!;
    assert.equal(fut.iv, null);
    near(fut.r, x.r, 1e-15, 'future r');
  });

  test('an empty surface says nothing', () => {
    assert.equal(surfaceAt(surface([]), opt('2024-03-15', 4800), 4800), null);
  });
});
