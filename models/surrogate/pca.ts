/**
 * PCA of IV surfaces: mean and leading eigenvectors of the sample covariance, by the cyclic
 * Jacobi eigenvalue method (hand-written: no JS library in this project offers a symmetric
 * eigensolver; the covariance is only N_GRID x N_GRID, so Jacobi's O(n^3) sweeps are cheap and
 * accurate to machine precision).
 */

/** A fitted PCA: surface ~ mean + sum_c coef[c] * components[c]. */
export interface Pca {
  dim: number;
  mean: Float64Array;
  /** nComp x dim, row c is the c-th unit eigenvector (largest variance first). */
  components: Float64Array;
  nComp: number;
  /** All eigenvalues of the covariance, descending. */
  eigenvalues: Float64Array;
}

/** Eigen-decomposition of a symmetric n x n matrix (row-major, not modified): values descending, vectors as rows. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  if (a.length !== n * n) throw new RangeError(`matrix has ${a.length} entries, expected ${n} x ${n}`);
  const A = Float64Array.from(a);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, diag = 0;
    for (let i = 0; i < n; i++) {
      diag += A[i * n + i] * A[i * n + i];
      for (let j = i + 1; j < n; j++) off += A[i * n + j] * A[i * n + j];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (apq === 0) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p], akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k], aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p], vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => A[y * n + y] - A[x * n + x]);
  const values = Float64Array.from(order, (i) => A[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((col, r) => { for (let k = 0; k < n; k++) vectors[r * n + k] = V[k * n + col]; });
  return { values, vectors };
}

/** Fits a PCA with nComp components to the rows (n x dim, row-major) listed in `rows`. */
export function fitPca(x: ArrayLike<number>, dim: number, rows: ArrayLike<number>, nComp: number): Pca {
  if (!(Number.isInteger(nComp) && nComp >= 1 && nComp <= dim)) throw new RangeError(`nComp must be an integer in [1, ${dim}], got ${nComp}`);
  const m = rows.length;
  if (m < 2) throw new RangeError(`fitPca needs at least 2 rows, got ${m}`);
  const mean = new Float64Array(dim);
  for (let r = 0; r < m; r++) for (let d = 0; d < dim; d++) mean[d] += x[rows[r] * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= m;
  const cov = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let r = 0; r < m; r++) {
    for (let d = 0; d < dim; d++) row[d] = x[rows[r] * dim + d] - mean[d];
    for (let i = 0; i < dim; i++) {
      const ri = row[i];
      for (let j = i; j < dim; j++) cov[i * dim + j] += ri * row[j];
    }
  }
  for (let i = 0; i < dim; i++) for (let j = i; j < dim; j++) { cov[i * dim + j] /= m - 1; cov[j * dim + i] = cov[i * dim + j]; }
  const { values, vectors } = symmetricEigen(cov, dim);
  return { dim, mean, components: vectors.slice(0, nComp * dim), nComp, eigenvalues: values };
}

/** Share of the total variance the first nComp components explain. */
export function explainedVariance(p: Pca, nComp = p.nComp): number {
  let tot = 0, part = 0;
  p.eigenvalues.forEach((v, i) => { tot += Math.max(v, 0); if (i < nComp) part += Math.max(v, 0); });
  return part / tot;
}

/** Coefficients of one surface (dim values at `offset`). */
export function pcaProject(p: Pca, x: ArrayLike<number>, offset = 0, out = new Float64Array(p.nComp)): Float64Array {
  for (let c = 0; c < p.nComp; c++) {
    let s = 0;
    for (let d = 0; d < p.dim; d++) s += (x[offset + d] - p.mean[d]) * p.components[c * p.dim + d];
    out[c] = s;
  }
  return out;
}

/** The surface of coefficients `coef`. */
export function pcaReconstruct(p: Pca, coef: ArrayLike<number>, out = new Float64Array(p.dim)): Float64Array {
  out.set(p.mean);
  for (let c = 0; c < p.nComp; c++) for (let d = 0; d < p.dim; d++) out[d] += coef[c] * p.components[c * p.dim + d];
  return out;
}
