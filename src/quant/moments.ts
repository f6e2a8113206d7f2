/**
 * Sample moments in numerically stable forms: a streaming accumulator (Welford's update of the
 * mean and second moment, extended to the third and fourth central moments by Pébay's formulas,
 * with Chan et al.'s merge of two accumulators), whole-array helpers, and the per-time-step
 * moments of an ensemble of paths.
 *
 * Kurtosis here is named by what it is: `kurtosis` is the plain (Pearson) kurtosis m4 / m2^2, 3
 * for a normal distribution; `excessKurtosis` is kurtosis - 3, 0 for a normal. Both use the
 * population (biased, 1/n) central moments, as scipy.stats.kurtosis(bias=True) does: the ratio is
 * what the neural-SDE diagnostics compare between real and generated paths, at equal n.
 * Hand-written: no JS statistics library is a dependency of the project.
 */

/** Streaming count, mean and central moments of a sample, one value at a time. */
export class RunningMoments {
  /** Number of values pushed. */
  n = 0;
  /** Running mean. */
  mean = 0;
  /** Sums of 2nd, 3rd and 4th powers of deviations from the running mean. */
  private m2 = 0;
  private m3 = 0;
  private m4 = 0;

  /** Adds one value; throws on a non-finite one, which would poison every moment after it. */
  push(x: number): this {
    if (!Number.isFinite(x)) throw new RangeError(`RunningMoments.push: value ${x} is not finite`);
    const n1 = this.n;
    const n = n1 + 1;
    const delta = x - this.mean;
    const dn = delta / n;
    const dn2 = dn * dn;
    const t1 = delta * dn * n1;
    this.m4 += t1 * dn2 * (n * n - 3 * n + 3) + 6 * dn2 * this.m2 - 4 * dn * this.m3;
    this.m3 += t1 * dn * (n - 2) - 3 * dn * this.m2;
    this.m2 += t1;
    this.mean += dn;
    this.n = n;
    return this;
  }

  /** Adds every value of `xs`. */
  pushAll(xs: ArrayLike<number>): this {
    for (let i = 0; i < xs.length; i++) this.push(xs[i]);
    return this;
  }

  /** Folds another accumulator's sample into this one (as if its values had been pushed here). */
  merge(o: RunningMoments): this {
    if (o.n === 0) return this;
    if (this.n === 0) {
      this.n = o.n;
      this.mean = o.mean;
      this.m2 = o.m2;
      this.m3 = o.m3;
      this.m4 = o.m4;
      return this;
    }
    const na = this.n;
    const nb = o.n;
    const n = na + nb;
    const d = o.mean - this.mean;
    const d2 = d * d;
    const m2 = this.m2 + o.m2 + (d2 * na * nb) / n;
    const m3 = this.m3 + o.m3 + (d2 * d * na * nb * (na - nb)) / (n * n) + (3 * d * (na * o.m2 - nb * this.m2)) / n;
    const m4 =
      this.m4 +
      o.m4 +
      (d2 * d2 * na * nb * (na * na - na * nb + nb * nb)) / (n * n * n) +
      (6 * d2 * (na * na * o.m2 + nb * nb * this.m2)) / (n * n) +
      (4 * d * (na * o.m3 - nb * this.m3)) / n;
    this.mean += (d * nb) / n;
    this.m2 = m2;
    this.m3 = m3;
    this.m4 = m4;
    this.n = n;
    return this;
  }

  /** Variance with divisor n - ddof (ddof = 1, the unbiased sample variance, by default); NaN when n <= ddof. */
  variance(ddof = 1): number {
    return this.n > ddof ? this.m2 / (this.n - ddof) : NaN;
  }

  /** Skewness m3 / m2^(3/2) from population moments; NaN for fewer than 2 values or zero variance. */
  skewness(): number {
    return this.n > 1 && this.m2 > 0 ? (Math.sqrt(this.n) * this.m3) / this.m2 ** 1.5 : NaN;
  }

  /** Plain kurtosis m4 / m2^2 (3 for a normal) from population moments; NaN for fewer than 2 values or zero variance. */
  kurtosis(): number {
    return this.n > 1 && this.m2 > 0 ? (this.n * this.m4) / (this.m2 * this.m2) : NaN;
  }

  /** Excess kurtosis, kurtosis - 3 (0 for a normal). */
  excessKurtosis(): number {
    return this.kurtosis() - 3;
  }
}

/** The moments of a whole array (throws on a non-finite value, naming its index). */
export function moments(xs: ArrayLike<number>): RunningMoments {
  const m = new RunningMoments();
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) throw new RangeError(`value at index ${i} is not finite (${xs[i]})`);
    m.push(xs[i]);
  }
  return m;
}

/** Arithmetic mean (NaN for an empty array). */
export function mean(xs: ArrayLike<number>): number {
  return xs.length === 0 ? NaN : moments(xs).mean;
}

/** Variance with divisor n - ddof (default 1, the unbiased sample variance). */
export function variance(xs: ArrayLike<number>, ddof = 1): number {
  return moments(xs).variance(ddof);
}

/** Plain kurtosis m4 / m2^2 of a sample (normal: 3, uniform: 1.8, Laplace: 6). */
export function kurtosis(xs: ArrayLike<number>): number {
  return moments(xs).kurtosis();
}

/** Excess kurtosis m4 / m2^2 - 3 of a sample (normal: 0). */
export function excessKurtosis(xs: ArrayLike<number>): number {
  return moments(xs).kurtosis() - 3;
}

/** Moments across paths at each time step of an ensemble. */
export interface StepMoments {
  mean: Float64Array;
  /** Population variance (divisor nPaths). */
  variance: Float64Array;
  /** Plain kurtosis m4 / m2^2; NaN at a step where every path has the same value. */
  kurtosis: Float64Array;
}

/**
 * Per-time-step marginal moments of an ensemble: at each step t, the mean, variance and plain
 * kurtosis of paths[p][t] across the nPaths paths — never of the flattened array, whose kurtosis
 * mixes the time steps' different variances into a spuriously fat tail. `paths` is path-major:
 * paths[p * nSteps + t]. Two passes (mean, then central moments), so a large common level does
 * not cancel the deviations.
 */
export function perStepMoments(paths: ArrayLike<number>, nPaths: number, nSteps: number): StepMoments {
  if (!(Number.isInteger(nPaths) && nPaths >= 2)) throw new RangeError(`nPaths must be an integer >= 2, got ${String(nPaths)}`);
  if (!(Number.isInteger(nSteps) && nSteps >= 1)) throw new RangeError(`nSteps must be a positive integer, got ${String(nSteps)}`);
  if (paths.length !== nPaths * nSteps) throw new RangeError(`paths must have length nPaths x nSteps = ${nPaths * nSteps}, got ${paths.length}`);
  const mu = new Float64Array(nSteps);
  const c2 = new Float64Array(nSteps);
  const c4 = new Float64Array(nSteps);
  for (let p = 0; p < nPaths; p++) {
    const o = p * nSteps;
    for (let t = 0; t < nSteps; t++) {
      const x = paths[o + t];
      if (!Number.isFinite(x)) throw new RangeError(`paths: path ${p}, step ${t} is not finite (${x})`);
      mu[t] += x;
    }
  }
  for (let t = 0; t < nSteps; t++) mu[t] /= nPaths;
  for (let p = 0; p < nPaths; p++) {
    const o = p * nSteps;
    for (let t = 0; t < nSteps; t++) {
      const e = paths[o + t] - mu[t];
      const e2 = e * e;
      c2[t] += e2;
      c4[t] += e2 * e2;
    }
  }
  const kurt = new Float64Array(nSteps);
  for (let t = 0; t < nSteps; t++) {
    kurt[t] = c2[t] > 0 ? (nPaths * c4[t]) / (c2[t] * c2[t]) : NaN;
    c2[t] /= nPaths;
  }
  return { mean: mu, variance: c2, kurtosis: kurt };
}

/**
 * Per-time-step marginal kurtosis across paths (see perStepMoments): plain m4 / m2^2, or
 * m4 / m2^2 - 3 with `excess`. NaN at steps where all paths agree (e.g. a common start).
 */
export function perStepKurtosis(paths: ArrayLike<number>, nPaths: number, nSteps: number, opts: { excess?: boolean } = {}): Float64Array {
  const k = perStepMoments(paths, nPaths, nSteps).kurtosis;
  if (opts.excess) for (let t = 0; t < nSteps; t++) k[t] -= 3;
  return k;
}
