/**
 * Script: `npx tsx models/vae-surface/run.ts [--train]` trains the VAE into this folder (with
 * --train), then compares completions on the real SPX chains and writes metrics.json here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { initTensorBackend } from '../../src/tensor/backend.ts';
import { chainFiles, compareChain, summarizeComparisons } from './evaluate-chains.ts';
import { sviSurfaces } from './data.ts';
import { disposeWeights } from './network.ts';
import { REFERENCE_N, REFERENCE_SVI_SEED, reconstructionRmse } from './reconstruct.ts';
import { DEFAULT_SEED, trainVaeSurface } from './train.ts';
import { DEFAULT_MODEL_DIR, loadWeights } from './weights.ts';

// Two starts (z = 0 and one prior draw) keep the 15 chains of thousands of quotes to minutes on 2 cores
const CHAIN_COMPLETION = { steps: 300, starts: 2, lr: 0.05 };
const trainPath = join(DEFAULT_MODEL_DIR, 'metrics.json');
let training: unknown;
if (process.argv.includes('--train')) {
  const t0 = performance.now();
  training = await trainVaeSurface({
    seed: DEFAULT_SEED, outDir: DEFAULT_MODEL_DIR,
    onProgress: (p) => console.error(JSON.stringify({ ...p, s: Math.round((performance.now() - t0) / 1000) })),
  });
} else {
  try { training = (JSON.parse(readFileSync(trainPath, 'utf8')) as { training: unknown }).training; } catch { training = null; }
}
const backend = await initTensorBackend();
const dataRoot = process.env.VOLRISK_REAL_DATA ?? resolve(DEFAULT_MODEL_DIR, '../../../shared/data');
const w = loadWeights();
// A number the tests recompute from the committed weights
const reference = { sviSeed: REFERENCE_SVI_SEED, n: REFERENCE_N, reconRmse: reconstructionRmse(w, sviSurfaces(REFERENCE_N, REFERENCE_SVI_SEED), REFERENCE_N) };
const files = chainFiles(join(dataRoot, 'spx-options'));
const chains = [];
const t1 = performance.now();
for (const f of files) {
  const r = await compareChain(w, f, DEFAULT_SEED, 0.3, CHAIN_COMPLETION);
  chains.push({ ...r, file: f.slice(dataRoot.length + 1) });
  console.error(JSON.stringify(chains[chains.length - 1]));
}
disposeWeights(w);
const summary = summarizeComparisons(chains);
const out = { training, reference, evaluation: { backend: backend.backend, seed: DEFAULT_SEED, hideShare: 0.3, completion: { method: 'Adam on the latent (encoder unused)', ...CHAIN_COMPLETION }, seconds: (performance.now() - t1) / 1000, summary, chains } };
writeFileSync(trainPath, JSON.stringify(out, null, 2) + '\n');
console.log(JSON.stringify(summary, null, 2));
