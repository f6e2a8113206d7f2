/**
 * Sample autocorrelation functions, hand-written (direct sums; the lags wanted here are few).
 *
 * The estimator is the standard one of Box and Jenkins, as R's acf() and statsmodels' acf():
 * r_k = sum_{t < n-k} (x_t - m)(x_{t+k} - m) / sum_t (x_t - m)^2, with the full-sample mean m and
 * the full-sample denominator (so the sequence r_k is positive semi-definite; it is biased towards
 * 0 by about k/n).
 */

function checkLag(maxLag: number, n: number, what: string): void {
  if (!(Number.isInteger(maxLag) && maxLag >= 1)) throw new RangeError(`maxLag must be a positive integer, got ${String(maxLag)}`);
  if (maxLag >= n) throw new RangeError(`maxLag ${maxLag} needs ${what} longer than ${maxLag} values, got ${n}`);
}

/**
 * Autocorrelations r_0..r_maxLag of one series (r_0 = 1; r_k NaN for k >= 1 when the series is
 * constant, having no variance to correlate). Throws on a non-finite value, naming its index.
 */
export function acf(x: ArrayLike<number>, maxLag: number, out?: Float64Array): Float64Array {
  const n = x.length;
  checkLag(maxLag, n, 'a series');
  const r = out ?? new Float64Array(maxLag + 1);
  if (r.length !== maxLag + 1) throw new RangeError(`out must have length maxLag + 1 = ${maxLag + 1}, got ${r.length}`);
  let m = 0;
  for (let t = 0; t < n; t++) {
    if (!Number.isFinite(x[t])) throw new RangeError(`series value at index ${t} is not finite (${x[t]})`);
    m += x[t];
  }
  m /= n;
  let c0 = 0;
  for (let t = 0; t < n; t++) c0 += (x[t] - m) ** 2;
  r[0] = 1;
  for (let k = 1; k <= maxLag; k++) {
    let c = 0;
    for (let t = 0; t + k < n; t++) c += (x[t] - m) * (x[t + k] - m);
    r[k] = c0 > 0 ? c / c0 : NaN;
  }
  return r;
}

/**
 * Pooled autocorrelations of an ensemble of short paths (path-major, paths[p * nSteps + t]):
 * each path is centred on its own mean, and the lag-k cross products and the squares are summed
 * over all paths before dividing. For many 20-step segments this is far less noisy than
 * averaging per-path ACFs, and it shares their downward small-sample bias, so a real and a
 * generated ensemble cut into equal segments are compared on equal terms.
 */
export function pooledAcf(paths: ArrayLike<number>, nPaths: number, nSteps: number, maxLag: number): Float64Array {
  if (!(Number.isInteger(nPaths) && nPaths >= 1)) throw new RangeError(`nPaths must be a positive integer, got ${String(nPaths)}`);
  if (paths.length !== nPaths * nSteps) throw new RangeError(`paths must have length nPaths x nSteps = ${nPaths * nSteps}, got ${paths.length}`);
  checkLag(maxLag, nSteps, 'paths');
  const num = new Float64Array(maxLag + 1);
  let den = 0;
  for (let p = 0; p < nPaths; p++) {
    const o = p * nSteps;
    let m = 0;
    for (let t = 0; t < nSteps; t++) {
      const v = paths[o + t];
      if (!Number.isFinite(v)) throw new RangeError(`paths: path ${p}, step ${t} is not finite (${v})`);
      m += v;
    }
    m /= nSteps;
    for (let t = 0; t < nSteps; t++) den += (paths[o + t] - m) ** 2;
    for (let k = 1; k <= maxLag; k++) {
      let c = 0;
      for (let t = 0; t + k < nSteps; t++) c += (paths[o + t] - m) * (paths[o + t + k] - m);
      num[k] += c;
    }
  }
  num[0] = 1;
  for (let k = 1; k <= maxLag; k++) num[k] = den > 0 ? num[k] / den : NaN;
  return num;
}
