/**
 * Monte Carlo estimates with their standard errors. With antithetic pairs (paths 2k, 2k + 1),
 * the two values of a pair are dependent, so the error is taken over the n/2 pair averages, not
 * over the n values.
 */

/** A Monte Carlo estimate: the sample mean and its standard error. */
export interface McEstimate {
  mean: number;
  stdError: number;
}

/**
 * Mean of f(values[i]) (values[i] itself without f) and its standard error; with `antithetic`,
 * over the averages of consecutive pairs. Sums are compensated (Neumaier), since millions of
 * terms are common.
 */
export function mcMean(values: ArrayLike<number>, antithetic: boolean, f?: (x: number) => number): McEstimate {
  const n = values.length;
  const g = f ?? ((x: number) => x);
  if (antithetic && n % 2 !== 0) throw new RangeError(`values must have an even length with antithetic pairs, got ${n}`);
  const m = antithetic ? n / 2 : n;
  if (m < 2) throw new RangeError(`need at least 2 ${antithetic ? 'pairs' : 'values'} for a standard error, got ${m}`);
  // shift by the first term so the sum of squares does not cancel when the mean is large
  const shift = antithetic ? 0.5 * (g(values[0]) + g(values[1])) : g(values[0]);
  let sum = 0;
  let comp = 0;
  let sq = 0;
  for (let k = 0; k < m; k++) {
    const y = (antithetic ? 0.5 * (g(values[2 * k]) + g(values[2 * k + 1])) : g(values[k])) - shift;
    const t = sum + y;
    comp += Math.abs(sum) >= Math.abs(y) ? sum - t + y : y - t + sum;
    sum = t;
    sq += y * y;
  }
  const meanShifted = (sum + comp) / m;
  const variance = Math.max(0, (sq - m * meanShifted * meanShifted) / (m - 1));
  return { mean: shift + meanShifted, stdError: Math.sqrt(variance / m) };
}
