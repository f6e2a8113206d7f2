/**
 * Euler-Maruyama simulation of the neural SDE with the physical step dt = 1/252, the running
 * signature of (t, X) updated inside the loop by Chen's identity (signature-step.ts), so that
 * the drift and diffusion see the whole path so far. Two running signatures are carried: the
 * network's, seeded with the history window's signature, and the loss's, of the simulated part
 * only (from 0). Also the same signatures of real windows in Float64 (quant core).
 */
import { chenUpdate } from '../../src/quant/signature.ts';
import { randomStream } from '../../src/quant/mc-random.ts';
import { tf } from '../../src/tensor/backend.ts';
import { chenStepMatrix, chenStepTf, SIG_LEN } from './signature-step.ts';
import { disposeFused, fusedIncrement, makeFusedNet } from './fused-net.ts';
import { driftDiffusion, type NsdeWeights } from './network.ts';

/** Weights plus the constant tensors a simulation needs. */
export interface NsdeModel {
  weights: NsdeWeights;
  step: tf.Tensor2D;
  mean: tf.Tensor1D;
  std: tf.Tensor1D;
}

/** Wraps weights with their constant tensors (free with disposeModel). */
export function makeModel(weights: NsdeWeights): NsdeModel {
  return {
    weights,
    step: tf.tensor2d(Float32Array.from(chenStepMatrix(weights.config.dt)), [3 * SIG_LEN + 4, SIG_LEN]),
    mean: tf.tensor1d(weights.inMean),
    std: tf.tensor1d(weights.inStd),
  };
}

/** Frees the model's constant tensors and its variables. */
export function disposeModel(m: NsdeModel): void {
  m.step.dispose();
  m.mean.dispose();
  m.std.dispose();
  for (const v of m.weights.vars.values()) v.dispose();
}

/** What one rollout returns: X after each step and the loss signature after each step. */
export interface Rollout {
  /** steps tensors [B, 1]. */
  xs: tf.Tensor2D[];
  /** steps tensors [B, 14]: signature of the simulated part of (t, X) up to each step. */
  lossSigs: tf.Tensor2D[];
}

/**
 * The differentiable loop (call inside tf.tidy or a gradient function): x0 [B, 1], sig0 [B, 14]
 * the history's signature, noise [steps, B] standard normals.
 */
export function rollout(m: NsdeModel, x0: tf.Tensor2D, sig0: tf.Tensor2D, noise: tf.Tensor2D, steps: number, withLossSigs = true): Rollout {
  const dt = m.weights.config.dt;
  const sqdt = Math.sqrt(dt);
  const B = x0.shape[0];
  let x = x0;
  let sig = sig0;
  let lossSig = tf.zeros([B, SIG_LEN]) as tf.Tensor2D;
  const z = tf.unstack(noise, 0).map((r) => tf.reshape(r, [B, 1]) as tf.Tensor2D);
  const xs: tf.Tensor2D[] = [];
  const lossSigs: tf.Tensor2D[] = [];
  for (let k = 0; k < steps; k++) {
    const { drift, diffusion } = driftDiffusion(m.weights, sig, x, m.mean, m.std);
    const dx = tf.add(tf.mul(drift, dt), tf.mul(tf.mul(diffusion, sqdt), z[k])) as tf.Tensor2D;
    x = tf.add(x, dx) as tf.Tensor2D;
    sig = chenStepTf(sig, dx, m.step);
    xs.push(x);
    if (withLossSigs) {
      lossSig = chenStepTf(lossSig, dx, m.step);
      lossSigs.push(lossSig);
    }
  }
  return { xs, lossSigs };
}

/** Starting states of simulated paths: X at the start and the history window's signature. */
export interface Starts {
  n: number;
  /** n start values of X. */
  x0: Float64Array;
  /** n x 14 signatures of the history windows (zeros: no history). */
  sig0: Float64Array;
}

/** n x steps standard normals, step-major, from the seeded stream (seed, index). */
export function normals(seed: number, index: number, steps: number, n: number): Float32Array {
  const buf = new Float64Array(steps * n);
  randomStream(seed, index).fillNormals(buf);
  return Float32Array.from(buf);
}

/**
 * Simulates `steps` steps from each start (not differentiated): path-major n x (steps + 1) X values
 * including the start. Noise from randomStream(seed, index) unless given (steps x n, step-major).
 */
export function simulatePaths(m: NsdeModel, starts: Starts, steps: number, noise: { seed: number; index?: number } | Float32Array): Float64Array {
  const n = starts.n;
  if (starts.x0.length !== n || starts.sig0.length !== n * SIG_LEN) throw new RangeError(`starts: x0 must have ${n} and sig0 ${n * SIG_LEN} values, got ${starts.x0.length} and ${starts.sig0.length}`);
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  const z = noise instanceof Float32Array ? noise : normals(noise.seed, noise.index ?? 0, steps, n);
  if (z.length !== steps * n) throw new RangeError(`noise must hold steps x n = ${steps * n} normals, got ${z.length}`);
  // Step by step, keeping only the state: a whole-loop tidy would hold every intermediate of every
  // step at once (gigabytes at 50,000 paths, past the WASM heap's limit).
  // Built from the current weights at each call (cheap), so a model still training is never stale.
  const fused = makeFusedNet(m.weights);
  let x = tf.tensor2d(Float32Array.from(starts.x0), [n, 1]);
  let sig = tf.tensor2d(Float32Array.from(starts.sig0), [n, SIG_LEN]);
  const out = new Float64Array(n * (steps + 1));
  for (let p = 0; p < n; p++) out[p * (steps + 1)] = starts.x0[p];
  for (let k = 0; k < steps; k++) {
    const [xn, sn] = tf.tidy(() => {
      const zk = tf.tensor2d(z.subarray(k * n, (k + 1) * n), [n, 1]);
      const dx = fusedIncrement(fused, sig, x, zk);
      return [tf.add(x, dx) as tf.Tensor2D, chenStepTf(sig, dx, m.step)];
    });
    x.dispose();
    sig.dispose();
    x = xn;
    sig = sn;
    const v = x.dataSync();
    for (let p = 0; p < n; p++) out[p * (steps + 1) + k + 1] = v[p];
  }
  x.dispose();
  sig.dispose();
  disposeFused(fused);
  return out;
}

/**
 * Signature (Float64, quant core) of the path (t, x) through points x[off], ..., x[off + len - 1]
 * at t = 0, dt, ...; written into out[outOff .. outOff + 14).
 */
export function windowSignature(x: ArrayLike<number>, off: number, len: number, dt: number, out: Float64Array, outOff = 0): void {
  out.fill(0, outOff, outOff + SIG_LEN);
  const dx = [dt, 0];
  for (let i = 1; i < len; i++) {
    dx[1] = x[off + i] - x[off + i - 1];
    chenUpdate(out, outOff, dx, 0, 2);
  }
}

/**
 * Starting states of windows (rows of length warm + steps + 1, the simulation starting at
 * column warm): X there and the history's signature.
 */
export function windowStarts(x: Float64Array, n: number, warm: number, steps: number, dt: number): Starts {
  const len = warm + steps + 1;
  const x0 = new Float64Array(n);
  const sig0 = new Float64Array(n * SIG_LEN);
  for (let r = 0; r < n; r++) {
    x0[r] = x[r * len + warm];
    windowSignature(x, r * len, warm + 1, dt, sig0, r * SIG_LEN);
  }
  return { n, x0, sig0 };
}

/**
 * Running signatures of the simulated part of each window (or path) after each step: n x steps x 14,
 * row r's path being x[r * rowLen + off .. + steps].
 */
export function runningLossSignatures(x: Float64Array, n: number, rowLen: number, off: number, steps: number, dt: number): Float64Array {
  const out = new Float64Array(n * steps * SIG_LEN);
  const s = new Float64Array(SIG_LEN);
  const dx = [dt, 0];
  for (let r = 0; r < n; r++) {
    s.fill(0);
    for (let k = 0; k < steps; k++) {
      dx[1] = x[r * rowLen + off + k + 1] - x[r * rowLen + off + k];
      chenUpdate(s, 0, dx, 0, 2);
      out.set(s, (r * steps + k) * SIG_LEN);
    }
  }
  return out;
}
