/**
 * Worker thread of generate.ts: prices the surfaces of its slice of parameter vectors and posts
 * progress every PROGRESS_EVERY surfaces, then the IVs and flag counts (buffers transferred).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { N_GRID } from './grid.ts';
import { N_PARAMS, vectorToParams } from './param-box.ts';
import { exactSurface } from './exact-surface.ts';

const PROGRESS_EVERY = 500;

interface Job { params: Float64Array }

const { params } = workerData as Job;
const n = params.length / N_PARAMS;
const iv = new Float32Array(n * N_GRID);
const flagged = new Uint8Array(n);
for (let s = 0; s < n; s++) {
  flagged[s] = exactSurface(vectorToParams(params, s * N_PARAMS), iv, s * N_GRID);
  if ((s + 1) % PROGRESS_EVERY === 0) parentPort?.postMessage({ kind: 'progress', done: s + 1 });
}
parentPort?.postMessage({ kind: 'done', iv, flagged }, [iv.buffer, flagged.buffer]);
