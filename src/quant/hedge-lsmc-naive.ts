/**
 * A reconstruction of the seed's least-squares Monte Carlo hedger, kept as the "before" of the
 * fix in hedge-lsmc.ts and as the bench baseline (the seed's code is not in this repository; this
 * follows its description and the textbook estimator it names): raw monomials S^i v^j,
 * i + j <= degree, unscaled normal equations solved by Gaussian elimination, every ratio a
 * quotient of separately regressed conditional moments,
 *   LRM: xi_k = (E_k[V dX] - E_k[V] E_k[dX]) / (E_k[dX^2] - E_k[dX]^2),  V_k = E_k[V] - xi_k E_k[dX],
 *   MVH (Schweizer 1995, Theorem 2.4, with P_k = prod_{j>k} (1 - beta_j dX_j)):
 *        beta_k = E_k[dX P_k] / E_k[dX^2 P_k^2],   rho_k = E_k[H dX P_k] / E_k[dX^2 P_k^2],
 *        c = E[H P_{-1}] / E[P_{-1}],  xi_k = rho_k - beta_k (c + G_{k-1}),
 * with no clipping, so that evaluateStrategy can count how often the seed's bounds (10, 50)
 * would have been hit.
 */
import type { HedgedOption, HedgePaths } from './hedge-lsmc-paths.ts';
import { discountedPayoffs } from './hedge-lsmc-paths.ts';
import type { HedgeStrategy } from './hedge-lsmc-evaluate.ts';

/** Raw monomials S^i v^j, i + j <= d, into out[off..]. */
function rawRow(d: number, S: number, v: number, out: Float64Array, off: number): void {
  let j = off;
  for (let deg = 0; deg <= d; deg++) for (let i = deg; i >= 0; i--) out[j++] = S ** i * v ** (deg - i);
}

/** Unscaled normal equations by Gaussian elimination with partial pivoting (the naive solve). */
function naiveSolve(A: Float64Array, n: number, p: number, ys: Float64Array[]): Float64Array[] {
  const nt = ys.length;
  const M = new Float64Array(p * (p + nt));
  const w = p + nt;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let j = 0; j < p; j++) {
      const aj = A[o + j];
      for (let l = 0; l < p; l++) M[j * w + l] += aj * A[o + l];
      for (let t = 0; t < nt; t++) M[j * w + p + t] += aj * ys[t][i];
    }
  }
  for (let c = 0; c < p; c++) {
    let best = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(M[r * w + c]) > Math.abs(M[best * w + c])) best = r;
    if (best !== c) for (let l = 0; l < w; l++) [M[c * w + l], M[best * w + l]] = [M[best * w + l], M[c * w + l]];
    const piv = M[c * w + c];
    for (let r = c + 1; r < p; r++) {
      const f = piv === 0 ? 0 : M[r * w + c] / piv;
      if (f !== 0) for (let l = c; l < w; l++) M[r * w + l] -= f * M[c * w + l];
    }
  }
  const out: Float64Array[] = [];
  for (let t = 0; t < nt; t++) {
    const x = new Float64Array(p);
    for (let r = p - 1; r >= 0; r--) {
      let s = M[r * w + p + t];
      for (let l = r + 1; l < p; l++) s -= M[r * w + l] * x[l];
      const piv = M[r * w + r];
      x[r] = piv === 0 ? 0 : s / piv;
    }
    out.push(x);
  }
  return out;
}

function dot(A: Float64Array, o: number, c: Float64Array): number {
  let s = 0;
  for (let j = 0; j < c.length; j++) s += A[o + j] * c[j];
  return s;
}

/** The seed-like fit: per date, regression coefficients of the moments its ratios divide. */
export interface NaiveHedge {
  method: 'LRM' | 'MVH';
  degree: number;
  /** LRM: [E V dX, E V, E dX, E dX^2]; MVH: [E dX P, E dX^2 P^2, E H dX P] coefficients per date. */
  coef: Float64Array[][];
  V0: number;
  paths: HedgePaths['market'];
}

/** Fits the seed-like LRM or MVH on paths (degree of the raw monomials, default 2). */
export function fitNaiveHedge(p: HedgePaths, option: HedgedOption, method: 'LRM' | 'MVH', degree = 2): NaiveHedge {
  const n = p.paths, N = p.steps, stride = N + 1;
  const pb = ((degree + 1) * (degree + 2)) / 2;
  const A = new Float64Array(n * pb);
  const H = discountedPayoffs(p, option);
  const V = Float64Array.from(H);
  const P = new Float64Array(n).fill(1);
  const dX = new Float64Array(n);
  const coef: Float64Array[][] = new Array(N);
  const t0 = new Float64Array(n), t1 = new Float64Array(n), t2 = new Float64Array(n), t3 = new Float64Array(n);
  for (let k = N - 1; k >= 0; k--) {
    for (let i = 0; i < n; i++) {
      const o = i * stride + k;
      rawRow(degree, p.S[o], p.v[o], A, i * pb);
      dX[i] = p.X[o + 1] - p.X[o];
    }
    if (method === 'LRM') {
      for (let i = 0; i < n; i++) { t0[i] = V[i] * dX[i]; t1[i] = V[i]; t2[i] = dX[i]; t3[i] = dX[i] * dX[i]; }
      const c = naiveSolve(A, n, pb, [t0, t1, t2, t3]);
      coef[k] = c;
      for (let i = 0; i < n; i++) {
        const o = i * pb;
        const eV = dot(A, o, c[1]), eX = dot(A, o, c[2]);
        const xi = (dot(A, o, c[0]) - eV * eX) / (dot(A, o, c[3]) - eX * eX);
        V[i] = eV - xi * eX;
      }
    } else {
      for (let i = 0; i < n; i++) { t0[i] = dX[i] * P[i]; t1[i] = dX[i] * dX[i] * P[i] * P[i]; t2[i] = H[i] * dX[i] * P[i]; }
      const c = naiveSolve(A, n, pb, [t0, t1, t2]);
      coef[k] = c;
      for (let i = 0; i < n; i++) {
        const o = i * pb;
        const beta = dot(A, o, c[0]) / dot(A, o, c[1]);
        P[i] *= 1 - beta * dX[i];
      }
    }
  }
  let V0: number;
  if (method === 'LRM') {
    V0 = V.reduce((s, x) => s + x, 0) / n;
  } else {
    let hp = 0, pp = 0;
    for (let i = 0; i < n; i++) { hp += H[i] * P[i]; pp += P[i]; }
    V0 = hp / pp;
  }
  return { method, degree, coef, V0, paths: p.market };
}

/** The seed-like fit as a strategy (unclipped; its value process is not tracked: cost correlation NaN). */
export function naiveStrategy(h: NaiveHedge): HedgeStrategy {
  const pb = ((h.degree + 1) * (h.degree + 2)) / 2;
  const row = new Float64Array(pb);
  const m = h.paths;
  const dt = m.T / m.steps;
  return {
    name: `seed-like ${h.method}`,
    V0: h.V0,
    at(k, S, v, wealth, out) {
      rawRow(h.degree, S, v, row, 0);
      const c = h.coef[k];
      let xi: number;
      if (h.method === 'LRM') {
        const eX = dot(row, 0, c[2]);
        xi = (dot(row, 0, c[0]) - dot(row, 0, c[1]) * eX) / (dot(row, 0, c[3]) - eX * eX);
      } else {
        const den = dot(row, 0, c[1]);
        xi = (dot(row, 0, c[2]) - dot(row, 0, c[0]) * wealth) / den;
      }
      out.shares = xi * Math.exp(m.q * k * dt);
      out.value = NaN;
    },
  };
}
