/**
 * Path blocks shared by the path simulators. Paths are advanced a block of BLOCK paths at a time,
 * all of the block one step, then the next step: the paths of a block are independent, so the
 * CPU overlaps their dependency chains (divisions, square roots, logarithms), which a
 * path-after-path loop would run one after the other.
 *
 * Draws: at each step a block takes one uniform or normal per path from the stream, in path
 * order; with antithetic pairs, path 2k takes a fresh draw d and path 2k + 1 its mirror
 * (1 - U for uniforms, -Z for normals).
 */
import type { RandomStream } from './mc-random.ts';
import { allocatePaths, type HestonPaths, type SimSetup } from './mc-sim-options.ts';

/** Paths per block: small enough that the block's state and draws stay in the L1 cache. */
export const BLOCK = 128;

/** Fills u[0..nb) with uniforms on (0, 1), mirrored in pairs when antithetic (nb even). */
export function blockUniforms(rng: RandomStream, u: Float64Array, nb: number, antithetic: boolean): void {
  if (antithetic) rng.fillUniformsMirrored(u, nb);
  else rng.fillUniforms(u, 0, nb);
}

/** Fills z[0..nb) with standard normals, mirrored in pairs when antithetic (nb even). */
export function blockNormals(rng: RandomStream, z: Float64Array, nb: number, antithetic: boolean): void {
  if (antithetic) rng.fillNormalsMirrored(z, nb);
  else rng.fillNormals(z, 0, nb);
}

/** One step's draws for a block, each array BLOCK long (those a scheme does not use stay empty). */
export interface StepDraws {
  /** Uniform variance driver (QE). */
  uV: Float64Array;
  /** Normal variance driver (Euler). */
  zV: Float64Array;
  /** Normal log-price driver. */
  z: Float64Array;
  /** Uniform jump-count driver (Bates). */
  uJ: Float64Array;
  /** Normal jump-size driver (Bates). */
  zJ: Float64Array;
}

/** Which draws a scheme takes per step, in the order they are taken from the stream. */
export interface DrawSpec {
  uniformV: boolean;
  normalV: boolean;
  jumps: boolean;
}

/** Advances the block's variances v and log prices x = ln(S/S0) over one step. */
export type BlockStep = (nb: number, v: Float64Array, x: Float64Array, d: StepDraws) => void;

/**
 * Runs every block of the setup through all steps with the given scheme and fills the output
 * (whole paths with keepPaths, else terminal values).
 */
export function runBlocks(s: SimSetup, spec: DrawSpec, step: BlockStep): HestonPaths {
  const out = allocatePaths(s);
  const { S, v: V } = out;
  const n = s.steps;
  const S0 = s.S0;
  const keep = s.keepPaths;
  const anti = s.antithetic;
  const rng = s.rng;
  const size = (on: boolean): number => (on ? BLOCK : 0);
  const d: StepDraws = {
    uV: new Float64Array(size(spec.uniformV)),
    zV: new Float64Array(size(spec.normalV)),
    z: new Float64Array(BLOCK),
    uJ: new Float64Array(size(spec.jumps)),
    zJ: new Float64Array(size(spec.jumps)),
  };
  const v = new Float64Array(BLOCK);
  const x = new Float64Array(BLOCK);
  const stride = n + 1;
  for (let p0 = 0; p0 < s.paths; p0 += BLOCK) {
    const nb = Math.min(BLOCK, s.paths - p0);
    v.fill(s.v0);
    x.fill(0);
    if (keep) {
      for (let i = 0; i < nb; i++) {
        S[(p0 + i) * stride] = S0;
        V[(p0 + i) * stride] = s.v0;
      }
    }
    for (let k = 1; k <= n; k++) {
      if (spec.uniformV) blockUniforms(rng, d.uV, nb, anti);
      if (spec.normalV) blockNormals(rng, d.zV, nb, anti);
      blockNormals(rng, d.z, nb, anti);
      if (spec.jumps) {
        blockUniforms(rng, d.uJ, nb, anti);
        blockNormals(rng, d.zJ, nb, anti);
      }
      step(nb, v, x, d);
      if (keep) {
        for (let i = 0; i < nb; i++) {
          S[(p0 + i) * stride + k] = S0 * Math.exp(x[i]);
          V[(p0 + i) * stride + k] = v[i];
        }
      }
    }
    if (!keep) {
      for (let i = 0; i < nb; i++) {
        S[p0 + i] = S0 * Math.exp(x[i]);
        V[p0 + i] = v[i];
      }
    }
  }
  return out;
}
