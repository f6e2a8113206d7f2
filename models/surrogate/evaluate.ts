/**
 * Test metrics of predicted against exact surfaces on the grid: RMSE, mean and 99th-percentile
 * absolute IV error overall and by bucket (ATM, OTM put, OTM call; short <= 3 months, long), and
 * the share of surfaces with static arbitrage on the grid:
 * - butterfly: Durrleman's g < -tol at an interior point of a maturity row, with w' and w'' from
 *   central differences of w = iv^2 T along the row (uniform in k);
 * - calendar: w at a point of row j-1 above w of row j, linearly interpolated in k, by more than tol.
 * The same check on the exact surfaces gives its false-alarm baseline (exact Heston has none).
 */
import { durrlemanG } from '../../src/quant/svi-raw.ts';
import { GRID_T, N_GRID, N_K, N_T, isShortMaturity, kRow, moneynessBucket } from './grid.ts';

/** Error statistics of one bucket (IV units). */
export interface ErrorStats {
  n: number;
  rmse: number;
  meanAbs: number;
  p99Abs: number;
  maxAbs: number;
}

/** Everything evaluateSurfaces reports. */
export interface SurfaceMetrics {
  surfaces: number;
  all: ErrorStats;
  buckets: Record<'atm' | 'otmPut' | 'otmCall' | 'short' | 'long', ErrorStats>;
  /** Mean absolute error relative to the exact IV. */
  meanRelAbs: number;
  arbitrage: { butterflyShare: number; calendarShare: number; anyShare: number; exactButterflyShare: number; exactCalendarShare: number };
}

function stats(errs: number[]): ErrorStats {
  const a = Float64Array.from(errs, Math.abs).sort();
  let se = 0, sa = 0;
  for (const e of a) { se += e * e; sa += e; }
  const n = a.length;
  return { n, rmse: Math.sqrt(se / n), meanAbs: sa / n, p99Abs: a[Math.min(n - 1, Math.ceil(0.99 * n) - 1)], maxAbs: a[n - 1] };
}

const rowsK = GRID_T.map((_, j) => kRow(j));

/** Arbitrage flags of one grid surface (iv in grid layout at `off`). */
export function gridArbitrage(iv: ArrayLike<number>, off = 0, tol = 1e-6): { butterfly: boolean; calendar: boolean } {
  let butterfly = false, calendar = false;
  const w = new Float64Array(N_GRID);
  for (let g = 0; g < N_GRID; g++) w[g] = iv[off + g] * iv[off + g] * GRID_T[Math.floor(g / N_K)];
  for (let j = 0; j < N_T; j++) {
    const k = rowsK[j], h = k[1] - k[0], o = j * N_K;
    for (let i = 1; i < N_K - 1; i++) {
      const w1 = (w[o + i + 1] - w[o + i - 1]) / (2 * h), w2 = (w[o + i + 1] - 2 * w[o + i] + w[o + i - 1]) / (h * h);
      if (!(durrlemanG(k[i], w[o + i], w1, w2) >= -tol)) butterfly = true;
    }
    if (j === 0) continue;
    const kp = rowsK[j - 1], hk = k[1] - k[0];
    for (let i = 0; i < N_K; i++) {
      const x = (kp[i] - k[0]) / hk, m = Math.min(N_K - 2, Math.max(0, Math.floor(x))), f = x - m;
      const wj = (1 - f) * w[o + m] + f * w[o + m + 1];
      if (!(wj - w[o - N_K + i] >= -tol)) calendar = true;
    }
  }
  return { butterfly, calendar };
}

/** Metrics of `pred` against `exact` (both n x N_GRID, grid layout). */
export function evaluateSurfaces(pred: ArrayLike<number>, exact: ArrayLike<number>, n: number): SurfaceMetrics {
  if (pred.length < n * N_GRID || exact.length < n * N_GRID) throw new RangeError(`evaluateSurfaces: need ${n} surfaces of ${N_GRID} points`);
  const all: number[] = [];
  const b: Record<keyof SurfaceMetrics['buckets'], number[]> = { atm: [], otmPut: [], otmCall: [], short: [], long: [] };
  let rel = 0, bf = 0, cal = 0, any = 0, ebf = 0, ecal = 0;
  for (let s = 0; s < n; s++) {
    for (let j = 0; j < N_T; j++) {
      for (let i = 0; i < N_K; i++) {
        const g = s * N_GRID + j * N_K + i;
        const e = pred[g] - exact[g];
        all.push(e);
        rel += Math.abs(e) / exact[g];
        b[moneynessBucket(i)].push(e);
        b[isShortMaturity(j) ? 'short' : 'long'].push(e);
      }
    }
    const a = gridArbitrage(pred, s * N_GRID), x = gridArbitrage(exact, s * N_GRID);
    if (a.butterfly) bf++;
    if (a.calendar) cal++;
    if (a.butterfly || a.calendar) any++;
    if (x.butterfly) ebf++;
    if (x.calendar) ecal++;
  }
  return {
    surfaces: n,
    all: stats(all),
    buckets: { atm: stats(b.atm), otmPut: stats(b.otmPut), otmCall: stats(b.otmCall), short: stats(b.short), long: stats(b.long) },
    meanRelAbs: rel / all.length,
    arbitrage: { butterflyShare: bf / n, calendarShare: cal / n, anyShare: any / n, exactButterflyShare: ebf / n, exactCalendarShare: ecal / n },
  };
}
