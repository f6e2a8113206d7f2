/**
 * The analyst's calculator behind `volrisk price`: one request in, one result out. A request
 * prices European options under Black-Scholes, Heston, Bates or Heston-Nandi GARCH, or inverts a
 * price to implied volatility. Results mirror the request's shape (a number for one strike, an
 * array for many); a bad request gets `{"error": ...}` naming the field, never an exception.
 *
 * Units: S and K in price units; T in years; r and q annual, continuously compounded; Black-Scholes
 * sigma and Heston/Bates v0, theta, sigma annualised; Heston-Nandi parameters daily (a day is 1/252
 * year and T is rounded to whole days, r/252 per day).
 */
import { bsGreeks, bsPrice, type Right } from '../quant/black-scholes.ts';
import { hestonGreeks } from '../quant/heston-greeks.ts';
import { hestonPrices, type BatesParams, type HestonParams } from '../quant/heston.ts';
import { checkHnParams, type HnParams } from '../quant/hn-params.ts';
import { hnDaysFromYears, hnGreeks, hnPrice } from '../quant/hn-price.ts';
import { impliedVol } from '../quant/implied-vol.ts';

export type PriceResult = Record<string, number | null | (number | null)[] | string | (string | null)[]>;

class BadField extends Error {}

type Obj = Record<string, unknown>;

function field(o: Obj, name: string, path = name): unknown {
  if (!(name in o)) throw new BadField(`${path}: missing`);
  return o[name];
}

function number(o: Obj, name: string, rule: 'any' | 'positive' | 'nonneg' = 'any', path = name, dflt?: number): number {
  const v = name in o ? o[name] : dflt;
  if (v === undefined) throw new BadField(`${path}: missing`);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadField(`${path}: expected a finite number, got ${JSON.stringify(v)}`);
  if (rule === 'positive' && !(v > 0)) throw new BadField(`${path}: must be > 0, got ${v}`);
  if (rule === 'nonneg' && !(v >= 0)) throw new BadField(`${path}: must be >= 0, got ${v}`);
  return v;
}

/** K (or price) as given: one number or a non-empty array of numbers. */
function numbers(o: Obj, name: string, rule: 'positive' | 'nonneg'): { values: number[]; array: boolean } {
  const v = field(o, name);
  if (Array.isArray(v)) {
    if (v.length === 0) throw new BadField(`${name}: empty array`);
    if (v.length > 100_000) throw new BadField(`${name}: at most 100,000 values`);
    v.forEach((_, i) => number(v as unknown as Obj, String(i), rule, `${name}[${i}]`));
    return { values: v as number[], array: true };
  }
  return { values: [number(o, name, rule)], array: false };
}

function right(o: Obj): Right {
  const v = field(o, 'right');
  if (v === 'call' || v === 'C') return 'C';
  if (v === 'put' || v === 'P') return 'P';
  throw new BadField(`right: expected "call" or "put", got ${JSON.stringify(v)}`);
}

function params(o: Obj): Obj {
  const p = field(o, 'params');
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new BadField('params: expected an object');
  return p as Obj;
}

function hestonParams(p: Obj): HestonParams {
  const h = {
    v0: number(p, 'v0', 'nonneg', 'params.v0'),
    kappa: number(p, 'kappa', 'positive', 'params.kappa'),
    theta: number(p, 'theta', 'nonneg', 'params.theta'),
    sigma: number(p, 'sigma', 'nonneg', 'params.sigma'),
    rho: number(p, 'rho', 'any', 'params.rho'),
  };
  if (!(h.rho >= -1 && h.rho <= 1)) throw new BadField(`params.rho: must be in [-1, 1], got ${h.rho}`);
  return h;
}

const shape = (xs: ArrayLike<number>, array: boolean): number | null | (number | null)[] => {
  const out = Array.from(xs, (x) => (Number.isFinite(x) ? x : null));
  return array ? out : out[0];
};

/** Evaluates one request; never throws. */
export function evaluatePriceRequest(req: unknown): PriceResult {
  try {
    if (typeof req !== 'object' || req === null || Array.isArray(req)) throw new BadField('request: expected a JSON object');
    const o = req as Obj;
    if (o.op !== undefined && o.op !== 'price' && o.op !== 'iv') throw new BadField(`op: expected "price" or "iv", got ${JSON.stringify(o.op)}`);
    const S = number(o, 'S', 'positive');
    const T = number(o, 'T', 'nonneg');
    const r = number(o, 'r');
    const q = number(o, 'q', 'any', 'q', 0);
    const rt = right(o);
    const K = numbers(o, 'K', 'positive');
    if (o.op === 'iv') return impliedVolRequest(o, S, K, T, r, q, rt);
    const greeks = o.greeks === undefined ? false : o.greeks;
    if (typeof greeks !== 'boolean') throw new BadField(`greeks: expected true or false, got ${JSON.stringify(greeks)}`);
    const model = field(o, 'model');
    switch (model) {
      case 'bs':
        return bsRequest(params(o), S, K, T, r, q, rt, greeks);
      case 'heston':
      case 'bates':
        return hestonRequest(model, params(o), S, K, T, r, q, rt, greeks);
      case 'hn':
        return hnRequest(params(o), S, K, T, r, q, rt, greeks);
      default:
        throw new BadField(`model: expected "bs", "heston", "bates" or "hn", got ${JSON.stringify(model)}`);
    }
  } catch (e) {
    if (e instanceof BadField || e instanceof RangeError) return { error: e.message };
    return { error: `internal error: ${(e as Error).message}` };
  }
}

function bsRequest(p: Obj, S: number, K: { values: number[]; array: boolean }, T: number, r: number, q: number, rt: Right, greeks: boolean): PriceResult {
  const sigma = number(p, 'sigma', 'nonneg', 'params.sigma');
  if (!greeks) return { price: shape(K.values.map((k) => bsPrice(S, k, T, r, q, sigma, rt)), K.array) };
  const g = K.values.map((k) => bsGreeks(S, k, T, r, q, sigma, rt));
  return {
    price: shape(g.map((x) => x.price), K.array),
    delta: shape(g.map((x) => x.delta), K.array),
    gamma: shape(g.map((x) => x.gamma), K.array),
    vega: shape(g.map((x) => x.vega), K.array),
  };
}

function hestonRequest(model: 'heston' | 'bates', p: Obj, S: number, K: { values: number[]; array: boolean }, T: number, r: number, q: number, rt: Right, greeks: boolean): PriceResult {
  const h: HestonParams | BatesParams =
    model === 'heston'
      ? hestonParams(p)
      : { ...hestonParams(p), lambda: number(p, 'lambda', 'nonneg', 'params.lambda'), muJ: number(p, 'muJ', 'any', 'params.muJ'), sigmaJ: number(p, 'sigmaJ', 'nonneg', 'params.sigmaJ') };
  const isCall = rt === 'C';
  if (!greeks) return { price: shape(hestonPrices(h, S, T, r, q, K.values, isCall), K.array) };
  const g = hestonGreeks(h, S, T, r, q, K.values, isCall);
  // Vega as the sensitivity to the instantaneous volatility sqrt(v0): dC/dv0 * 2 sqrt(v0).
  const vega = Float64Array.from(g.dv0, (d) => d * 2 * Math.sqrt(h.v0));
  return {
    price: shape(g.price, K.array),
    delta: shape(g.delta, K.array),
    gamma: shape(g.gamma, K.array),
    vega: shape(vega, K.array),
    dv0: shape(g.dv0, K.array),
    mvDelta: shape(g.mvDelta, K.array),
  };
}

function hnRequest(p: Obj, S: number, K: { values: number[]; array: boolean }, T: number, r: number, q: number, rt: Right, greeks: boolean): PriceResult {
  const hp: HnParams = {
    omega: number(p, 'omega', 'positive', 'params.omega'),
    alpha: number(p, 'alpha', 'nonneg', 'params.alpha'),
    beta: number(p, 'beta', 'nonneg', 'params.beta'),
    gamma: number(p, 'gamma', 'any', 'params.gamma'),
    lambda: number(p, 'lambda', 'any', 'params.lambda'),
  };
  checkHnParams(hp, 'params');
  const h0 = 'h0' in p ? number(p, 'h0', 'positive', 'params.h0') : undefined;
  const spec = { S, K: K.values, Tdays: hnDaysFromYears(T), rDaily: r / 252, qDaily: q / 252, h0, right: rt };
  if (!greeks) return { price: shape(hnPrice(hp, spec), K.array) };
  const g = hnGreeks(hp, spec);
  // Vega as the sensitivity to the annualised volatility of the first day, sigma = sqrt(252 h0).
  const dSigma = 2 * Math.sqrt(252 * g.h0) / 252;
  return {
    price: shape(g.price, K.array),
    delta: shape(g.delta, K.array),
    gamma: shape(g.gamma, K.array),
    vega: shape(Float64Array.from(g.dh0, (d) => d * dSigma), K.array),
  };
}

function impliedVolRequest(o: Obj, S: number, K: { values: number[]; array: boolean }, T: number, r: number, q: number, rt: Right): PriceResult {
  const price = numbers(o, 'price', 'nonneg');
  if (price.array !== K.array || price.values.length !== K.values.length)
    throw new BadField(`price: must have the shape of K (${K.array ? `an array of ${K.values.length}` : 'one number'})`);
  const res = K.values.map((k, i) => impliedVol(price.values[i], S, k, T, r, q, rt));
  const status = res.map((x) => x.status);
  return { iv: shape(res.map((x) => x.iv), K.array), status: K.array ? status : status[0] };
}
