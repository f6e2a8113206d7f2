import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir, loadDailySeries } from './data.ts';
import { evaluate } from './evaluate.ts';
import { trainHnGru } from './train.ts';
import { loadHnGru } from './weights.ts';

const here = dirname(fileURLToPath(import.meta.url));
const absent = !existsSync(resolve(defaultDataDir(), 'spx/spx-daily.csv')) ? 'no ../shared/data' : false;
const committed = JSON.parse(readFileSync(join(here, 'metrics.json'), 'utf8'));

test('re-evaluating the committed weights gives the committed test metrics', { skip: absent }, () => {
  const ev = evaluate(loadHnGru(), loadDailySeries());
  assert.deepEqual(JSON.parse(JSON.stringify(ev.test)), committed.test);
  assert.deepEqual(JSON.parse(JSON.stringify(ev.nll)), committed.nllPerDay);
});

test('training from the committed seed reproduces the committed weights and metrics', { skip: absent }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hn-gru-'));
  try {
    const phases = new Set<string>();
    const m = await trainHnGru({ seed: committed.seed, outDir: dir, onProgress: (e) => phases.add(e.phase) });
    assert.deepEqual(JSON.parse(JSON.stringify(m)), committed);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'weights.json'), 'utf8')), JSON.parse(readFileSync(join(here, 'weights.json'), 'utf8')));
    assert.deepEqual([...phases], ['data', 'garch', 'hn', 'gru', 'evaluate', 'write', 'done']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an aborted training writes nothing', { skip: absent }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hn-gru-'));
  try {
    const ac = new AbortController();
    const run = trainHnGru({ outDir: dir, signal: ac.signal, onProgress: (e) => { if (e.epoch === 50) ac.abort(); } });
    await assert.rejects(run, { name: 'AbortError' });
    assert.ok(!existsSync(join(dir, 'weights.json')) && !existsSync(join(dir, 'metrics.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
