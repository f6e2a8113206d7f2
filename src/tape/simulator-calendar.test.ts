import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dayOf, easternToMicros, isoOf, microsToEastern, thirdFriday, vixFutureExpiry } from './simulator-calendar.ts';
import { listExpiries, strikeGrid, floorToTick, ceilToTick } from './simulator-options.ts';

test('SPX third Fridays and VIX futures expiries match CBOE calendars', () => {
  // CBOE VX final settlement dates for 2024 (CBOE VX contract specifications / expiration calendar).
  const vx2024 = ['2024-01-17', '2024-02-14', '2024-03-20', '2024-04-17', '2024-05-22', '2024-06-18', '2024-07-17', '2024-08-21', '2024-09-18', '2024-10-16', '2024-11-20', '2024-12-18'];
  // June 2024's rule date (Wednesday 2024-06-19, Juneteenth) was moved a day earlier by CBOE: holidays are not modelled.
  vx2024.forEach((iso, i) => {
    if (i !== 5) assert.equal(isoOf(vixFutureExpiry(2024, i + 1)), iso);
  });
  assert.equal(isoOf(vixFutureExpiry(2024, 6)), '2024-06-19');
  assert.equal(isoOf(thirdFriday(2024, 1)), '2024-01-19');
  assert.equal(isoOf(thirdFriday(2023, 12)), '2023-12-15');
  assert.throws(() => dayOf('2024-02-30'), /not a calendar date/);
});

test('New York time agrees with ICU over DST changes', () => {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hourCycle: 'h23', hour: '2-digit', minute: '2-digit', year: 'numeric', month: '2-digit', day: '2-digit' });
  fc.assert(
    fc.property(fc.integer({ min: dayOf('1995-01-01'), max: dayOf('2035-12-31') }), fc.integer({ min: 9 * 3600 + 1800, max: 16 * 3600 }), (day, s) => {
      const us = easternToMicros(day, s);
      const p = Object.fromEntries(fmt.formatToParts(new Date(us / 1000)).map((x) => [x.type, x.value]));
      const back = microsToEastern(us);
      return `${p.year}-${p.month}-${p.day}` === isoOf(day) && Number(p.hour) * 3600 + Number(p.minute) * 60 === s - (s % 60) && back.day === day && back.secondsOfDay === s;
    }),
    { seed: 1, numRuns: 2000 },
  );
});

test('the expiry grid: dailies, weeklies, monthlies, quarterlies out to two years', () => {
  const day = dayOf('2024-01-02');
  const ex = listExpiries(day);
  const spxw = ex.filter((e) => e.root === 'SPXW').map((e) => isoOf(e.day));
  const spx = ex.filter((e) => e.root === 'SPX').map((e) => isoOf(e.day));
  assert.ok(spxw.includes('2024-01-02') && spxw.includes('2024-01-03') && spxw.includes('2024-02-23'));
  assert.ok(!spxw.includes('2024-03-01'), 'weeklies stop at eight weeks');
  assert.ok(spxw.includes('2024-03-29') && spxw.includes('2024-12-31'), 'quarter-ends');
  assert.equal(spx[0], '2024-01-19');
  assert.equal(spx[spx.length - 1], '2025-12-19');
  for (const e of ex) assert.ok(e.day >= day);
});

test('strikes: 5 points near the money, covering 3 standard deviations', () => {
  const S = 4783;
  const T = 30 / 365;
  const w = 0.04 * T;
  const k = strikeGrid(S, w, T);
  const sd = S * Math.sqrt(w);
  assert.ok(k[0] <= S - 3 * sd + 50 && k[k.length - 1] >= S + 3 * sd - 50);
  const near = [...k].filter((x) => Math.abs(x - S) < sd / 2);
  for (let i = 1; i < near.length; i++) assert.equal(near[i] - near[i - 1], 5);
  for (let i = 1; i < k.length; i++) assert.ok(k[i] > k[i - 1] && k[i] % 5 === 0);
});

test('SPX ticks: 0.05 below 3.00, 0.10 from 3.00', () => {
  assert.equal(floorToTick(2.97), 2.95);
  assert.equal(floorToTick(3.07), 3);
  assert.equal(ceilToTick(2.97), 3);
  assert.equal(ceilToTick(3.01), 3.1);
  assert.equal(floorToTick(-1), 0);
  assert.equal(ceilToTick(0.001), 0.05);
});
