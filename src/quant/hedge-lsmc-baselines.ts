/**
 * Classical baselines for the quadratic hedgers, as strategies on the same paths: the
 * Black-Scholes delta at the option's implied vol at t = 0 (from the model price), and the
 * Heston (or Bates) delta and minimum-variance delta dC/dS + (rho sigma / S) dC/dv at the path's
 * own (S, v), from heston-greeks.ts under the risk-neutral parameters.
 *
 * Heston greeks cost one characteristic-function pass per (date, v), so they are tabulated once
 * per date on a grid of sqrt v and of ln(K/S), using the homogeneity of the model in (S, K):
 * C(S, K) = S c(K/S), so delta and the minimum-variance delta depend on S and K through K/S
 * only, and one pass at S = 1 over many strikes gives a whole row. Between nodes: bilinear in
 * (sqrt v, ln(K/S)); beyond the grid: its edge (deep in or out of the money, where the delta is
 * flat).
 */
import { bsPrice, bsGreeks } from './black-scholes.ts';
import { hestonGreeks } from './heston-greeks.ts';
import { hestonPrices, type BatesParams, type HestonParams } from './heston.ts';
import { impliedVol } from './implied-vol.ts';
import type { HedgedOption, HedgeMarket } from './hedge-lsmc-paths.ts';
import type { HedgeStrategy } from './hedge-lsmc-evaluate.ts';

/** The option's Black-Scholes implied vol at t = 0 under the model's price. */
export function modelImpliedVol(params: HestonParams | BatesParams, m: HedgeMarket, o: HedgedOption): number {
  const price = hestonPrices(params, m.S0, m.T, m.r, m.q, [o.K], o.call)[0];
  const iv = impliedVol(price, m.S0, o.K, m.T, m.r, m.q, o.call ? 'C' : 'P');
  if (!Number.isFinite(iv.iv)) throw new RangeError(`no implied vol for the model price ${price} of K=${o.K}: ${iv.status}`);
  return iv.iv;
}

/** Black-Scholes delta hedge at a constant vol (default the model implied vol at t = 0). */
export function blackScholesStrategy(params: HestonParams | BatesParams, m: HedgeMarket, o: HedgedOption, vol?: number): HedgeStrategy {
  const sigma = vol ?? modelImpliedVol(params, m, o);
  const right = o.call ? 'C' : 'P';
  const dt = m.T / m.steps;
  return {
    name: 'BS delta',
    V0: bsPrice(m.S0, o.K, m.T, m.r, m.q, sigma, right),
    at(k, S, _v, _w, out) {
      const t = k * dt;
      const g = bsGreeks(S, o.K, m.T - t, m.r, m.q, sigma, right);
      out.shares = g.delta;
      out.value = g.price * Math.exp(-m.r * t);
    },
  };
}

/** Heston greeks tabulated per date on (sqrt v, ln(K/S)). */
export interface HestonDeltaTable {
  /** sqrt v nodes (uniform from 0). */
  sqrtV: Float64Array;
  /** ln(K/S) nodes (uniform). */
  x: Float64Array;
  /** [date][iv * nx + ix]: price at S = 1, delta, minimum-variance delta. */
  price: Float64Array[];
  delta: Float64Array[];
  mvDelta: Float64Array[];
}

/** Grid sizes of the table. */
export interface TableOptions {
  /** sqrt v nodes from 0 to sqrt(vMax) (default 24). */
  nv?: number;
  /** Largest variance tabulated. */
  vMax: number;
  /** ln(K/S) nodes over [-xMax, xMax] (default 401, xMax 0.8). */
  nx?: number;
  xMax?: number;
  signal?: AbortSignal;
}

/** Tabulates the model's price, delta and minimum-variance delta of the option at every date. */
export function hestonDeltaTable(params: HestonParams | BatesParams, m: HedgeMarket, o: HedgedOption, t: TableOptions): HestonDeltaTable {
  const nv = t.nv ?? 24;
  const nx = t.nx ?? 401;
  const xMax = t.xMax ?? 0.8;
  if (!(t.vMax > 0)) throw new RangeError(`vMax must be > 0, got ${String(t.vMax)}`);
  const sqrtV = Float64Array.from({ length: nv }, (_, i) => (Math.sqrt(t.vMax) * i) / (nv - 1));
  const x = Float64Array.from({ length: nx }, (_, i) => -xMax + (2 * xMax * i) / (nx - 1));
  const strikes = x.map((xi) => Math.exp(xi));
  const dt = m.T / m.steps;
  const price: Float64Array[] = [], delta: Float64Array[] = [], mvDelta: Float64Array[] = [];
  for (let k = 0; k < m.steps; k++) {
    if (t.signal?.aborted) throw new Error(`Heston delta table aborted at date ${k}`);
    const P = new Float64Array(nv * nx), D = new Float64Array(nv * nx), M = new Float64Array(nv * nx);
    for (let iv = 0; iv < nv; iv++) {
      const g = hestonGreeks({ ...params, v0: sqrtV[iv] ** 2 }, 1, m.T - k * dt, m.r, m.q, strikes, o.call);
      P.set(g.price, iv * nx);
      D.set(g.delta, iv * nx);
      M.set(g.mvDelta, iv * nx);
    }
    price.push(P); delta.push(D); mvDelta.push(M);
  }
  return { sqrtV, x, price, delta, mvDelta };
}

/** Bilinear read of one table layer at (sqrt v, ln(K/S)), clamped to the grid. */
export function readTable(t: HestonDeltaTable, layer: Float64Array, v: number, x: number): number {
  const nv = t.sqrtV.length, nx = t.x.length;
  const hv = t.sqrtV[1] - t.sqrtV[0];
  const hx = t.x[1] - t.x[0];
  let fv = Math.sqrt(Math.max(v, 0)) / hv;
  let fx = (x - t.x[0]) / hx;
  fv = Math.min(Math.max(fv, 0), nv - 1);
  fx = Math.min(Math.max(fx, 0), nx - 1);
  const iv = Math.min(Math.floor(fv), nv - 2), ix = Math.min(Math.floor(fx), nx - 2);
  const av = fv - iv, ax = fx - ix;
  const a = layer[iv * nx + ix], b = layer[iv * nx + ix + 1];
  const c = layer[(iv + 1) * nx + ix], d = layer[(iv + 1) * nx + ix + 1];
  return (1 - av) * ((1 - ax) * a + ax * b) + av * ((1 - ax) * c + ax * d);
}

/** Heston (Bates) delta, or minimum-variance delta, hedge from a table. */
export function hestonTableStrategy(t: HestonDeltaTable, m: HedgeMarket, o: HedgedOption, kind: 'delta' | 'mvDelta', V0: number): HedgeStrategy {
  const dt = m.T / m.steps;
  return {
    name: kind === 'delta' ? 'Heston delta' : 'min-variance delta',
    V0,
    at(k, S, v, _w, out) {
      const x = Math.log(o.K / S);
      out.shares = readTable(t, kind === 'delta' ? t.delta[k] : t.mvDelta[k], v, x);
      out.value = S * readTable(t, t.price[k], v, x) * Math.exp(-m.r * k * dt);
    },
  };
}
