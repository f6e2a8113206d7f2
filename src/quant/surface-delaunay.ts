/**
 * Filling the empty cells of a grid the way the seed did with scipy's griddata: first linearly
 * inside the convex hull of the filled cells (barycentric interpolation on their Delaunay
 * triangulation), then each cell still empty takes its nearest filled neighbour. Both work in
 * grid-index coordinates, as the seed's did.
 *
 * Hand-written numerics (no JS library is a dependency): Bowyer-Watson insertion. Grid indices
 * are small integers, so the orientation and in-circle determinants are exact in doubles and the
 * many co-circular points of a grid are decided consistently (strictly inside only).
 */

/** Triangles (three point indices each, counter-clockwise) of a Delaunay triangulation. */
export function delaunay(px: Float64Array, py: Float64Array): Int32Array {
  const n = px.length;
  if (n < 3) return new Int32Array(0);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, px[i]); maxX = Math.max(maxX, px[i]);
    minY = Math.min(minY, py[i]); maxY = Math.max(maxY, py[i]);
  }
  // A super-triangle far enough out that its vertices sit outside every relevant circumcircle
  // for grid-sized inputs, small enough that the determinants stay exact.
  const span = Math.max(maxX - minX, maxY - minY, 1);
  const M = 64 * span;
  const xs = Float64Array.from([...px, minX - M, maxX + 2 * M, minX - M]);
  const ys = Float64Array.from([...py, minY - M, minY - M, maxY + 2 * M]);
  let tris: number[] = [n, n + 1, n + 2];
  const orient = (a: number, b: number, c: number) => (xs[b] - xs[a]) * (ys[c] - ys[a]) - (ys[b] - ys[a]) * (xs[c] - xs[a]);
  const inCircle = (a: number, b: number, c: number, d: number): boolean => {
    const adx = xs[a] - xs[d], ady = ys[a] - ys[d];
    const bdx = xs[b] - xs[d], bdy = ys[b] - ys[d];
    const cdx = xs[c] - xs[d], cdy = ys[c] - ys[d];
    const det = (adx * adx + ady * ady) * (bdx * cdy - cdx * bdy) - (bdx * bdx + bdy * bdy) * (adx * cdy - cdx * ady) +
      (cdx * cdx + cdy * cdy) * (adx * bdy - bdx * ady);
    return det > 0;
  };
  for (let p = 0; p < n; p++) {
    const keep: number[] = [];
    const edges = new Map<string, [number, number, number]>();
    for (let t = 0; t < tris.length; t += 3) {
      const a = tris[t], b = tris[t + 1], c = tris[t + 2];
      if (!inCircle(a, b, c, p)) { keep.push(a, b, c); continue; }
      for (const [u, v] of [[a, b], [b, c], [c, a]]) {
        const key = u < v ? `${u},${v}` : `${v},${u}`;
        const e = edges.get(key);
        if (e) e[2]++; else edges.set(key, [u, v, 1]);
      }
    }
    for (const [u, v, count] of edges.values()) {
      if (count !== 1) continue;
      const o = orient(u, v, p);
      if (o === 0) continue; // p on the cavity's border edge: the edge's other side was kept
      if (o > 0) keep.push(u, v, p); else keep.push(v, u, p);
    }
    tris = keep;
  }
  const out: number[] = [];
  for (let t = 0; t < tris.length; t += 3) if (tris[t] < n && tris[t + 1] < n && tris[t + 2] < n) out.push(tris[t], tris[t + 1], tris[t + 2]);
  return Int32Array.from(out);
}

/**
 * Fills NaN cells of z (nx columns, z[j * nx + i] at grid index (i, j)) in place: linearly on the
 * Delaunay triangulation of the filled cells, then by the nearest filled cell. Throws when every
 * cell is empty.
 */
export function fillGrid(z: Float64Array, nx: number): void {
  if (!(Number.isInteger(nx) && nx > 0 && z.length % nx === 0)) throw new RangeError(`grid fill: ${z.length} cells do not make rows of ${nx}`);
  const filled: number[] = [];
  for (let c = 0; c < z.length; c++) if (!Number.isNaN(z[c])) filled.push(c);
  if (filled.length === 0) throw new RangeError('grid fill: every cell is empty (no finite vols to interpolate from)');
  if (filled.length === z.length) return;
  const px = Float64Array.from(filled, (c) => c % nx), py = Float64Array.from(filled, (c) => Math.floor(c / nx));
  const tri = delaunay(px, py);
  const fillValues = new Float64Array(z.length).fill(NaN);
  for (let c = 0; c < z.length; c++) {
    if (!Number.isNaN(z[c])) continue;
    const x = c % nx, y = Math.floor(c / nx);
    for (let t = 0; t < tri.length; t += 3) {
      const a = tri[t], b = tri[t + 1], d = tri[t + 2];
      const det = (px[b] - px[a]) * (py[d] - py[a]) - (py[b] - py[a]) * (px[d] - px[a]);
      const l1 = ((px[b] - x) * (py[d] - y) - (py[b] - y) * (px[d] - x)) / det;
      const l2 = ((px[d] - x) * (py[a] - y) - (py[d] - y) * (px[a] - x)) / det;
      const l3 = 1 - l1 - l2;
      const eps = -1e-12;
      if (l1 >= eps && l2 >= eps && l3 >= eps) {
        fillValues[c] = l1 * z[filled[a]] + l2 * z[filled[b]] + l3 * z[filled[d]];
        break;
      }
    }
  }
  for (let c = 0; c < z.length; c++) if (!Number.isNaN(fillValues[c])) z[c] = fillValues[c];
  // Nearest neighbour among the cells filled so far (data and linear fill), as the seed did
  const src: number[] = [];
  for (let c = 0; c < z.length; c++) if (!Number.isNaN(z[c])) src.push(c);
  const nearest = new Float64Array(z.length).fill(NaN);
  for (let c = 0; c < z.length; c++) {
    if (!Number.isNaN(z[c])) continue;
    const x = c % nx, y = Math.floor(c / nx);
    let best = Infinity, v = NaN;
    for (const s of src) {
      const dx = (s % nx) - x, dy = Math.floor(s / nx) - y;
      const d2 = dx * dx + dy * dy;
      if (d2 < best) { best = d2; v = z[s]; }
    }
    nearest[c] = v;
  }
  for (let c = 0; c < z.length; c++) if (Number.isNaN(z[c])) z[c] = nearest[c];
}
