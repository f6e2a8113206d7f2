/**
 * Seeded random streams of the simulator: pure-rand's xoroshiro128+, one generator per concern
 * (the path, the jumps, the quotes), made independent by jump() (2^64 draws apart), so adding
 * draws to one concern never shifts another's sequence.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** Uniform and normal draws from one generator. */
export class RandomStream {
  private spare = NaN;
  constructor(private readonly g: RandomGenerator) {}

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.g.next() >>> 5;
    const lo = this.g.next() >>> 6;
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  }

  /** Standard normal (Box-Muller; the second variate of each pair is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const a = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(a);
    return r * Math.cos(a);
  }
}

/** `n` independent streams from one seed: the k-th is the base generator jumped k times. */
export function randomStreams(seed: number, n: number): RandomStream[] {
  if (!Number.isInteger(seed)) throw new RangeError(`seed: expected an integer, got ${seed}`);
  const base = xoroshiro128plus(seed);
  const out: RandomStream[] = [];
  for (let k = 0; k < n; k++) {
    out.push(new RandomStream(base.clone()));
    base.jump();
  }
  return out;
}
