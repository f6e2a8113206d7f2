/**
 * A test fixture shared by the SSVI tests: the implied vols of a Heston surface, 4 expiries
 * (0.25, 0.5, 1, 2 years) x 15 strikes of log-moneyness -0.35..0.35 x sqrt(T), S = 100, r = 2%,
 * q = 0, priced by ./heston.ts and inverted by ./implied-vol.ts.
 */
import type { HestonParams } from './heston-cf.ts';
import { hestonPrices } from './heston.ts';
import { impliedVol } from './implied-vol.ts';
import type { SurfacePoints } from './surface-types.ts';

/** Implied vols of the Heston surface with parameters `hp` on the fixed grid above. */
export function hestonIvPoints(hp: HestonParams): SurfacePoints {
  const S = 100, r = 0.02, q = 0;
  const k: number[] = [], T: number[] = [], iv: number[] = [];
  for (const t of [0.25, 0.5, 1, 2]) {
    const F = S * Math.exp((r - q) * t);
    const ks = Array.from({ length: 15 }, (_, i) => (-0.35 + 0.05 * i) * Math.sqrt(t));
    const K = ks.map((x) => F * Math.exp(x));
    const pr = hestonPrices(hp, S, t, r, q, K, K.map((x) => x >= F));
    ks.forEach((x, i) => { k.push(x); T.push(t); iv.push(impliedVol(pr[i], S, K[i], t, r, q, K[i] >= F ? 'C' : 'P').iv); });
  }
  return { k, T, iv };
}
