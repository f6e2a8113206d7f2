/**
 * What a replay reads: tick files (every format src/tape/file-source.ts reads) or a run's ticks
 * stored in ClickHouse between two times. A spec is plain JSON, so the CLI, the REST API and a
 * checkpoint describe a tape the same way; a restart must name the same tape as its checkpoint.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Store } from '../store/client.ts';
import { fileOutcomes } from '../tape/file-source.ts';
import { fileFormat } from '../ticks/parse-file.ts';
import type { ParseOutcome } from '../ticks/candidate.ts';
import { TICK_FORMATS, type TickFormat } from '../ticks/detect-format.ts';
import { countStoreTape, storeTape } from './store-tape.ts';

export type TapeSpec =
  | { kind: 'files'; files: string[]; format?: TickFormat; order?: 'files' | 'time' }
  | { kind: 'store'; run: string; from: number; to: number };

/** A run id: what VOLRISK_RUN allows. */
export const RUN_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Throws, naming the field, unless `run` is a valid run id. */
export function checkRunId(run: string, what = 'run'): string {
  if (!RUN_ID.test(run)) throw new Error(`${what}: "${run}" is not a run id (1-64 of A-Z a-z 0-9 _ . : -)`);
  return run;
}

/** Checks a spec and makes file paths absolute; throws naming what is wrong. */
export async function normaliseTape(spec: TapeSpec): Promise<TapeSpec> {
  if (spec.kind === 'files') {
    if (!Array.isArray(spec.files) || spec.files.length === 0) throw new Error('tape: no files given');
    if (spec.format !== undefined && !TICK_FORMATS.includes(spec.format)) throw new Error(`tape format: "${spec.format}" is none of ${TICK_FORMATS.join(', ')}`);
    const files = spec.files.map((f) => resolve(f));
    for (const f of files) {
      const s = await stat(f).catch(() => undefined);
      if (!s?.isFile()) throw new Error(`tape file ${f}: not a readable file`);
    }
    return { kind: 'files', files, ...(spec.format ? { format: spec.format } : {}), ...(spec.order ? { order: spec.order } : {}) };
  }
  if (spec.kind === 'store') {
    checkRunId(spec.run, 'tape run');
    if (!Number.isSafeInteger(spec.from) || !Number.isSafeInteger(spec.to) || spec.to <= spec.from)
      throw new Error(`tape range: from (${spec.from}) and to (${spec.to}) must be epoch microseconds with from < to`);
    return { kind: 'store', run: spec.run, from: spec.from, to: spec.to };
  }
  throw new Error(`tape: kind must be "files" or "store", got ${JSON.stringify((spec as { kind?: unknown }).kind)}`);
}

/** Parses a time given as epoch microseconds, or as an ISO date/time (UTC unless it has an offset). */
export function parseTime(text: string, what: string): number {
  const t = text.trim();
  if (/^-?\d+$/.test(t)) return Number(t);
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(t) ? t : `${t}Z`);
  if (!Number.isFinite(ms)) throw new Error(`${what}: "${text}" is neither epoch microseconds nor an ISO date/time`);
  return ms * 1000;
}

/** The tape's items. */
export function openTape(spec: TapeSpec, store: Store, maxLineBytes?: number): AsyncIterable<ParseOutcome> {
  if (spec.kind === 'files') return fileOutcomes(spec.files, { format: spec.format, order: spec.order, maxLineBytes });
  return storeTape(store, spec);
}

async function countLines(path: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(path)) {
    const b = chunk as Buffer;
    for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  }
  return n;
}

/** About how many items the tape holds (lines of the files, two options a line in a CBOE chain; rows of the range), for progress. */
export async function tapeSize(spec: TapeSpec, store: Store): Promise<number | undefined> {
  if (spec.kind === 'store') return countStoreTape(store, spec);
  let n = 0;
  for (const f of spec.files) n += (await countLines(f)) * ((await fileFormat(f, spec.format)) === 'cboe-chain' ? 2 : 1);
  return n;
}
