/**
 * The fitted models as committed in weights.json: GARCH(1,1) and plain HN-GARCH in natural daily
 * units, the VI-HN-GRU's natural weight vector w in percent units (vi-gru-params.ts names), and
 * the filter states before the first data day and after the last, so the live filter starts
 * where the history ends without re-running it.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HnParams } from '../../src/quant/hn-params.ts';
import type { Garch11Params } from './garch11.ts';
import { VI_N, VI_NAMES } from './vi-gru-params.ts';
import type { ViState } from './vi-gru-cell.ts';

/** Filter states at one close. */
export interface FilterStates {
  /** Close of that day (the next return's base). */
  close: number;
  /** GARCH(1,1) variance of the next day, natural units. */
  garchS2: number;
  /** Plain HN-GARCH variance of the next day, natural units. */
  hnH: number;
  /** VI-HN-GRU state, percent units. */
  gru: ViState;
}

/** Everything weights.json holds. */
export interface HnGruWeights {
  version: 1;
  model: 'vi-hn-gru';
  seed: number;
  data: { source: string; start: string; end: string; nDays: number };
  splits: { trainEnd: string; validEnd: string };
  garch: Garch11Params;
  hn: HnParams;
  gru: { units: 'percent'; names: string[]; w: number[] };
  /** States at the close before the first data day. */
  init: FilterStates & { date: string };
  /** States after the last data day. */
  end: FilterStates & { date: string };
}

/** The committed weights file. */
export const DEFAULT_WEIGHTS_PATH = resolve(dirname(fileURLToPath(import.meta.url)), 'weights.json');

function num(o: unknown, path: string, positive = false): number {
  if (typeof o !== 'number' || !Number.isFinite(o) || (positive && !(o > 0))) {
    throw new RangeError(`weights: ${path} must be a finite${positive ? ' positive' : ''} number, got ${JSON.stringify(o)}`);
  }
  return o;
}

function obj(o: unknown, path: string): Record<string, unknown> {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new TypeError(`weights: ${path} must be an object`);
  return o as Record<string, unknown>;
}

function states(o: unknown, path: string): void {
  const s = obj(o, path);
  if (typeof s.date !== 'string') throw new TypeError(`weights: ${path}.date must be a date string`);
  num(s.close, `${path}.close`, true);
  num(s.garchS2, `${path}.garchS2`, true);
  num(s.hnH, `${path}.hnH`, true);
  const g = obj(s.gru, `${path}.gru`);
  num(g.s, `${path}.gru.s`);
  num(g.eta, `${path}.gru.eta`, true);
  num(g.h, `${path}.gru.h`, true);
}

/** Checks a parsed weights object, throwing an error that names the bad field. */
export function checkWeights(o: unknown): HnGruWeights {
  const w = obj(o, '(top level)');
  if (w.version !== 1 || w.model !== 'vi-hn-gru') throw new RangeError(`weights: expected version 1 of model "vi-hn-gru", got ${JSON.stringify({ version: w.version, model: w.model })}`);
  const garch = obj(w.garch, 'garch');
  for (const k of ['omega', 'alpha', 'beta']) num(garch[k], `garch.${k}`, true);
  num(garch.mu, 'garch.mu');
  const hn = obj(w.hn, 'hn');
  for (const k of ['omega', 'alpha', 'beta']) num(hn[k], `hn.${k}`, true);
  for (const k of ['gamma', 'lambda']) num(hn[k], `hn.${k}`);
  const gru = obj(w.gru, 'gru');
  if (!Array.isArray(gru.w) || gru.w.length !== VI_N) throw new RangeError(`weights: gru.w must hold ${VI_N} numbers`);
  gru.w.forEach((v, i) => num(v, `gru.w[${i}] (${VI_NAMES[i]})`, i < 3));
  states(w.init, 'init');
  states(w.end, 'end');
  return w as unknown as HnGruWeights;
}

/** Reads and checks a weights file (default: the committed models/hn-gru/weights.json). */
export function loadHnGru(path = DEFAULT_WEIGHTS_PATH): HnGruWeights {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read HN-GRU weights at ${path}: ${(e as Error).message}`, { cause: e });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`HN-GRU weights at ${path} are not JSON: ${(e as Error).message}`, { cause: e });
  }
  return checkWeights(parsed);
}
