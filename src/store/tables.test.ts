import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_TOPICS, TOPICS } from '../bus/topics.ts';
import { tableOf, toRow, typedColumns } from './tables.ts';

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
