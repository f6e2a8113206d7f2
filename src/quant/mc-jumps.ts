/**
 * The Bates jump part of one time step: a Poisson number of jumps N with mean lambda dt, drawn by
 * inversion of a uniform (so that U and 1 - U give antithetic counts), and the sum of N log jump
 * sizes N(muJ, sigmaJ^2), which is exactly N muJ + sqrt(N) sigmaJ Z for one standard normal Z.
 */

/** Per-step constants of the jump part. */
export interface JumpStep {
  /** Expected jumps per step, lambda dt. */
  mean: number;
  /** P(N = 0) = e^{-lambda dt}. */
  p0: number;
  muJ: number;
  sigmaJ: number;
}

/** Constants for jumps of intensity lambda (per year) over steps of dt years. */
export function jumpStep(lambda: number, dt: number, muJ: number, sigmaJ: number): JumpStep {
  const mean = lambda * dt;
  return { mean, p0: Math.exp(-mean), muJ, sigmaJ };
}

/** Poisson(mean) count by inversion of u in (0, 1): the smallest n with P(N <= n) >= u. */
export function poissonCount(u: number, mean: number, p0: number): number {
  let n = 0;
  let p = p0;
  let c = p0;
  // the cumulative sum stops growing in the far tail (terms underflow relative to c), so cap the search
  while (u > c && n < 1000) {
    n++;
    p *= mean / n;
    const next = c + p;
    if (next === c) break;
    c = next;
  }
  return n;
}

/** Sum of the log jump sizes over one step, from a uniform u (count) and a standard normal z (sizes). */
export function jumpLogSum(j: JumpStep, u: number, z: number): number {
  if (u <= j.p0) return 0;
  const n = poissonCount(u, j.mean, j.p0);
  return n * j.muJ + Math.sqrt(n) * j.sigmaJ * z;
}
