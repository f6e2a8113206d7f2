import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isReject, type Candidate, type ParseOutcome } from './candidate.ts';
import { parseCboeChain, indexSymbolFromName } from './parse-cboe-chain.ts';
import type { Reject } from './reject.ts';
import { zonedToEpochMicros } from './time.ts';

// Chains built here in the test, in the layout of a CBOE export (not copied from any file).
const HEADER =
  'Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest';
const ROW1 = 'Fri Mar 15 2024,SPX240315C05000000,12.5,0.5,12.1,12.9,40,0.15,0.3,0.001,1000,5000.00,SPX240315P05000000,0,0,80.2,81.4,3,0.16,-0.7,0.001,250';
const ROW2 = 'Mon Mar 18 2024,SPXW240318C05100000,0,0,0,0.05,0,0.2,0.01,0,7,5100.00,SPXW240318P05100000,95,1,90,92.5,1,0.18,-0.9,0,0';
const PREAMBLE = ['', 'S&P 500 INDEX,Last: 5010.25,Change:  -3.5', '"Date: March 8, 2024 at 4:30 PM EST",Bid: 5000,Ask: 5020,Size: 1*1,Volume: 0'];
const SNAP = zonedToEpochMicros('2024-03-08', '16:30');

const all = (x: Iterable<ParseOutcome>) => [...x];
const values = (xs: ParseOutcome[]) => xs.filter((x): x is Candidate => !isReject(x)).map((c) => c.value as Record<string, unknown>);
const rejects = (xs: ParseOutcome[]) => xs.filter(isReject) as Reject[];

describe('parseCboeChain on synthetic chains', () => {
  test('a plain chain: one index tick, two option ticks per row', () => {
    const out = all(parseCboeChain([...PREAMBLE, HEADER, ROW1, ROW2].join('\n'), { src: 'chain.csv' }));
    assert.deepEqual(rejects(out), []);
    const v = values(out);
    assert.equal(v.length, 5);
    assert.deepEqual(v[0], { kind: 'index', symbol: 'SPX', price: 5010.25, ts: SNAP, src: 'chain.csv' });
    assert.deepEqual(v[1], {
      kind: 'option', root: 'SPX', underlying: 'SPX', expiry: '2024-03-15', strike: 5000, right: 'C',
      last: 12.5, bid: 12.1, ask: 12.9, volume: 40, openInterest: 1000, ts: SNAP, src: 'chain.csv',
    });
    assert.deepEqual(v[2], {
      kind: 'option', root: 'SPX', underlying: 'SPX', expiry: '2024-03-15', strike: 5000, right: 'P',
      bid: 80.2, ask: 81.4, volume: 3, openInterest: 250, ts: SNAP, src: 'chain.csv',
    });
    assert.equal(v[3].root, 'SPXW');
    assert.equal(v[3].bid, 0); // one-sided quote kept as parsed; validation decides
    assert.equal(v[4].right, 'P');
    assert.deepEqual(out.filter((x) => !isReject(x)).map((x) => x.line), [2, 5, 5, 6, 6]);
  });

  test('CRLF endings, a BOM and no blank first line give the same ticks', () => {
    const plain = values(all(parseCboeChain([...PREAMBLE, HEADER, ROW1, ROW2].join('\n'))));
    const text = '\uFEFF' + [...PREAMBLE.slice(1), HEADER, ROW1, ROW2].join('\r\n') + '\r\n';
    assert.deepEqual(values(all(parseCboeChain(text))), plain);
  });

  test('quoted cells and spaces around cells', () => {
    const q = (row: string) => row.split(',').map((c, i) => (i % 3 === 0 ? `"${c}"` : i % 3 === 1 ? `  ${c} ` : c)).join(' , ');
    const plain = values(all(parseCboeChain([...PREAMBLE, HEADER, ROW1, ROW2].join('\n'))));
    const out = all(parseCboeChain([...PREAMBLE, q(HEADER), q(ROW1), q(ROW2)].join('\n')));
    assert.deepEqual(rejects(out), []);
    assert.deepEqual(values(out), plain);
  });

  test('short rows: missing trailing columns drop those fields; a missing put symbol drops the put', () => {
    const cut = ROW1.split(',').slice(0, 17).join(','); // up to the put Ask
    const noPut = ROW2.split(',').slice(0, 12).join(',');
    const v = values(all(parseCboeChain([...PREAMBLE, HEADER, cut, noPut].join('\n'))));
    assert.equal(v.length, 4);
    assert.deepEqual([v[2].right, v[2].bid, v[2].ask, v[2].volume, v[2].openInterest], ['P', 80.2, 81.4, undefined, undefined]);
    assert.equal(v[3].right, 'C');
  });

  test('columns in another order, with bid/ask sizes (the call still comes first)', () => {
    const header = 'Strike,Puts,Bid,Ask,Bid Size,Ask Size,Expiration Date,Calls,Ask,Bid,Ask Size,Bid Size';
    const row = '5000,SPX240315P05000000,80.2,81.4,10,12,Fri Mar 15 2024,SPX240315C05000000,12.9,12.1,7,5';
    const v = values(all(parseCboeChain([...PREAMBLE, header, row].join('\n'))));
    assert.deepEqual(
      v.slice(1).map((x) => [x.right, x.bid, x.ask, x.bidSize, x.askSize, x.strike, x.expiry]),
      [
        ['C', 12.1, 12.9, 5, 7, 5000, '2024-03-15'],
        ['P', 80.2, 81.4, 10, 12, 5000, '2024-03-15'],
      ],
    );
  });

  test('empty expiry and strike cells fall back to the OSI symbol', () => {
    const row = ROW1.replace('Fri Mar 15 2024', '').replace('5000.00', '');
    const v = values(all(parseCboeChain([...PREAMBLE, HEADER, row].join('\n'))));
    assert.deepEqual([v[1].expiry, v[1].strike, v[2].strike], ['2024-03-15', 5000, 5000]);
  });

  test('an unreadable date line: caller time, then fallbackDate, then the date in the path, else rejects', () => {
    const lines = ['', 'S&P 500 INDEX,Last: 5010.25', 'Date: 8 марта 2024 г. в 16:30 GMT-5,Bid: 1', HEADER, ROW1];
    const close = zonedToEpochMicros('2024-03-08', '16:15');
    const ts = (xs: ParseOutcome[]) => values(xs).map((x) => x.ts);
    assert.deepEqual(ts(all(parseCboeChain(lines.join('\n'), { src: 'data/2024-03-08/q.csv' }))), [close, close, close]);
    assert.deepEqual(ts(all(parseCboeChain(lines.join('\n'), { src: 'q.csv', fallbackDate: '2024-03-08' }))), [close, close, close]);
    assert.deepEqual(ts(all(parseCboeChain(lines.join('\n'), { src: 'q.csv', snapshotTs: 42 }))), [42, 42, 42]);
    // An explicit snapshotTs wins over a readable date line too.
    assert.deepEqual(ts(all(parseCboeChain([...PREAMBLE, HEADER, ROW1].join('\n'), { snapshotTs: 7 }))), [7, 7, 7]);
    const none = all(parseCboeChain(lines.join('\n'), { src: 'q.csv' }));
    assert.deepEqual(rejects(none).map((r) => [r.reason, r.field, r.line]), [['schema', 'ts', 2], ['schema', 'ts', 5], ['schema', 'ts', 5]]);
    assert.match(rejects(none)[0].detail, /snapshot time unknown.*"q\.csv" has no YYYY-MM-DD/);
  });

  test('bad cells reject their side only, naming the field', () => {
    const row = ROW1.split(',');
    row[4] = 'NaN'; // call bid
    row[16] = '8l.4'; // put ask
    const out = all(parseCboeChain([...PREAMBLE, HEADER, row.join(',')].join('\n')));
    assert.deepEqual(rejects(out).map((r) => [r.reason, r.field, r.line]), [['non_finite', 'bid', 5], ['unparseable', 'ask', 5]]);
  });

  test('bad symbols, a call symbol in the Puts column, a bad expiry, unbalanced quotes', () => {
    const r = ROW1.split(',');
    const badSym = [...r.slice(0, 1), 'SPX-MAR-5000-C', ...r.slice(2)].join(',');
    const swapped = [...r.slice(0, 12), 'SPX240315C05000000', ...r.slice(13)].join(',');
    const badExp = ['Fri Mar 32 2024', ...r.slice(1)].join(',');
    const out = rejects(all(parseCboeChain([...PREAMBLE, HEADER, badSym, swapped, badExp, '"Fri Mar 15 2024,x'].join('\n'))));
    assert.deepEqual(out.map((x) => [x.reason, x.field, x.line]), [
      ['unparseable', 'root', 5],
      ['schema', 'right', 6],
      ['unparseable', 'expiry', 7],
      ['unparseable', 'expiry', 7],
      ['unparseable', '', 8],
    ]);
  });

  test('rows before any header are rejected; a header with no Calls/Puts is reported', () => {
    const out = rejects(all(parseCboeChain(['S&P 500 INDEX,Last: 1', ROW1].join('\n'), { snapshotTs: 1 })));
    assert.deepEqual(out.map((x) => [x.reason, x.line]), [['unparseable', 2]]);
  });

  test('asynchronous lines give the same outcomes as a string', async () => {
    const lines = [...PREAMBLE, HEADER, ROW1, ROW2];
    async function* gen() {
      for (const l of lines) yield l;
    }
    const got: ParseOutcome[] = [];
    for await (const o of parseCboeChain(gen(), { src: 's' })) got.push(o);
    assert.deepEqual(got, all(parseCboeChain(lines.join('\n'), { src: 's' })));
  });

  test('index names', () => {
    assert.equal(indexSymbolFromName('S&P 500 INDEX'), 'SPX');
    assert.equal(indexSymbolFromName('Standard & Poors 500 Index'), 'SPX');
    assert.equal(indexSymbolFromName('CBOE Volatility Index VIX'), 'VIX');
    assert.equal(indexSymbolFromName('Nikkei'), 'NIKKEI');
  });
});
