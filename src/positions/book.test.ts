import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PositionsBook, type BookChange } from './book.ts';
import { DEFAULT_BOOK_PATH, loadBook, parseBook } from './load.ts';
import { CLASSICAL_NAMES } from '../hedging/ratios.ts';

const call = { kind: 'option', underlying: 'SPX', strike: 4800, expiry: '2024-03-15', right: 'C' } as const;

describe('positions book file', () => {
  test('the example book loads, with the classical methods only', () => {
    const book = loadBook(DEFAULT_BOOK_PATH, { methods: CLASSICAL_NAMES });
    assert.ok(book.list().length >= 4);
    assert.ok(book.list().some((p) => p.instrument.kind === 'future'));
    assert.equal(book.version, 0);
  });

  test('JSON and YAML, a bare list or {positions}', () => {
    const yaml = parseBook(`- id: a\n  instrument: { kind: option, underlying: SPX, strike: 4800, expiry: 2024-03-15, right: C }\n  quantity: 1\n`, 'b.yaml');
    assert.equal(yaml[0].instrument.expiry, '2024-03-15');
    const json = parseBook(JSON.stringify({ positions: [{ id: 'a', instrument: call, quantity: -2, hedge: 50 }] }), 'b.json');
    assert.equal(json[0].hedge, 50);
    assert.deepEqual(parseBook('', 'empty.yaml'), []);
    const opened = parseBook(`- id: a\n  instrument: { kind: option, underlying: SPX, strike: 4800, expiry: 2024-03-15, right: C }\n  quantity: -1\n  opened: 2024-02-16T21:00:00Z\n`, 'b.yaml');
    assert.equal(opened[0].opened, '2024-02-16T21:00:00Z');
  });

  test('errors name the file, the position and the field', () => {
    const cases: Array<[string, RegExp]> = [
      [`positions:\n  - id: a\n    instrument: { kind: option, underlying: SPX, strike: -5, expiry: 2024-03-15, right: C }\n    quantity: 1\n`, /b\.yaml: positions\[0\] \(id "a"\): instrument\.strike: .*-5/],
      [`positions:\n  - id: a\n    instrument: { kind: swap }\n    quantity: 1\n`, /positions\[0\] \(id "a"\): instrument\.kind: must be "option" or "future" \(got "swap"\)/],
      [`positions:\n  - id: a\n    instrument: { kind: option, underlying: SPX, strike: 4800, expiry: 2024-03-15, right: C }\n`, /positions\[0\] \(id "a"\): quantity: .*missing/],
      [`positions:\n  - id: a\n    instrument: { kind: option, underlying: SPX, strike: 4800, expiry: 15/03/2024, right: C }\n    quantity: 1\n`, /instrument\.expiry:/],
      [`positions:\n  - id: a\n    instrument: { kind: option, underlying: SPX, strike: 4800, expiry: 2024-03-15, right: C }\n    quantity: 1\n    method: magic\n`, /method: unknown hedge method "magic" \(known: bs, heston, heston-mv, hn\)/],
      [`positions:\n  - id: book\n    instrument: { kind: future, underlying: SPX, expiry: 2024-03-15 }\n    quantity: 1\n`, /id: "book" is reserved/],
      [`positions:\n  - id: a\n    instrument: { kind: future, underlying: SPX, expiry: 2024-03-15 }\n    quantity: 1\n  - id: a\n    instrument: { kind: future, underlying: SPX, expiry: 2024-03-15 }\n    quantity: 2\n`, /positions\[1\] \(id "a"\): id: duplicate/],
      [`positions:\n  - id: a\n    instrument: { kind: future, underlying: SPX, expiry: 2024-03-15 }\n    quantity: 1\n    colour: red\n`, /positions\[0\] \(id "a"\): colour:/],
      [`positions:\n  - id: a\n    instrument: { kind: future, underlying: SPX, expiry: 2024-03-15 }\n    quantity: 1\n    opened: 2024-02-30T25:00Z\n`, /positions\[0\] \(id "a"\): opened: not a valid date or instant \(got "2024-02-30T25:00Z"\)/],
      [`positions:\n  - id: a\n    instrument: { kind: future, underlying: SPX, expiry: 2024-03-15 }\n    quantity: 1\n    opened: 03/01/2024\n`, /positions\[0\] \(id "a"\): opened: /],
      [`positions:\n  - id: a\n    instrument: { kind: future, underlying: SPX, expiry: 2024-03-15 }\n    quantity: 1\n    opened: 2024-03-16\n`, /opened: 2024-03-16 is after the instrument's expiry 2024-03-15/],
      [`positionz: []\n`, /unknown top-level field "positionz"/],
      [`positions: [\n`, /b\.yaml: not valid YAML/],
    ];
    for (const [text, re] of cases) assert.throws(() => parseBook(text, 'b.yaml', CLASSICAL_NAMES), re, text);
  });

  test('an unreadable file is named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'book-'));
    assert.throws(() => loadBook(join(dir, 'none.yaml')), /positions file .*none\.yaml: cannot read it: ENOENT/);
    writeFileSync(join(dir, 'bad.json'), '{"positions": [1]}');
    assert.throws(() => loadBook(join(dir, 'bad.json')), /bad\.json: positions\[0\]: must be an object/);
  });
});

describe('PositionsBook', () => {
  test('put, setHedge and remove bump the version, emit changes in order and replace the snapshot', () => {
    const book = new PositionsBook([], { methods: CLASSICAL_NAMES });
    const seen: BookChange[] = [];
    book.changes.subscribe((c) => seen.push(c));
    const s0 = book.snapshot();
    assert.equal(book.put('a', { instrument: call, quantity: 1 }), true);
    assert.equal(book.put('a', { instrument: call, quantity: 2 }), false);
    book.setHedge('a', -55);
    assert.equal(book.remove('a'), true);
    assert.equal(book.remove('a'), false);
    assert.deepEqual(seen.map((c) => [c.op, c.version, c.position?.quantity ?? null, c.position?.hedge ?? null]), [
      ['put', 1, 1, null], ['put', 2, 2, null], ['put', 3, 2, -55], ['delete', 4, null, null],
    ]);
    assert.equal(s0.positions.size, 0, 'an old snapshot never changes');
    assert.equal(book.snapshot().version, 4);
  });

  test('invalid changes are refused and change nothing', () => {
    const book = new PositionsBook([{ id: 'a', instrument: call, quantity: 1 }], { methods: CLASSICAL_NAMES });
    assert.throws(() => book.put('a', { instrument: { ...call, right: 'X' as 'C' }, quantity: 1 }), /position "a": instrument\.right/);
    assert.throws(() => book.put('b c', { instrument: call, quantity: 1 }), /position "b c": id:/);
    assert.throws(() => book.setHedge('zz', 1), /position "zz": no such position/);
    assert.throws(() => book.setHedge('a', NaN), /hedge: must be a finite number/);
    assert.equal(book.version, 0);
  });
});
