/**
 * The cross-expiry part of a surface: given the per-expiry fits (expiry-fit.ts), an SSVI surface
 * across expiries (quant/ssvi-fit.ts), the surface the grid and the arbitrage report are read
 * from (per-expiry SVI slices by default; SSVI, grid interpolation or kernel regression on
 * request), its static-arbitrage report (quant/arbitrage.ts) and a grid of implied vols in
 * log-moneyness x maturity.
 *
 * SSVI weights: within an expiry, the SVI fit's bid-ask weights normalised to sum to one, then
 * divided by the square of that expiry's SVI at-the-money total variance, so every expiry counts
 * about equally in relative total-variance error (total variance grows with T, and its bid-ask
 * spreads shrink with it, so raw weights would let the shortest expiry decide everything).
 *
 * Heston: on request (opts.heston, with a loaded surrogate), calibrated to the SVI slices' grid
 * targets (heston-calibrate.ts); a failure is reported in `hestonError`, never thrown.
 */
import { arbitrageReport, type ArbitrageFlag } from '../quant/arbitrage.ts';
import { fitSsvi } from '../quant/ssvi-fit.ts';
import type { SsviParams, SsviPhi } from '../quant/ssvi.ts';
import { fitGridInterp } from '../quant/surface-grid-interp.ts';
import { fitKernel } from '../quant/surface-kernel.ts';
import { SviSurface } from '../quant/svi-surface.ts';
import type { SurfacePoints, VolSurface } from '../quant/surface-types.ts';
import { fitPoints, type ExpiryFit, type ExpiryResult, type ExpirySkip } from './expiry-fit.ts';
import { calibrateSurfaceHeston, type HestonFitOptions, type HestonOut } from './heston-calibrate.ts';

/** Surfaces the grid and arbitrage report can be read from. */
export const SURFACE_METHODS = ['svi', 'ssvi', 'grid', 'kernel'] as const;
export type SurfaceMethod = (typeof SURFACE_METHODS)[number];

/** Options of the cross-expiry fit. */
export interface SurfaceOptions {
  /** Surface for the grid and the arbitrage report (default 'svi'). */
  method?: SurfaceMethod;
  /** Fit SSVI across expiries (default true). */
  ssvi?: boolean;
  /** Start of the SSVI fit's global parameters, e.g. the previous fit of the same underlying (default: a fixed start). */
  ssviInit?: SsviParams;
  /** SSVI phi family (default 'power-law'). */
  ssviPhi?: SsviPhi['kind'];
  /** Log-moneyness nodes of the IV grid (default -0.5 to 0.3 by 0.05). */
  gridK?: readonly number[];
  /** Maturity nodes of the IV grid, years, kept where inside the fitted expiries' range (default 1w, 2w, 1m, 2m, 3m, 6m, 9m, 1y, 18m, 2y). */
  gridT?: readonly number[];
  /** Points of the arbitrage check's k grid, spanning the fitted quotes' k range (default 121). */
  arbitragePoints?: number;
  /** Bid-ask vol spread floor of the weights (as the expiry fits; default 0.001). */
  minIvSpread?: number;
  /** Most quotes per expiry in the SSVI fit, evenly spread over the expiry's k order (default 40; the fit's cost grows with the quotes, its 3 global parameters need few). */
  ssviQuotesPerExpiry?: number;
  /** Calibrate Heston to the SVI slices (off unless given; needs a loaded surrogate). */
  heston?: HestonFitOptions;
}

/** The SSVI fit as published. */
export interface SsviOut {
  rho: number;
  phi: SsviPhi;
  /** ATM total variance per fitted expiry. */
  thetas: Array<{ key: string; T: number; theta: number }>;
  /** Weighted RMSE in implied vol (the fitter's own figure). */
  rmseIv: number;
}

/** The arbitrage report as published. */
export interface ArbitrageOut {
  ok: boolean;
  butterflyCount: number;
  calendarCount: number;
  minG: number;
  minCalendar: number;
  /** k range checked. */
  kFrom: number;
  kTo: number;
  flags: ArbitrageFlag[];
}

/** A surface snapshot: what the `surface` topic carries and what `volrisk surface` summarises. */
export interface SurfaceFit {
  underlying: string;
  ts: number;
  spot: number | null;
  method: SurfaceMethod;
  expiries: ExpiryFit[];
  skipped: ExpirySkip[];
  ssvi: SsviOut | null;
  /** Why the SSVI fit is missing, when it is (and was asked for). */
  ssviError?: string;
  arbitrage: ArbitrageOut | null;
  /** iv[j][i] at (k[i], T[j]); null where the surface gives no vol. */
  grid: { k: number[]; T: number[]; iv: Array<Array<number | null>> };
  /** RMSE in IV and in bid-ask units over every fitted quote of every expiry (SVI slices). */
  rmseIv: number;
  rmseSpread: number;
  /** Heston calibration (null: not asked for, or failed). */
  heston: HestonOut | null;
  /** Why the Heston calibration is missing, when it is (and was asked for). */
  hestonError?: string;
  /** Error of the chosen surface, when it could not be built. */
  error?: string;
}

const DEFAULT_GRID_K = Array.from({ length: 17 }, (_, i) => Math.round((-0.5 + 0.05 * i) * 100) / 100);
const DEFAULT_GRID_T = [7, 14, 30, 61, 91, 182, 273, 365, 547, 730].map((d) => d / 365);

/** Builds the cross-expiry surface from per-expiry results (fitted and skipped, any order). */
export function assembleSurface(underlying: string, ts: number, spot: number | null, results: readonly ExpiryResult[], opts: SurfaceOptions = {}): SurfaceFit {
  const method = opts.method ?? 'svi';
  if (!SURFACE_METHODS.includes(method)) throw new RangeError(`surface method must be one of ${SURFACE_METHODS.join(', ')}, got ${String(method)}`);
  const expiries = results.filter((r): r is ExpiryFit => r.status === 'fitted').sort((a, b) => a.T - b.T || a.key.localeCompare(b.key));
  const skipped = results.filter((r): r is ExpirySkip => r.status === 'skipped').sort((a, b) => a.T - b.T || a.key.localeCompare(b.key));
  // Two expiries at one T (possible only with cached fits of different ages) cannot both be slices.
  const slices = expiries.filter((e, j) => j === 0 || e.T > expiries[j - 1].T);
  let se = 0, ss = 0, n = 0;
  for (const e of expiries) { se += e.rmseIv ** 2 * e.n; ss += e.rmseSpread ** 2 * e.n; n += e.n; }
  const out: SurfaceFit = {
    underlying, ts, spot, method, expiries, skipped, ssvi: null, heston: null, arbitrage: null, grid: { k: [], T: [], iv: [] },
    rmseIv: n > 0 ? Math.sqrt(se / n) : NaN, rmseSpread: n > 0 ? Math.sqrt(ss / n) : NaN,
  };
  if (slices.length === 0) return out;
  const pts = points(slices, opts.minIvSpread, opts.ssviQuotesPerExpiry ?? 40);
  let ssvi;
  if (opts.ssvi ?? true) {
    try {
      ssvi = fitSsvi(pts.ssvi, { phi: opts.ssviPhi, init: opts.ssviInit });
      out.ssvi = {
        rho: ssvi.params.rho, phi: ssvi.params.phi, rmseIv: ssvi.rmseIv,
        thetas: slices.map((e, j) => ({ key: e.key, T: e.T, theta: ssvi!.thetas[j] })),
      };
    } catch (e) {
      out.ssviError = (e as Error).message;
    }
  }
  if (opts.heston) {
    try {
      out.heston = calibrateSurfaceHeston(slices, ts, opts.heston, opts.minIvSpread);
    } catch (e) {
      out.hestonError = (e as Error).message;
    }
  }
  let surface: VolSurface;
  try {
    surface =
      method === 'svi' ? new SviSurface(slices.map((e) => ({ T: e.T, params: e.svi, n: e.n, rmseIv: e.rmseIv })))
      : method === 'ssvi' ? (ssvi ?? fitSsvi(pts.ssvi, { phi: opts.ssviPhi }))
      : method === 'grid' ? fitGridInterp(pts.plain)
      : fitKernel(pts.plain);
  } catch (e) {
    out.error = `${method} surface: ${(e as Error).message}`;
    return out;
  }
  const Ts = slices.map((e) => e.T);
  const m = opts.arbitragePoints ?? 121;
  const ka = Array.from({ length: m }, (_, i) => pts.kMin + ((pts.kMax - pts.kMin) * i) / Math.max(m - 1, 1));
  const rep = arbitrageReport(surface, Ts, { k: ka });
  out.arbitrage = {
    ok: rep.ok, butterflyCount: rep.butterfly.length, calendarCount: rep.calendar.length, minG: rep.minG, minCalendar: rep.minCalendar,
    kFrom: pts.kMin, kTo: pts.kMax, flags: [...rep.butterfly, ...rep.calendar],
  };
  const gk = [...(opts.gridK ?? DEFAULT_GRID_K)];
  const gT = (opts.gridT ?? DEFAULT_GRID_T).filter((T) => T >= Ts[0] && T <= Ts[Ts.length - 1]);
  const g = surface.predictGrid(gk, gT);
  out.grid = { k: gk, T: gT, iv: gT.map((_, j) => gk.map((_, i) => { const v = g.iv[j * gk.length + i]; return Number.isFinite(v) ? v : null; })) };
  return out;
}

/** One slice's share of the points: plain (bid-ask weights normalised) and SSVI-weighted (a picked subset). */
interface SlicePoints {
  minIvSpread: number | undefined;
  perExpiry: number;
  k: number[]; iv: number[]; weight: number[];
  sk: number[]; siv: number[]; sweight: number[];
}

/** A slice's points depend on its fit alone, and a fit is carried through many snapshots: built once per fit. */
const sliceCache = new WeakMap<ExpiryFit, SlicePoints>();

function slicePoints(e: ExpiryFit, minIvSpread: number | undefined, perExpiry: number): SlicePoints {
  const hit = sliceCache.get(e);
  if (hit && hit.minIvSpread === minIvSpread && hit.perExpiry === perExpiry) return hit;
  const p = fitPoints(e.quotes, e.T, minIvSpread);
  const order = p.k.map((_, i) => i).sort((a, b) => p.k[a] - p.k[b]);
  const m = Math.min(perExpiry, order.length);
  const pick = Array.from({ length: m }, (_, j) => order[Math.round((j * (order.length - 1)) / Math.max(m - 1, 1))]);
  const sum = p.weight.reduce((a, b) => a + b, 0);
  let sumPick = 0;
  for (const i of pick) sumPick += p.weight[i];
  const theta2 = e.atmW > 0 ? e.atmW * e.atmW : 1;
  const out: SlicePoints = {
    minIvSpread, perExpiry, k: p.k, iv: p.iv, weight: p.weight.map((w) => w / sum),
    sk: pick.map((i) => p.k[i]), siv: pick.map((i) => p.iv[i]), sweight: pick.map((i) => p.weight[i] / sumPick / theta2),
  };
  sliceCache.set(e, out);
  return out;
}

/** The fitted quotes of all slices: SSVI-weighted and plain (bid-ask weights normalised per expiry). */
function points(slices: ExpiryFit[], minIvSpread: number | undefined, perExpiry: number) {
  if (!(Number.isInteger(perExpiry) && perExpiry >= 3)) throw new RangeError(`ssviQuotesPerExpiry must be an integer >= 3, got ${perExpiry}`);
  const plain = { k: [] as number[], T: [] as number[], iv: [] as number[], weight: [] as number[] };
  const ssvi = { k: [] as number[], T: [] as number[], iv: [] as number[], weight: [] as number[] };
  let kMin = Infinity, kMax = -Infinity;
  for (const e of slices) {
    const p = slicePoints(e, minIvSpread, perExpiry);
    for (let i = 0; i < p.k.length; i++) {
      plain.k.push(p.k[i]); plain.T.push(e.T); plain.iv.push(p.iv[i]); plain.weight.push(p.weight[i]);
      kMin = Math.min(kMin, p.k[i]); kMax = Math.max(kMax, p.k[i]);
    }
    for (let i = 0; i < p.sk.length; i++) {
      ssvi.k.push(p.sk[i]); ssvi.T.push(e.T); ssvi.iv.push(p.siv[i]); ssvi.weight.push(p.sweight[i]);
    }
  }
  return { ssvi: ssvi as SurfacePoints, plain: plain as SurfacePoints, kMin, kMax };
}
