import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bind, quoteString } from './bind.ts';

describe('quoteString', () => {
  test('escapes quotes, backslashes and control bytes, and keeps unicode as is', () => {
    assert.equal(quoteString(''), "''");
    assert.equal(quoteString("it's"), "'it\\'s'");
    assert.equal(quoteString('a\\b'), "'a\\\\b'");
    assert.equal(quoteString('\\\''), "'\\\\\\''");
    assert.equal(quoteString('a\u0000b\nc\t\u007f'), "'a\\x00b\\x0ac\\x09\\x7f'");
    assert.equal(quoteString('Привет 🙂'), "'Привет 🙂'");
  });

  test('never leaves an unescaped quote or a raw control byte (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const body = quoteString(s).slice(1, -1);
        // Drop escape pairs; what is left must hold no quote, backslash or control byte.
        const bare = body.replace(/\\(\\|'|x[0-9a-f]{2})/g, '');
        const bad = [...bare].find((ch) => ch === "'" || ch === '\\' || ch.codePointAt(0)! < 0x20 || ch === '\u007f');
        assert.equal(bad, undefined);
      }),
    );
  });
});

describe('bind', () => {
  const sql = 'SELECT * FROM t WHERE k = {k:String} AND seq > {s:Int64} AND x < {x:Float64}';

  test('passes values as text in query_params mode', () => {
    assert.deepEqual(bind(sql, { k: "a'b", s: 5, x: 0.25 }, 'query_params'), {
      query: sql,
      query_params: { k: "a'b", s: '5', x: '0.25' },
    });
    assert.deepEqual(bind('SELECT {i:Int64}', { i: -(2n ** 63n) }, 'query_params').query_params, { i: '-9223372036854775808' });
  });

  test('renders literals in literals mode', () => {
    assert.equal(
      bind(sql, { k: "a'b\\", s: -5, x: 1e-7 }, 'literals').query,
      "SELECT * FROM t WHERE k = 'a\\'b\\\\' AND seq > -5 AND x < 1e-7",
    );
    assert.equal(bind('SELECT {i:Int64}, {i:Int64}', { i: 2n ** 63n - 1n }, 'literals').query, 'SELECT 9223372036854775807, 9223372036854775807');
    assert.equal(bind('SELECT {f:Float64}', { f: -0 }, 'literals').query, 'SELECT -0.0');
    assert.equal(bind('SELECT {f:Float64}', { f: 5e-324 }, 'literals').query, `SELECT (1 * ${2 ** -537} * ${2 ** -537})`);
    assert.equal(1 * 2 ** -537 * 2 ** -537, 5e-324);
  });

  test('a value that looks like a placeholder is not substituted again', () => {
    assert.equal(bind('SELECT {a:String}, {b:String}', { a: '{b:String}', b: 'x' }, 'literals').query, "SELECT '{b:String}', 'x'");
  });

  test('a template without placeholders passes through', () => {
    assert.deepEqual(bind('SELECT 1', {}, 'query_params'), { query: 'SELECT 1' });
  });

  for (const mode of ['query_params', 'literals'] as const) {
    test(`refuses bad templates and values (${mode})`, () => {
      const bad: Array<[string, Record<string, string | number | bigint>, RegExp]> = [
        ["SELECT 'x'", {}, /may not contain string literals/],
        ['SELECT {a:UInt8}', { a: 1 }, /unsupported type/],
        ['SELECT {a:Nullable(String)}', { a: 'x' }, /unsupported type/],
        ['SELECT {a:String}', {}, /has no value/],
        ['SELECT {a:String}', { a: 'x', b: 'y' }, /b is not used/],
        ['SELECT {a:String}, {a:Int64}', { a: 'x' }, /both String and Int64/],
        ['SELECT {a:String}', { a: 1 }, /must be a string/],
        ['SELECT {a:String}', { a: 'x\ud800y' }, /lone UTF-16 surrogate/],
        ['SELECT {a:Int64}', { a: 1.5 }, /safe integer/],
        ['SELECT {a:Int64}', { a: 2 ** 53 }, /safe integer/],
        ['SELECT {a:Int64}', { a: '1' }, /safe integer/],
        ['SELECT {a:Int64}', { a: 2n ** 63n }, /outside Int64/],
        ['SELECT {a:Float64}', { a: NaN }, /finite number/],
        ['SELECT {a:Float64}', { a: Infinity }, /finite number/],
        ['SELECT {a:Float64}', { a: '0.5' }, /finite number/],
        ['SELECT {a:Float64}', { a: 1n }, /finite number/],
      ];
      for (const [tpl, params, err] of bad) assert.throws(() => bind(tpl, params, mode), err, `${tpl} ${String(Object.values(params))}`);
    });
  }
});
