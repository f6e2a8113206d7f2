/**
 * What a hedge method is told about the market at a position's expiry: years to settlement from
 * an event time, and the contract's implied vol, forward, discount, rate and yield read off a
 * live surface snapshot (the `surface` topic's SVI slices).
 *
 * Reading the surface: an expiry the surface fitted (same date and root, else same date) gives
 * its own forward, discount, r, q and SVI vol at k = ln(K / F). Between fitted expiries, r and q
 * are interpolated linearly in T, F = S e^{(r - q) T}, and total variance linearly in T at fixed
 * k (the usual calendar interpolation, arbitrage-free when the slices are); outside them the vol
 * of the nearest slice at the same k is held flat. T on the surface is counted from the
 * surface's own event time, as its slices were fitted; the vol is then used at the tick's T.
 */
import { sviW } from '../quant/svi-raw.ts';
import type { ExpiryFit } from '../surface/expiry-fit.ts';
import type { SurfaceFit } from '../surface/surface-assemble.ts';
import { settlementMicros } from '../ticks/settlement.ts';
import type { Instrument } from '../positions/schema.ts';
import type { SurfaceInput } from './method.ts';

/** ACT/365: microseconds per year. */
export const MICROS_PER_YEAR = 365 * 86_400e6;

/** The root whose settlement rule an instrument follows (ES-like SPX futures settle like SPX AM options). */
export function settlementRoot(ins: Instrument): string {
  if (ins.kind === 'option') return ins.root ?? 'SPX';
  return ins.underlying === 'VIX' ? 'VX' : 'SPX';
}

/** Settlement instant of an instrument, epoch microseconds. */
export function instrumentSettlement(ins: Instrument): number {
  const s = settlementMicros(settlementRoot(ins), ins.expiry);
  if (s === undefined) throw new RangeError(`no settlement rule for ${settlementRoot(ins)} (expiry ${ins.expiry})`);
  return s;
}

/** ACT/365 years from event time `ts` (epoch microseconds) to the instrument's settlement; 0 once settled. */
export function yearsToExpiry(ins: Instrument, ts: number): number {
  return Math.max(0, (instrumentSettlement(ins) - ts) / MICROS_PER_YEAR);
}

function sliceQ(e: ExpiryFit, spot: number | null): number {
  if (e.q !== null) return e.q;
  return spot && spot > 0 ? e.r - Math.log(e.forward / spot) / e.T : 0;
}

function sliceVol(e: ExpiryFit, k: number): number | null {
  const w = sviW(e.svi, k);
  return w > 0 && e.T > 0 ? Math.sqrt(w / e.T) : null;
}

/**
 * The surface at an instrument's expiry: the contract's vol (options only), forward, discount,
 * r and q. Null when the surface has no fitted expiry or no spot to interpolate with.
 */
export function surfaceAt(surface: SurfaceFit, ins: Instrument, spot: number): SurfaceInput | null {
  const slices = surface.expiries;
  if (slices.length === 0) return null;
  const root = settlementRoot(ins);
  const exact = slices.find((e) => e.expiry === ins.expiry && e.root === root) ?? slices.find((e) => e.expiry === ins.expiry);
  const S = surface.spot ?? spot;
  if (exact) {
    const iv = ins.kind === 'option' ? sliceVol(exact, Math.log(ins.strike / exact.forward)) : null;
    return { iv, forward: exact.forward, discount: exact.discount, r: exact.r, q: sliceQ(exact, S), ts: surface.ts };
  }
  const T = (instrumentSettlement(ins) - surface.ts) / MICROS_PER_YEAR;
  if (!(T > 0)) return null;
  const j = slices.findIndex((e) => e.T >= T);
  let r: number, q: number, iv: number | null = null;
  const F = (rr: number, qq: number) => S * Math.exp((rr - qq) * T);
  if (j <= 0) {
    // Before the first slice or after the last: that slice's rates and vol at the same k.
    const e = j === 0 ? slices[0] : slices[slices.length - 1];
    r = e.r;
    q = sliceQ(e, S);
    if (ins.kind === 'option') iv = sliceVol(e, Math.log(ins.strike / F(r, q)));
  } else {
    const a = slices[j - 1], b = slices[j];
    const x = (T - a.T) / (b.T - a.T);
    r = a.r + x * (b.r - a.r);
    q = sliceQ(a, S) + x * (sliceQ(b, S) - sliceQ(a, S));
    if (ins.kind === 'option') {
      const k = Math.log(ins.strike / F(r, q));
      const wa = sviW(a.svi, k), wb = sviW(b.svi, k);
      const w = wa + x * (wb - wa);
      iv = w > 0 ? Math.sqrt(w / T) : null;
    }
  }
  return { iv, forward: F(r, q), discount: Math.exp(-r * T), r, q, ts: surface.ts };
}
