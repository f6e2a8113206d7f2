import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainDeepHedger } from './train.ts';
import { loadWeights } from './weights.ts';

const tiny = { trainPaths: 1024, valPaths: 512, testPaths: 1024, batch: 256, maxEpochs: 10 };

test('a tiny policy trained under Black-Scholes learns a hedge near the delta', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deep-hedger-'));
  try {
    const { policy, metrics } = await trainDeepHedger({ dynamics: 'bs', seed: 7, setup: { steps: 5 }, config: tiny, outDir: dir });
    const m = metrics.test.methods;
    assert.ok(metrics.test.vsDelta.meanAbs < 0.08, `mean |ratio - delta| ${metrics.test.vsDelta.meanAbs}`);
    assert.ok(m.deep.objective < 1.15 * m.delta.objective, `deep ${m.deep.objective} vs delta ${m.delta.objective}`);
    assert.ok(m.deep.objective < 0.3 * m.unhedged.objective, `deep ${m.deep.objective} vs unhedged ${m.unhedged.objective}`);
    assert.ok(metrics.history.length >= 1 && metrics.bestEpoch >= 1);
    // what was written is what was trained
    const back = loadWeights('bs', dir);
    assert.deepEqual(back.policy.Wh, policy.Wh);
    assert.equal(back.policy.bo, policy.bo);
    assert.equal(back.setup.steps, 5);
    assert.equal(JSON.parse(readFileSync(join(dir, 'metrics-bs.json'), 'utf8')).seed, 7);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('training stops on an aborted signal and rejects bad settings', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(trainDeepHedger({ signal: ac.signal, outDir: null, setup: { steps: 3 }, config: { ...tiny, trainPaths: 256, valPaths: 64, testPaths: 64 } }), /aborted/);
  await assert.rejects(trainDeepHedger({ outDir: null, config: { batch: 0 } }), /config\.batch/);
  await assert.rejects(trainDeepHedger({ outDir: null, cost: -1 }), /setup\.cost/);
  await assert.rejects(trainDeepHedger({ outDir: null, dynamics: 'sabr' as 'bs' }), /expected one of bs, heston, bates/);
  assert.throws(() => loadWeights('bs', '/nonexistent'), /cannot read deep-hedger weights/);
});
