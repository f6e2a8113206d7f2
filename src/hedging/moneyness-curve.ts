/**
 * Per-maturity curves of a model's call greeks in forward log-moneyness, so that a tick costs an
 * interpolation per position instead of a Fourier pass per maturity.
 *
 * Why it is exact up to interpolation: under Heston and Heston-Nandi the undiscounted call
 * c(F, K) = e^{rT} C is homogeneous of degree one in (F, K) and does not depend on r or q
 * otherwise (the rates only move the forward F = S e^{(r-q)T}). So at r = q = 0 and F = 1 the
 * functions of y = ln(F / K)
 *   delta(y) = c_F,   fGamma(y) = F c_FF,   mv(y) = c_F + rho sigma c_v / F,   pK(y) = c / K
 * give every strike, spot and rate: delta = e^{-qT} delta(y), gamma = e^{-qT} fGamma(y) / S,
 * minimum-variance delta = e^{-qT} mv(y), price = e^{-rT} K pK(y); puts by parity (delta and mv
 * minus e^{-qT}). The curves are sampled in one pass of the quant core's vectorised pricer on a
 * grid y = a sinh(u), u uniform: dense near the money (a = half the standard deviation of the
 * smaller total variance, where a steep skew with low current variance bends) and reaching
 * +-RANGE_SD standard deviations of the larger one. They are interpolated in u by cubic Hermite
 * where the derivative is known exactly (delta_y = fGamma, pK_y = e^y delta) and by four-point
 * Lagrange otherwise; beyond the grid the payoff's limits hold. Tests check the interpolation
 * against the direct pricer (src/hedging/ratios.test.ts).
 *
 * Hand-written numerics (interpolation on a uniform grid; no library needed).
 */

/** Samples per curve. */
export const CURVE_POINTS = 201;
/** Half-width of the y grid in standard deviations of the total variance (plus a small floor). */
export const RANGE_SD = 10;

/** Values at one y: see the module header. */
export interface CurvePoint {
  delta: number;
  fGamma: number;
  mv: number;
  pK: number;
}

/** What a pricer returns for the grid's strikes at F = S = 1, r = q = 0 (calls). */
export interface CurveSamples {
  delta: ArrayLike<number>;
  gamma: ArrayLike<number>;
  /** Minimum-variance delta (absent: equal to delta). */
  mv?: ArrayLike<number>;
  price: ArrayLike<number>;
}

/** The sampling grid: y = a sinh(u), u uniform, dense near the money and wide in the tails. */
export interface CurveGrid {
  a: number;
  u0: number;
  hu: number;
  /** Forward log-moneyness of the samples, ascending and exactly antisymmetric (y_{n-1-i} = -y_i), so pricers can share a pass between mirrored strikes. */
  y: Float64Array;
  /** Strikes at F = 1: K_i = e^{-y_i}. */
  K: Float64Array;
}

/** A sampled curve. */
export class MoneynessCurve {
  /** Per node, the Hermite slopes over one u step: hu d(delta)/du and hu d(pK)/du (fixed per curve, so `at` computes no hyperbolic functions). */
  private readonly sd: Float64Array;
  private readonly sp: Float64Array;

  private constructor(
    private readonly grid: CurveGrid,
    private readonly d: Float64Array,
    private readonly g: Float64Array,
    private readonly m: Float64Array,
    private readonly p: Float64Array,
  ) {
    const { a, u0, hu } = grid;
    const n = d.length;
    this.sd = new Float64Array(n);
    this.sp = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // d/du = a cosh(u) d/dy, delta_y = fGamma, pK_y = e^y delta.
      const u = u0 + i * hu;
      const j = a * Math.cosh(u) * hu;
      this.sd[i] = j * g[i];
      this.sp[i] = j * Math.exp(a * Math.sinh(u)) * d[i];
    }
  }

  /**
   * The grid for a model whose total variance to the maturity lies between wLo and wHi (e.g.
   * v0 T and theta T): spacing near the money a fraction of sqrt(wLo) (a skewed smile with a low
   * current variance bends there), reaching RANGE_SD sqrt(wHi) in the tails.
   */
  static strikes(wLo: number, wHi: number): CurveGrid {
    const a = 0.5 * Math.sqrt(Math.max(Math.min(wLo, wHi), 1e-12));
    const ymax = RANGE_SD * Math.sqrt(Math.max(wLo, wHi, 1e-12)) + 1e-3;
    const umax = Math.asinh(ymax / a);
    const hu = (2 * umax) / (CURVE_POINTS - 1);
    const y = new Float64Array(CURVE_POINTS);
    const K = new Float64Array(CURVE_POINTS);
    for (let i = 0; 2 * i < CURVE_POINTS - 1; i++) {
      y[i] = a * Math.sinh(-umax + i * hu);
      y[CURVE_POINTS - 1 - i] = -y[i];
    }
    for (let i = 0; i < CURVE_POINTS; i++) K[i] = Math.exp(-y[i]);
    return { a, u0: -umax, hu, y, K };
  }

  /** Builds a curve from a pricer's samples at `grid.K` (F = S = 1, r = q = 0, calls). */
  static fromSamples(grid: CurveGrid, s: CurveSamples): MoneynessCurve {
    const n = grid.K.length;
    const d = new Float64Array(n), g = new Float64Array(n), m = new Float64Array(n), p = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      d[i] = s.delta[i];
      g[i] = s.gamma[i];
      // Stored as the correction to delta: mv = delta exactly when rho = 0, and the correction is smooth.
      m[i] = s.mv ? s.mv[i] - s.delta[i] : 0;
      p[i] = s.price[i] / grid.K[i];
    }
    return new MoneynessCurve(grid, d, g, m, p);
  }

  /** Values at y = ln(F / K). */
  at(y: number, out: CurvePoint): CurvePoint {
    const { a, u0, hu } = this.grid;
    const n = this.d.length;
    const t = (Math.asinh(y / a) - u0) / hu;
    if (!(t >= 0)) return limit(y, out, 0);
    if (!(t <= n - 1)) return limit(y, out, 1);
    const i = Math.min(Math.floor(t), n - 2);
    const v = t - i;
    // Cubic Hermite in u with exact derivatives (the slopes precomputed in the constructor).
    const h00 = (1 + 2 * v) * (1 - v) * (1 - v), h10 = v * (1 - v) * (1 - v), h01 = v * v * (3 - 2 * v), h11 = v * v * (v - 1);
    out.delta = h00 * this.d[i] + h10 * this.sd[i] + h01 * this.d[i + 1] + h11 * this.sd[i + 1];
    out.pK = h00 * this.p[i] + h10 * this.sp[i] + h01 * this.p[i + 1] + h11 * this.sp[i + 1];
    // Four-point Lagrange in u on i-1..i+2 (shifted at the ends).
    const j = Math.min(Math.max(i - 1, 0), n - 4);
    const x = t - j;
    const l0 = (-(x - 1) * (x - 2) * (x - 3)) / 6, l1 = (x * (x - 2) * (x - 3)) / 2, l2 = (-x * (x - 1) * (x - 3)) / 2, l3 = (x * (x - 1) * (x - 2)) / 6;
    out.fGamma = l0 * this.g[j] + l1 * this.g[j + 1] + l2 * this.g[j + 2] + l3 * this.g[j + 3];
    out.mv = out.delta + (l0 * this.m[j] + l1 * this.m[j + 1] + l2 * this.m[j + 2] + l3 * this.m[j + 3]);
    return out;
  }
}

function limit(y: number, out: CurvePoint, itm: 0 | 1): CurvePoint {
  out.delta = itm;
  out.fGamma = 0;
  out.mv = itm;
  out.pK = itm ? Math.expm1(y) : 0;
  return out;
}

/** An option's greeks read off a curve (fromCurve, greeksAt). */
export interface CurveGreeks {
  delta: number;
  gamma: number;
  mv: number;
  price: number;
}

/** Forward log-moneyness y = ln(F / K), F = S e^{(r-q)T}: where to read a curve. */
export function forwardMoneyness(S: number, K: number, T: number, r: number, q: number): number {
  return Math.log((S * Math.exp((r - q) * T)) / K);
}

/** An option's greeks at (S, K, T, r, q) from the curve values `c` at its forward moneyness (puts by parity), written into `out`. */
export function greeksAt(c: CurvePoint, S: number, K: number, T: number, r: number, q: number, call: boolean, out: CurveGreeks): CurveGreeks {
  const dq = Math.exp(-q * T), dr = Math.exp(-r * T);
  const price = dr * K * c.pK;
  out.delta = dq * (call ? c.delta : c.delta - 1);
  out.gamma = (dq * c.fGamma) / S;
  out.mv = dq * (call ? c.mv : c.mv - 1);
  out.price = call ? price : price - dq * S + dr * K;
  return out;
}

/** A call's greeks at (S, K, T, r, q) from its maturity's curve (puts by parity). */
export function fromCurve(
  curve: MoneynessCurve,
  S: number,
  K: number,
  T: number,
  r: number,
  q: number,
  call: boolean,
  tmp: CurvePoint,
): CurveGreeks {
  return greeksAt(curve.at(forwardMoneyness(S, K, T, r, q), tmp), S, K, T, r, q, call, { delta: 0, gamma: 0, mv: 0, price: 0 });
}
