/**
 * Adam (Kingma and Ba 2015, "Adam: a method for stochastic optimization", Algorithm 1) for the
 * full-batch joint MLE: one step per epoch on the exact adjoint gradient. Hand-written (a few
 * lines; no tensor library is needed for a 25-number vector).
 */

/** Adam's moment estimates and settings. */
export interface AdamState {
  m: Float64Array;
  v: Float64Array;
  t: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** Fresh state for n parameters (defaults from the paper: beta1 0.9, beta2 0.999, eps 1e-8). */
export function adamState(n: number, lr: number, beta1 = 0.9, beta2 = 0.999, eps = 1e-8): AdamState {
  if (!(lr > 0)) throw new RangeError(`lr must be > 0, got ${lr}`);
  return { m: new Float64Array(n), v: new Float64Array(n), t: 0, lr, beta1, beta2, eps };
}

/** One Adam step: theta -= lr mHat / (sqrt(vHat) + eps), in place. */
export function adamStep(st: AdamState, theta: Float64Array, grad: ArrayLike<number>): void {
  st.t++;
  const { m, v, beta1, beta2, eps } = st;
  const c1 = 1 - Math.pow(beta1, st.t);
  const c2 = 1 - Math.pow(beta2, st.t);
  for (let i = 0; i < theta.length; i++) {
    const g = grad[i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    theta[i] -= (st.lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
  }
}
