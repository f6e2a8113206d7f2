import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { SETTLEMENT_TIMES, settlementMicros } from './settlement.ts';
import { dateInPath, parseCboeExpiry, parseCboeSnapshotTime, parseDayDate, zonedDate, zonedToEpochMicros, zoneOffsetMs } from './time.ts';

const utc = (iso: string) => Date.parse(iso) * 1000;

// An independent reading of New York wall time through Intl, for round trips.
const nyFmt = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
function nyWall(micros: number): string {
  const p = Object.fromEntries(nyFmt.formatToParts(new Date(micros / 1000)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

describe('zonedToEpochMicros (America/New_York)', () => {
  // US DST rule since 2007 (Energy Policy Act of 2005): EDT (UTC-4) from 02:00 on the second
  // Sunday of March to 02:00 on the first Sunday of November, EST (UTC-5) otherwise.
  test('winter and summer offsets', () => {
    assert.equal(zonedToEpochMicros('2022-02-07', '16:00'), utc('2022-02-07T21:00:00Z'));
    assert.equal(zonedToEpochMicros('2023-08-18', '16:00'), utc('2023-08-18T20:00:00Z'));
    assert.equal(zonedToEpochMicros('2023-08-18', '09:30:15'), utc('2023-08-18T13:30:15Z'));
  });
  test('around the 2024 changes (10 March, 3 November)', () => {
    assert.equal(zonedToEpochMicros('2024-03-10', '01:59'), utc('2024-03-10T06:59:00Z'));
    assert.equal(zonedToEpochMicros('2024-03-10', '03:00'), utc('2024-03-10T07:00:00Z'));
    // 02:30 does not exist that day: read as 03:30 EDT.
    assert.equal(zonedToEpochMicros('2024-03-10', '02:30'), utc('2024-03-10T07:30:00Z'));
    // 01:30 happens twice on 3 November: the first (EDT) is taken.
    assert.equal(zonedToEpochMicros('2024-11-03', '01:30'), utc('2024-11-03T05:30:00Z'));
    assert.equal(zonedToEpochMicros('2024-11-03', '02:00'), utc('2024-11-03T07:00:00Z'));
  });
  test('before 2007 the old rule (first Sunday of April) applied', () => {
    assert.equal(zonedToEpochMicros('2006-03-20', '12:00'), utc('2006-03-20T17:00:00Z'));
    assert.equal(zonedToEpochMicros('2006-04-03', '12:00'), utc('2006-04-03T16:00:00Z'));
  });
  test('bad input names itself', () => {
    assert.throws(() => zonedToEpochMicros('2024-02-30', '10:00'), /no such date "2024-02-30"/);
    assert.throws(() => zonedToEpochMicros('2024-02-03', '25:00'), /no such time "25:00"/);
    assert.throws(() => zonedToEpochMicros('02/03/2024', '10:00'), /YYYY-MM-DD/);
  });
  test('property: the instant reads back as the same New York wall time (a spring-forward gap moves an hour on)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1950, max: 2060 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 86399 }), (y, m, d, sec) => {
        const pad = (n: number) => String(n).padStart(2, '0');
        const date = `${y}-${pad(m)}-${pad(d)}`;
        const time = `${pad(Math.floor(sec / 3600))}:${pad(Math.floor(sec / 60) % 60)}:${pad(sec % 60)}`;
        const back = nyWall(zonedToEpochMicros(date, time));
        if (back !== `${date} ${time}`) {
          assert.equal(back, `${date} ${pad(Math.floor(sec / 3600) + 1)}:${pad(Math.floor(sec / 60) % 60)}:${pad(sec % 60)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
  test('property: cached offsets equal Intl at any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1930, 0, 1) / 1000, max: Date.UTC(2060, 0, 1) / 1000 }), (s) => {
        const ms = s * 1000;
        const [date, time] = nyWall(ms * 1000).split(' ');
        const wallMs = Date.parse(`${date}T${time}Z`);
        assert.equal(zoneOffsetMs('America/New_York', ms), wallMs - ms);
      }),
      { numRuns: 2000 },
    );
  });
  test('zonedDate is the New York calendar day', () => {
    assert.equal(zonedDate(utc('2024-01-06T04:59:59Z')), '2024-01-05');
    assert.equal(zonedDate(utc('2024-01-06T05:00:00Z')), '2024-01-06');
    assert.equal(zonedDate(utc('1927-12-30T21:15:00Z')), '1927-12-30');
  });
});

describe('CBOE date spellings', () => {
  test('expiration dates', () => {
    assert.equal(parseCboeExpiry('Mon Feb 07 2022'), '2022-02-07');
    assert.equal(parseCboeExpiry(' Thu Jun 18 2026 '), '2026-06-18');
    assert.equal(parseCboeExpiry('Feb 7, 2022'), '2022-02-07');
    assert.equal(parseCboeExpiry('Mon Feb 30 2022'), undefined);
    assert.equal(parseCboeExpiry('Mon Foo 07 2022'), undefined);
    assert.equal(parseCboeExpiry('2022-02-07'), undefined);
  });
  test('snapshot lines seen in CBOE exports', () => {
    assert.equal(parseCboeSnapshotTime('"Date: February 5 2022, 8:09 PM EST",Bid: 4420.5'), utc('2022-02-06T01:09:00Z'));
    assert.equal(parseCboeSnapshotTime('"Date: August 20, 2023 at 10:42 PM EDT",Bid: 1'), utc('2023-08-21T02:42:00Z'));
    assert.equal(parseCboeSnapshotTime('"Date: January 7, 2024 at 10:52 AM EST"'), utc('2024-01-07T15:52:00Z'));
    assert.equal(parseCboeSnapshotTime('Date: October 1, 2025 at 12:06 AM EDT'), utc('2025-10-01T04:06:00Z'));
    assert.equal(parseCboeSnapshotTime('Date: October 1, 2025 at 12:06 PM EDT'), utc('2025-10-01T16:06:00Z'));
    assert.equal(parseCboeSnapshotTime('Date: 9 декабря 2023 г. в 13:49 GMT-5,Bid: 4579.7998'), undefined);
    assert.equal(parseCboeSnapshotTime('Date: February 30 2022, 8:09 PM EST'), undefined);
  });
  test('day dates and dates in paths', () => {
    assert.equal(parseDayDate('03/06/2006'), '2006-03-06');
    assert.equal(parseDayDate('1990-01-02'), '1990-01-02');
    assert.equal(parseDayDate('13/06/2006'), undefined);
    assert.equal(parseDayDate('2006-3-6'), undefined);
    assert.equal(dateInPath('/x/spx-options/2023-12-08/spx_quotedata.csv'), '2023-12-08');
    assert.equal(dateInPath('/2020-01-01/b/2023-12-08/f.csv'), '2023-12-08');
    assert.equal(dateInPath('/x/y.csv'), undefined);
  });
});

describe('settlement instants', () => {
  // CBOE: SPX monthlies settle on the opening (AM, 09:30 ET), SPXW on the close (PM, 16:00 ET);
  // CFE: VX final settlement on the morning of the final settlement date (09:00 ET here).
  test('per root', () => {
    assert.deepEqual(SETTLEMENT_TIMES, { SPX: '09:30', SPXW: '16:00', VX: '09:00' });
    assert.equal(settlementMicros('SPX', '2023-08-18'), utc('2023-08-18T13:30:00Z'));
    assert.equal(settlementMicros('SPXW', '2024-01-05'), utc('2024-01-05T21:00:00Z'));
    assert.equal(settlementMicros('VX', '2024-01-17'), utc('2024-01-17T14:00:00Z'));
    assert.equal(settlementMicros('FOO', '2024-01-17'), undefined);
    assert.equal(settlementMicros('constructor', '2024-01-17'), undefined);
  });
});
