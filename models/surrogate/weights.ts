/**
 * The committed model files: weights.json (manifest: architecture, grid, parameter box, PCA
 * summary, tensor table) and weights.bin (every tensor as little-endian float32, network weights
 * then the PCA mean and scaled basis, at the manifest's offsets).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GRID_T, GRID_Z, SIGMA_REF } from './grid.ts';
import { PARAM_BOX, PARAM_NAMES } from './param-box.ts';
import { weightShapes, type NetConfig } from './network.ts';

/** One tensor of weights.bin. */
export interface TensorEntry {
  name: string;
  shape: number[];
  /** Offset in float32 values. */
  offset: number;
}

/** weights.json. */
export interface SurrogateManifest {
  version: 1;
  model: 'heston-surrogate';
  config: NetConfig;
  grid: { z: number[]; T: number[]; sigmaRef: number };
  params: string[];
  box: typeof PARAM_BOX;
  pca: { nComp: number; explainedVariance: number };
  tensors: TensorEntry[];
  bin: string;
}

/** The committed model folder (this one). */
export const DEFAULT_MODEL_DIR = dirname(fileURLToPath(import.meta.url));

/** Writes weights.json + weights.bin into dir; tensors in save order (network, then pca/mean, pca/basis). */
export function saveWeights(dir: string, config: NetConfig, explained: number, tensors: Array<{ name: string; shape: number[]; data: Float32Array }>): void {
  const entries: TensorEntry[] = [];
  let off = 0;
  for (const t of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== size) throw new RangeError(`saveWeights: ${t.name} has ${t.data.length} values for shape [${t.shape}]`);
    entries.push({ name: t.name, shape: t.shape, offset: off });
    off += size;
  }
  const bin = new Float32Array(off);
  tensors.forEach((t, i) => bin.set(t.data, entries[i].offset));
  const manifest: SurrogateManifest = {
    version: 1, model: 'heston-surrogate', config,
    grid: { z: [...GRID_Z], T: [...GRID_T], sigmaRef: SIGMA_REF },
    params: [...PARAM_NAMES], box: PARAM_BOX,
    pca: { nComp: config.nComp, explainedVariance: explained },
    tensors: entries, bin: 'weights.bin',
  };
  const le = Buffer.alloc(bin.length * 4);
  bin.forEach((v, i) => le.writeFloatLE(v, i * 4));
  writeFileSync(join(dir, 'weights.bin.tmp'), le);
  writeFileSync(join(dir, 'weights.json.tmp'), JSON.stringify(manifest, null, 1) + '\n');
  renameSync(join(dir, 'weights.bin.tmp'), join(dir, 'weights.bin'));
  renameSync(join(dir, 'weights.json.tmp'), join(dir, 'weights.json'));
}

/** Reads and checks a model folder: the manifest must match this code's grid, box and architecture shapes. */
export function readWeights(dir = DEFAULT_MODEL_DIR): { manifest: SurrogateManifest; tensors: Map<string, { shape: number[]; data: Float32Array }> } {
  const path = resolve(dir, 'weights.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as SurrogateManifest;
  if (manifest.version !== 1 || manifest.model !== 'heston-surrogate') throw new TypeError(`${path}: not a heston-surrogate v1 manifest`);
  if (JSON.stringify(manifest.grid) !== JSON.stringify({ z: GRID_Z, T: GRID_T, sigmaRef: SIGMA_REF })) throw new RangeError(`${path}: grid differs from grid.ts`);
  if (JSON.stringify(manifest.box) !== JSON.stringify(PARAM_BOX)) throw new RangeError(`${path}: parameter box differs from param-box.ts`);
  const buf = readFileSync(resolve(dir, manifest.bin));
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  const expected: Array<[string, number[]]> = [...weightShapes(manifest.config), ['pca/mean', [manifest.config.dim]], ['pca/basis', [manifest.config.nComp, manifest.config.dim]]];
  for (const [name, shape] of expected) {
    const e = manifest.tensors.find((t) => t.name === name);
    if (!e || JSON.stringify(e.shape) !== JSON.stringify(shape)) throw new RangeError(`${path}: tensor ${name} missing or not of shape [${shape}]`);
    const size = shape.reduce((a, b) => a * b, 1);
    if ((e.offset + size) * 4 > buf.length) throw new RangeError(`${manifest.bin}: too short for tensor ${name}`);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = buf.readFloatLE((e.offset + i) * 4);
    if (!data.every(Number.isFinite)) throw new RangeError(`${manifest.bin}: tensor ${name} has non-finite values`);
    tensors.set(name, { shape, data });
  }
  return { manifest, tensors };
}
