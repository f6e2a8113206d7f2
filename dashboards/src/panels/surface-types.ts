/** The parts of the `surface` topic's payload (streams/surface.ts SurfacePayload) the page reads. */

import type { ExpiryFit } from '../../../src/surface/expiry-fit.ts';

export type { SviRaw } from '../../../src/quant/svi-raw.ts';
/** A fitted expiry as the surface stage publishes it (the server's own type, so the two cannot drift). */
export type ExpiryView = ExpiryFit;

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
