import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkSimulatorParams, DEFAULT_PARAMS_PATH, loadSimulatorParams } from './simulator-params.ts';
import { simVix } from './simulator-indices.ts';

test('the committed parameters are valid and agree with their own diagnostics', () => {
  const p = loadSimulatorParams();
  const raw = JSON.parse(readFileSync(DEFAULT_PARAMS_PATH, 'utf8'));
  for (const m of ['heston', 'bates'] as const) {
    // The fit records the model VIX at thetaP; the simulator's VIX must give the same number.
    assert.ok(Math.abs(simVix(p[m].p.theta, p[m].q) - raw.fit.diagnostics[m].modelVixAtThetaP) < 0.01, m);
    assert.ok(p[m].q.rho < 0, 'leverage: returns and variance move against each other');
  }
  assert.equal(p.heston.q.lambda, 0);
  assert.ok(p.bates.q.lambda > 0 && p.bates.q.muJ < 0);
  assert.ok(raw.fit.sources.every((s: { file: string }) => !s.file.startsWith('/')), 'sources are named relative to the data folder');
});

test('bad parameters are named', () => {
  const p = JSON.parse(readFileSync(DEFAULT_PARAMS_PATH, 'utf8'));
  p.bates.q.rho = 1.5;
  assert.throws(() => checkSimulatorParams(p), /bates\.q\.rho must be in \(-1, 1\)/);
  assert.throws(() => checkSimulatorParams({ ...p, spot: -1 }), /spot must be > 0/);
  assert.throws(() => loadSimulatorParams('/nonexistent/params.json'), /cannot read/);
});
