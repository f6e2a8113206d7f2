import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { N_GRID } from './grid.ts';
import { N_PARAMS, latinHypercube, vectorToParams } from './param-box.ts';
import { exactSurface } from './exact-surface.ts';
import { generateDataset } from './generate.ts';

test('generated set is the same on one thread and on two workers, and equals the exact surfaces', async () => {
  const a = await generateDataset({ n: 24, seed: 5, workers: 0, cachePath: null });
  const b = await generateDataset({ n: 24, seed: 5, workers: 2, cachePath: null });
  assert.deepEqual(b.params, a.params);
  assert.deepEqual(b.iv, a.iv);
  assert.deepEqual(b.flagged, a.flagged);
  assert.deepEqual(a.params, latinHypercube(24, 5));
  const iv = new Float32Array(N_GRID);
  const s = 7;
  const bad = exactSurface(vectorToParams(a.params, s * N_PARAMS), iv);
  assert.equal(bad, a.flagged[s]);
  assert.deepEqual(iv, a.iv.subarray(s * N_GRID, (s + 1) * N_GRID));
  for (let t = 0; t < 24; t++) {
    let nan = 0;
    for (let g = 0; g < N_GRID; g++) if (Number.isNaN(a.iv[t * N_GRID + g])) nan++;
    assert.equal(nan, a.flagged[t]);
  }
});

test('the cache file gives back the set it stored; progress reaches n', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'surrogate-cache-'));
  try {
    const path = join(dir, 'set.bin');
    let last = 0;
    const a = await generateDataset({ n: 10, seed: 9, workers: 0, cachePath: path, onProgress: (d) => { last = d; } });
    assert.equal(last, 10);
    const b = await generateDataset({ n: 10, seed: 9, workers: 0, cachePath: path });
    assert.deepEqual(b, a);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an aborted signal stops generation', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(generateDataset({ n: 600, seed: 1, workers: 0, cachePath: null, signal: ac.signal }), /aborted/);
  await assert.rejects(generateDataset({ n: 0, seed: 1 }), /n must be/);
});
