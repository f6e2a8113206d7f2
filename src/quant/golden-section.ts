/**
 * Golden-section search for the minimum of a unimodal function on an interval (hand-written: no
 * maintained JS library offers a plain one-dimensional minimiser).
 */

/**
 * Minimiser of a unimodal f on [a, b]: the bracket shrinks by the golden ratio each step until it
 * is at most tol (1 + |a| + |b|) wide (default tol 1e-10; below about sqrt(eps) comparisons of f
 * cannot locate a smooth minimum anyway).
 */
export function goldenSectionMin(f: (x: number) => number, a: number, b: number, tol = 1e-10): number {
  if (!(Number.isFinite(a) && Number.isFinite(b) && a < b)) throw new RangeError(`goldenSectionMin: need finite a < b, got [${a}, ${b}]`);
  if (!(tol > 0)) throw new RangeError(`goldenSectionMin: tol must be > 0, got ${tol}`);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (Math.abs(b - a) > tol * (1 + Math.abs(a) + Math.abs(b))) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}
