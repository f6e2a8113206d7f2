/**
 * Neural-SDE VIX simulation speed (issue 7's goal: 50,000 paths x 20 steps, signatures included,
 * in at most 1 s on the fastest local backend), on every tensor backend this machine has, against
 * the log-OU baseline of models/nsde (plain JS Euler, the same normals) in the same run.
 */
import type { Bench, BenchRow } from './harness.ts';
import { initTensorBackend, tf } from '../src/tensor/backend.ts';
import { makeModel, simulatePaths, disposeModel } from '../models/nsde/simulate.ts';
import { loadWeights } from '../models/nsde/weights.ts';
import { simulateLogOu } from '../models/nsde/calibrate.ts';
import { SIG_LEN } from '../models/nsde/signature-step.ts';

const STEPS = 20;
const DT = 1 / 252;
const X0 = Math.log(0.0324);

function logOuSeconds(n: number): number {
  const z = new Float64Array(n * STEPS);
  for (let i = 0; i < z.length; i++) z[i] = Math.sin(i * 12.9898) * 1.7; // fixed, cheap; the cost is the loop, not the draws
  const x0 = new Float64Array(n).fill(X0);
  const t0 = performance.now();
  simulateLogOu({ kappa: 4.24, theta: -3.364, sigma: 2 }, x0, STEPS, DT, z);
  return (performance.now() - t0) / 1000;
}

const bench: Bench = async ({ quick }) => {
  await initTensorBackend('auto');
  const big = quick ? 5_000 : 50_000;
  const rows: BenchRow[] = [];
  const base = logOuSeconds(big);
  const baseRate = (big * STEPS) / base;
  for (const name of ['tensorflow', 'wasm', 'cpu']) {
    if (!tf.findBackend(name) || !(await tf.setBackend(name))) continue;
    await tf.ready();
    // Variables live on the backend that made them, so load the weights on this one.
    const m = makeModel(loadWeights());
    const start = (n: number) => ({ n, x0: new Float64Array(n).fill(X0), sig0: new Float64Array(n * SIG_LEN) });
    simulatePaths(m, start(256), STEPS, { seed: 0 });
    const n = name === 'cpu' ? Math.min(big, 2_048) : big;
    const t0 = performance.now();
    simulatePaths(m, start(n), STEPS, { seed: 1 });
    const s = (performance.now() - t0) / 1000;
    const rate = (n * STEPS) / s;
    rows.push({
      name: `neural-SDE VIX paths x ${STEPS} steps with level-3 signatures, ${name} backend`,
      unit: 'path-steps/s',
      value: rate,
      baseline: 'log-OU Euler, plain JS, same shape',
      baselineValue: baseRate,
      goal: '>= 1,000,000 (50,000 x 20 in <= 1 s)',
      note: `${n.toLocaleString('en-US')} paths in ${s.toFixed(2)} s; 50,000 x 20 would take ${((50_000 * STEPS) / rate).toFixed(1)} s`,
    });
    disposeModel(m);
  }
  await tf.setBackend((await initTensorBackend('auto')).backend);
  return rows;
};

export default bench;
