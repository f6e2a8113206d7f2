import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { isReject, type Candidate, type ParseOutcome } from './candidate.ts';
import { detectFormat } from './detect-format.ts';
import { tickKey } from './key.ts';
import { parseFile } from './parse-file.ts';
import { parseIndexHistory, symbolFromFileName } from './parse-index-history.ts';
import { REAL_DATA_DIR, skipWithoutRealData } from './real-data.ts';
import type { Reject } from './reject.ts';
import type { IndexTick } from './schema.ts';
import { zonedToEpochMicros } from './time.ts';
import { isAccepted, TickValidator } from './validate.ts';

const vals = (xs: Iterable<ParseOutcome>) => [...xs].map((x) => (isReject(x) ? `${(x as Reject).reason}:${x.field}` : (x as Candidate).value));

describe('parseIndexHistory', () => {
  test('OHLC with US dates, close-only, Yahoo with zero opens', () => {
    const close = (d: string) => zonedToEpochMicros(d, '16:15');
    assert.deepEqual(vals(parseIndexHistory('DATE,OPEN,HIGH,LOW,CLOSE\n09/18/2009,25.91,26.66,25.91,26.54\r\n', { src: 'VIX3M_History.csv' })), [
      { kind: 'index', symbol: 'VIX3M', price: 26.54, open: 25.91, high: 26.66, low: 25.91, ts: close('2009-09-18'), src: 'VIX3M_History.csv' },
    ]);
    assert.deepEqual(vals(parseIndexHistory('DATE,VVIX\n03/06/2006,71.73\n03/07/2006,\n3/8/2006,x', { src: 'a/VVIX_History.csv' })), [
      { kind: 'index', symbol: 'VVIX', price: 71.73, ts: close('2006-03-06'), src: 'a/VVIX_History.csv' },
      'schema:price',
      'unparseable:price',
    ]);
    const yahoo = 'Date,Open,High,Low,Close,Adj Close,Volume\n1962-01-02,0.0,71.96,70.71,70.96,70.96,3120000\n1982-04-20,116.7,0,0,115.44,115.44,1';
    assert.deepEqual(vals(parseIndexHistory(yahoo, { src: 'spx-daily.csv' })), [
      { kind: 'index', symbol: 'SPX', price: 70.96, high: 71.96, low: 70.71, ts: close('1962-01-02'), src: 'spx-daily.csv' },
      { kind: 'index', symbol: 'SPX', price: 115.44, open: 116.7, ts: close('1982-04-20'), src: 'spx-daily.csv' },
    ]);
  });
  test('symbols: the caller, the file name, the value column', () => {
    assert.equal(symbolFromFileName('/d/VIX9D_History.csv'), 'VIX9D');
    assert.equal(symbolFromFileName('vix-daily.csv'), 'VIX');
    const sym = (src: string, text: string, symbol?: string) => ((vals(parseIndexHistory(text, { src, symbol }))[0] as IndexTick).symbol);
    assert.equal(sym('x.csv', 'DATE,CLOSE\n2024-01-02,1', 'SKEW'), 'SKEW');
    assert.equal(sym('mystery.dat', 'DATE,SKEW\n2024-01-02,1'), 'SKEW');
    assert.deepEqual(vals(parseIndexHistory('DATE,CLOSE\n2024-13-02,1')), ['unparseable:ts']);
    assert.deepEqual(vals(parseIndexHistory('WHEN,CLOSE\n2024-01-02,1')), ['unparseable:', 'unparseable:']);
  });
});

describe('detectFormat', () => {
  test('by content first, then by name', () => {
    assert.equal(detectFormat('t.txt', ['{"kind":"index"}']), 'ndjson');
    assert.equal(detectFormat('t.jsonl', []), 'ndjson');
    assert.equal(detectFormat('q.csv', ['', 'S&P 500 INDEX,Last: 1,Change: 0', 'Date: x', 'Expiration Date,Calls,Bid,Strike,Puts,Bid']), 'cboe-chain');
    assert.equal(detectFormat('q.csv', ['\uFEFF"Expiration Date","Calls",Strike,"Puts"']), 'cboe-chain');
    assert.equal(detectFormat('t.csv', ['kind,symbol,price,ts']), 'csv');
    assert.equal(detectFormat('t.csv', ['root,expiry,strike,right,bid,ask,ts']), 'csv');
    assert.equal(detectFormat('VIX_History.csv', ['DATE,OPEN,HIGH,LOW,CLOSE']), 'index-history');
    assert.equal(detectFormat('x.csv', ['DATE,VVIX']), 'index-history');
    assert.equal(detectFormat('x.csv', [',DATE,VIX9D,VIX,VIX3M']), undefined);
    assert.equal(detectFormat('x.bin', ['hello']), undefined);
  });
});

describe('tickKey', () => {
  test('index symbol, futures root:month, option root:expiry', () => {
    assert.equal(tickKey({ kind: 'index', symbol: 'VIX', price: 1, ts: 0 }), 'VIX');
    assert.equal(tickKey({ kind: 'future', root: 'VX', month: '2027-01', expiry: '2027-01-20', ts: 0 }), 'VX:2027-01');
    assert.equal(tickKey({ kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: '2024-01-19', strike: 1, right: 'C', bid: 0, ask: 1, ts: 0 }), 'SPXW:2024-01-19');
  });
});

const HISTORIES: Array<[string, string]> = [
  ['vix/vix-daily.csv', 'VIX'],
  ['vol-indices/VVIX_History.csv', 'VVIX'],
  ['vol-indices/VIX3M_History.csv', 'VIX3M'],
  ['vol-indices/VIX9D_History.csv', 'VIX9D'],
  ['vol-indices/SKEW_History.csv', 'SKEW'],
  ['spx/spx-daily.csv', 'SPX'],
];

describe('real index histories', () => {
  for (const [rel, symbol] of HISTORIES) {
    test(`${rel}: one accepted ${symbol} print per data row, in time order`, { skip: skipWithoutRealData(rel) }, async (t) => {
      const path = join(REAL_DATA_DIR, rel);
      const rows = readFileSync(path, 'utf8').split('\n').filter((l) => /^\d/.test(l.trim()));
      const v = new TickValidator({ timeToleranceMicros: 0 });
      const ticks: IndexTick[] = [];
      for await (const o of parseFile(path)) {
        const r = v.check(o);
        assert.ok(isAccepted(r), JSON.stringify(r));
        ticks.push(r as IndexTick);
      }
      t.diagnostic(`${ticks.length} accepted`);
      assert.equal(ticks.length, rows.length);
      assert.ok(ticks.every((x) => x.symbol === symbol));
      const last = rows[rows.length - 1].trim().split(',');
      assert.equal(ticks[ticks.length - 1].price, Number(last[symbol === 'SPX' ? 4 : last.length - 1]));
      if (symbol === 'SPX') {
        // README: Open = 0 from 1962-01-02 to 1982-04-19 means missing.
        const d = (x: IndexTick) => new Date(x.ts / 1000).toISOString().slice(0, 10);
        const noOpen = ticks.filter((x) => x.open === undefined);
        assert.equal(d(noOpen[0]), '1962-01-02');
        assert.equal(d(noOpen[noOpen.length - 1]), '1982-04-19');
      }
    });
  }
});
