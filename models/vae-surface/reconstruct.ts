/** Reconstruction of whole grid surfaces through the VAE (encoder mean, then decoder). */
import { tf } from '../../src/tensor/backend.ts';
import { N_GRID, gridPoints } from '../surrogate/grid.ts';
import { decode, encode, pointFeatures, type VaeWeights } from './network.ts';

/** The reference check stored in metrics.json: reconstruction RMSE of sviSurfaces(REFERENCE_N, REFERENCE_SVI_SEED). */
export const REFERENCE_SVI_SEED = 99;
export const REFERENCE_N = 20;

/** Per-surface RMSE of the reconstruction of n grid surfaces iv[s * N_GRID + g]; feats: the grid's point features. */
export function reconRmse(w: VaeWeights, iv: Float32Array, n: number, feats: tf.Tensor2D): Float64Array {
  const out = new Float64Array(n);
  for (let a = 0; a < n; a += 256) {
    const b = Math.min(n, a + 256);
    const pred = tf.tidy(() => {
      const x = tf.tensor2d(iv.subarray(a * N_GRID, b * N_GRID), [b - a, N_GRID]);
      return decode(w, encode(w, x).mean, feats);
    });
    const p = pred.dataSync();
    pred.dispose();
    for (let s = a; s < b; s++) {
      let se = 0;
      for (let g = 0; g < N_GRID; g++) se += (p[(s - a) * N_GRID + g] - iv[s * N_GRID + g]) ** 2;
      out[s] = Math.sqrt(se / N_GRID);
    }
  }
  return out;
}

/** Pooled reconstruction RMSE of n grid surfaces. */
export function reconstructionRmse(w: VaeWeights, iv: Float32Array, n: number): number {
  if (iv.length !== n * N_GRID) throw new RangeError(`iv has ${iv.length} values, expected ${n} surfaces of ${N_GRID}`);
  const g = gridPoints();
  const feats = tf.tensor2d(pointFeatures(g.k, g.T), [N_GRID, 4]);
  try {
    const r = reconRmse(w, iv, n, feats);
    return Math.sqrt(r.reduce((a, v) => a + v * v, 0) / n);
  } finally {
    feats.dispose();
  }
}
