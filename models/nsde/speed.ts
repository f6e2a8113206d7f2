/**
 * Simulation speed of the committed model on each tensor backend this machine has (the native
 * tfjs-node(-gpu) backends when installed, WASM, plain JS): one live publish (256 paths x 20
 * steps, as the nsde stage) and the 50,000 paths x 20 steps, signatures included.
 *   node --import tsx models/nsde/speed.ts [paths]
 * Prints one JSON line per backend. Wall-clock numbers: they belong in the README, never in a test.
 */
import { tf } from '../../src/tensor/backend.ts';
import { initTensorBackend } from '../../src/tensor/backend.ts';
import { makeModel, simulatePaths } from './simulate.ts';
import { loadWeights } from './weights.ts';

const big = Number(process.argv[2] ?? 50000);
await initTensorBackend('auto');
const weights = loadWeights();
for (const name of ['tensorflow', 'wasm', 'cpu']) {
  if (!tf.findBackend(name)) {
    if (name !== 'cpu') process.stdout.write(JSON.stringify({ backend: name, available: false }) + '\n');
    if (name !== 'cpu') continue;
  }
  if (!(await tf.setBackend(name))) continue;
  await tf.ready();
  // Variables live on the backend that made them: load the weights again on this one.
  const m = makeModel(loadWeights());
  const start = (n: number) => ({ n, x0: new Float64Array(n).fill(Math.log(0.0324)), sig0: new Float64Array(n * 14) });
  simulatePaths(m, start(256), 20, { seed: 0 });
  const pubs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    simulatePaths(m, start(256), 20, { seed: i });
    pubs.push(performance.now() - t0);
  }
  pubs.sort((a, b) => a - b);
  const n = name === 'cpu' ? Math.min(big, 4096) : big;
  const t0 = performance.now();
  simulatePaths(m, start(n), 20, { seed: 1 });
  const s = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ backend: name, publish256x20Ms: +pubs[3].toFixed(2), paths: n, steps: 20, seconds: +s.toFixed(3), pathStepsPerSecond: Math.round((n * 20) / s) }) + '\n');
}
void weights;
