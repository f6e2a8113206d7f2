/**
 * Heston and Bates path simulation by Andersen's Quadratic-Exponential (QE) scheme (L. Andersen,
 * "Simple and efficient simulation of the Heston stochastic volatility model", J. Comp. Finance
 * 11(3), 2008), with lognormal Poisson jumps for Bates, under Q or P (see mc-measure.ts).
 * Hand-written numerics: no JS library simulates Heston.
 *
 * Variance step (Andersen's QE scheme for the CIR process), from the conditional mean m and variance s^2 of v(t+dt)
 * given v(t) and psi = s^2/m^2:
 *   psi <= psi_c = 1.5 (quadratic): v' = a (b + Z_V)^2, b^2 = 2/psi - 1 + sqrt(2/psi (2/psi - 1)),
 *                                   a = m/(1 + b^2), Z_V standard normal;
 *   psi >  psi_c (exponential):     v' = 0 if U_V <= p, else ln((1 - p)/(1 - U_V))/beta,
 *                                   p = (psi - 1)/(psi + 1), beta = (1 - p)/m.
 * Log-price step (his discretisation of the integrated variance, gamma1 = gamma2 = 1/2):
 *   ln S' = ln S + drift dt + K0* + K1 v + K2 v' + sqrt(K3 v + K4 v') Z,
 *   K1 = g1 dt (kappa rho/sigma - 1/2) - rho/sigma, K2 = g2 dt (kappa rho/sigma - 1/2) + rho/sigma,
 *   K3 = g1 dt (1 - rho^2), K4 = g2 dt (1 - rho^2),
 * with his martingale correction (the 'QE-M' scheme): K0* = -ln E[exp(A v') | v] - (K1 + K3/2) v,
 * A = K2 + K4/2, which makes E[S'/S | S, v] = exp(drift dt) exactly in the discrete scheme
 *   quadratic:   ln E[e^{A v'}] = A b^2 a/(1 - 2 A a) - ln(1 - 2 A a)/2   (needs A < 1/(2a)),
 *   exponential: ln E[e^{A v'}] = ln(p + beta (1 - p)/(beta - A))          (needs A < beta);
 * where the condition fails (only for rho > 0 and long steps) the uncorrected
 * K0 = -rho kappa theta dt/sigma is used, as Andersen suggests.
 * Jumps (Bates): ln S' gains the sum of a Poisson(lambda dt) number of N(muJ, sigmaJ^2) log jumps,
 * and the drift carries the compensator -lambda (E[e^J] - 1) (mc-jumps.ts, mc-sim-options.ts).
 *
 * Draws per step and path: U_V (uniform) and Z_V (normal) for the variance, of which the branch
 * taken uses one (drawing Z_V by ziggurat costs less than Phi^{-1}(U_V), the quadratic branch's
 * other option), Z (normal) for the price, and for Bates a uniform and a normal for the jumps,
 * from one seeded stream, path blocks at a time (mc-blocks.ts); the antithetic partner of a path
 * takes the mirrored draws (1 - U, -Z).
 */
import { jumpLogSum, jumpStep, type JumpStep } from './mc-jumps.ts';
import { runBlocks } from './mc-blocks.ts';
import { setupSimulation, type HestonPaths, type HestonSimOptions } from './mc-sim-options.ts';

export type { HestonPaths, HestonSimOptions } from './mc-sim-options.ts';

/** Andersen's switching level between the quadratic and exponential branches. */
export const PSI_C = 1.5;
/** Andersen's weights of v(t) and v(t+dt) in the integrated variance (central discretisation). */
export const GAMMA1 = 0.5;
export const GAMMA2 = 0.5;

/** Per-step constants of the QE scheme for one set of dynamics and one step size. */
export interface QeConstants {
  /** e^{-kappa dt}. */
  E: number;
  /** m = thetaPart + v E. */
  thetaPart: number;
  /** s^2 = v c1 + c2. */
  c1: number;
  c2: number;
  K0: number;
  K1: number;
  K2: number;
  K3: number;
  K4: number;
  /** K2 + K4/2. */
  A: number;
  /** K1 + K3/2. */
  K13: number;
  /** Drift of ln S over one step, before the variance terms. */
  driftDt: number;
}

/** The QE constants for variance drift (kappa, theta), vol of variance sigma, correlation rho, step dt. */
export function qeConstants(kappa: number, theta: number, sigma: number, rho: number, dt: number, logDrift: number): QeConstants {
  const E = Math.exp(-kappa * dt);
  const oneMinusE = -Math.expm1(-kappa * dt);
  // (1 - E)/kappa, by its limit dt as kappa -> 0 (then c2 = theta sigma^2 (1 - E)^2/(2 kappa) -> 0)
  const frac = kappa * dt < 1e-12 ? dt : oneMinusE / kappa;
  const s2 = sigma * sigma;
  const c1 = s2 * E * frac;
  const c2 = 0.5 * theta * s2 * oneMinusE * frac;
  // sigma = 0: v is deterministic, so the price noise that correlates with W_V cannot be read off
  // the variance path (the rho/sigma terms); W_V then plays no part and the scheme runs as rho = 0
  const r = sigma > 0 ? rho : 0;
  const rs = sigma > 0 ? rho / sigma : 0;
  const K0 = -rs * kappa * theta * dt;
  const K1 = GAMMA1 * dt * (kappa * rs - 0.5) - rs;
  const K2 = GAMMA2 * dt * (kappa * rs - 0.5) + rs;
  const K3 = GAMMA1 * dt * (1 - r * r);
  const K4 = GAMMA2 * dt * (1 - r * r);
  return { E, thetaPart: theta * oneMinusE, c1, c2, K0, K1, K2, K3, K4, A: K2 + 0.5 * K4, K13: K1 + 0.5 * K3, driftDt: logDrift * dt };
}

const C3 = 1 / 3, C5 = 1 / 5, C7 = 1 / 7, C9 = 1 / 9, C11 = 1 / 11, C13 = 1 / 13, C15 = 1 / 15;

/**
 * ln(1 + u), for the martingale correction's logarithms, whose arguments lie within a few 1e-3
 * of 1 in the usual steps: Math.log was a quarter of a step's time there (profile), and
 * ln(1 + u) from u keeps the digits that rounding 1 + u first would lose. Taylor series to u^9
 * for |u| <= 1/64, the atanh series 2 (w + w^3/3 + ... + w^15/15), w = u/(2 + u), for
 * |u| <= 1/8 (truncation below 1e-17 relative in both), Math.log1p beyond (rare).
 */
export function log1pSmall(u: number): number {
  if (Math.abs(u) <= 0.015625) {
    const u2 = u * u;
    const u4 = u2 * u2;
    return u * ((1 - 0.5 * u) + u2 * (C3 - 0.25 * u) + u4 * ((C5 - u * (1 / 6)) + u2 * (C7 - 0.125 * u) + u4 * C9));
  }
  if (!(Math.abs(u) <= 0.125)) return Math.log1p(u);
  const w = u / (2 + u);
  const w2 = w * w;
  const w4 = w2 * w2;
  const w8 = w4 * w4;
  return 2 * w * ((1 + w2 * C3) + w4 * (C5 + w2 * C7) + w8 * ((C9 + w2 * C11) + w4 * (C13 + w2 * C15)));
}

/**
 * Advances a block of nb paths by one step: v[i], x[i] (ln S/S0) from the draws of the step.
 * Returns nothing; v and x are updated in place.
 */
function qeBlockStep(
  c: QeConstants,
  j: JumpStep | null,
  nb: number,
  v: Float64Array,
  x: Float64Array,
  uV: Float64Array,
  zV: Float64Array,
  z: Float64Array,
  uJ: Float64Array,
  zJ: Float64Array,
): void {
  const { E, thetaPart, c1, c2, K0, K1, K2, K3, K4, A, K13, driftDt } = c;
  for (let i = 0; i < nb; i++) {
    const vi = v[i];
    const u = uV[i];
    const m = thetaPart + vi * E;
    const s2 = vi * c1 + c2;
    let vn: number;
    let k0: number;
    if (!(s2 > 0 && m > 0)) {
      // no randomness left in the step (sigma = 0, or v = theta = 0): v' = m, E[e^{A v'}] = e^{A m}
      vn = m > 0 ? m : 0;
      k0 = -A * vn - K13 * vi;
    } else {
      // psi = s2/m^2, written so as to spend few divisions (they bound the step's speed)
      const m2 = m * m;
      if (s2 <= PSI_C * m2) {
        const t = (2 * m2) / s2;
        const b2 = t - 1 + Math.sqrt(t * (t - 1));
        const a = m / (1 + b2);
        const w = Math.sqrt(b2) + zV[i];
        vn = a * w * w;
        const twoAa = 2 * A * a;
        const d = 1 - twoAa;
        k0 = d > 0 ? (-A * b2 * a) / d + 0.5 * log1pSmall(-twoAa) - K13 * vi : K0;
      } else {
        // p = (psi - 1)/(psi + 1), 1 - p = 2 m^2/(s2 + m^2), 1/beta = m/(1 - p) = (s2 + m^2)/(2m)
        const inv = 1 / (s2 + m2);
        const p = (s2 - m2) * inv;
        const q1 = 2 * m2 * inv;
        const beta = 2 * m * inv;
        vn = u <= p ? 0 : Math.log(q1 / (1 - u)) / beta;
        // p + beta (1 - p)/(beta - A) = 1 + (1 - p) A/(beta - A)
        k0 = A < beta ? -log1pSmall((q1 * A) / (beta - A)) - K13 * vi : K0;
      }
    }
    let dx = driftDt + k0 + K1 * vi + K2 * vn + Math.sqrt(K3 * vi + K4 * vn) * z[i];
    if (j !== null) dx += jumpLogSum(j, uJ[i], zJ[i]);
    x[i] += dx;
    v[i] = vn;
  }
}

/**
 * Simulates Heston (params.lambda 0 or absent) or Bates (lambda > 0) paths by the QE scheme.
 * Same options (seed, stream, ...) give the same paths. See HestonSimOptions for the inputs and
 * HestonPaths for the layout.
 */
export function simulateHeston(o: HestonSimOptions): HestonPaths {
  const s = setupSimulation(o);
  const c = qeConstants(s.kappa, s.theta, s.sigma, s.rho, s.dt, s.logDrift);
  const j = s.lambda > 0 ? jumpStep(s.lambda, s.dt, s.muJ, s.sigmaJ) : null;
  return runBlocks(s, { uniformV: true, normalV: true, jumps: j !== null }, (nb, v, x, d) =>
    qeBlockStep(c, j, nb, v, x, d.uV, d.zV, d.z, d.uJ, d.zJ),
  );
}
