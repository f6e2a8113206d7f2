/**
 * The trained drift and diffusion as an inference-only network of fused layers: the same function
 * as network.ts's driftDiffusion times dt and sqrt(dt), rewritten so that one simulated step costs
 * about a third of the tensor ops. A publish of the live fan (256 paths) is bound by per-op
 * dispatch and arithmetic alike, so both are cut.
 *
 * The rewriting (exact algebra, float32 rounding aside):
 * - tanh(a) = 2 sigmoid(2a) - 1, so each hidden layer is one fused matMul + bias + sigmoid on
 *   s = sigmoid(2a), and the next layer absorbs the affine map 2s - 1 into its weights and bias:
 *   (2s - 1) W + b = s (2W) + (b - colsum W);
 * - the input standardisation (z - mean) / std is folded into the first layer;
 * - the two MLPs' first layers run as one [15, 128] product; their further layers run apart (a
 *   block-diagonal product would double the arithmetic, and at 256 paths arithmetic is the cost);
 * - the drift's scale, kappa theta and dt are folded into the mu output layer; the diffusion's
 *   floor and scale and sqrt(dt) are applied to the sigma output's sigmoid.
 * Training keeps network.ts (the differentiable form); fused-net.test.ts holds the two together.
 */
import { tf } from '../../src/tensor/backend.ts';
import { N_IN, ouParams, type NsdeWeights } from './network.ts';

/** The fused layers and constants of one model (free with disposeFused). */
export interface FusedNet {
  /** Both networks' first layers side by side: [15, 2H], [2H]. */
  first: { w: tf.Tensor2D; b: tf.Tensor1D };
  /** Each network's further hidden layers, [H, H] and [H]. */
  mu: Array<{ w: tf.Tensor2D; b: tf.Tensor1D }>;
  sigma: Array<{ w: tf.Tensor2D; b: tf.Tensor1D }>;
  /** dt (driftScale N_mu + kappa theta): [H, 1] and [1]. */
  muOut: { w: tf.Tensor2D; b: tf.Tensor1D };
  /** sigmoid argument of the diffusion: [H, 1] and [1]. */
  sigOut: { w: tf.Tensor2D; b: tf.Tensor1D };
  /** kappa dt. */
  kappaDt: number;
  /** floor sqrt(dt) and scale sqrt(dt). */
  floorSq: number;
  scaleSq: number;
}

function data(w: NsdeWeights, name: string): Float32Array {
  return w.vars.get(name)!.dataSync() as Float32Array;
}

/** Builds the fused network of trained weights. */
export function makeFusedNet(w: NsdeWeights): FusedNet {
  const c = w.config;
  const H = c.hidden;
  const H2 = 2 * H;
  // First layers side by side (no zero blocks): a = ((z - mean) / std) W + b, times 2 for sigmoid(2a).
  const W0 = new Float32Array(N_IN * H2);
  const b0 = new Float32Array(H2);
  ['mu', 'sigma'].forEach((net, j) => {
    const wl = data(w, `${net}/w0`);
    const bl = data(w, `${net}/b0`);
    for (let o = 0; o < H; o++) {
      let bias = bl[o];
      for (let i = 0; i < N_IN; i++) {
        W0[i * H2 + j * H + o] = (2 * wl[i * H + o]) / w.inStd[i];
        bias -= (w.inMean[i] / w.inStd[i]) * wl[i * H + o];
      }
      b0[j * H + o] = 2 * bias;
    }
  });
  // Further layers apart (a block-diagonal product would double the arithmetic): a = (2s - 1) W + b, times 2.
  const layers = (net: string) =>
    Array.from({ length: c.depth - 1 }, (_, k) => {
      const l = k + 1;
      const wl = data(w, `${net}/w${l}`);
      const bl = data(w, `${net}/b${l}`);
      const W = new Float32Array(H * H);
      const b = new Float32Array(H);
      for (let o = 0; o < H; o++) {
        let bias = bl[o];
        for (let i = 0; i < H; i++) {
          W[i * H + o] = 4 * wl[i * H + o];
          bias -= wl[i * H + o];
        }
        b[o] = 2 * bias;
      }
      return { w: tf.tensor2d(W, [H, H]), b: tf.tensor1d(b) };
    });
  const { kappa, theta } = ouParams(w);
  const out = (net: string, scale: number, shift: number) => {
    const wo = data(w, `${net}/wOut`);
    const W = new Float32Array(H);
    let bias = data(w, `${net}/bOut`)[0];
    for (let i = 0; i < H; i++) {
      W[i] = 2 * wo[i] * scale;
      bias -= wo[i];
    }
    return { w: tf.tensor2d(W, [H, 1]), b: tf.tensor1d([bias * scale + shift]) };
  };
  return {
    first: { w: tf.tensor2d(W0, [N_IN, H2]), b: tf.tensor1d(b0) },
    mu: layers('mu'),
    sigma: layers('sigma'),
    muOut: out('mu', c.driftScale * c.dt, kappa * theta * c.dt),
    sigOut: out('sigma', 1, 0),
    kappaDt: kappa * c.dt,
    floorSq: c.diffFloor * Math.sqrt(c.dt),
    scaleSq: c.diffScale * Math.sqrt(c.dt),
  };
}

/** Frees the fused network's tensors. */
export function disposeFused(f: FusedNet): void {
  for (const { w, b } of [f.first, ...f.mu, ...f.sigma, f.muOut, f.sigOut]) {
    w.dispose();
    b.dispose();
  }
}

/** One Euler-Maruyama increment dX at the state (sig [B, 14], x [B, 1]) with normals zk [B, 1]. */
export function fusedIncrement(f: FusedNet, sig: tf.Tensor2D, x: tf.Tensor2D, zk: tf.Tensor2D): tf.Tensor2D {
  const first = tf.fused.matMul({ a: tf.concat([sig, x], 1) as tf.Tensor2D, b: f.first.w, bias: f.first.b, activation: 'sigmoid' }) as tf.Tensor2D;
  let [sm, ss] = tf.split(first, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
  for (const { w, b } of f.mu) sm = tf.fused.matMul({ a: sm, b: w, bias: b, activation: 'sigmoid' }) as tf.Tensor2D;
  for (const { w, b } of f.sigma) ss = tf.fused.matMul({ a: ss, b: w, bias: b, activation: 'sigmoid' }) as tf.Tensor2D;
  const driftDt = tf.sub(tf.fused.matMul({ a: sm, b: f.muOut.w, bias: f.muOut.b }), tf.mul(x, f.kappaDt));
  const diffSq = tf.add(tf.mul(tf.fused.matMul({ a: ss, b: f.sigOut.w, bias: f.sigOut.b, activation: 'sigmoid' }), f.scaleSq), f.floorSq);
  return tf.add(driftDt, tf.mul(diffSq, zk)) as tf.Tensor2D;
}
