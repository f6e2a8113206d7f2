import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, toArray } from 'rxjs';
import type { Message } from '../src/bus/message.ts';
import { createVarianceFilter, loadHnGru } from '../models/hn-gru/index.ts';
import type { Bar } from './bars.ts';
import { variance } from './variance.ts';

const weights = loadHnGru();
let seq = 0;
const bar = (symbol: string, interval: Bar['interval'], date: string, close: number, extra: Partial<Bar> = {}): Message<Bar> => {
  const end = Date.parse(`${date}T21:00:00Z`) * 1000 + seq;
  return {
    topic: 'bars', key: `${symbol}:${interval}`, seq: ++seq, ts: end, run: 't',
    payload: { symbol, interval, start: end - 1, end, date, open: close, high: close, low: close, close, count: 1, rv: null, rvReturns: 0, ...extra },
  };
};
const run = async (msgs: Message<Bar>[]) => (await lastValueFrom(from(msgs).pipe(variance(weights), toArray()))).map((o) => o.payload);

describe('variance stage', () => {
  test('each daily SPX bar is one filter step; VIX gives the VIX-implied variance and the premium', async () => {
    const days = [['2024-01-02', 4742.8], ['2024-01-03', 4704.8], ['2024-01-04', 4688.7], ['2024-01-05', 4697.2]] as const;
    const msgs = [bar('VIX', '1d', '2024-01-02', 13.2)];
    for (const [d, c] of days) msgs.push(bar('SPX', '1d', d, c, { open: c * 0.999, high: c * 1.004, low: c * 0.995, rv: 4e-5 }));
    const out = await run(msgs);
    assert.equal(out.length, 4);
    const ref = createVarianceFilter(weights, { from: 'end' });
    days.forEach(([d, c], i) => {
      const s = ref.step({ date: d, close: c, open: c * 0.999, high: c * 1.004, low: c * 0.995, rv: 4e-5 }, 13.2);
      assert.equal(out[i].kind, 'close');
      assert.equal(out[i].hn, s.hn);
      assert.equal(out[i].gru, s.gru);
      assert.deepEqual(out[i].forecasts, s.forecasts);
      assert.equal(out[i].realizedSource, i === 0 ? null : 'given', 'the bar’s 5-minute RV is used when there is one');
    });
    assert.equal(out[0].updated, false, 'the first bar only sets the previous close');
    assert.equal(out[3].vix, 13.2);
    assert.ok(Math.abs(out[3].vixVariance! - 0.132 ** 2 / 252) < 1e-15);
    assert.ok(out[3].hnAtmVol30d > 0.05 && out[3].hnAtmVol30d < 0.6, `HN ATM vol ${out[3].hnAtmVol30d}`);
  });

  test('5-minute bars give intraday nowcasts from the running realized variance, without advancing', async () => {
    const closes = [4700, 4710, 4695, 4705];
    const msgs = [bar('SPX', '1d', '2024-01-02', 4690)];
    closes.forEach((c, i) => msgs.push(bar('SPX', '5m', '2024-01-03', c, { open: i === 0 ? 4690 : closes[i - 1] })));
    msgs.push(bar('SPX', '1d', '2024-01-03', 4705, { rv: 1e-5 }));
    const out = await run(msgs);
    assert.deepEqual(out.map((o) => o.kind), ['close', 'nowcast', 'nowcast', 'nowcast', 'nowcast', 'close']);
    let rv = 0;
    let prev = 4690;
    for (const c of closes) {
      rv += Math.log(c / prev) ** 2;
      prev = c;
    }
    assert.ok(Math.abs(out[4].intradayRv! - rv) < 1e-18);
    const ref = createVarianceFilter(weights, { from: 'end' });
    ref.step({ date: '2024-01-02', close: 4690 });
    assert.equal(out[4].gru, ref.preview({ date: '2024-01-03', close: 4705, rv }).gru);
    assert.equal(out[5].hn, ref.step({ date: '2024-01-03', close: 4705, rv: 1e-5 }).hn, 'nowcasts did not advance the filter');
  });

  test('a replay of past years starts the filter from the start of the history', async () => {
    const out = await run([bar('SPX', '1d', '1962-10-26', 56.8), bar('SPX', '1d', '2008-10-09', 909.9), bar('SPX', '1d', '2008-10-10', 899.2)]);
    assert.equal(out.length, 2, 'nothing before the fitted history begins (1983)');
    assert.equal(out[0].updated, false, 'no return from the 1983 close to 2008');
    assert.ok(out[1].updated && Math.abs(out[1].logReturn! - Math.log(899.2 / 909.9)) < 1e-15);
  });
});
