/** The parts of the `surface` topic's payload (streams/surface.ts SurfacePayload) the page reads. */

export interface SviRaw { a: number; b: number; rho: number; m: number; sigma: number }

export interface ExpiryView {
  status: 'fitted';
  key: string;
  root: string;
  expiry: string;
  ts: number;
  T: number;
  forward: number;
  atmIv: number;
  svi: SviRaw;
  n: number;
  rmseIv: number;
  inside: number;
  quotes: { K: number[]; right: Array<'C' | 'P'>; k: number[]; bidIv: Array<number | null>; midIv: Array<number | null>; askIv: Array<number | null>; fit: boolean[] };
}

export interface ArbitrageFlagView { kind: 'butterfly' | 'calendar'; T: number; T0?: number; kFrom: number; kTo: number; k: number; value: number }

export interface SurfaceView {
  underlying: string;
  ts: number;
  spot: number | null;
  method: string;
  expiries: ExpiryView[];
  skipped: Array<{ key: string; T: number; reason: string }>;
  arbitrage: { ok: boolean; butterflyCount: number; calendarCount: number; minG: number; minCalendar: number; kFrom: number; kTo: number; flags: ArbitrageFlagView[] } | null;
  grid: { k: number[]; T: number[]; iv: Array<Array<number | null>> };
  rmseIv: number;
  heston: { params: { v0: number; kappa: number; theta: number; sigma: number; rho: number }; rmseExact: number; ts: number } | null;
  error?: string;
}
