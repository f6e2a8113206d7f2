/**
 * Gauss-Legendre rules for the Heston-Nandi Fourier integrals. Nodes and weights are computed once
 * at load by Newton's method on the Legendre recurrence (hand-written: no JS library ships them),
 * accurate to a few ulps.
 */

/** Nodes in (-1, 1), ascending, and weights of the n-point Gauss-Legendre rule. */
export function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  if (!(Number.isInteger(n) && n >= 1 && n <= 512)) throw new RangeError(`n must be an integer in 1..512, got ${n}`);
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = (n + 1) >> 1;
  for (let i = 0; i < m; i++) {
    // Tricomi's approximation of the i-th largest root as the Newton start
    let t = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    for (let it = 0; it < 100 && n > 1; it++) {
      const [pn, pm] = legendre(n, t);
      const dt = pn / ((n * (t * pn - pm)) / (t * t - 1));
      t -= dt;
      if (Math.abs(dt) <= 1e-16) break;
    }
    // one more derivative at the converged root for the weight
    const [pn, pm] = legendre(n, t);
    const dp = n === 1 ? 1 : (n * (t * pn - pm)) / (t * t - 1);
    const wt = 2 / ((1 - t * t) * dp * dp);
    x[n - 1 - i] = t;
    x[i] = -t;
    w[n - 1 - i] = wt;
    w[i] = wt;
  }
  return { x, w };
}

/** P_n(t) and P_{n-1}(t) by the three-term recurrence. */
function legendre(n: number, t: number): [number, number] {
  let p0 = 1;
  let p1 = t;
  for (let k = 2; k <= n; k++) {
    const p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
    p0 = p1;
    p1 = p2;
  }
  return [p1, p0];
}
