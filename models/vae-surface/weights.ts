/**
 * Saving and loading the VAE's weights: one JSON file holding the config, training seed and
 * each named tensor as base64 little-endian float32 (small: about 20k numbers).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { tf } from '../../src/tensor/backend.ts';
import { weightShapes, type VaeConfig, type VaeWeights } from './network.ts';

/** The folder of the committed weights (this module's folder). */
export const DEFAULT_MODEL_DIR = dirname(fileURLToPath(import.meta.url));
/** File name of the weights inside a model folder. */
export const WEIGHTS_FILE = 'weights.json';

/** The file's shape. */
export interface WeightsFile {
  format: 'vae-surface/1';
  config: VaeConfig;
  seed: number;
  tensors: Record<string, { shape: number[]; data: string }>;
}

let loaded = 0;

/** Writes the weights to dir/weights.json. */
export async function saveWeights(w: VaeWeights, dir: string, seed: number): Promise<string> {
  const tensors: WeightsFile['tensors'] = {};
  for (const [name, v] of w.vars) {
    const data = (await v.data()) as Float32Array;
    tensors[name] = { shape: v.shape, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
  }
  const file: WeightsFile = { format: 'vae-surface/1', config: w.config, seed, tensors };
  const path = join(dir, WEIGHTS_FILE);
  writeFileSync(path, JSON.stringify(file) + '\n');
  return path;
}

/** Reads dir/weights.json into variables; throws naming the file when it is missing or malformed. */
export function loadWeights(dir = DEFAULT_MODEL_DIR): VaeWeights & { seed: number } {
  const path = join(dir, WEIGHTS_FILE);
  let f: WeightsFile;
  try {
    f = JSON.parse(readFileSync(path, 'utf8')) as WeightsFile;
  } catch (e) {
    throw new Error(`${path}: cannot read VAE weights (${(e as Error).message})`, { cause: e });
  }
  if (f.format !== 'vae-surface/1') throw new Error(`${path}: format must be vae-surface/1, got ${String(f.format)}`);
  const vars = new Map<string, tf.Variable>();
  for (const [name, shape] of weightShapes(f.config)) {
    const t = f.tensors[name];
    if (!t || t.shape.join() !== shape.join()) throw new Error(`${path}: tensor ${name} missing or not of shape [${shape.join(', ')}]`);
    const b = Buffer.from(t.data, 'base64');
    const arr = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    if (arr.length !== shape.reduce((a, x) => a * x, 1)) throw new Error(`${path}: tensor ${name} has ${arr.length} values`);
    const init = tf.tensor(arr, shape);
    vars.set(name, tf.variable(init, false, `vae-loaded/${name}/${++loaded}`));
    init.dispose();
  }
  return { config: f.config, vars, seed: f.seed };
}
