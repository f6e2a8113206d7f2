/**
 * Numbers from text, strictly: `Number()` reads '' as 0, ' 0x1A ' as 26 and 'abc' as NaN, and
 * a tick parser must not. A cell is a decimal number, optionally signed and with an exponent,
 * or it is refused with the reason a reject should carry.
 */

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** Why a cell is not a number. */
export interface BadNumber {
  bad: 'non_finite' | 'unparseable';
}

const NON_FINITE_CELL: BadNumber = { bad: 'non_finite' };
const UNPARSEABLE_CELL: BadNumber = { bad: 'unparseable' };

/** A trimmed cell as a finite number; undefined for an empty cell; a `BadNumber` otherwise. */
export function strictNumber(cell: string): number | undefined | BadNumber {
  if (cell.length === 0) return undefined;
  if (!DECIMAL.test(cell)) return NON_FINITE.test(cell) ? NON_FINITE_CELL : UNPARSEABLE_CELL;
  const x = Number(cell);
  return Number.isFinite(x) ? x : NON_FINITE_CELL; // 1e999 overflows to Infinity
}

/** Tells a refused cell from a number or an empty cell. */
export const isBadNumber = (x: number | undefined | BadNumber): x is BadNumber => typeof x === 'object';
