/**
 * The trained surrogate at inference: normalised Heston parameters in, IV surfaces on the grid
 * out, batched; and the Jacobian of one surface with respect to the normalised parameters, exact
 * (forward mode through the network, network.ts).
 */
import { initTensorBackend, tf, type BackendInfo } from '../../src/tensor/backend.ts';
import { N_GRID } from './grid.ts';
import { N_PARAMS, normaliseParams } from './param-box.ts';
import { forwardSurface, forwardWithJacobian, type NetConfig, type NetWeights, type PcaHead } from './network.ts';
import { DEFAULT_MODEL_DIR, readWeights, type SurrogateManifest } from './weights.ts';

/** A loaded surrogate. Call dispose() to free its tensors. */
export interface HestonSurrogate {
  manifest: SurrogateManifest;
  backend: BackendInfo;
  /** Surfaces (n x N_GRID, grid layout) of n parameter vectors (flat, PARAM_NAMES order). */
  predict(params: ArrayLike<number>): Float32Array;
  /** Surfaces of n normalised parameter vectors (flat, in [-1, 1]^5 inside the box). */
  predictNormalised(u: ArrayLike<number>): Float32Array;
  /** Surface and Jacobian d iv[g] / d u[d] (row-major N_GRID x N_PARAMS) at one normalised vector. */
  jacobianNormalised(u: ArrayLike<number>): { iv: Float64Array; jac: Float64Array };
  dispose(): void;
}

/** Wraps weights already in memory (used by training and by loadSurrogate). */
export function makeSurrogate(manifest: SurrogateManifest, backend: BackendInfo, net: NetWeights, head: PcaHead): HestonSurrogate {
  const c: NetConfig = manifest.config;
  const predictNormalised = (u: ArrayLike<number>): Float32Array => {
    if (u.length % N_PARAMS !== 0 || u.length === 0) throw new RangeError(`parameters must be a non-empty multiple of ${N_PARAMS} values, got ${u.length}`);
    const out = tf.tidy(() => forwardSurface(c, net, head, tf.tensor2d(Float32Array.from(u), [u.length / N_PARAMS, N_PARAMS])));
    const data = out.dataSync() as Float32Array;
    out.dispose();
    return data;
  };
  return {
    manifest, backend,
    predictNormalised,
    predict(params) {
      if (params.length % N_PARAMS !== 0) throw new RangeError(`parameters must be a multiple of ${N_PARAMS} values, got ${params.length}`);
      const u = new Float64Array(params.length);
      for (let o = 0; o < params.length; o += N_PARAMS) normaliseParams(params, u, o, o);
      return predictNormalised(u);
    },
    jacobianNormalised(u) {
      if (u.length !== N_PARAMS) throw new RangeError(`jacobianNormalised takes one vector of ${N_PARAMS} values, got ${u.length}`);
      const x = tf.tensor2d(Float32Array.from(u), [1, N_PARAMS]);
      const [iv, jacT] = forwardWithJacobian(c, net, head, x);
      x.dispose();
      const t = jacT.dataSync();
      const jac = new Float64Array(N_GRID * N_PARAMS);
      for (let d = 0; d < N_PARAMS; d++) for (let g = 0; g < N_GRID; g++) jac[g * N_PARAMS + d] = t[d * N_GRID + g];
      const out = { iv: Float64Array.from(iv.dataSync()), jac };
      iv.dispose(); jacT.dispose();
      return out;
    },
    dispose() {
      for (const v of net.vars) v.dispose();
      head.mean.dispose(); head.basis.dispose();
    },
  };
}

/** Loads the committed surrogate (or the one in `dir`) on the chosen tensor backend. */
export async function loadSurrogate(dir = DEFAULT_MODEL_DIR): Promise<HestonSurrogate> {
  const backend = await initTensorBackend();
  const { manifest, tensors } = readWeights(dir);
  const get = (n: string): tf.Tensor => { const t = tensors.get(n)!; return tf.tensor(t.data, t.shape); };
  const names = [...tensors.keys()].filter((n) => !n.startsWith('pca/'));
  const net: NetWeights = { names, vars: names.map(get) };
  const head: PcaHead = { mean: get('pca/mean') as tf.Tensor1D, basis: get('pca/basis') as tf.Tensor2D };
  return makeSurrogate(manifest, backend, net, head);
}
