/**
 * Loads a positions book file at start: JSON (`.json`) or YAML (anything else), either
 * `{ positions: [...] }` or a bare list. Every error names the file, and for a bad position its
 * index, id and field.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { PositionsBook, type BookOptions } from './book.ts';
import { checkPositions } from './validate.ts';
import type { Position } from './schema.ts';

/** The example book the engine uses when no file is configured (positions on the simulator's chain). */
export const DEFAULT_BOOK_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../data/positions.example.yaml');

/** Parses and validates a book file's text; `file` names it in errors. */
export function parseBook(text: string, file: string, methods?: readonly string[]): Position[] {
  let doc: unknown;
  try {
    doc = file.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new SyntaxError(`${file}: not valid ${file.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`, { cause: e });
  }
  if (doc === null || doc === undefined) return [];
  let list: unknown = doc;
  if (!Array.isArray(doc)) {
    if (typeof doc !== 'object') throw new RangeError(`${file}: must hold a list of positions or {positions: [...]}`);
    const extra = Object.keys(doc).filter((k) => k !== 'positions');
    if (extra.length > 0) throw new RangeError(`${file}: unknown top-level field "${extra[0]}" (expected only "positions")`);
    list = (doc as { positions?: unknown }).positions ?? [];
  }
  return checkPositions(list, file, methods);
}

/** Reads a book file into a live book. */
export function loadBook(file: string, options: BookOptions = {}): PositionsBook {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`positions file ${file}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  return new PositionsBook(parseBook(text, file, options.methods), options, file);
}
