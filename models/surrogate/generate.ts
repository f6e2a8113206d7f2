/**
 * Training data: n Heston parameter vectors from the seeded Latin hypercube (param-box.ts) and
 * their exact IV surfaces on the grid (exact-surface.ts), priced by worker threads, each taking
 * a contiguous slice, so the result does not depend on the number of workers. Surfaces with a
 * flagged point keep NaN there and a non-zero `flagged` count; the training split drops them.
 * A generated set is cached under os.tmpdir() (never committed), keyed by seed, size and grid.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { GRID_T, GRID_Z, N_GRID, SIGMA_REF } from './grid.ts';
import { N_PARAMS, PARAM_BOX, latinHypercube } from './param-box.ts';
import { PRICE_REL_TOL } from './exact-surface.ts';

/** A generated set: params[s * N_PARAMS + d], iv[s * N_GRID + g] (NaN where flagged). */
export interface Dataset {
  n: number;
  seed: number;
  params: Float64Array;
  iv: Float32Array;
  /** Flagged grid points per surface (0 = the whole surface is usable). */
  flagged: Uint8Array;
}

/** Options of generateDataset. */
export interface GenerateOptions {
  n: number;
  seed: number;
  /** Worker threads (default: available cores, at most 8; 0 prices on this thread). */
  workers?: number;
  /** Cache file to read or write (default under os.tmpdir(); null: no cache). */
  cachePath?: string | null;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

const CACHE_VERSION = 1;

/** What the cache key covers: anything that changes the surfaces. */
function cacheKey(n: number, seed: number): string {
  return JSON.stringify({ v: CACHE_VERSION, n, seed, z: GRID_Z, t: GRID_T, s: SIGMA_REF, box: PARAM_BOX, tol: PRICE_REL_TOL });
}

/** The default cache file of (n, seed). */
export function defaultCachePath(n: number, seed: number): string {
  let h = 2166136261;
  for (const c of cacheKey(n, seed)) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return join(tmpdir(), 'volrisk-surrogate', `surfaces-${seed}-${n}-${h.toString(16)}.bin`);
}

function readCache(path: string, n: number, seed: number): Dataset | null {
  if (!existsSync(path)) return null;
  const buf = readFileSync(path);
  const headLen = buf.readUInt32LE(0);
  if (buf.toString('utf8', 4, 4 + headLen) !== cacheKey(n, seed)) return null;
  let off = 4 + headLen;
  off += (8 - (off % 8)) % 8;
  const copy = <T>(Ctor: new (b: ArrayBuffer) => T, bytes: number): T => {
    const ab = buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + bytes);
    off += bytes;
    return new Ctor(ab);
  };
  const params = copy(Float64Array, n * N_PARAMS * 8);
  const iv = copy(Float32Array, n * N_GRID * 4);
  const flagged = copy(Uint8Array, n);
  return { n, seed, params, iv, flagged };
}

function writeCache(path: string, d: Dataset): void {
  mkdirSync(dirname(path), { recursive: true });
  const head = Buffer.from(cacheKey(d.n, d.seed), 'utf8');
  const pre = 4 + head.length;
  const pad = (8 - (pre % 8)) % 8;
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length, 0);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([len, head, Buffer.alloc(pad), Buffer.from(d.params.buffer), Buffer.from(d.iv.buffer), Buffer.from(d.flagged.buffer)]));
  renameSync(tmp, path);
}

// Loader hooks are per thread, so the worker registers tsx itself before loading the TS module.
const WORKER_BOOT = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(
  new URL('./generate-worker.ts', import.meta.url).href,
)}); });`;

function runWorker(params: Float64Array, onDone: (k: number) => void, signal?: AbortSignal): Promise<{ iv: Float32Array; flagged: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_BOOT, { eval: true, workerData: { params } });
    let last = 0;
    const abort = (): void => { void w.terminate(); reject(new Error('generateDataset: aborted')); };
    signal?.addEventListener('abort', abort, { once: true });
    w.on('message', (m: { kind: 'progress'; done: number } | { kind: 'done'; iv: Float32Array; flagged: Uint8Array }) => {
      if (m.kind === 'progress') { onDone(m.done - last); last = m.done; return; }
      onDone(params.length / N_PARAMS - last);
      signal?.removeEventListener('abort', abort);
      resolve({ iv: m.iv, flagged: m.flagged });
    });
    w.on('error', (e) => { signal?.removeEventListener('abort', abort); reject(e); });
  });
}

/**
 * Generates (or reads from the cache) n exact surfaces of the seeded Latin hypercube. Same n and
 * seed give the same set bit for bit, whatever the number of workers.
 */
export async function generateDataset(opts: GenerateOptions): Promise<Dataset> {
  const { n, seed } = opts;
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`n must be a positive integer, got ${n}`);
  const cachePath = opts.cachePath === undefined ? defaultCachePath(n, seed) : opts.cachePath;
  if (cachePath !== null) {
    const hit = readCache(cachePath, n, seed);
    if (hit) { opts.onProgress?.(n, n); return hit; }
  }
  const params = latinHypercube(n, seed);
  const iv = new Float32Array(n * N_GRID);
  const flagged = new Uint8Array(n);
  const nw = Math.min(opts.workers ?? Math.min(8, availableParallelism()), n);
  let done = 0;
  const tick = (k: number): void => { done += k; opts.onProgress?.(done, n); };
  if (nw <= 0) {
    const { exactSurface } = await import('./exact-surface.ts');
    const { vectorToParams } = await import('./param-box.ts');
    for (let s = 0; s < n; s++) {
      if (opts.signal?.aborted) throw new Error('generateDataset: aborted');
      flagged[s] = exactSurface(vectorToParams(params, s * N_PARAMS), iv, s * N_GRID);
      if ((s + 1) % 500 === 0 || s + 1 === n) tick(s + 1 - done);
    }
  } else {
    const bounds = Array.from({ length: nw + 1 }, (_, w) => Math.round((w * n) / nw));
    const parts = await Promise.all(bounds.slice(0, -1).map((a, w) =>
      runWorker(params.slice(a * N_PARAMS, bounds[w + 1] * N_PARAMS), tick, opts.signal)));
    parts.forEach((p, w) => { iv.set(p.iv, bounds[w] * N_GRID); flagged.set(p.flagged, bounds[w]); });
  }
  const d: Dataset = { n, seed, params, iv, flagged };
  if (cachePath !== null) writeCache(cachePath, d);
  return d;
}
