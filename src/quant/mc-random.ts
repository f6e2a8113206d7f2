/**
 * Seeded, reproducible, independent random streams for Monte Carlo: pure-rand's xoroshiro128+
 * generator, uniforms with 53 random bits, and standard normals by a 256-layer ziggurat (tables
 * in mc-ziggurat.ts), one at a time or filled into Float64Array blocks.
 *
 * Seeding: pure-rand's own xoroshiro128plus(seed) starts from a state in which nearby seeds
 * differ in a few bits only, so the first draws of seeds 1 and 2 are alike; here the 32-bit seed
 * is spread over the 128-bit state by the murmur3 finaliser first. Stream k of a seed is that
 * state advanced by k jump()s of 2^64 draws each, so streams never overlap in practice and
 * adding draws to one stream never shifts another.
 *
 * Bits: pure-rand's next() returns the low 32 bits of each 64-bit xoroshiro128+ output, whose
 * lowest bits are the generator's weakest (they fail linearity tests), so every variate here is
 * made from high bits only: a uniform from bits 5..31 and 6..31 of two outputs, a normal from the
 * top 8 bits (strip), bit 23 (sign) and 44 bits of magnitude of two outputs.
 */
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { ZIG_F, ZIG_R, ZIG_RATIO, ZIG_X } from './mc-ziggurat.ts';

const TWO_POW_26 = 67108864;
const TWO_POW_M53 = 1 / 9007199254740992;
const TWO_POW_M44 = 1 / 17592186044416;

/** murmur3's 32-bit finaliser: a bijection of int32 that sends nearby inputs far apart. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function checkSeed(seed: number): void {
  if (!(Number.isInteger(seed) && seed >= -2147483648 && seed <= 4294967295)) {
    throw new RangeError(`seed must be an integer in [-2^31, 2^32), got ${String(seed)}`);
  }
}

function checkIndex(name: string, n: number): void {
  if (!(Number.isInteger(n) && n >= 0 && n <= 1_000_000)) {
    throw new RangeError(`${name} must be an integer in [0, 1e6], got ${String(n)}`);
  }
}

/**
 * The 128-bit starting state of a seed. fmix32 is a bijection with fmix32(0) = 0, and the first two
 * words' inputs s ^ 0x2545f491 and s + 0x9e3779b9 are never both zero, so the state never is.
 */
function seededGenerator(seed: number): JumpableRandomGenerator {
  const s = seed | 0;
  const w = [fmix32(s ^ 0x2545f491), fmix32(s + 0x9e3779b9), fmix32(s ^ 0x6a09e667), fmix32(s + 0x3c6ef372)];
  return xoroshiro128plusFromState(w);
}

/** One stream of uniform and standard normal draws. Same seed and index give the same draws. */
export class RandomStream {
  private readonly g: JumpableRandomGenerator;

  /** Wraps a generator (usually made by randomStream or randomStreams). */
  constructor(g: JumpableRandomGenerator) {
    this.g = g;
  }

  /** Uniform on the open interval (0, 1), on the grid (k + 1/2) 2^-53. */
  uniform(): number {
    const hi = this.g.next() >>> 5;
    const lo = this.g.next() >>> 6;
    return (hi * TWO_POW_26 + lo + 0.5) * TWO_POW_M53;
  }

  /** A standard normal variate (ziggurat); the same sequence as fillNormals gives. */
  normal(): number {
    const a = this.g.next();
    const b = this.g.next();
    const i = a >>> 24;
    const u = ((((a >>> 5) & 0x3ffff) * TWO_POW_26 + (b >>> 6)) + 0.5) * TWO_POW_M44;
    const x = u < ZIG_RATIO[i] ? u * ZIG_X[i] : this.slowNormal(i, u);
    return (a & 0x800000) !== 0 ? -x : x;
  }

  /** |Z| conditioned on |Z| > R, by Marsaglia's (1964) exponential rejection. */
  private tail(): number {
    for (;;) {
      const x = -Math.log(this.uniform()) / ZIG_R;
      const y = -Math.log(this.uniform());
      if (y + y >= x * x) return ZIG_R + x;
    }
  }

  /** Fills out[start..end) with uniforms on (0, 1); returns out. */
  fillUniforms(out: Float64Array, start = 0, end = out.length): Float64Array {
    this.uniformsInto(out, start, end, false);
    return out;
  }

  /**
   * Fills out[0..n) (n even) with n/2 fresh uniforms u, each followed by its antithetic partner
   * 1 - u: what fillUniforms(out, 0, n/2) and a spread into pairs give, in one pass.
   */
  fillUniformsMirrored(out: Float64Array, n: number): Float64Array {
    this.uniformsInto(out, 0, n - (n & 1), true);
    return out;
  }

  /** Fills out[start..end) with standard normals; returns out. */
  fillNormals(out: Float64Array, start = 0, end = out.length): Float64Array {
    this.normalsInto(out, start, end, false);
    return out;
  }

  /**
   * Fills out[0..n) (n even) with n/2 fresh standard normals z, each followed by its antithetic
   * partner -z: what fillNormals(out, 0, n/2) and a spread into pairs give, in one pass.
   */
  fillNormalsMirrored(out: Float64Array, n: number): Float64Array {
    this.normalsInto(out, 0, n - (n & 1), true);
    return out;
  }

  /** Uniforms into out[start..end), or with `mirrored` fresh ones at even offsets and 1 - u after each. */
  private uniformsInto(out: Float64Array, start: number, end: number, mirrored: boolean): void {
    const g = this.g;
    const step = mirrored ? 2 : 1;
    for (let k = start; k < end; k += step) {
      const hi = g.next() >>> 5;
      const lo = g.next() >>> 6;
      const u = (hi * TWO_POW_26 + lo + 0.5) * TWO_POW_M53;
      out[k] = u;
      if (mirrored) out[k + 1] = 1 - u;
    }
  }

  /** Normals into out[start..end), or with `mirrored` fresh ones at even offsets and -z after each. */
  private normalsInto(out: Float64Array, start: number, end: number, mirrored: boolean): void {
    const g = this.g;
    // imported bindings are live, so hoist the tables out of the loop
    const ratio = ZIG_RATIO;
    const edge = ZIG_X;
    const step = mirrored ? 2 : 1;
    for (let k = start; k < end; k += step) {
      const a = g.next();
      const b = g.next();
      const i = a >>> 24;
      const u = ((((a >>> 5) & 0x3ffff) * TWO_POW_26 + (b >>> 6)) + 0.5) * TWO_POW_M44;
      // the slow path (0.7% of draws) is out of line so that the fast one stays small
      const x = u < ratio[i] ? u * edge[i] : this.slowNormal(i, u);
      const z = (a & 0x800000) !== 0 ? -x : x;
      out[k] = z;
      if (mirrored) out[k + 1] = -z;
    }
  }

  /**
   * |Z| for a draw u that missed strip i's fast region: a draw from the tail (strip 0), or the
   * wedge test against the density, and on rejection |Z| of a fresh draw (the sign is a separate
   * bit, independent of the magnitude).
   */
  private slowNormal(i: number, u: number): number {
    if (i === 0) return this.tail();
    const x = u * ZIG_X[i];
    if (ZIG_F[i] + this.uniform() * (ZIG_F[i + 1] - ZIG_F[i]) < Math.exp(-0.5 * x * x)) return x;
    return Math.abs(this.normal());
  }

  /** An independent copy at the same position (it repeats this stream's future draws). */
  clone(): RandomStream {
    return new RandomStream(this.g.clone());
  }
}

/** Stream `index` of `seed`: the seeded state advanced by `index` jumps of 2^64 draws. */
export function randomStream(seed: number, index = 0): RandomStream {
  checkSeed(seed);
  checkIndex('stream index', index);
  const g = seededGenerator(seed);
  for (let k = 0; k < index; k++) g.jump();
  return new RandomStream(g);
}

/** Streams 0..n-1 of `seed` (the same as randomStream(seed, k) for each k, built in one pass). */
export function randomStreams(seed: number, n: number): RandomStream[] {
  checkSeed(seed);
  checkIndex('n', n);
  const g = seededGenerator(seed);
  const out: RandomStream[] = [];
  for (let k = 0; k < n; k++) {
    out.push(new RandomStream(g.clone()));
    g.jump();
  }
  return out;
}
