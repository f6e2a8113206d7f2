/**
 * Fixed-capacity time series for the page: every chart keeps at most `capacity` points, so a
 * dashboard left open for days holds no more memory than one open for a minute.
 */

/** A ring of (x, y1..yn) rows; a push with the newest x replaces that row (a revised value). */
export class SeriesRing {
  private readonly xs: Float64Array;
  private readonly ys: Float64Array[];
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number, readonly width: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`SeriesRing: capacity must be a positive integer, got ${capacity}`);
    this.xs = new Float64Array(capacity);
    this.ys = Array.from({ length: width }, () => new Float64Array(capacity));
  }

  get length(): number {
    return this.size;
  }

  /** The newest x, or NaN when empty. */
  lastX(): number {
    return this.size === 0 ? NaN : this.xs[(this.head - 1 + this.capacity) % this.capacity];
  }

  /** The newest value of series i, or NaN. */
  last(i: number): number {
    return this.size === 0 ? NaN : this.ys[i][(this.head - 1 + this.capacity) % this.capacity];
  }

  /** Appends a row (NaN for a missing value); an x older than the newest is dropped. */
  push(x: number, values: readonly number[]): void {
    const lx = this.lastX();
    if (this.size > 0 && x < lx) return;
    let at = this.head;
    if (this.size > 0 && x === lx) at = (this.head - 1 + this.capacity) % this.capacity;
    else {
      this.head = (this.head + 1) % this.capacity;
      if (this.size < this.capacity) this.size++;
    }
    this.xs[at] = x;
    for (let i = 0; i < this.width; i++) this.ys[i][at] = values[i] ?? NaN;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
  }

  /** Rows oldest first, as uPlot's aligned data (NaN becomes null, a gap). */
  data(): [number[], ...Array<Array<number | null>>] {
    const n = this.size;
    const start = (this.head - n + this.capacity) % this.capacity;
    const x = new Array<number>(n);
    const ys = this.ys.map(() => new Array<number | null>(n));
    for (let j = 0; j < n; j++) {
      const i = (start + j) % this.capacity;
      x[j] = this.xs[i];
      for (let s = 0; s < this.width; s++) {
        const v = this.ys[s][i];
        ys[s][j] = Number.isFinite(v) ? v : null;
      }
    }
    return [x, ...ys];
  }
}
