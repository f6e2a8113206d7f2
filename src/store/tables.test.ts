import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_TOPICS, TOPICS } from '../bus/topics.ts';
import { columnsOf, encodeRow, tableOf, toRow, typedColumns } from './tables.ts';

test('every topic maps to a distinct table', () => {
  const tables = ALL_TOPICS.map(tableOf);
  assert.equal(new Set(tables).size, ALL_TOPICS.length);
  assert.throws(() => tableOf('ticks.cooked'), /topic "ticks.cooked" has no table/);
});

test('a tick becomes an envelope row with its typed columns; ts is kept to the microsecond', () => {
  const { table, row } = toRow({
    run: 'live', topic: TOPICS.ticksRaw, key: 'SPXW:2024-01-19', seq: 3, ts: 1_705_000_000_000_000.75,
    payload: { kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: '2024-01-19', strike: 4700, right: 'P', bid: 10.5, ask: 10.9 },
  });
  assert.equal(table, 'ticks');
  assert.deepEqual(row, {
    run: 'live', topic: 'ticks.raw', key: 'SPXW:2024-01-19', seq: 3, ts: 1_705_000_000_000_001,
    payload: '{"kind":"option","root":"SPXW","underlying":"SPX","expiry":"2024-01-19","strike":4700,"right":"P","bid":10.5,"ask":10.9}',
    kind: 'option', symbol: 'SPXW', expiry: '2024-01-19', strike: 4700, right: 'P', price: null, bid: 10.5, ask: 10.9,
  });
  assert.deepEqual(Object.keys(row).slice(6), typedColumns('ticks'));
});

test('output topics carry only the envelope; non-object payloads are stored as JSON', () => {
  const { table, row } = toRow({ run: 'r', topic: TOPICS.variance, key: 'SPX', seq: 1, ts: 0, payload: [1, 'a'] });
  assert.equal(table, 'variance');
  assert.deepEqual(row, { run: 'r', topic: 'variance', key: 'SPX', seq: 1, ts: 0, payload: '[1,"a"]' });
  assert.deepEqual(typedColumns('variance'), []);
});

test('bad messages are refused with the message named', () => {
  const m = { run: 'r', topic: TOPICS.risk, key: 'book', seq: 1, ts: 0, payload: {} };
  assert.throws(() => toRow({ ...m, ts: NaN }), /risk\/book\/1: ts NaN is not a finite number/);
  assert.throws(() => toRow({ ...m, seq: 2 ** 60 }), /is not a safe integer/);
  assert.throws(() => toRow({ ...m, payload: undefined }), /JSON cannot hold/);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => toRow({ ...m, payload: cyclic }), /cannot be serialised as JSON/);
});

test('encodeRow writes the same row as toRow, as one TabSeparated line in columnsOf order', () => {
  const m = {
    run: 'r\t1', topic: TOPICS.ticksRaw, key: 'a\\b\nc', seq: 7, ts: 1.5,
    payload: { kind: 'index', symbol: 'SPX', price: 4700.25, ts: 1.5, src: 'x\ry\0' },
  };
  const { table, line } = encodeRow(m);
  const { row } = toRow(m);
  assert.equal(table, 'ticks');
  const unescape = (f: string) => (f === '\\N' ? null : f.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '0': '\0', '\\': '\\' })[c] ?? c));
  const fields = line.split('\t').map(unescape);
  assert.equal(fields.length, columnsOf('ticks').length);
  assert.deepEqual(
    fields,
    columnsOf('ticks').map((c) => {
      const v = (row as Record<string, unknown>)[c];
      return v === null ? null : String(v);
    }),
  );
  assert.ok(!/[\n\r\0]/.test(line), 'no raw control characters left');
});
