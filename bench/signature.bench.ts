/**
 * Running level-3 signatures of the time-augmented path (t, X), as the neural SDE updates them:
 * 10,000 paths x 20 steps, all paths per step in one typed array (BatchedRunningSignature), against
 * (a) one RunningSignature object per path updated in a loop, and (b) recomputing each path's
 * signature from scratch at every step (no Chen streaming). Unit: path-steps per second (one
 * path's signature advanced by one increment). The note gives the largest difference between
 * the subject's and the baseline's final signatures.
 */
import { opsPerSecond, type Bench } from './harness.ts';
import { randomStream } from '../src/quant/mc-random.ts';
import { pathSignature } from '../src/quant/signature.ts';
import { BatchedRunningSignature, RunningSignature } from '../src/quant/signature-running.ts';

const N_PATHS = 10_000;
const N_STEPS = 20;
const DT = 1 / 252;

const bench: Bench = async ({ quick }) => {
  const ms = quick ? 300 : 1500;
  // increments of X = log variance: step-major (dy[s] holds every path's increment at step s)
  const rng = randomStream(20240521);
  const dy = Array.from({ length: N_STEPS }, () => rng.fillNormals(new Float64Array(N_PATHS)).map((z) => 0.9 * Math.sqrt(DT) * z));

  const batch = new BatchedRunningSignature(N_PATHS, 2);
  const batched = (): number => {
    batch.reset();
    for (let s = 0; s < N_STEPS; s++) batch.updateWithTime(DT, dy[s]);
    return N_PATHS * N_STEPS;
  };

  const singles = Array.from({ length: N_PATHS }, () => new RunningSignature(2));
  const inc = new Float64Array(2);
  const perPath = (): number => {
    for (let p = 0; p < N_PATHS; p++) {
      const r = singles[p].reset();
      for (let s = 0; s < N_STEPS; s++) {
        inc[0] = DT;
        inc[1] = dy[s][p];
        r.update(inc);
      }
    }
    return N_PATHS * N_STEPS;
  };

  // from scratch: after step s, the signature of the s + 1 points so far
  const pts = new Float64Array(2 * (N_STEPS + 1));
  const scratchOut = new Float64Array(N_PATHS * 14);
  const sig = new Float64Array(14);
  const fromScratch = (): number => {
    for (let p = 0; p < N_PATHS; p++) {
      for (let s = 0; s < N_STEPS; s++) {
        pts[2 * (s + 1)] = pts[2 * s] + DT;
        pts[2 * (s + 1) + 1] = pts[2 * s + 1] + dy[s][p];
        pathSignature(pts.subarray(0, 2 * (s + 2)), 2, sig);
      }
      scratchOut.set(sig, 14 * p);
    }
    return N_PATHS * N_STEPS;
  };

  batched();
  perPath();
  fromScratch();
  let dSingle = 0;
  let dScratch = 0;
  for (let p = 0; p < N_PATHS; p++) {
    const b = batch.signature(p);
    for (let i = 0; i < 14; i++) {
      dSingle = Math.max(dSingle, Math.abs(b[i] - singles[p].values[i]));
      dScratch = Math.max(dScratch, Math.abs(b[i] - scratchOut[14 * p + i]));
    }
  }

  const value = opsPerSecond(batched, ms);
  const single = opsPerSecond(perPath, ms);
  const scratch = opsPerSecond(fromScratch, ms);
  const perBatch = `${((1000 * N_PATHS * N_STEPS) / value).toFixed(2)} ms per 10,000 x 20 batch`;
  return [
    {
      name: 'running signature (t, X) level 3, batched, 10,000 paths x 20 steps',
      unit: 'path-steps/s',
      value,
      baseline: 'RunningSignature object per path, in a loop',
      baselineValue: single,
      note: `${perBatch}; max abs difference ${dSingle.toExponential(1)}`,
    },
    {
      name: 'running signature (t, X) level 3, batched, 10,000 paths x 20 steps',
      unit: 'path-steps/s',
      value,
      baseline: 'signature recomputed from scratch at every step',
      baselineValue: scratch,
      note: `${perBatch}; max abs difference ${dScratch.toExponential(1)}`,
    },
  ];
};

export default bench;
