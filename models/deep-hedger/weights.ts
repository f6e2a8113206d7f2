/**
 * Saving and loading a trained policy: one JSON file per training dynamics
 * (weights-<dynamics>.json) holding the hedging setup it was trained on, its seed, the input
 * standardisation and each tensor as base64 little-endian float32 (about 13,000 numbers).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { N_FEATURES } from './features.ts';
import type { PolicyArrays } from './network.ts';
import { parseDynamics, type Dynamics, type HedgeSetup } from './setup.ts';

/** The folder of the committed weights (this module's folder). */
export const DEFAULT_MODEL_DIR = dirname(fileURLToPath(import.meta.url));

/** weights-<dynamics>.json. */
export function weightsFile(d: Dynamics): string {
  return `weights-${d}.json`;
}

/** A trained policy and what it was trained on. */
export interface TrainedPolicy {
  policy: PolicyArrays;
  setup: HedgeSetup;
  seed: number;
}

interface WeightsFile {
  format: 'deep-hedger/1';
  setup: HedgeSetup;
  seed: number;
  hidden: number;
  inMean: number[];
  inSd: number[];
  bo: number;
  tensors: Record<'Wx' | 'Wh' | 'bx' | 'bh' | 'Wo', string>;
}

const b64 = (a: Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** Writes dir/weights-<dynamics>.json; returns its path. */
export function saveWeights(t: TrainedPolicy, dir: string): string {
  const p = t.policy;
  const f: WeightsFile = {
    format: 'deep-hedger/1', setup: t.setup, seed: t.seed, hidden: p.hidden, inMean: [...p.inMean], inSd: [...p.inSd], bo: p.bo,
    tensors: { Wx: b64(p.Wx), Wh: b64(p.Wh), bx: b64(p.bx), bh: b64(p.bh), Wo: b64(p.Wo) },
  };
  const path = join(dir, weightsFile(t.setup.dynamics));
  writeFileSync(path, JSON.stringify(f) + '\n');
  return path;
}

/** Reads dir/weights-<dynamics>.json; throws naming the file and what is wrong with it. */
export function loadWeights(dynamics: Dynamics, dir = DEFAULT_MODEL_DIR): TrainedPolicy {
  parseDynamics(dynamics, 'dynamics');
  const path = join(dir, weightsFile(dynamics));
  let f: WeightsFile;
  try {
    f = JSON.parse(readFileSync(path, 'utf8')) as WeightsFile;
  } catch (e) {
    throw new Error(`${path}: cannot read deep-hedger weights (${(e as Error).message})`, { cause: e });
  }
  if (f.format !== 'deep-hedger/1') throw new Error(`${path}: format must be deep-hedger/1, got ${String(f.format)}`);
  const H = f.hidden;
  if (!(Number.isInteger(H) && H >= 1)) throw new Error(`${path}: hidden must be a positive integer, got ${String(H)}`);
  const sizes = { Wx: N_FEATURES * 3 * H, Wh: H * 3 * H, bx: 3 * H, bh: 3 * H, Wo: H } as const;
  const dec = (k: keyof typeof sizes): Float32Array => {
    const s = f.tensors?.[k];
    if (typeof s !== 'string') throw new Error(`${path}: tensor ${k} missing`);
    const b = Buffer.from(s, 'base64');
    const a = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    if (a.length !== sizes[k]) throw new Error(`${path}: tensor ${k} has ${a.length} values, expected ${sizes[k]}`);
    return a;
  };
  const vec = (name: string, v: unknown): Float64Array => {
    if (!Array.isArray(v) || v.length !== N_FEATURES || !v.every((x) => Number.isFinite(x))) throw new Error(`${path}: ${name} must be ${N_FEATURES} finite numbers`);
    return Float64Array.from(v as number[]);
  };
  const inSd = vec('inSd', f.inSd);
  if (!inSd.every((x) => x > 0)) throw new Error(`${path}: inSd must be > 0`);
  if (!Number.isFinite(f.bo)) throw new Error(`${path}: bo must be a finite number`);
  const policy: PolicyArrays = { hidden: H, inMean: vec('inMean', f.inMean), inSd, Wx: dec('Wx'), Wh: dec('Wh'), bx: dec('bx'), bh: dec('bh'), Wo: dec('Wo'), bo: f.bo };
  return { policy, setup: f.setup, seed: f.seed };
}
