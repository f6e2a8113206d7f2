/**
 * LRM and MVH hedge ratios at t = 0 for many strikes of one maturity at once, on one set of
 * paths: the live hedge methods' (src/hedging/quadratic.ts) inner loop.
 *
 * Same estimator as fitQuadraticHedge (hedge-lsmc.ts), date by date and strike by strike, but
 * with a basis that does not depend on the strike (no Black-Scholes columns; the spot column
 * instead, see hedge-lsmc-basis.ts): every regression of a date then has the same design matrix
 * for every strike, so one Gram matrix per date and criterion (LRM unweighted, MVH weighted by
 * the opportunity process, itself strike-free) serves all strikes as extra right-hand sides, and
 * the basis rows are computed once. For strikes K_1..K_m this costs about one fit plus m cheap
 * right-hand sides, instead of 2 m fits. Results equal fitQuadraticHedge's with the same basis
 * (tested), since each strike's normal equations are the same numbers.
 */
import type { BatesParams, HestonParams } from './heston-cf.ts';
import { basisRow, basisScratch, basisSize, varianceBasisRow, type BasisSpec } from './hedge-lsmc-basis.ts';
import { discountedPayoffs, type HedgePaths } from './hedge-lsmc-paths.ts';
import { feedbackAt, fitBuffers, loadDate, stepModel, type FeedbackCoefficients } from './hedge-lsmc.ts';
import { weightedLeastSquares } from './hedge-lsmc-regress.ts';

/** Settings of fitQuadraticRatios. */
export interface QuadraticRatiosOptions {
  /** Basis (its bsFeatures must be false); default { degree: 2, bsFeatures: false, spot: true }. */
  basis?: BasisSpec;
  /** Degree in sqrt v of MVH's b and L regressions (default 3, as fitQuadraticHedge). */
  varianceDegree?: number;
}

/** Date-0 ratios (shares per call) and values (discounted) for each strike, index-aligned. */
export interface QuadraticRatios {
  lrm: Float64Array;
  mvh: Float64Array;
  lrmValue: Float64Array;
  mvhValue: Float64Array;
}

/** The default basis of fitQuadraticRatios. */
export const MULTI_BASIS: BasisSpec = { degree: 2, bsFeatures: false, spot: true };

/**
 * LRM and MVH ratios at t = 0 of calls at `strikes` (in the paths' price units) on paths `p`
 * simulated under P (hedge-lsmc-paths.ts); `params` are the risk-neutral ones (read for the
 * correlation and jump variance of MVH's feedback floor). MVH's ratio at t = 0 is its pure hedge:
 * there the wealth is V_0, so the feedback term is zero. Throws a RangeError naming a bad input.
 */
export function fitQuadraticRatios(
  p: HedgePaths,
  strikes: readonly number[],
  params: HestonParams | BatesParams,
  opts: QuadraticRatiosOptions = {},
): QuadraticRatios {
  const steps = quadraticRatioSteps(p, strikes, params, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Work units (about 10 ns each, the unit of the pricers' stepped curve builds, heston-greeks.ts)
 * of quadraticRatioSteps' steps, per path: fitted to timings of the default live problem (1,024
 * paths, 11 strikes, MULTI_BASIS, 8 dates; docs/quadratic-hedging.md "Live"), as functions of the
 * sizes only, so the count, and a budget spent by it, is the same on every run.
 */
const RATIO_UNITS = {
  /** Payoffs and the targets' copies, per path and strike. */
  payoff: 1,
  /** A date's basis rows and MVH opportunity process, per path: this much per basis column. */
  stateColumn: 1.3,
  /** A regression's Gram matrix and right-hand sides, per path and multiply-add. */
  gram: 0.15,
  /** Stepping the targets back one date, per path, strike and basis column. */
  update: 0.25,
};

/**
 * fitQuadraticRatios as resumable steps, with the same results to the last bit (it is the same
 * code: fitQuadraticRatios runs these steps to the end): a generator that yields the work units
 * of each step just done (see RATIO_UNITS): the payoffs; then per date, from the last back, the
 * basis and opportunity process, the LRM regression, the MVH regression, and the targets'
 * update. All its state is its own, so other work may run between steps; for spreading a live
 * curve build over several rounds (src/hedging/quadratic-curve.ts).
 */
export function* quadraticRatioSteps(
  p: HedgePaths,
  strikes: readonly number[],
  params: HestonParams | BatesParams,
  opts: QuadraticRatiosOptions = {},
): Generator<number, QuadraticRatios, void> {
  const spec = opts.basis ?? MULTI_BASIS;
  if (spec.bsFeatures ?? true) throw new RangeError('basis.bsFeatures must be false: the Black-Scholes columns depend on the strike');
  const vd = opts.varianceDegree ?? 3;
  if (!(Number.isInteger(vd) && vd >= 0 && vd <= 6)) throw new RangeError(`varianceDegree must be an integer in [0, 6], got ${String(vd)}`);
  if (strikes.length === 0) throw new RangeError('strikes must not be empty');
  strikes.forEach((K, j) => {
    if (!(Number.isFinite(K) && K > 0)) throw new RangeError(`strikes[${j}] must be a finite number > 0, got ${String(K)}`);
  });
  const m = strikes.length;
  const n = p.paths;
  const N = p.steps;
  const pb = basisSize(spec);
  const { p2, qv, A, B, date, Lnext, tmp, tmp2 } = fitBuffers(n, pb, vd);
  const { S: Sk, v: vk, dX, R } = date;
  const yL = strikes.map((K) => discountedPayoffs(p, { K, call: true }));
  const yM = yL.map((y) => Float64Array.from(y));
  const model = stepModel(p, params);
  const scratch = basisScratch(spec);
  const out: QuadraticRatios = { lrm: new Float64Array(m), mvh: new Float64Array(m), lrmValue: new Float64Array(m), mvhValue: new Float64Array(m) };
  const row0 = new Float64Array(pb);
  const U = RATIO_UNITS;
  const gramUnits = Math.ceil(U.gram * n * (p2 * (p2 + 1) / 2 + m * p2));
  yield Math.ceil(U.payoff * n * m);
  for (let k = N - 1; k >= 0; k--) {
    const sc = loadDate(p, k, date);
    for (let i = 0; i < n; i++) {
      const o = i * p2;
      basisRow(spec, sc, null, Sk[i], vk[i], 0, A, o, scratch);
      for (let j = 0; j < pb; j++) A[o + pb + j] = A[o + j] * dX[i];
    }
    // MVH's opportunity process: as fitQuadraticHedge, strike-free
    for (let i = 0; i < n; i++) varianceBasisRow(vd, sc, vk[i], B, i * qv);
    const lhat = weightedLeastSquares(B, n, qv, [Lnext]).coef[0];
    for (let i = 0; i < n; i++) {
      let li = 0;
      for (let j = 0; j < qv; j++) li += B[i * qv + j] * lhat[j];
      li = Math.max(0, li);
      tmp[i] = (Lnext[i] - li) * R[i];
      tmp2[i] = Lnext[i] * R[i] * R[i];
    }
    const [cov, den] = weightedLeastSquares(B, n, qv, [tmp, tmp2]).coef;
    const feedback: FeedbackCoefficients = { lhat, cov, den, regressed: false };
    const w = Float64Array.from(Lnext);
    for (let i = 0; i < n; i++) Lnext[i] = feedbackAt(model, feedback, vd, sc, vk[i], B, i * qv).L;
    yield Math.ceil(U.stateColumn * n * (p2 + qv));
    const cl = weightedLeastSquares(A, n, p2, yL).coef;
    yield gramUnits;
    const cm = weightedLeastSquares(A, n, p2, yM, w).coef;
    yield gramUnits;
    if (k === 0) {
      basisRow(spec, sc, null, p.S[0], p.v[0], 0, row0, 0, scratch);
      for (let s = 0; s < m; s++) {
        let lv = 0, lr = 0, mv = 0, mr = 0;
        for (let j = 0; j < pb; j++) {
          lv += row0[j] * cl[s][j];
          lr += row0[j] * cl[s][pb + j];
          mv += row0[j] * cm[s][j];
          mr += row0[j] * cm[s][pb + j];
        }
        out.lrm[s] = lr;
        out.lrmValue[s] = lv;
        out.mvh[s] = mr;
        out.mvhValue[s] = mv;
      }
      break;
    }
    for (let s = 0; s < m; s++) {
      const c = cl[s], d = cm[s], y = yL[s], z = yM[s];
      for (let i = 0; i < n; i++) {
        const o = i * p2;
        let xi = 0, a = 0;
        for (let j = 0; j < pb; j++) {
          xi += A[o + j] * c[pb + j];
          a += A[o + j] * d[j];
        }
        // LRM: pathwise hedged payoff; MVH: the fitted value (hedge-lsmc.ts's header)
        y[i] -= xi * dX[i];
        z[i] = a;
      }
    }
    yield Math.ceil(U.update * n * m * pb);
  }
  return out;
}
