/**
 * Tables of the 256-layer ziggurat for the standard normal (Marsaglia and Tsang, "The Ziggurat
 * Method for Generating Random Variables", J. Stat. Software 5(8), 2000; layout as in Doornik,
 * "An Improved Ziggurat Method to Generate Normal Random Samples", 2005). Hand-written numerics:
 * no JS library offers a ziggurat on a caller-chosen generator.
 *
 * The density is cut into LAYERS horizontal strips of equal area V under f(x) = exp(-x^2/2)
 * (unnormalised); strip i spans x in [0, X[i]] between heights f(X[i]) and f(X[i + 1]), strip 0
 * being the base strip plus the tail beyond R = X[1]. A draw x = u X[i] with u uniform on [0, 1)
 * is accepted at once when x < X[i + 1] (about 99.3% of draws), otherwise tested against the
 * curve, or, in strip 0, replaced by a draw from the tail.
 */

/** Number of strips. */
export const LAYERS = 256;
/** Right edge of the base strip, Marsaglia and Tsang (2000), section 4, n = 256. */
export const ZIG_R = 3.6541528853610088;
/** Area of each strip under exp(-x^2/2), Marsaglia and Tsang (2000), section 4, n = 256. */
export const ZIG_V = 0.00492867323399;

function density(x: number): number {
  return Math.exp(-0.5 * x * x);
}

function buildEdges(): Float64Array {
  const x = new Float64Array(LAYERS + 1);
  x[0] = ZIG_V / density(ZIG_R);
  x[1] = ZIG_R;
  for (let i = 1; i < LAYERS - 1; i++) x[i + 1] = Math.sqrt(-2 * Math.log(ZIG_V / x[i] + density(x[i])));
  x[LAYERS] = 0;
  return x;
}

/** Strip edges X[0..LAYERS]: X[0] = V/f(R) (the base strip's equivalent width), X[1] = R, X[LAYERS] = 0. */
export const ZIG_X = buildEdges();

/** X[i + 1]/X[i]: u below it is accepted without evaluating the density. */
export const ZIG_RATIO = Float64Array.from({ length: LAYERS }, (_, i) => ZIG_X[i + 1] / ZIG_X[i]);

/** f(X[i]) for i = 0..LAYERS, the strips' lower and upper heights. */
export const ZIG_F = Float64Array.from(ZIG_X, density);

/**
 * The area check of the table: the top strip [0, X[255]] x [f(X[255]), 1] must have area V too.
 * Returns its relative mismatch (about 1e-9 with the published constants).
 */
export function topStripMismatch(): number {
  const top = ZIG_X[LAYERS - 1] * (1 - ZIG_F[LAYERS - 1]);
  return Math.abs(top - ZIG_V) / ZIG_V;
}
