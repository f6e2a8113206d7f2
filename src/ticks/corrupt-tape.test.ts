// A tape with corrupt lines: exactly those lines are rejected, with the right reasons, and the
// rest is accepted. Also: random garbage never throws and always yields a reject.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { countOutcomes } from './count-outcomes.ts';
import { parseCsv } from './parse-csv.ts';
import { parseFile } from './parse-file.ts';
import { parseNdjson } from './parse-ndjson.ts';
import { REJECT_REASONS, type Reject } from './reject.ts';
import { zonedToEpochMicros } from './time.ts';
import { isAccepted, TickValidator, type Accepted } from './validate.ts';

const dir = mkdtempSync(join(tmpdir(), 'volrisk-tape-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const T = zonedToEpochMicros('2024-01-05', '10:00');
const s = (ms: number) => T + ms * 1000;
const j = (o: object) => JSON.stringify(o);
const spx = (seq: number, ms: number, price = 4700 + seq) => j({ kind: 'index', symbol: 'SPX', price, ts: s(ms), sseq: seq });
const call = (seq: number, ms: number, o: object = {}) =>
  j({ kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: '2024-01-19', strike: 4700, right: 'C', bid: 50, ask: 51, ts: s(ms), sseq: seq, ...o });

// [line text, expected reason or 'ok', expected field]
const TAPE: Array<[string, string, string?]> = [
  [spx(1, 0), 'ok'],
  [call(2, 10), 'ok'],
  ['{"kind":"index","symbol":"SPX",', 'unparseable', ''],
  [call(3, 20, { bid: 52, ask: 51 }), 'crossed', 'bid'],
  [call(4, 30, { askSize: -5 }), 'negative_size', 'askSize'],
  ['{"kind":"index","symbol":"SPX","price":NaN,"ts":1}', 'unparseable', ''],
  [j({ kind: 'index', symbol: 'DAX', price: 16000, ts: s(40), sseq: 5 }), 'unknown_symbol', 'symbol'],
  [call(6, 50, { strike: 0 }), 'bad_strike', 'strike'],
  [call(7, 60, { expiry: '2024-01-04' }), 'expired', 'expiry'],
  [j({ kind: 'future', root: 'VX', month: '2024-01', expiry: '2024-01-17', bid: 13.1, ask: 13.15, ts: s(70), sseq: 8 }), 'ok'],
  [spx(9, -5000), 'time_backwards', 'ts'],
  [spx(2, 80), 'duplicate', 'sseq'],
  [j({ kind: 'index', symbol: 'VIX', price: 13.2, ts: s(90), sseq: 10, pad: 'x'.repeat(5000) }), 'oversize', ''],
  ['', 'blank'],
  [call(11, 100, { bid: 0, ask: 0.05 }), 'ok'],
  ['[1,2,3]', 'schema', ''],
  [j({ kind: 'index', symbol: 'SPX', price: -1, ts: s(110), sseq: 12 }), 'non_positive', 'price'],
  [spx(13, 120), 'ok'],
];

describe('a tape with corrupt lines', () => {
  test('rejects exactly those lines with their reasons and accepts the rest (file, CRLF, BOM)', async () => {
    const path = join(dir, 'tape.ndjson');
    writeFileSync(path, '\uFEFF' + TAPE.map(([l]) => l).join('\r\n') + '\r\n');
    const v = new TickValidator({ maxLineBytes: 4096, timeToleranceMicros: 1_000_000 });
    const out: Array<Accepted | Reject> = [];
    for await (const o of parseFile(path, { maxLineBytes: 4096 })) out.push(v.check(o));
    const expected = TAPE.map(([, want, field], i) => ({ line: i + 1, want, field })).filter((x) => x.want !== 'blank');
    assert.equal(out.length, expected.length);
    const rejected = out.filter((x): x is Reject => !isAccepted(x));
    assert.deepEqual(
      rejected.map((r) => [r.line, r.reason, r.field]),
      expected.filter((x) => x.want !== 'ok').map((x) => [x.line, x.want, x.field]),
    );
    const accepted = out.filter(isAccepted);
    assert.deepEqual(accepted.map((t) => t.sseq), [1, 2, 8, 11, 13]);
    assert.ok(rejected.every((r) => r.src === path && Number.isFinite(r.ts)));
    assert.ok(rejected.find((r) => r.reason === 'oversize')!.raw.length <= 1025);
  });

  test('the same tape as CSV rejects the same kinds of fault', async () => {
    const csv = [
      'kind,symbol,root,underlying,expiry,strike,right,bid,ask,askSize,price,ts,sseq',
      `index,SPX,,,,,,,,,4700,${s(0)},1`,
      `option,,SPXW,SPX,2024-01-19,4700,C,50,51,,,${s(10)},2`,
      `option,,SPXW,SPX,2024-01-19,4700,C,NaN,51,,,${s(20)},3`,
      `option,,SPXW,SPX,2024-01-19,4700,C,50,5l,,,${s(30)},4`,
      `option,,SPXW,SPX,2024-01-19,4700,C,52,51,,,${s(40)},5`,
      `option,,SPXW,SPX,2024-01-19,4700,C,50,51,-2,,${s(50)},6`,
      `index,SPX,,,,,,,,,4701,2024-01-05T15:00:00.000Z,7`,
      `index,SPX,,,,,,,,,4701,2024-01-05 10:00,8`,
      `index,SPX,,,,,,,,,4701,${s(60)}`,
    ].join('\n');
    const v = new TickValidator();
    const out = [...parseCsv(csv, { src: 'x.csv' })].map((o) => v.check(o));
    assert.deepEqual(
      out.map((r) => (isAccepted(r) ? 'ok' : `${r.reason}:${r.field}`)),
      ['ok', 'ok', 'non_finite:bid', 'unparseable:ask', 'crossed:bid', 'negative_size:askSize', 'ok', 'unparseable:ts', 'unparseable:'],
    );
    assert.equal((out[6] as Accepted).ts, zonedToEpochMicros('2024-01-05', '10:00'));
    assert.deepEqual(await countOutcomes(out), {
      accepted: 3,
      rejected: 6,
      byReason: { non_finite: 1, unparseable: 3, crossed: 1, negative_size: 1 },
    });
  });
});

describe('garbage never stops the parsers', () => {
  const reasons = new Set<string>(REJECT_REASONS);
  const line = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 120 }),
    fc.json({ maxDepth: 3 }),
    fc.jsonValue({ maxDepth: 2 }).map((x) => JSON.stringify({ kind: 'option', v: x })),
    fc.record({ kind: fc.constantFrom('index', 'option', 'future', 'bond'), price: fc.double(), ts: fc.double(), symbol: fc.string() }).map(j),
  );
  const nonBlank = (l: string) => l.replace(/[\r\n]/g, ' ').trim().length > 0;

  test('NDJSON: each non-blank garbage line gives one outcome; invalid ones a reject with a known reason', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const clean = lines.map((l) => l.replace(/[\r\n]/g, ' ')).filter(nonBlank);
        const v = new TickValidator({ maxLineBytes: 200 });
        const out = [...parseNdjson(clean.join('\n'), { maxLineBytes: 200 })].map((o) => v.check(o));
        assert.equal(out.length, clean.length);
        for (const r of out) if (!isAccepted(r)) assert.ok(reasons.has(r.reason) && typeof r.detail === 'string' && Number.isFinite(r.ts));
      }),
      { numRuns: 300 },
    );
  });

  test('CSV, CBOE chain and index history parsers never throw on garbage', async () => {
    const { parseCboeChain } = await import('./parse-cboe-chain.ts');
    const { parseIndexHistory } = await import('./parse-index-history.ts');
    fc.assert(
      fc.property(fc.array(fc.oneof(line, fc.array(fc.string({ maxLength: 12 }), { maxLength: 25 }).map((c) => c.join(','))), { maxLength: 15 }), (lines) => {
        const text = lines.join('\n');
        const v = new TickValidator();
        for (const p of [parseCsv(text), parseCboeChain(text, { snapshotTs: 1 }), parseIndexHistory(text)]) {
          for (const o of p) {
            const r = v.check(o);
            if (!isAccepted(r)) assert.ok(reasons.has(r.reason));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
