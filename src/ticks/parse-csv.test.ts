import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isReject, type Candidate, type ParseOutcome } from './candidate.ts';
import { csvCells } from './csv-cells.ts';
import { parseCsv } from './parse-csv.ts';
import { parseNdjson } from './parse-ndjson.ts';
import type { Reject } from './reject.ts';
import { isBadNumber, strictNumber } from './strict-number.ts';

const vals = (xs: Iterable<ParseOutcome>) => [...xs].map((x) => (isReject(x) ? `${x.reason}:${x.field}` : (x as Candidate).value));

describe('strict numbers and CSV cells', () => {
  test('strictNumber refuses what Number() lets through', () => {
    assert.equal(strictNumber('12.5'), 12.5);
    assert.equal(strictNumber('-1e-3'), -0.001);
    assert.equal(strictNumber('.5'), 0.5);
    assert.equal(strictNumber(''), undefined);
    for (const c of ['0x1A', '1,5', '12abc', '1e', '--1', ' ', 'Infinityx']) assert.deepEqual(strictNumber(c), { bad: 'unparseable' }, c);
    for (const c of ['NaN', 'nan', 'Infinity', '-inf', '1e999']) assert.deepEqual(strictNumber(c), { bad: 'non_finite' }, c);
  });
  test('property: every finite double reads back exactly; nothing ever comes back NaN', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => assert.equal(strictNumber(String(x)), Object.is(x, -0) ? 0 : x)));
    fc.assert(fc.property(fc.string(), (s) => {
      const r = strictNumber(s);
      assert.ok(r === undefined || isBadNumber(r) || Number.isFinite(r));
    }));
  });
  test('csvCells: quotes, doubled quotes, spaces, empty cells, unbalanced quotes', () => {
    assert.deepEqual(csvCells('a, b ,,"c,d", "e ""q"" f" ,'), ['a', 'b', '', 'c,d', 'e "q" f', '']);
    assert.deepEqual(csvCells('"x"'), ['x']);
    assert.equal(csvCells('"x'), undefined);
    assert.equal(csvCells('"x"y,z'), undefined);
    assert.equal(csvCells('a"b'), undefined);
  });
});

describe('parseCsv', () => {
  test('header of tick fields, any case; typed cells; empty cells left out', () => {
    const csv = 'KIND,Symbol,price,OPEN,ts,sseq\nindex,SPX,4700.5,,1000,1\nindex,VIX,13.2,13,2000,\n';
    assert.deepEqual(vals(parseCsv(csv)), [
      { kind: 'index', symbol: 'SPX', price: 4700.5, ts: 1000, sseq: 1 },
      { kind: 'index', symbol: 'VIX', price: 13.2, open: 13, ts: 2000 },
    ]);
  });
  test('options, booleans, defaults, ISO times with microseconds', () => {
    const csv = 'root,expiry,strike,right,bid,ask,ts\nSPXW,2024-01-19,4700,P,1,1.1,2024-01-05T21:00:00.123456Z';
    assert.deepEqual(vals(parseCsv(csv, { defaults: { kind: 'option', underlying: 'SPX' } })), [
      { kind: 'option', underlying: 'SPX', root: 'SPXW', expiry: '2024-01-19', strike: 4700, right: 'P', bid: 1, ask: 1.1, ts: Date.parse('2024-01-05T21:00:00Z') * 1000 + 123456 },
    ]);
    assert.deepEqual(vals(parseCsv('kind,root,settlement\nfuture,VX,true\nfuture,VX,yes')), [
      { kind: 'future', root: 'VX', settlement: true },
      'unparseable:settlement',
    ]);
  });
  test('an unknown column is reported once, on the header line; rows of empty cells are skipped', () => {
    const out = [...parseCsv('kind,symbol,price,colour,ts\nindex,SPX,1,red,5\n,,,,\n')];
    assert.deepEqual(out.map((o) => [isReject(o) ? (o as Reject).reason : 'ok', o.line]), [['schema', 1], ['ok', 2]]);
    assert.equal((out[0] as Reject).field, 'colour');
    assert.deepEqual((out[1] as Candidate).value, { kind: 'index', symbol: 'SPX', price: 1, ts: 5 });
  });
});

describe('parseNdjson', () => {
  test('objects become candidates; anything else a reject; line numbers count blank lines', () => {
    const out = [...parseNdjson('{"a":1}\n\n  \n{bad\n"str"\nnull\n{"b":2}', { src: 'n' })];
    assert.deepEqual(out.map((o) => [isReject(o) ? (o as Reject).reason : 'ok', o.line, o.src]), [
      ['ok', 1, 'n'],
      ['unparseable', 4, 'n'],
      ['schema', 5, 'n'],
      ['schema', 6, 'n'],
      ['ok', 7, 'n'],
    ]);
    assert.equal((out[1] as Reject).raw, '{bad');
  });
});
