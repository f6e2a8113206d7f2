/**
 * Saving and loading the neural SDE: one JSON file with the config, the training seed, the input
 * standardisation and each variable as base64 little-endian float32 (about 17k numbers).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from '../../src/tensor/backend.ts';
import { N_IN, weightShapes, type NsdeConfig, type NsdeWeights } from './network.ts';

/** The folder of the committed weights (this module's folder). */
export const DEFAULT_MODEL_DIR = dirname(fileURLToPath(import.meta.url));
/** File name of the weights inside a model folder. */
export const WEIGHTS_FILE = 'weights.json';

interface WeightsFile {
  format: 'nsde/1';
  config: NsdeConfig;
  seed: number;
  inMean: number[];
  inStd: number[];
  tensors: Record<string, { shape: number[]; data: string }>;
}

/** Values of the variables as plain arrays (a snapshot, e.g. the best epoch's). */
export function snapshot(w: NsdeWeights): Map<string, Float32Array> {
  return new Map([...w.vars].map(([k, v]) => [k, Float32Array.from(v.dataSync() as Float32Array)]));
}

/** Writes the weights (or a snapshot of their values) to dir/weights.json; returns the path. */
export function saveWeights(w: NsdeWeights, dir: string, seed: number, values: Map<string, Float32Array> = snapshot(w)): string {
  const tensors: WeightsFile['tensors'] = {};
  for (const [name, shape] of weightShapes(w.config)) {
    const d = values.get(name);
    if (!d) throw new Error(`saveWeights: no values for ${name}`);
    tensors[name] = { shape, data: Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64') };
  }
  const file: WeightsFile = { format: 'nsde/1', config: w.config, seed, inMean: Array.from(w.inMean), inStd: Array.from(w.inStd), tensors };
  const path = join(dir, WEIGHTS_FILE);
  writeFileSync(path, JSON.stringify(file) + '\n');
  return path;
}

let loaded = 0;

/** Reads dir/weights.json into (non-trainable) variables; throws naming the file when it is missing or malformed. */
export function loadWeights(dir = DEFAULT_MODEL_DIR): NsdeWeights & { seed: number } {
  const path = join(dir, WEIGHTS_FILE);
  let f: WeightsFile;
  try {
    f = JSON.parse(readFileSync(path, 'utf8')) as WeightsFile;
  } catch (e) {
    throw new Error(`${path}: cannot read neural-SDE weights (${(e as Error).message})`, { cause: e });
  }
  if (f.format !== 'nsde/1') throw new Error(`${path}: format must be nsde/1, got ${String(f.format)}`);
  if (f.inMean?.length !== N_IN || f.inStd?.length !== N_IN) throw new Error(`${path}: inMean and inStd must hold ${N_IN} numbers`);
  const vars = new Map<string, tf.Variable>();
  const id = ++loaded;
  for (const [name, shape] of weightShapes(f.config)) {
    const t = f.tensors[name];
    if (!t || t.shape.join() !== shape.join()) throw new Error(`${path}: tensor ${name} missing or not of shape [${shape.join(', ')}]`);
    const b = Buffer.from(t.data, 'base64');
    const arr = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    if (arr.length !== shape.reduce((a, x) => a * x, 1) || arr.some((v) => !Number.isFinite(v))) throw new Error(`${path}: tensor ${name} has the wrong size or a non-finite value`);
    const init = tf.tensor(arr, shape);
    vars.set(name, tf.variable(init, false, `nsde-loaded/${id}/${name}`));
    init.dispose();
  }
  return { config: f.config, vars, inMean: Float32Array.from(f.inMean), inStd: Float32Array.from(f.inStd), seed: f.seed };
}

/** Sets the variables to a snapshot's values. */
export function restore(w: NsdeWeights, values: Map<string, Float32Array>): void {
  for (const [name, v] of w.vars) {
    const d = values.get(name);
    if (d) tf.tidy(() => v.assign(tf.tensor(d, v.shape)));
  }
}
