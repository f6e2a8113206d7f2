/**
 * Model VIX, VIX futures and VVIX from Heston/Bates parameters (risk-neutral measure).
 *
 * Units: variances are annual decimals (v = 0.04 is 20% vol), maturities in years, and every
 * index level (VIX, futures, VVIX) is returned in index points (x100), as CBOE quotes them.
 *
 * - VIX^2 is the model's risk-neutral expected variance over tau = 30/365 (the log-contract
 *   definition CBOE replicates): VIX^2 = a + b v with b = (1 - e^{-kappa tau})/(kappa tau),
 *   a = theta (1 - b) + 2 lambda (E[e^J] - 1 - E[J]) where the last term is the jump part of
 *   the log contract in Bates (J ~ N(muJ, sigmaJ^2)); it is zero for Heston.
 * - A VIX future expiring at T is E^Q[VIX_T] = 100 E[sqrt(a + b v_T)], v_T given v0 being the
 *   scaled noncentral chi-square of the CIR process. It is computed from the CIR Laplace
 *   transform L(s) = E[exp(-s Y)] with the identity sqrt(y) = (2 sqrt(pi))^{-1} int_0^inf
 *   (1 - e^{-s y}) s^{-3/2} ds (the route of Zhu and Lian 2012, "An analytical formula for VIX
 *   futures and its applications", J. Futures Markets 32), mapped to a finite interval and
 *   integrated by Gauss-Legendre quadrature.
 * - VVIX is defined by CBOE like VIX, on VIX options: VVIX^2 tau = -2 E[log(VIX_T / F)] with
 *   F = E[VIX_T] the 30-day VIX forward and tau = 30/365. The model-consistent value applies
 *   that definition to the model's distribution of VIX at +30 days under Q, exactly up to the
 *   CBOE strike discretisation; E[log Y] comes from Frullani's integral
 *   log y = int_0^inf (e^{-s} - e^{-s y}) / s ds on the same Laplace transform.
 *
 * Hand-written numerics (no JS library offers them): the Gauss-Legendre nodes (Newton on the
 * Legendre recurrence, as in Numerical Recipes' gauleg) and the two transform integrals.
 */

/** The variance part of Heston/Bates parameters (a HestonParams or BatesParams fits). */
export interface CirParams {
  /** Mean-reversion speed per year. */
  kappa: number;
  /** Long-run variance (annual decimal). */
  theta: number;
  /** Volatility of variance. */
  sigma: number;
}

/** Optional Bates jump part: intensity per year, mean and standard deviation of the log jump. */
export interface JumpPart {
  lambda?: number;
  muJ?: number;
  sigmaJ?: number;
}

/** 30 calendar days in years: the VIX horizon. */
export const VIX_TAU = 30 / 365;

function check(name: string, x: number, positive = false): void {
  if (!Number.isFinite(x) || (positive ? x <= 0 : x < 0)) {
    throw new RangeError(`${name}: expected a finite ${positive ? 'positive' : 'non-negative'} number, got ${x}`);
  }
}

function checkCir(p: CirParams): void {
  check('kappa', p.kappa);
  check('theta', p.theta, true);
  check('sigma', p.sigma);
}

/** (1 - e^{-x}) / x, stable near 0. */
function phi1(x: number): number {
  return Math.abs(x) < 1e-8 ? 1 - x / 2 : -Math.expm1(-x) / x;
}

/**
 * The variance contributed to VIX^2 by Bates jumps: 2 lambda (e^{muJ + sigmaJ^2/2} - 1 - muJ).
 * Zero when the parameters have no jumps.
 */
export function jumpVariance(p: JumpPart): number {
  const lambda = p.lambda ?? 0;
  if (lambda === 0) return 0;
  const mu = p.muJ ?? 0;
  const s = p.sigmaJ ?? 0;
  check('lambda', lambda);
  check('sigmaJ', s);
  if (!Number.isFinite(mu)) throw new RangeError(`muJ: expected a finite number, got ${mu}`);
  return 2 * lambda * (Math.expm1(mu + 0.5 * s * s) - mu);
}

/**
 * Coefficients of VIX^2 = a + b v (annual decimal variance) for horizon `tau` years:
 * b = (1 - e^{-kappa tau})/(kappa tau), a = theta (1 - b) + the Bates jump variance.
 */
export function vixSquaredCoefficients(p: CirParams & JumpPart, tau = VIX_TAU): { a: number; b: number } {
  checkCir(p);
  check('tau', tau, true);
  const b = phi1(p.kappa * tau);
  return { a: p.theta * (1 - b) + jumpVariance(p), b };
}

/** Heston VIX (points) for instantaneous variance `v`: 100 sqrt(theta + (v - theta)(1 - e^{-kappa tau})/(kappa tau)). */
export function hestonVix(v: number, p: CirParams, tau = VIX_TAU): number {
  check('v', v);
  const { a, b } = vixSquaredCoefficients({ kappa: p.kappa, theta: p.theta, sigma: p.sigma }, tau);
  return 100 * Math.sqrt(a + b * v);
}

/** Bates VIX (points): the Heston VIX^2 plus the jump variance 2 lambda (E[e^J] - 1 - E[J]). */
export function batesVix(v: number, p: CirParams & JumpPart, tau = VIX_TAU): number {
  check('v', v);
  const { a, b } = vixSquaredCoefficients(p, tau);
  return 100 * Math.sqrt(a + b * v);
}

// Gauss-Legendre nodes and weights on [-1, 1] (Newton on P_n, as in Numerical Recipes' gauleg).
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = (n + 1) >> 1;
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1);
      }
      pp = (n * (z * p1 - p2)) / (z * z - 1);
      const dz = p1 / pp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * pp * pp);
  }
  return { x, w };
}

// Composite rule on [0, pi/2]: panels of Gauss-Legendre points, denser towards pi/2 where a
// heavy right tail of the variance makes the transform decay slowly.
const PANEL_EDGES = [0, 0.5, 0.9, 1.2, 1.4, 1.5, 1.55, Math.PI / 2];
const GL = gaussLegendre(20);
const NODES: { t: Float64Array; w: Float64Array } = (() => {
  const k = PANEL_EDGES.length - 1;
  const t = new Float64Array(k * GL.x.length);
  const w = new Float64Array(k * GL.x.length);
  let n = 0;
  for (let p = 0; p < k; p++) {
    const lo = PANEL_EDGES[p];
    const half = (PANEL_EDGES[p + 1] - lo) / 2;
    for (let i = 0; i < GL.x.length; i++, n++) {
      t[n] = lo + half * (GL.x[i] + 1);
      w[n] = half * GL.w[i];
    }
  }
  return { t, w };
})();

/** The CIR transition of v over T years, as the pieces of its Laplace transform. */
interface CirTransition {
  /** Scale c = sigma^2 (1 - e^{-kappa T}) / (4 kappa). */
  c: number;
  /** Degrees of freedom over two: 2 kappa theta / sigma^2. */
  halfDf: number;
  /** E[v_T] pieces: v0 e^{-kappa T} and the deterministic mean. */
  v0Decayed: number;
  mean: number;
}

function cirTransition(v0: number, p: CirParams, T: number): CirTransition {
  const e = Math.exp(-p.kappa * T);
  const oneMinusE = p.kappa * T < 1e-8 ? p.kappa * T : -Math.expm1(-p.kappa * T);
  // c / T and halfDf * c stay finite as kappa -> 0 or sigma -> 0.
  const c = p.kappa === 0 ? (p.sigma * p.sigma * T) / 4 : (p.sigma * p.sigma * oneMinusE) / (4 * p.kappa);
  const halfDf = p.sigma === 0 ? Infinity : (2 * p.kappa * p.theta) / (p.sigma * p.sigma);
  const mean = v0 * e + p.theta * oneMinusE;
  return { c, halfDf, v0Decayed: v0 * e, mean };
}

/** log E[exp(-s (a + b v_T))] for the CIR transition. */
function logLaplace(s: number, a: number, b: number, p: CirParams, tr: CirTransition): number {
  const u = s * b;
  const twoUc = 2 * u * tr.c;
  // sigma -> 0: halfDf * log1p(2uc) -> u theta (1 - e^{-kappa T}) (the deterministic drift).
  const drift = Number.isFinite(tr.halfDf) ? tr.halfDf * Math.log1p(twoUc) : u * (tr.mean - tr.v0Decayed);
  return -s * a - drift - (u * tr.v0Decayed) / (1 + twoUc);
}

function checkAffine(a: number, b: number, v0: number, p: CirParams, T: number): void {
  check('a', a);
  check('b', b);
  check('v0', v0);
  check('T', T);
  checkCir(p);
  if (a + b * (v0 + p.theta) <= 0) throw new RangeError('a + b v: expected a positive variable, got zero');
}

/**
 * E[sqrt(a + b v_T)] where v follows the CIR process dv = kappa (theta - v) dt + sigma sqrt(v) dW
 * from v0 over T years (a, b >= 0). Relative accuracy about 1e-9 for a > 0.
 */
export function expectedSqrtAffineCir(a: number, b: number, v0: number, p: CirParams, T: number): number {
  checkAffine(a, b, v0, p, T);
  const tr = cirTransition(v0, p, T);
  const ybar = a + b * tr.mean;
  let sum = 0;
  for (let i = 0; i < NODES.t.length; i++) {
    const th = NODES.t[i];
    const tn = Math.tan(th);
    const sn = Math.sin(th);
    const oneMinusL = -Math.expm1(logLaplace((tn * tn) / ybar, a, b, p, tr));
    sum += (NODES.w[i] * oneMinusL) / (sn * sn);
  }
  return (Math.sqrt(ybar) * sum) / Math.sqrt(Math.PI);
}

/** E[log(a + b v_T)] for the CIR process of {@link expectedSqrtAffineCir}. */
export function expectedLogAffineCir(a: number, b: number, v0: number, p: CirParams, T: number): number {
  checkAffine(a, b, v0, p, T);
  const tr = cirTransition(v0, p, T);
  const ybar = a + b * tr.mean;
  let sum = 0;
  for (let i = 0; i < NODES.t.length; i++) {
    const th = NODES.t[i];
    const tn = Math.tan(th);
    const w = tn * tn;
    const diff = Math.exp(-w) - Math.exp(logLaplace(w / ybar, a, b, p, tr));
    sum += (NODES.w[i] * 2 * diff) / (Math.sin(th) * Math.cos(th));
  }
  return Math.log(ybar) + sum;
}

/**
 * VIX future (points) expiring in T years, given today's variance v0: E^Q[VIX_T] with
 * VIX_T^2 = a + b v_T (Heston, or Bates when `p` carries jumps).
 */
export function vixFuture(v0: number, p: CirParams & JumpPart, T: number): number {
  const { a, b } = vixSquaredCoefficients(p);
  return 100 * expectedSqrtAffineCir(a, b, v0, p, T);
}

/**
 * Model VVIX (points): CBOE's VIX-style definition on VIX options, VVIX^2 tau =
 * 2 (log E[VIX_tau] - E[log VIX_tau]), applied to the model's Q-distribution of VIX in
 * `tau` years (default 30/365).
 */
export function modelVvix(v: number, p: CirParams & JumpPart, tau = VIX_TAU): number {
  const { a, b } = vixSquaredCoefficients(p);
  if (p.sigma === 0) return 0;
  const logF = Math.log(expectedSqrtAffineCir(a, b, v, p, tau));
  const eLogVix = 0.5 * expectedLogAffineCir(a, b, v, p, tau);
  return 100 * Math.sqrt(Math.max(0, (2 * (logF - eLogVix)) / tau));
}
