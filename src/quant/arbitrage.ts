/**
 * Static-arbitrage diagnostics for any fitted surface, reported with where they fail:
 * - butterfly: Durrleman's condition g(k) >= 0 on a k grid per expiry (Gatheral and Jacquier
 *   2014, Lemma 2.2; g as in svi-raw.ts), from the surface's closed-form derivatives when it has
 *   them, else from central differences of w = iv^2 T;
 * - calendar: total variance non-decreasing in T at fixed k (ibid., Lemma 2.1), between each pair
 *   of consecutive expiries.
 * Consecutive failing grid points form one region, reported with its worst point.
 */
import { durrlemanG } from './svi-raw.ts';
import type { VolSurface } from './surface-types.ts';

/** One region of arbitrage. */
export interface ArbitrageFlag {
  kind: 'butterfly' | 'calendar';
  /** The expiry (butterfly) or the later of the two expiries compared (calendar). */
  T: number;
  /** The earlier expiry of a calendar pair. */
  T0?: number;
  /** k range of the region (grid points) and its worst point. */
  kFrom: number;
  kTo: number;
  k: number;
  /** g(k) at the worst point (butterfly), or w(k, T) - w(k, T0) (calendar): negative. */
  value: number;
}

/** The report: flags and the worst values seen (min g, min calendar difference). */
export interface ArbitrageReport {
  ok: boolean;
  butterfly: ArbitrageFlag[];
  calendar: ArbitrageFlag[];
  minG: number;
  minCalendar: number;
}

/** Options: the k grid and the tolerances below zero that still count as no arbitrage. */
export interface ArbitrageOptions {
  /** k grid (default 201 points over [-1.5, 1.5]). */
  k?: ArrayLike<number>;
  /** g below -tolG is a butterfly flag (default 1e-9 closed form, 1e-6 finite differences). */
  tolG?: number;
  /** w(T) - w(T0) below -tolW is a calendar flag (default 1e-12). */
  tolW?: number;
  /** Finite-difference step in k when the surface has no closed-form derivatives (default 1e-3). */
  h?: number;
}

function regions(kind: ArbitrageFlag['kind'], T: number, T0: number | undefined, k: Float64Array, v: Float64Array, tol: number): ArbitrageFlag[] {
  const out: ArbitrageFlag[] = [];
  let cur: ArbitrageFlag | null = null;
  for (let i = 0; i < k.length; i++) {
    if (v[i] < -tol || Number.isNaN(v[i])) {
      if (!cur) { cur = { kind, T, ...(T0 !== undefined ? { T0 } : {}), kFrom: k[i], kTo: k[i], k: k[i], value: v[i] }; out.push(cur); }
      cur.kTo = k[i];
      if (v[i] < cur.value || Number.isNaN(v[i])) { cur.value = v[i]; cur.k = k[i]; }
    } else {
      cur = null;
    }
  }
  return out;
}

function derivs(s: VolSurface, k: number, T: number, h: number): [number, number, number] {
  if (s.totalVarianceDerivs) return s.totalVarianceDerivs(k, T);
  const iv = s.predict(Float64Array.of(k - h, k, k + h), Float64Array.of(T, T, T));
  const wm = iv[0] * iv[0] * T, w0 = iv[1] * iv[1] * T, wp = iv[2] * iv[2] * T;
  return [w0, (wp - wm) / (2 * h), (wp - 2 * w0 + wm) / (h * h)];
}

/** Durrleman's g on the k grid at expiry T. */
export function densityFactor(s: VolSurface, T: number, k: ArrayLike<number>, h = 1e-3): Float64Array {
  const g = new Float64Array(k.length);
  for (let i = 0; i < k.length; i++) {
    const [w, w1, w2] = derivs(s, k[i], T, h);
    g[i] = w > 0 ? durrlemanG(k[i], w, w1, w2) : NaN;
  }
  return g;
}

/** Checks a surface for butterfly arbitrage at each expiry and calendar arbitrage between them. */
export function arbitrageReport(s: VolSurface, expiries: ArrayLike<number>, opts: ArbitrageOptions = {}): ArbitrageReport {
  const k = Float64Array.from(opts.k ?? Array.from({ length: 201 }, (_, i) => -1.5 + 0.015 * i));
  for (let i = 0; i < k.length; i++) if (!Number.isFinite(k[i])) throw new RangeError(`opts.k[${i}] must be finite, got ${k[i]}`);
  const Ts = Float64Array.from(expiries).sort();
  for (let j = 0; j < Ts.length; j++) if (!(Ts[j] > 0 && Number.isFinite(Ts[j]))) throw new RangeError(`expiries must be finite years > 0, got ${Ts[j]}`);
  const h = opts.h ?? 1e-3;
  const tolG = opts.tolG ?? (s.totalVarianceDerivs ? 1e-9 : 1e-6);
  const tolW = opts.tolW ?? 1e-12;
  const butterfly: ArbitrageFlag[] = [], calendar: ArbitrageFlag[] = [];
  let minG = Infinity, minCalendar = Infinity;
  let prev: Float64Array | null = null;
  for (let j = 0; j < Ts.length; j++) {
    const g = densityFactor(s, Ts[j], k, h);
    for (const v of g) minG = Math.min(minG, Number.isNaN(v) ? -Infinity : v);
    butterfly.push(...regions('butterfly', Ts[j], undefined, k, g, tolG));
    const w = new Float64Array(k.length);
    for (let i = 0; i < k.length; i++) w[i] = derivs(s, k[i], Ts[j], h)[0];
    if (prev) {
      const d = new Float64Array(k.length);
      for (let i = 0; i < k.length; i++) { d[i] = w[i] - prev[i]; minCalendar = Math.min(minCalendar, d[i]); }
      calendar.push(...regions('calendar', Ts[j], Ts[j - 1], k, d, tolW));
    }
    prev = w;
  }
  return { ok: butterfly.length === 0 && calendar.length === 0, butterfly, calendar, minG, minCalendar };
}
