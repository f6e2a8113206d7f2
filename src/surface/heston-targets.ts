/**
 * Heston calibration targets on the surrogate's fixed grid (models/surrogate/grid.ts: 12 k-points
 * x 8 maturities), read from a chain's fitted per-expiry SVI slices. A grid cell (k, T) gets a
 * target only where the chain says something about it: T between the shortest and the longest
 * fitted maturity, and k inside the fitted (out-of-the-money, two-sided) quotes' k-range of every
 * slice it is read from; other cells are NaN, which the calibration skips. Between two slices the
 * total variance is interpolated linearly in T at fixed k (calendar-arbitrage-free slices stay so).
 *
 * Spread rule: each cell's bid-ask spread in IV is, per slice, that of the fitted quote nearest in
 * k (ask IV - bid IV), interpolated in T with the same weights as the total variance, and floored
 * at `minIvSpread` (as the SVI weights are) so no near-zero spread rules the calibration.
 */
import { N_GRID, N_K, N_T, GRID_T, kRow } from '../../models/surrogate/grid.ts';
import { sviW } from '../quant/svi-raw.ts';
import { fitPoints, type ExpiryFit } from './expiry-fit.ts';

/** Targets in grid layout (iv[j * N_K + i] at (kRow(j)[i], GRID_T[j])), NaN where there is none. */
export interface HestonTargets {
  iv: Float64Array;
  spread: Float64Array;
  /** Cells with a target. */
  cells: number;
}

interface Slice { T: number; e: ExpiryFit; k: number[]; spread: number[]; kMin: number; kMax: number }

function slice(e: ExpiryFit, minIvSpread: number): Slice {
  const p = fitPoints(e.quotes, e.T, minIvSpread);
  return {
    T: e.T, e, k: p.k, spread: p.k.map((_, i) => p.askIv[i] - p.bidIv[i]),
    kMin: Math.min(...p.k), kMax: Math.max(...p.k),
  };
}

/** Total variance and spread of slice s at k, or null when k is outside its quoted range. */
function at(s: Slice, k: number): { w: number; spread: number } | null {
  if (!(k >= s.kMin && k <= s.kMax)) return null;
  let best = 0;
  for (let i = 1; i < s.k.length; i++) if (Math.abs(s.k[i] - k) < Math.abs(s.k[best] - k)) best = i;
  return { w: sviW(s.e.svi, k), spread: s.spread[best] };
}

/** Builds the grid targets from fitted expiries (any order; one per maturity is used). */
export function hestonTargets(expiries: readonly ExpiryFit[], minIvSpread = 0.001): HestonTargets {
  if (!(minIvSpread > 0 && Number.isFinite(minIvSpread))) throw new RangeError(`minIvSpread must be a finite number > 0, got ${minIvSpread}`);
  const sorted = [...expiries].sort((a, b) => a.T - b.T);
  const slices = sorted.filter((e, j) => e.n > 0 && (j === 0 || e.T > sorted[j - 1].T)).map((e) => slice(e, minIvSpread));
  const iv = new Float64Array(N_GRID).fill(NaN), spread = new Float64Array(N_GRID).fill(NaN);
  let cells = 0;
  for (let j = 0; j < N_T; j++) {
    const T = GRID_T[j];
    const b = slices.findIndex((s) => s.T >= T);
    if (b < 0 || (b === 0 && slices[0].T > T)) continue;
    const hi = slices[b], lo = slices[b === 0 ? 0 : b - 1];
    const a = hi.T === T || lo === hi ? 1 : (T - lo.T) / (hi.T - lo.T);
    const ks = kRow(j);
    for (let i = 0; i < N_K; i++) {
      const ph = at(hi, ks[i]), pl = a < 1 ? at(lo, ks[i]) : ph;
      if (!ph || !pl) continue;
      const w = (1 - a) * pl.w + a * ph.w;
      if (!(w > 0)) continue;
      const g = j * N_K + i;
      iv[g] = Math.sqrt(w / T);
      spread[g] = Math.max((1 - a) * pl.spread + a * ph.spread, minIvSpread);
      cells++;
    }
  }
  return { iv, spread, cells };
}
