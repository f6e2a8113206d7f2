/**
 * Weighted least squares for the least-squares Monte Carlo hedgers: the normal equations of a
 * design with few columns (up to a few dozen) and many rows (paths), solved by a rank-revealing,
 * diagonally pivoted Cholesky factorisation of the Jacobi-scaled Gram matrix.
 *
 * Why this form: the Gram matrix costs one pass over the paths (n p^2 / 2 multiply-adds, the
 * least a regression on every path can cost), and after scaling every column to unit weighted
 * norm its conditioning depends only on how collinear the columns are, not on their units (a raw
 * monomial S^3 of an index near 3,000 is 1e10 times the constant column; unscaled normal
 * equations lose every digit there). Pivoting on the largest remaining diagonal and stopping
 * when it falls below DROP_TOL drops columns that the kept ones explain to within a fraction
 * DROP_TOL of their norm^2 (for instance every non-constant column at t = 0, where all paths
 * share one state): such a column carries no information a double-precision Gram matrix summed
 * over up to 2^20 paths can resolve (plain summation error n eps ~ 1e-10). Dropped columns get
 * coefficient 0, which is the minimum-norm choice among the (numerically) equivalent solutions.
 *
 * Hand-written numerics: no JS library offers a pivoted Cholesky least-squares solver.
 */

/** Relative size below which a column's part unexplained by the kept columns is treated as zero. */
export const DROP_TOL = 1e-9;

/** Rows per transposed chunk of the Gram accumulation (CHUNK x p doubles stay in L1 for p <= 32). */
const CHUNK = 128;

/** A least-squares solution: one coefficient vector per target, and which columns were kept. */
export interface LsqSolution {
  /** coef[t][j]: coefficient of column j for target t (0 for dropped columns). */
  coef: Float64Array[];
  /** 1 where column j was kept. */
  kept: Uint8Array;
  rank: number;
}

/**
 * Solves min_c sum_i w_i (y_i - sum_j A_ij c_j)^2 for each target y, with A row-major n x p
 * (row i at A[i p .. i p + p)), weights w (all 1 when null; must be >= 0). Throws a RangeError
 * naming the bad input on mismatched sizes or non-finite entries in the Gram matrix.
 */
export function weightedLeastSquares(
  A: Float64Array,
  n: number,
  p: number,
  ys: readonly Float64Array[],
  w: Float64Array | null = null,
): LsqSolution {
  if (!(Number.isInteger(p) && p >= 1)) throw new RangeError(`p (columns) must be an integer >= 1, got ${p}`);
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`n (rows) must be an integer >= 1, got ${n}`);
  if (A.length < n * p) throw new RangeError(`design has ${A.length} entries for ${n} x ${p}`);
  for (const y of ys) if (y.length < n) throw new RangeError(`target has ${y.length} entries for ${n} rows`);
  if (w !== null && w.length < n) throw new RangeError(`weights have ${w.length} entries for ${n} rows`);
  const nt = ys.length;
  const G = new Float64Array(p * p);
  const b = new Float64Array(nt * p);
  // Rows are taken CHUNK at a time and transposed, so each Gram entry is a dot product of two
  // contiguous, L1-resident columns summed in a register (a row-by-row outer-product update
  // loads and stores the Gram entry for every multiply-add: about 3x slower, profiled).
  const ac = new Float64Array(CHUNK * p);
  const wc = new Float64Array(CHUNK * p);
  for (let i0 = 0; i0 < n; i0 += CHUNK) {
    const m = Math.min(CHUNK, n - i0);
    for (let i = 0; i < m; i++) {
      const wi = w === null ? 1 : w[i0 + i];
      const o = (i0 + i) * p;
      for (let j = 0; j < p; j++) {
        const a = A[o + j];
        ac[j * CHUNK + i] = a;
        wc[j * CHUNK + i] = wi * a;
      }
    }
    for (let j = 0; j < p; j++) {
      const wj = j * CHUNK;
      for (let l = j; l < p; l++) {
        const al = l * CHUNK;
        let s0 = 0, s1 = 0;
        let i = 0;
        for (; i + 1 < m; i += 2) {
          s0 += wc[wj + i] * ac[al + i];
          s1 += wc[wj + i + 1] * ac[al + i + 1];
        }
        if (i < m) s0 += wc[wj + i] * ac[al + i];
        G[j * p + l] += s0 + s1;
      }
      for (let t = 0; t < nt; t++) {
        const y = ys[t];
        let s0 = 0;
        for (let i = 0; i < m; i++) s0 += wc[wj + i] * y[i0 + i];
        b[t * p + j] += s0;
      }
    }
  }
  for (let j = 0; j < p; j++) for (let l = 0; l < j; l++) G[j * p + l] = G[l * p + j];
  return solveNormal(G, b, p, nt);
}

/**
 * Solves G c = b_t for each of nt right-hand sides (b row-major nt x p) with G symmetric
 * positive semi-definite, by the scaled, pivoted Cholesky factorisation described in the header.
 */
export function solveNormal(G: Float64Array, b: Float64Array, p: number, nt: number): LsqSolution {
  for (let k = 0; k < G.length; k++) {
    if (!Number.isFinite(G[k])) throw new RangeError(`Gram matrix entry ${k} is not finite (${G[k]}): non-finite design or weights`);
  }
  const s = new Float64Array(p);
  for (let j = 0; j < p; j++) s[j] = G[j * p + j] > 0 ? 1 / Math.sqrt(G[j * p + j]) : 0;
  // M = S G S, unit diagonal on the columns that are not identically zero
  const M = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let l = 0; l < p; l++) M[j * p + l] = G[j * p + l] * s[j] * s[l];
  const perm = Int32Array.from({ length: p }, (_, j) => j);
  const L = new Float64Array(p * p);
  const d = new Float64Array(p);
  for (let j = 0; j < p; j++) d[j] = M[j * p + j];
  let rank = 0;
  for (let k = 0; k < p; k++) {
    let best = k;
    for (let j = k + 1; j < p; j++) if (d[perm[j]] > d[perm[best]]) best = j;
    if (!(d[perm[best]] > DROP_TOL)) break;
    [perm[k], perm[best]] = [perm[best], perm[k]];
    // the rows of L already computed follow their columns
    for (let m = 0; m < k; m++) [L[k * p + m], L[best * p + m]] = [L[best * p + m], L[k * p + m]];
    const pk = perm[k];
    const lkk = Math.sqrt(d[pk]);
    L[k * p + k] = lkk;
    for (let j = k + 1; j < p; j++) {
      const pj = perm[j];
      let sum = M[pj * p + pk];
      for (let m = 0; m < k; m++) sum -= L[j * p + m] * L[k * p + m];
      const ljk = sum / lkk;
      L[j * p + k] = ljk;
      d[pj] -= ljk * ljk;
    }
    rank++;
  }
  const kept = new Uint8Array(p);
  for (let k = 0; k < rank; k++) kept[perm[k]] = 1;
  const coef: Float64Array[] = [];
  const z = new Float64Array(rank);
  for (let t = 0; t < nt; t++) {
    for (let k = 0; k < rank; k++) {
      let sum = b[t * p + perm[k]] * s[perm[k]];
      for (let m = 0; m < k; m++) sum -= L[k * p + m] * z[m];
      z[k] = sum / L[k * p + k];
    }
    for (let k = rank - 1; k >= 0; k--) {
      let sum = z[k];
      for (let m = k + 1; m < rank; m++) sum -= L[m * p + k] * z[m];
      z[k] = sum / L[k * p + k];
    }
    const c = new Float64Array(p);
    for (let k = 0; k < rank; k++) c[perm[k]] = z[k] * s[perm[k]];
    coef.push(c);
  }
  return { coef, kept, rank };
}

/** Fitted values A c for rows 0..n-1 into out (allocated when not given). */
export function fitted(A: Float64Array, n: number, p: number, c: Float64Array, out?: Float64Array): Float64Array {
  const res = out ?? new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    let sum = 0;
    for (let j = 0; j < p; j++) sum += A[o + j] * c[j];
    res[i] = sum;
  }
  return res;
}
