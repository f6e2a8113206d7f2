/**
 * Heston and Bates paths by the full-truncation Euler scheme of Lord, Koekkoek and van Dijk ("A
 * comparison of biased simulation schemes for stochastic volatility models", Quantitative
 * Finance 10(2), 2010), the usual plain scheme, kept as the baseline of the QE scheme
 * (mc-heston-qe.ts) in tests and benchmarks. Same options, draws, blocks and layout as the QE
 * simulator. Hand-written numerics.
 *
 * With v+ = max(v, 0) and independent normals Z_V, Z:
 *   ln S' = ln S + (drift - v+/2) dt + sqrt(v+ dt) (rho Z_V + sqrt(1 - rho^2) Z) + jumps,
 *   v'    = v + kappa (theta - v+) dt + sigma sqrt(v+ dt) Z_V.
 * The variance state v may go below zero; the returned v is that state (the variance in force is
 * max(v, 0)).
 */
import { jumpLogSum, jumpStep, type JumpStep } from './mc-jumps.ts';
import { runBlocks } from './mc-blocks.ts';
import { setupSimulation, type HestonPaths, type HestonSimOptions } from './mc-sim-options.ts';

function eulerBlockStep(
  kappa: number,
  theta: number,
  sigma: number,
  rho: number,
  dt: number,
  driftDt: number,
  j: JumpStep | null,
  nb: number,
  v: Float64Array,
  x: Float64Array,
  zV: Float64Array,
  z: Float64Array,
  uJ: Float64Array,
  zJ: Float64Array,
): void {
  const rhoBar = Math.sqrt(1 - rho * rho);
  const sqrtDt = Math.sqrt(dt);
  for (let i = 0; i < nb; i++) {
    const vi = v[i];
    const vp = vi > 0 ? vi : 0;
    const sv = Math.sqrt(vp) * sqrtDt;
    const zv = zV[i];
    let dx = driftDt - 0.5 * vp * dt + sv * (rho * zv + rhoBar * z[i]);
    if (j !== null) dx += jumpLogSum(j, uJ[i], zJ[i]);
    x[i] += dx;
    v[i] = vi + kappa * (theta - vp) * dt + sigma * sv * zv;
  }
}

/**
 * Simulates Heston (params.lambda 0 or absent) or Bates (lambda > 0) paths by full-truncation
 * Euler. Inputs and layout as simulateHeston.
 */
export function simulateHestonEuler(o: HestonSimOptions): HestonPaths {
  const s = setupSimulation(o);
  const j = s.lambda > 0 ? jumpStep(s.lambda, s.dt, s.muJ, s.sigmaJ) : null;
  const { kappa, theta, sigma, rho, dt } = s;
  const driftDt = s.logDrift * dt;
  return runBlocks(s, { uniformV: false, normalV: true, jumps: j !== null }, (nb, v, x, d) =>
    eulerBlockStep(kappa, theta, sigma, rho, dt, driftDt, j, nb, v, x, d.zV, d.z, d.uJ, d.zJ),
  );
}
