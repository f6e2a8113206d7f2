/**
 * Validation of positions with errors that name the position and the field, e.g.
 * `positions[2] (id "spx-put-4500"): instrument.strike: must be > 0, got -5`. The instrument is
 * checked against the schema its `kind` selects, so a bad option field is reported as such and
 * not as "no member of the union matched".
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { BOOK_KEY, DEFAULT_METHOD, FutureInstrument, OptionInstrument, PositionInput, type Position } from './schema.ts';

const optionCheck = TypeCompiler.Compile(OptionInstrument);
const futureCheck = TypeCompiler.Compile(FutureInstrument);
const inputCheck = TypeCompiler.Compile(PositionInput);
const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

function field(path: string, prefix = ''): string {
  const f = path.replace(/^\//, '').replaceAll('/', '.');
  return prefix + f || '(root)';
}

function firstError(check: { Errors(x: unknown): Iterable<{ path: string; message: string; value: unknown }> }, x: unknown, prefix: string): string | undefined {
  for (const e of check.Errors(x)) {
    const got = e.value === undefined ? 'missing' : `got ${JSON.stringify(e.value)}`;
    return `${field(e.path, prefix)}: ${e.message.toLowerCase()} (${got})`;
  }
  return undefined;
}

/** Why a position input (without id) is invalid, or undefined when it is valid. */
export function positionInputError(x: unknown, methods?: readonly string[]): string | undefined {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return 'must be an object {id, instrument, quantity, hedge?, method?, opened?}';
  const o = x as Record<string, unknown>;
  const ins = o.instrument;
  if (ins === null || typeof ins !== 'object' || Array.isArray(ins)) return `instrument: must be an object with kind "option" or "future" (${ins === undefined ? 'missing' : `got ${JSON.stringify(ins)}`})`;
  const kind = (ins as Record<string, unknown>).kind;
  if (kind === 'option') {
    const e = firstError(optionCheck, ins, 'instrument.');
    if (e) return e;
  } else if (kind === 'future') {
    const e = firstError(futureCheck, ins, 'instrument.');
    if (e) return e;
  } else {
    return `instrument.kind: must be "option" or "future" (${kind === undefined ? 'missing' : `got ${JSON.stringify(kind)}`})`;
  }
  const e = firstError(inputCheck, x, '');
  if (e) return e;
  if (!Number.isFinite(o.quantity as number)) return `quantity: must be a finite number (got ${JSON.stringify(o.quantity)})`;
  if (o.hedge !== undefined && !Number.isFinite(o.hedge as number)) return `hedge: must be a finite number (got ${JSON.stringify(o.hedge)})`;
  if (o.opened !== undefined) {
    const opened = o.opened as string;
    if (!Number.isFinite(Date.parse(opened))) return `opened: not a valid date or instant (got ${JSON.stringify(opened)})`;
    const expiry = (ins as { expiry: string }).expiry;
    if (new Date(Date.parse(opened)).toISOString().slice(0, 10) > expiry) return `opened: ${opened} is after the instrument's expiry ${expiry}`;
  }
  const method = (o.method as string | undefined) ?? DEFAULT_METHOD;
  if (methods && !methods.includes(method)) return `method: unknown hedge method "${method}" (known: ${methods.join(', ')})`;
  return undefined;
}

/** Why a position (with id) is invalid, or undefined. */
export function positionError(x: unknown, methods?: readonly string[]): string | undefined {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return 'must be an object {id, instrument, quantity, hedge?, method?, opened?}';
  const { id, ...rest } = x as Record<string, unknown>;
  const idError = idProblem(id);
  if (idError) return idError;
  return positionInputError(rest, methods);
}

/** Why a position id is invalid, or undefined. */
export function idProblem(id: unknown): string | undefined {
  if (typeof id !== 'string' || id.length === 0 || id.length > 64 || !ID.test(id)) {
    return `id: must be 1-64 characters of letters, digits, _ . : - starting with a letter or digit (got ${JSON.stringify(id)})`;
  }
  if (id === BOOK_KEY) return `id: "${BOOK_KEY}" is reserved for the book's aggregate`;
  return undefined;
}

/** Throws a RangeError naming `where`, the position and the field when a list of positions is invalid (ids unique). */
export function checkPositions(list: unknown, where: string, methods?: readonly string[]): Position[] {
  if (!Array.isArray(list)) throw new RangeError(`${where}: positions must be a list`);
  const seen = new Set<string>();
  list.forEach((p, i) => {
    const id = p && typeof p === 'object' ? (p as { id?: unknown }).id : undefined;
    const label = `${where}: positions[${i}]${typeof id === 'string' ? ` (id "${id}")` : ''}`;
    const e = positionError(p, methods);
    if (e) throw new RangeError(`${label}: ${e}`);
    if (seen.has(id as string)) throw new RangeError(`${label}: id: duplicate id "${id as string}"`);
    seen.add(id as string);
  });
  return list as Position[];
}
