/**
 * Heston and Bates greeks from the same Lewis integral as the prices (heston.ts), vectorised
 * across strikes: one characteristic-function pass per maturity gives every strike's price,
 * delta, gamma, dC/dv0 and the Heston minimum-variance delta.
 *
 * Differentiating the undiscounted call c(F) = F - sqrt(FK)/pi int Re(e^{iux} psi(u)) du/(u^2+1/4)
 * under the integral, with x = ln(F/K), gives kernels with one pole fewer each:
 *   dc/dF   = 1 - sqrt(K/F)/pi int Re(e^{iux} psi(u)/(1/2 - iu)) du,
 *   d2c/dF2 = sqrt(K/F)/(pi F) int Re(e^{iux} psi(u)) du,
 *   dc/dv0  = -sqrt(FK)/pi int Re(e^{iux} D(u) psi(u)) du/(u^2+1/4),   (d psi/d v0 = D psi)
 * and the Black-Scholes control variate is subtracted from the first two as for prices
 * (D vanishes at both poles, so dC/dv0 needs none). Then delta = e^{-qT} dc/dF, gamma =
 * e^{-qT} (F/S) d2c/dF2, dC/dv0 = e^{-rT} dc/dv0, and the minimum-variance delta
 * dC/dS + (rho sigma / S) dC/dv0: rho sigma / S = Cov(dv, dS)/Var(dS) is how far the variance
 * is expected to move with a unit move of the spot.
 *
 * Units as in heston.ts. Hand-written numerics (no JS library prices Heston).
 */
import { normCdf, normPdf } from './normal.ts';
import type { BatesParams, HestonParams } from './heston-cf.ts';
import {
  blackCall,
  callFlag,
  checkStrikes,
  deterministic,
  initialStep,
  integrationTolerances,
  setupMaturity,
  type HestonPricingOptions,
} from './heston.ts';
import { buildGrid, refineGrid, strikeSum, weightInto } from './lewis-grid.ts';

/** Per-strike results of hestonGreeks; all arrays have one entry per strike. */
export interface HestonGreeks {
  price: Float64Array;
  /** dV/dS. */
  delta: Float64Array;
  /** d2V/dS2. */
  gamma: Float64Array;
  /** dV/dv0, per unit of initial variance. */
  dv0: Float64Array;
  /** Minimum-variance delta dV/dS + (rho sigma / S) dV/dv0. */
  mvDelta: Float64Array;
}

const MAX_NODES = 1 << 17;
const coarse = new Float64Array(1);

/**
 * Price, delta, gamma, dV/dv0 and minimum-variance delta at one maturity for many strikes, from
 * one characteristic-function pass. isCall per strike or one boolean for all. For Bates params
 * (lambda > 0) the minimum-variance delta uses the diffusion's rho sigma only.
 */
export function hestonGreeks(
  p: HestonParams | BatesParams,
  S: number,
  T: number,
  r: number,
  q: number,
  strikes: ArrayLike<number>,
  isCall: ArrayLike<boolean> | boolean,
  opts?: HestonPricingOptions,
): HestonGreeks {
  const ms = setupMaturity(p, S, T, r, q);
  checkStrikes(strikes);
  const nk = strikes.length;
  const out: HestonGreeks = {
    price: new Float64Array(nk),
    delta: new Float64Array(nk),
    gamma: new Float64Array(nk),
    dv0: new Float64Array(nk),
    mvDelta: new Float64Array(nk),
  };
  const { m, F, disc, w } = ms;
  const dq = Math.exp(-q * T);
  if (T === 0 || deterministic(m)) {
    // Payoff at the forward: the kink's gamma is a point mass, reported as 0 off the strike.
    for (let k = 0; k < nk; k++) {
      const K = strikes[k];
      const call = callFlag(isCall, k, nk);
      out.price[k] = disc * (call ? Math.max(F - K, 0) : Math.max(K - F, 0));
      const itm = call ? F > K : K > F;
      out.delta[k] = itm ? (call ? dq : -dq) : 0;
      out.mvDelta[k] = out.delta[k];
    }
    return out;
  }
  const { tailTol, accept } = integrationTolerances(opts, F, strikes);
  // The gamma kernel has no 1/u^2 decay, so the grid runs until |psi| itself is negligible.
  let g = buildGrid(m, T, w, initialStep(w), tailTol, 0, true, MAX_NODES);
  const sw = Math.sqrt(w);
  const rs = (m.rho * m.sigma) / S;
  for (;;) {
    const [pRe, pIm] = weightInto(g, 2, 'd', 0);
    const [dRe, dIm] = weightInto(g, 1, 'd', 1);
    const [gRe, gIm] = weightInto(g, 0, 'd', 2);
    const [vRe, vIm] = weightInto(g, 2, 'v', 3);
    let worst = 0;
    for (let k = 0; k < nk; k++) {
      const K = strikes[k];
      const x = Math.log(F / K);
      const sq = Math.sqrt(K / F);
      const fine = strikeSum(pRe, pIm, g.n, g.h, x, coarse);
      const pref = Math.sqrt(F * K) / Math.PI;
      worst = Math.max(worst, pref * Math.abs(fine - coarse[0]));
      const d1 = (x + 0.5 * w) / sw;
      const c = Math.min(F, Math.max(F - K, 0, blackCall(F, K, w) + pref * fine));
      const cF = normCdf(d1) + (sq / Math.PI) * strikeSum(dRe, dIm, g.n, g.h, x, coarse);
      const cFF = normPdf(d1) / (F * sw) - (sq / (Math.PI * F)) * strikeSum(gRe, gIm, g.n, g.h, x, coarse);
      const cV = -pref * strikeSum(vRe, vIm, g.n, g.h, x, coarse);
      const call = callFlag(isCall, k, nk);
      out.price[k] = disc * (call ? c : c - (F - K));
      out.delta[k] = dq * (call ? cF : cF - 1);
      out.gamma[k] = dq * (F / S) * cFF;
      out.dv0[k] = disc * cV;
      out.mvDelta[k] = out.delta[k] + rs * out.dv0[k];
    }
    if (worst <= accept || 2 * g.n - 1 > MAX_NODES) break;
    g = refineGrid(g, m, T, w, true);
  }
  return out;
}
