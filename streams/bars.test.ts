import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Message } from '../src/bus/message.ts';
import type { Tick } from '../src/ticks/schema.ts';
import { bars, type Bar } from './bars.ts';

// 2024-01-05 is a Friday; New York is on EST (UTC-5), so 09:30 ET = 14:30 UTC.
const at = (hhmmss: string, date = '2024-01-05') => Date.parse(`${date}T${hhmmss}Z`) * 1000;
let seq = 0;
const px = (symbol: string, ts: number, price: number): Message<Tick> => ({
  topic: 'ticks.raw',
  key: symbol,
  seq: ++seq,
  ts,
  run: 'test',
  payload: { kind: 'index', symbol, price, ts },
});
const run = async (msgs: Message<Tick>[]) => (await lastValueFrom(from(msgs).pipe(bars(), toArray()))).map((o) => o.payload);

describe('bars', () => {
  test('1-minute OHLC from prints, closed by later event time', async () => {
    const out = await run([
      px('SPX', at('14:30:00'), 100),
      px('SPX', at('14:30:10'), 103),
      px('SPX', at('14:30:20'), 99),
      px('SPX', at('14:30:59.999'), 101),
      px('SPX', at('14:31:00'), 102),
    ]);
    const m1 = out.filter((b) => b.interval === '1m');
    assert.deepEqual(
      m1.map((b) => [b.start, b.open, b.high, b.low, b.close, b.count]),
      [
        [at('14:30:00'), 100, 103, 99, 101, 4],
        [at('14:31:00'), 102, 102, 102, 102, 1], // flushed when the input completes
      ],
    );
  });

  test('marble: a bar is emitted on the tick that passes its end, not before', () => {
    const scheduler = new TestScheduler((a, b) => assert.deepEqual(a, b));
    scheduler.run(({ cold, expectObservable }) => {
      const t0 = at('14:30:00');
      const input = cold('a-b-c-|', {
        a: px('VIX', t0, 13),
        b: px('VIX', t0 + 30_000_000, 14),
        c: px('VIX', t0 + 60_000_000, 15),
      });
      expectObservable(input.pipe(bars())).toBe('----a-(bcd|)', {
        a: { key: 'VIX:1m', ts: t0 + 60_000_000, payload: { ...barOf('VIX', '1m', t0, 60, [13, 14, 13, 14], 2) } },
        b: { key: 'VIX:1m', ts: t0 + 120_000_000, payload: barOf('VIX', '1m', t0 + 60_000_000, 60, [15, 15, 15, 15], 1) },
        c: { key: 'VIX:5m', ts: t0 + 300_000_000, payload: barOf('VIX', '5m', t0, 300, [13, 15, 13, 15], 3) },
        d: { key: 'VIX:1d', ts: at('05:00:00', '2024-01-06'), payload: dayOf('VIX', [13, 15, 13, 15], 3, Math.log(15 / 13) ** 2, 1) },
      });
    });
  });

  test('realized variance is the sum of squared 5-minute log returns of the day', async () => {
    const closes = [4700, 4710, 4690, 4705, 4720];
    const msgs = closes.map((c, i) => px('SPX', at('14:30:00') + i * 300_000_000 + 1, c));
    msgs.push(px('SPX', at('14:30:00', '2024-01-08'), 4730)); // next trading day closes Friday's bar
    const out = await run(msgs);
    const day = out.find((b) => b.interval === '1d' && b.date === '2024-01-05')!;
    // The first return runs from the day's open to the first 5-minute close; here both are 4700.
    let expected = 0;
    for (let i = 1; i < closes.length; i++) expected += Math.log(closes[i] / closes[i - 1]) ** 2;
    assert.equal(day.rvReturns, closes.length);
    assert.ok(Math.abs(day.rv! - expected) < 1e-15, `rv ${day.rv} vs ${expected}`);
    assert.deepEqual([day.open, day.high, day.low, day.close], [4700, 4720, 4690, 4720]);
  });

  test('an idle symbol closes on other symbols’ event time, and days split on New York midnight', async () => {
    const out = await run([
      px('VVIX', at('20:59:00'), 80), // 15:59 ET
      px('SPX', at('21:03:00'), 4700), // 16:03 ET closes VVIX's 1m and 5m bars
      px('SPX', at('05:00:00', '2024-01-06'), 4701), // 00:00 ET Saturday closes Friday for all
    ]);
    const keys = out.map((b) => `${b.symbol}:${b.interval}:${b.date}`);
    assert.deepEqual(keys.slice(0, 2), ['VVIX:1m:2024-01-05', 'VVIX:5m:2024-01-05']);
    assert.ok(keys.indexOf('VVIX:1d:2024-01-05') < keys.indexOf('SPX:1m:2024-01-06'));
  });

  test('a session summary print (daily history) is the day bar and makes no intraday bars', async () => {
    const ts = at('21:15:00');
    const out = await run([
      { ...px('VIX', ts, 13.35), payload: { kind: 'index', symbol: 'VIX', price: 13.35, open: 14, high: 14.2, low: 13.1, ts } },
    ]);
    assert.equal(out.length, 1);
    assert.deepEqual([out[0].interval, out[0].open, out[0].high, out[0].low, out[0].close, out[0].rv], ['1d', 14, 14.2, 13.1, 13.35, null]);
  });

  test('late prints do not reopen closed bars; bar ends are strictly increasing per key', async () => {
    const out = await run([
      px('SPX', at('14:30:00'), 1),
      px('SPX', at('14:31:30'), 2),
      px('SPX', at('14:30:59'), 3), // late, within tolerance: the 14:30 bar is already closed
      px('SPX', at('14:32:00'), 4),
      px('SPX', at('14:31:59'), 5), // late: its 1m bar is closed, its 5m bar is open (counted, not the close)
    ]);
    const ends = new Map<string, number>();
    for (const b of out) {
      const k = `${b.symbol}:${b.interval}`;
      assert.ok(b.end > (ends.get(k) ?? -Infinity), `${k} out of order`);
      ends.set(k, b.end);
    }
    const m1 = out.filter((b) => b.interval === '1m');
    assert.deepEqual(m1.map((b) => [b.close, b.high]), [[1, 1], [2, 2], [4, 4]]);
    const m5 = out.find((b) => b.interval === '5m')!;
    assert.deepEqual([m5.high, m5.close, m5.count], [5, 4, 5]);
    const day = out.find((b) => b.interval === '1d')!;
    assert.equal(day.count, 5, 'the day still counts the late print');
    assert.equal(day.close, 4, 'a late print does not become the close');
  });

  test('ignores non-index ticks', async () => {
    const ts = at('14:30:00');
    const opt: Message<Tick> = {
      topic: 'ticks.raw', key: 'SPXW:2024-01-05', seq: 1, ts, run: 'test',
      payload: { kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: '2024-01-05', strike: 4700, right: 'C', bid: 1, ask: 2, ts },
    };
    assert.deepEqual(await run([opt]), []);
  });
});

function barOf(symbol: string, interval: Bar['interval'], start: number, seconds: number, ohlc: number[], count: number): Bar {
  return { symbol, interval, start, end: start + seconds * 1_000_000, date: '2024-01-05', open: ohlc[0], high: ohlc[1], low: ohlc[2], close: ohlc[3], count, rv: null, rvReturns: 0 };
}
function dayOf(symbol: string, ohlc: number[], count: number, rv: number, n: number): Bar {
  return { ...barOf(symbol, '1d', at('05:00:00'), 86_400, ohlc, count), rv, rvReturns: n };
}
