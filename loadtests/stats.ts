/** Latency tallies for the load harness: a bounded log-linear histogram (no per-sample array, so a soak cannot grow it). */

/** Microsecond histogram: 1 µs resolution up to 1 ms, then ~1% relative buckets up to 100 s. */
export class Histogram {
  private readonly counts = new Float64Array(1000 + 1200);
  count = 0;
  max = 0;
  private sum = 0;

  private bucket(us: number): number {
    if (us < 1000) return Math.max(0, Math.floor(us));
    return Math.min(this.counts.length - 1, 1000 + Math.floor(Math.log(us / 1000) / Math.log(1.01)));
  }

  private value(b: number): number {
    return b < 1000 ? b : 1000 * Math.pow(1.01, b - 1000 + 1);
  }

  record(us: number): void {
    this.counts[this.bucket(us)]++;
    this.count++;
    this.sum += us;
    if (us > this.max) this.max = us;
  }

  merge(h: Histogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += h.counts[i];
    this.count += h.count;
    this.sum += h.sum;
    this.max = Math.max(this.max, h.max);
  }

  /** The q-quantile (0..1) in microseconds (upper edge of its bucket); NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const target = q * this.count;
    let acc = 0;
    for (let i = 0; i < this.counts.length; i++) {
      acc += this.counts[i];
      if (acc >= target) return Math.min(this.value(i), this.max);
    }
    return this.max;
  }

  /** p50/p90/p99/p99.9/max in milliseconds, and the count. */
  summary(): { n: number; p50: number; p90: number; p99: number; p999: number; max: number; mean: number } {
    const ms = (us: number) => Math.round(us) / 1000;
    return { n: this.count, p50: ms(this.quantile(0.5)), p90: ms(this.quantile(0.9)), p99: ms(this.quantile(0.99)), p999: ms(this.quantile(0.999)), max: ms(this.max), mean: this.count ? ms(this.sum / this.count) : NaN };
  }
}
