/**
 * The SPX and variance path under the physical measure: Heston or Bates stepped by Andersen's
 * quadratic-exponential (QE) scheme ("Efficient simulation of the Heston stochastic volatility
 * model", J. Comput. Finance 11, 2008: variance by moment-matched QE with psi_c = 1.5, log-price
 * by his eq. (33) with gamma1 = gamma2 = 1/2), plus compound-Poisson lognormal jumps for Bates
 * (compensated, so the expected return is r - q + equity premium).
 *
 * The clock is trading time: a year is 252 sessions of 6.5 hours, so a session carries 1/252 of
 * the annual variance and nights and weekends carry none.
 *
 * Hand-written numerics: the QE step (no JS library offers it).
 */
import type { RandomStream } from '../quant/mc-random.ts';
import type { ModelParams } from './simulator-params.ts';

/** Seconds of trading time in a year: 252 sessions of 6.5 hours. */
export const TRADING_SECONDS_PER_YEAR = 252 * 6.5 * 3600;

/** State and stepper of the physical SPX/variance path. */
export class SpxPath {
  /** SPX level. */
  S: number;
  /** Instantaneous variance (annual decimal). */
  v: number;
  private readonly e: number;
  private readonly c1: number;
  private readonly c2: number;
  private readonly k0: number;
  private readonly k1: number;
  private readonly k2: number;
  private readonly k3: number;
  private readonly k4: number;
  private readonly noJumpProb: number;
  private readonly lambdaDt: number;
  private readonly muJ: number;
  private readonly sigmaJ: number;

  /**
   * @param m model parameters (physical kappa/theta, shared sigma/rho, jumps, equity premium)
   * @param dt step in years of trading time
   */
  constructor(
    m: ModelParams,
    S0: number,
    rate: number,
    dividendYield: number,
    readonly dt: number,
    private readonly path: RandomStream,
    private readonly jumps: RandomStream,
  ) {
    if (!(dt > 0)) throw new RangeError(`dt: expected a positive step in years, got ${dt}`);
    this.S = S0;
    this.v = m.q.v0;
    const { kappa, theta } = m.p;
    const { sigma, rho, lambda, muJ, sigmaJ } = m.q;
    this.e = Math.exp(-kappa * dt);
    // Conditional variance of v_{t+dt}: c1 v + c2 (Andersen eq. (17)).
    this.c1 = (sigma * sigma * this.e * (1 - this.e)) / kappa;
    this.c2 = (theta * sigma * sigma * (1 - this.e) ** 2) / (2 * kappa);
    const jumpComp = lambda * Math.expm1(muJ + 0.5 * sigmaJ * sigmaJ);
    const drift = (rate - dividendYield + m.p.equityPremium - jumpComp) * dt;
    this.k0 = drift - (rho * kappa * theta * dt) / sigma;
    this.k1 = 0.5 * dt * ((kappa * rho) / sigma - 0.5) - rho / sigma;
    this.k2 = 0.5 * dt * ((kappa * rho) / sigma - 0.5) + rho / sigma;
    this.k3 = 0.5 * dt * (1 - rho * rho);
    this.k4 = this.k3;
    this.lambdaDt = lambda * dt;
    this.noJumpProb = Math.exp(-this.lambdaDt);
    this.muJ = muJ;
    this.sigmaJ = sigmaJ;
    this.theta = theta;
  }

  private readonly theta: number;

  /** Advances S and v by one step. */
  step(): void {
    const v = this.v;
    const m = this.theta + (v - this.theta) * this.e;
    const s2 = this.c1 * v + this.c2;
    const psi = s2 / (m * m);
    let vNext: number;
    if (psi <= 1.5) {
      const inv = 2 / psi;
      const b2 = inv - 1 + Math.sqrt(inv) * Math.sqrt(inv - 1);
      const a = m / (1 + b2);
      const z = Math.sqrt(b2) + this.path.normal();
      vNext = a * z * z;
    } else {
      const p = (psi - 1) / (psi + 1);
      const beta = (1 - p) / m;
      const u = this.path.uniform();
      vNext = u <= p ? 0 : Math.log((1 - p) / (1 - u)) / beta;
    }
    let dlog = this.k0 + this.k1 * v + this.k2 * vNext + Math.sqrt(this.k3 * v + this.k4 * vNext) * this.path.normal();
    if (this.lambdaDt > 0) {
      // Poisson count by inversion (lambda dt is tiny, so this is almost always one comparison).
      let u = this.jumps.uniform();
      let n = 0;
      let pn = this.noJumpProb;
      while (u > pn && n < 50) {
        u -= pn;
        n++;
        pn *= this.lambdaDt / n;
      }
      if (n > 0) dlog += n * this.muJ + Math.sqrt(n) * this.sigmaJ * this.jumps.normal();
    }
    this.S *= Math.exp(dlog);
    this.v = vNext;
  }
}
