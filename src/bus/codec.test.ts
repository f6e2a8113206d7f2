import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeMessage, encodeMessage } from './codec.ts';
import type { Message } from './message.ts';

const message = fc.record({
  topic: fc.stringMatching(/^[a-z.]{1,20}$/),
  key: fc.string(),
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  ts: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
  run: fc.string(),
  payload: fc.jsonValue().filter((v) => !Object.is(v, -0)),
}, { noNullPrototype: true });

test('decode(encode(m)) gives m back, and the record key is the message key', () => {
  fc.assert(
    fc.property(message, (m: Message) => {
      const rec = encodeMessage(m);
      assert.equal(rec.key, m.key);
      assert.deepEqual(decodeMessage(Buffer.from(rec.value), 'test'), m);
    }),
  );
});

test('decoding names the record and the bad field', () => {
  const ok = JSON.parse(encodeMessage({ topic: 't', key: 'k', seq: 1, ts: 5, run: 'live', payload: null }).value);
  assert.throws(() => decodeMessage(null, 'p0@7'), /p0@7: record has no value/);
  assert.throws(() => decodeMessage('{nope', 'p0@7'), /p0@7: record value is not JSON/);
  assert.throws(() => decodeMessage('[1]', 'p0@7'), /not a JSON object/);
  assert.throws(() => decodeMessage(JSON.stringify({ ...ok, seq: 0 }), 'p0@7'), /field "seq" must be an integer >= 1, got 0/);
  assert.throws(() => decodeMessage(JSON.stringify({ ...ok, ts: 'x' }), 'p0@7'), /field "ts" must be a finite number/);
  assert.throws(() => decodeMessage(JSON.stringify({ ...ok, key: 3 }), 'p0@7'), /field "key" must be a string/);
  const { payload: _p, ...noPayload } = ok;
  assert.throws(() => decodeMessage(JSON.stringify(noPayload), 'p0@7'), /field "payload" must be present/);
});
