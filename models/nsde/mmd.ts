/**
 * Two-sample test by the maximum mean discrepancy (Gretton, Borgwardt, Rasch, Schölkopf and
 * Smola, "A kernel two-sample test", JMLR 13, 2012): the unbiased estimate MMD^2_u (their
 * eq. 3) with a Gaussian kernel whose bandwidth is the median pairwise distance of the pooled
 * sample (their section 8), and a p-value by permuting the pooled sample's labels.
 * Hand-written: no JS library offers it.
 */
import { randomStream } from '../../src/quant/mc-random.ts';

/** The test's result. */
export interface MmdResult {
  /** Unbiased MMD^2 of the two samples. */
  mmd2: number;
  /** Share of label permutations with an MMD^2 at least as large (with the +1 correction). */
  pValue: number;
  bandwidth: number;
  nA: number;
  nB: number;
  permutations: number;
}

function unbiased(K: Float64Array, n: number, inA: Uint8Array, nA: number, nB: number): number {
  let aa = 0;
  let bb = 0;
  let ab = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const k = K[i * n + j];
      if (inA[i] && inA[j]) aa += k;
      else if (!inA[i] && !inA[j]) bb += k;
      else ab += k;
    }
  }
  return (2 * aa) / (nA * (nA - 1)) + (2 * bb) / (nB * (nB - 1)) - (2 * ab) / (nA * nB);
}

/**
 * MMD two-sample test of samples a (nA x dim, row-major) and b (nB x dim), with a seeded
 * permutation p-value. Throws unless each sample has at least 2 finite rows of the same dimension.
 */
export function mmdTest(a: ArrayLike<number>, b: ArrayLike<number>, dim: number, opts: { permutations?: number; seed?: number; bandwidth?: number } = {}): MmdResult {
  if (!(Number.isInteger(dim) && dim >= 1)) throw new RangeError(`dim must be a positive integer, got ${dim}`);
  if (a.length % dim !== 0 || b.length % dim !== 0) throw new RangeError(`samples must hold whole rows of ${dim} numbers, got lengths ${a.length} and ${b.length}`);
  const nA = a.length / dim;
  const nB = b.length / dim;
  if (nA < 2 || nB < 2) throw new RangeError(`each sample needs at least 2 rows, got ${nA} and ${nB}`);
  const n = nA + nB;
  const row = (i: number, d: number): number => (i < nA ? a[i * dim + d] : b[(i - nA) * dim + d]);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) if (!Number.isFinite(row(i, d))) throw new RangeError(`sample ${i < nA ? 'a' : 'b'}, row ${i < nA ? i : i - nA} is not finite`);
  const D2 = new Float64Array(n * n);
  const dists: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += (row(i, d) - row(j, d)) ** 2;
      D2[i * n + j] = s;
      dists.push(Math.sqrt(s));
    }
  }
  dists.sort((x, y) => x - y);
  const h = opts.bandwidth ?? (dists[Math.floor(dists.length / 2)] || 1);
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) K[i * n + j] = Math.exp(-D2[i * n + j] / (2 * h * h));
  const inA = new Uint8Array(n);
  inA.fill(1, 0, nA);
  const mmd2 = unbiased(K, n, inA, nA, nB);
  const perms = opts.permutations ?? 500;
  const rng = randomStream(opts.seed ?? 1, 7);
  const lab = Uint8Array.from(inA);
  let ge = 0;
  for (let p = 0; p < perms; p++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      const t = lab[i];
      lab[i] = lab[j];
      lab[j] = t;
    }
    if (unbiased(K, n, lab, nA, nB) >= mmd2) ge++;
  }
  return { mmd2, pValue: (ge + 1) / (perms + 1), bandwidth: h, nA, nB, permutations: perms };
}
