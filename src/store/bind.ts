/**
 * Query parameter binding, one mechanism for every engine: SQL templates name their values as
 * `{name:Type}` placeholders and never contain a string literal. Each value is checked against
 * its placeholder's type here, then either handed to the engine as `query_params` (chDB and
 * servers that support them) or, for servers too old for them (ClickHouse 18.16 answers
 * "Unknown setting param_x"), rendered as a strictly quoted literal in place of the placeholder.
 * Only String, Int64 and Float64 placeholders exist; anything else is refused.
 */

/** How values reach the engine: server-side parameters, or literals rendered here. */
export type BindingMode = 'query_params' | 'literals';

/** A value for a placeholder: a string for String, an integer for Int64, a finite number for Float64. */
export type ParamValue = string | number | bigint;
export type Params = Readonly<Record<string, ParamValue>>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):([^{}]*)\}/g;
const TYPES = new Set(['String', 'Int64', 'Float64']);
// With the u flag a surrogate pair is one code point, so only a lone surrogate matches.
const LONE_SURROGATE = /\p{Surrogate}/u;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A template or a value the binder refuses. */
export class BindError extends Error {
  override name = 'BindError';
}

/** Checks one value against a placeholder type; returns it in the form both modes send. */
function checkValue(name: string, type: string, v: ParamValue | undefined): string | number | bigint {
  if (v === undefined) throw new BindError(`parameter {${name}:${type}} has no value`);
  switch (type) {
    case 'String':
      if (typeof v !== 'string') throw new BindError(`parameter ${name} must be a string for String, got ${typeof v}`);
      if (LONE_SURROGATE.test(v)) throw new BindError(`parameter ${name} holds a lone UTF-16 surrogate, which cannot be encoded`);
      return v;
    case 'Int64':
      if (typeof v === 'bigint') {
        if (v < INT64_MIN || v > INT64_MAX) throw new BindError(`parameter ${name} = ${v} is outside Int64`);
        return v;
      }
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
        throw new BindError(`parameter ${name} must be a safe integer or a bigint for Int64, got ${String(v)}`);
      }
      return v;
    case 'Float64':
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new BindError(`parameter ${name} must be a finite number for Float64, got ${String(v)}`);
      }
      return v;
    default:
      throw new BindError(`parameter {${name}:${type}} has an unsupported type (String, Int64, Float64 only)`);
  }
}

/** A ClickHouse string literal: quotes and backslashes escaped, every control byte as \xHH. */
export function quoteString(s: string): string {
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "'") out += "\\'";
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + "'";
}

/**
 * The text of a number as ClickHouse reads it: integers in plain decimal; finite floats with the
 * shortest digits that round-trip, and -0 spelt as a float so it stays negative zero.
 */
function numberText(type: string, v: number | bigint): string {
  const text = typeof v === 'bigint' ? v.toString() : Object.is(v, -0) ? '-0.0' : String(v);
  if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/.test(text)) throw new BindError(`cannot render ${type} value ${text}`);
  return text;
}

const MIN_NORMAL = 2.2250738585072014e-308;
const TWO_M537 = String(2 ** -537);

function literal(type: string, v: string | number | bigint): string {
  if (type === 'String') return quoteString(v as string);
  if (typeof v === 'number' && v !== 0 && Math.abs(v) < MIN_NORMAL) {
    // 18.16's parser refuses subnormal literals (and its toFloat64 rounds 5e-324 to 0). A
    // subnormal is m * 2^-1074 with integer m, so two exact multiplications by 2^-537 rebuild it.
    const m = v * 2 ** 537 * 2 ** 537;
    return `(${m} * ${TWO_M537} * ${TWO_M537})`;
  }
  return numberText(type, v as number | bigint);
}

export interface Bound {
  query: string;
  query_params?: Record<string, string>;
}

/**
 * Binds `params` into `sql` for `mode`. Refuses a template with a string literal, a placeholder
 * of another type, a placeholder without a value, a value without a placeholder (a typo), or a
 * value of the wrong kind — identically in both modes.
 */
export function bind(sql: string, params: Params = {}, mode: BindingMode): Bound {
  if (sql.includes("'")) throw new BindError('SQL templates may not contain string literals; pass values as {name:Type} parameters');
  const types = new Map<string, string>();
  const checked: Record<string, string | number | bigint> = {};
  for (const m of sql.matchAll(PLACEHOLDER)) {
    const [, name, type] = m;
    if (!TYPES.has(type)) throw new BindError(`parameter {${name}:${type}} has an unsupported type (String, Int64, Float64 only)`);
    const seen = types.get(name);
    if (seen !== undefined && seen !== type) throw new BindError(`parameter ${name} is used as both ${seen} and ${type}`);
    types.set(name, type);
    checked[name] = checkValue(name, type, Object.hasOwn(params, name) ? params[name] : undefined);
  }
  for (const name of Object.keys(params)) {
    if (!types.has(name)) throw new BindError(`parameter ${name} is not used by the query`);
  }
  if (types.size === 0) return { query: sql };
  if (mode === 'query_params') {
    // Numbers travel as their text: the engine parses them by the placeholder's type, and no
    // client-side number formatting (which refuses floats above 2^53) gets in between.
    const text: Record<string, string> = {};
    for (const [name, type] of types) text[name] = type === 'String' ? (checked[name] as string) : numberText(type, checked[name] as number | bigint);
    return { query: sql, query_params: text };
  }
  return { query: sql.replace(PLACEHOLDER, (_all, name: string, type: string) => literal(type, checked[name])) };
}
