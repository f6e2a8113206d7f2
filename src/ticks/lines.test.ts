import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { OversizeLine, readFileLines, splitLines, type LineItem } from './lines.ts';
import { parseNdjson } from './parse-ndjson.ts';
import type { Reject } from './reject.ts';

const dir = mkdtempSync(join(tmpdir(), 'volrisk-lines-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function collect(it: AsyncIterable<LineItem>): Promise<LineItem[]> {
  const out: LineItem[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('lines', () => {
  test('splitLines: LF, CRLF, a last line without newline', () => {
    assert.deepEqual([...splitLines('a\r\nb\n\nc')], ['a', 'b', '', 'c']);
    assert.deepEqual([...splitLines('a\n')], ['a']);
    assert.deepEqual([...splitLines('')], []);
  });

  test('readFileLines matches splitLines across 1 MiB chunk boundaries, multi-byte characters included', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `${i},é€😀,${'x'.repeat(i % 97)}`);
    const path = join(dir, 'big.txt');
    writeFileSync(path, lines.join('\r\n'));
    assert.deepEqual(await collect(readFileLines(path, 1000)), lines);
  });

  test('property: any text reads back as splitLines reads it (small limits force oversize paths)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 40 }), { maxLength: 30 }), async (parts) => {
        const text = parts.join('\n');
        const path = join(dir, 'p.txt');
        writeFileSync(path, text);
        const got = await collect(readFileLines(path, 1 << 20));
        assert.deepEqual(got, [...splitLines(text)]);
      }),
      { numRuns: 100 },
    );
  });

  test('an oversize line is never held whole: it comes out as OversizeLine with its length and head', async () => {
    const huge = 'y'.repeat(3 * 1024 * 1024); // spans several chunks
    const path = join(dir, 'huge.txt');
    writeFileSync(path, `a\n${huge}\nb\n${'z'.repeat(5000)}\nc`);
    const got = await collect(readFileLines(path, 4096));
    assert.equal(got.length, 5);
    assert.deepEqual([got[0], got[2], got[4]], ['a', 'b', 'c']);
    assert.ok(got[1] instanceof OversizeLine && got[1].bytes === huge.length && got[1].head.length <= 2048);
    // A 5000-byte line inside one chunk is left to the parser, which measures it.
    const out = [];
    for await (const o of parseNdjson(readFileLines(path, 4096), { maxLineBytes: 4096, src: 'h' })) out.push(o);
    assert.deepEqual(out.map((o) => [(o as Reject).reason, o.line]), [
      ['unparseable', 1],
      ['oversize', 2],
      ['unparseable', 3],
      ['oversize', 4],
      ['unparseable', 5],
    ]);
  });

  test('UTF-8 limits are in bytes', () => {
    const line = '€'.repeat(40); // 120 bytes, 40 characters
    const [r] = [...parseNdjson(line, { maxLineBytes: 100 })] as Reject[];
    assert.equal(r.reason, 'oversize');
    assert.match(r.detail, /120 bytes exceeds the limit of 100/);
  });
});
