import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipWithoutRealData } from '../../src/ticks/real-data.ts';
import { DEFAULT_CONFIG } from './network.ts';
import { prepareData } from './prepare.ts';
import { makeModel, simulatePaths, disposeModel } from './simulate.ts';
import { trainNsde } from './train.ts';
import { loadWeights } from './weights.ts';

const skip = skipWithoutRealData('vix-futures/vix_futures.csv');
const network = { ...DEFAULT_CONFIG, hidden: 8, warm: 3, steps: 5 };
const config = { network, batch: 16, maxIters: 4, validEvery: 2, validWindows: 32, patience: 5, evalPathsPerWindow: 1 };

test('a tiny model trains on real VIX, evaluates on the test years, and its saved weights reload to the same simulation', { skip }, async () => {
  const data = prepareData({ warm: network.warm, steps: network.steps, dt: network.dt });
  assert.ok(data.anchors.kappaMarket > 0.2 && data.anchors.kappaMarket < 10, `kappa from futures ${data.anchors.kappaMarket}`);
  assert.ok(data.rho < -0.5 && data.rho > -0.9, `rho ${data.rho}`);
  const dir = mkdtempSync(join(tmpdir(), 'nsde-'));
  try {
    const progress: string[] = [];
    const m = await trainNsde({ data, config, outDir: dir, seed: 7, onProgress: (p) => progress.push(p.phase) });
    assert.equal(m.history.length, 2);
    assert.ok(m.history.every((h) => Number.isFinite(h.trainLoss) && Number.isFinite(h.validLoss)));
    assert.ok(progress.includes('train') && progress.includes('evaluate'));
    const e = m.evaluation;
    assert.equal(e.real.paths, data.test.seg.n);
    for (const s of [e.real, e.nsde, e.logOu]) for (const v of [s.meanV, s.medianV, s.hurst, s.acf1, s.kurtosisMean]) assert.ok(Number.isFinite(v));
    assert.ok(e.mmd.nsde.pValue > 0 && e.mmd.nsde.pValue <= 1);
    assert.equal(e.kurtosisBySteps.real.length, network.steps);
    // The reloaded weights simulate exactly as the trained ones (the best snapshot was restored before evaluation and saved).
    const w = loadWeights(dir);
    assert.equal(w.seed, 7);
    const model = makeModel(w);
    const starts = { n: 4, x0: data.test.starts.x0.subarray(0, 4), sig0: data.test.starts.sig0.subarray(0, 4 * 14) };
    const a = simulatePaths(model, starts, 5, { seed: 1 });
    const b = simulatePaths(model, starts, 5, { seed: 1 });
    assert.deepEqual(a, b, 'same seed, same paths');
    assert.ok(a.every(Number.isFinite));
    disposeModel(model);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('training stops cleanly on an aborted signal and writes nothing', { skip }, async () => {
  const data = prepareData({ warm: network.warm, steps: network.steps, dt: network.dt });
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(trainNsde({ data, config, outDir: null, signal: ac.signal }), /aborted/);
  // Aborted mid-run, from a callback as a SIGINT handler would: the next iteration stops.
  const mid = new AbortController();
  const seen: string[] = [];
  const run = trainNsde({ data, config, outDir: null, signal: mid.signal, onProgress: (p) => { seen.push(p.phase); if (p.phase === 'train') mid.abort(); } });
  await assert.rejects(run, /aborted/);
  assert.ok(!seen.includes('evaluate'), 'stopped before the evaluation');
  await assert.rejects(trainNsde({ data, config: { ...config, network: { ...network, steps: 6 } }, outDir: null }), /prepared for warm 3, steps 5/);
});
