import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { from, lastValueFrom, toArray } from 'rxjs';
import type { Candidate, ParseOutcome } from './candidate.ts';
import { reject, type Reject } from './reject.ts';
import { zonedToEpochMicros } from './time.ts';
import { isAccepted, TickValidator, validateTicks, type Accepted, type ValidateConfig } from './validate.ts';

const T0 = zonedToEpochMicros('2024-01-05', '15:00'); // a Friday afternoon, New York
const cand = (value: Record<string, unknown>, line = 1, src = 'test'): Candidate => ({ src, line, value });
const idx = (o: Record<string, unknown> = {}) => ({ kind: 'index', symbol: 'SPX', price: 4700.5, ts: T0, ...o });
const opt = (o: Record<string, unknown> = {}) => ({
  kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: '2024-01-19', strike: 4700, right: 'C', bid: 50.1, ask: 50.6, ts: T0, ...o,
});
const fut = (o: Record<string, unknown> = {}) => ({ kind: 'future', root: 'VX', month: '2024-02', expiry: '2024-02-14', bid: 14.05, ask: 14.1, ts: T0, ...o });

async function run(items: ParseOutcome[], cfg: Partial<ValidateConfig> = {}): Promise<Array<Accepted | Reject>> {
  return lastValueFrom(from(items).pipe(validateTicks(cfg), toArray()));
}
async function verdict(value: Record<string, unknown>): Promise<string> {
  const [r] = await run([cand(value)]);
  return isAccepted(r) ? 'ok' : `${r.reason}:${r.field}`;
}

describe('validateTicks', () => {
  test('good ticks of each kind pass, typed, with src filled in', async () => {
    const out = await run([cand(idx()), cand(opt()), cand(fut()), cand(fut({ bid: undefined, ask: undefined, price: 14.2, settlement: true }))]);
    assert.ok(out.every(isAccepted));
    assert.deepEqual(out[0], { ...idx(), src: 'test' });
    assert.equal((out[1] as Accepted).src, 'test');
  });

  test('each rule rejects with its reason and field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ foo: 1 }, 'schema:kind'],
      [idx({ kind: 'bond' }), 'schema:kind'],
      [idx({ price: '4700' }), 'schema:price'],
      [idx({ extra: 1 }), 'schema:extra'],
      [opt({ right: 'X' }), 'schema:right'],
      [opt({ expiry: '2024-1-19' }), 'schema:expiry'],
      [opt({ expiry: '2024-02-30' }), 'schema:expiry'],
      [fut({ month: '2024-13' }), 'schema:month'],
      [fut({ bid: undefined, ask: undefined }), 'schema:price'],
      [idx({ price: Number.NaN }), 'non_finite:price'],
      [opt({ ask: Number.POSITIVE_INFINITY }), 'non_finite:ask'],
      [idx({ ts: Number.NaN }), 'non_finite:ts'],
      [idx({ price: 0 }), 'non_positive:price'],
      [idx({ low: -1 }), 'non_positive:low'],
      [opt({ bid: -0.05 }), 'non_positive:bid'],
      [opt({ bid: 0, ask: 0 }), 'non_positive:ask'],
      [opt({ last: 0 }), 'non_positive:last'],
      [fut({ price: -2 }), 'non_positive:price'],
      [opt({ bid: 50.7, ask: 50.6 }), 'crossed:bid'],
      [fut({ bid: 14.2, ask: 14.1 }), 'crossed:bid'],
      [opt({ bidSize: -1 }), 'negative_size:bidSize'],
      [fut({ askSize: -3 }), 'negative_size:askSize'],
      [opt({ openInterest: -1 }), 'negative_size:openInterest'],
      [idx({ symbol: 'NDX' }), 'unknown_symbol:symbol'],
      [opt({ root: 'NDXP' }), 'unknown_symbol:root'],
      [opt({ underlying: 'RUT' }), 'unknown_symbol:underlying'],
      [fut({ root: 'ES' }), 'unknown_symbol:root'],
      [opt({ strike: 0 }), 'bad_strike:strike'],
      [opt({ strike: -5 }), 'bad_strike:strike'],
      [opt({ expiry: '2024-01-04' }), 'expired:expiry'],
      [fut({ expiry: '2024-01-03' }), 'expired:expiry'],
    ];
    for (const [v, want] of cases) assert.equal(await verdict(v), want, JSON.stringify(v));
  });

  test('one-sided quotes: bid 0 means no bid and is accepted for options and futures', async () => {
    assert.equal(await verdict(opt({ bid: 0, ask: 0.05 })), 'ok');
    assert.equal(await verdict(fut({ bid: 0 })), 'ok');
    assert.equal(await verdict(fut({ bid: undefined })), 'ok');
  });

  test('expiry boundaries follow the settlement rules (SPXW 16:00 ET, SPX 09:30 ET, VX 09:00 ET)', async () => {
    const at = (time: string) => zonedToEpochMicros('2024-01-19', time);
    assert.equal(await verdict(opt({ expiry: '2024-01-19', ts: at('16:00') })), 'ok');
    assert.equal(await verdict(opt({ expiry: '2024-01-19', ts: at('16:00') + 1 })), 'expired:expiry');
    assert.equal(await verdict(opt({ root: 'SPX', expiry: '2024-01-19', ts: at('09:30') })), 'ok');
    assert.equal(await verdict(opt({ root: 'SPX', expiry: '2024-01-19', ts: at('09:31') })), 'expired:expiry');
    assert.equal(await verdict(fut({ expiry: '2024-01-19', ts: at('09:00') })), 'ok');
    assert.equal(await verdict(fut({ expiry: '2024-01-19', ts: at('09:00:01') })), 'expired:expiry');
  });

  test('time going backwards beyond the tolerance, per source', async () => {
    const out = await run(
      [
        cand(idx({ ts: 10_000_000 }), 1, 'a'),
        cand(idx({ ts: 9_500_000 }), 2, 'a'), // back 0.5 s: within 1 s
        cand(idx({ ts: 8_000_000 }), 3, 'a'), // back 2 s
        cand(idx({ ts: 1_000_000 }), 1, 'b'), // another source has its own clock
        cand(idx({ ts: 9_000_001 }), 4, 'a'), // exactly at the tolerance edge
      ],
      { timeToleranceMicros: 1_000_000 },
    );
    assert.deepEqual(out.map((r) => (isAccepted(r) ? 'ok' : `${r.reason}:${r.line}`)), ['ok', 'ok', 'time_backwards:3', 'ok', 'ok']);
    const strict = await run([cand(idx({ ts: 2 })), cand(idx({ ts: 1 }))], { timeToleranceMicros: 0 });
    assert.equal((strict[1] as Reject).reason, 'time_backwards');
  });

  test('duplicates by sseq per source, within a bounded window', async () => {
    const seqs = [1, 2, 1, 3, 2];
    const out = await run(seqs.map((s, i) => cand(idx({ sseq: s }), i + 1, 'a')).concat([cand(idx({ sseq: 1 }), 1, 'b')]));
    assert.deepEqual(out.map((r) => (isAccepted(r) ? 'ok' : r.reason)), ['ok', 'ok', 'duplicate', 'ok', 'duplicate', 'ok']);
    // Window 2: sseq 1 is forgotten once 2 and 3 came after it.
    const w = await run([1, 2, 3, 1, 3].map((s) => cand(idx({ sseq: s }))), { dedupWindow: 2 });
    assert.deepEqual(w.map((r) => (isAccepted(r) ? 'ok' : r.reason)), ['ok', 'ok', 'ok', 'ok', 'duplicate']);
    // A rejected tick does not enter the window.
    const r = await run([cand(idx({ sseq: 5, price: 0 })), cand(idx({ sseq: 5 }))]);
    assert.deepEqual(r.map((x) => (isAccepted(x) ? 'ok' : x.reason)), ['non_positive', 'ok']);
  });

  test('oversize raw lines are rejected; parser rejects pass through with their time filled in', async () => {
    const long: Candidate = { src: 'a', line: 2, value: idx(), raw: 'x'.repeat(200) };
    const parserReject = reject('unparseable', '', 'bad', { src: 'a', line: 3, raw: '{', ts: Number.NaN });
    const out = await run([cand(idx({ ts: 77 }), 1, 'a'), long, parserReject], { maxLineBytes: 100 });
    assert.equal((out[1] as Reject).reason, 'oversize');
    assert.deepEqual(out[2], { ...parserReject, ts: 77 });
  });

  test('rejects keep the line, the source and the raw input', async () => {
    const [r] = (await run([{ src: 'f.ndjson', line: 9, value: opt({ strike: 0 }), raw: 'RAW' }])) as Reject[];
    assert.deepEqual([r.src, r.line, r.raw, r.ts], ['f.ndjson', 9, 'RAW', T0]);
    assert.match(r.detail, /strike 0 must be > 0/);
    const [s] = (await run([cand(opt({ strike: 0 }))])) as Reject[];
    assert.deepEqual(JSON.parse(s.raw), opt({ strike: 0, src: 'test' }));
  });

  test('each subscription starts with fresh state', async () => {
    const op = validateTicks();
    const items = [cand(idx({ sseq: 1 }))];
    const a = await lastValueFrom(from(items).pipe(op, toArray()));
    const b = await lastValueFrom(from(items).pipe(op, toArray()));
    assert.ok(isAccepted(a[0]) && isAccepted(b[0]));
  });

  test('bad configuration is refused clearly', () => {
    assert.throws(() => new TickValidator({ dedupWindow: 0 }), /dedupWindow must be a positive integer, got 0/);
    assert.throws(() => new TickValidator({ timeToleranceMicros: -1 }), /timeToleranceMicros must be >= 0/);
    assert.doesNotThrow(() => new TickValidator({ maxLineBytes: undefined }));
  });

  test('values that are not objects never throw', async () => {
    const odd: unknown[] = [null, 3, 'x', [], [1], { kind: 'index', price: { valueOf: () => 1 } }];
    for (const v of odd) {
      const [r] = await run([{ src: 's', line: 1, value: v }]);
      assert.equal((r as Reject).reason, 'schema');
    }
  });
});
