import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePolicy } from './evaluate.ts';
import { premium, simulatePathSet } from './paths.ts';
import { defaultVolSource } from './vol-feature.ts';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR, loadWeights } from './weights.ts';

// The committed policies on fresh paths (seed 99, not the training seed). Bounds: the README's
// full-size measurements with room for the smaller sample.
const vol = defaultVolSource();

test('committed Black-Scholes policy: ratios near the delta, a lower CVaR than the delta hedge, a wider spread', () => {
  const { policy, setup } = loadWeights('bs');
  const ps = simulatePathSet(setup, 4096, 99, 0, vol);
  const r = evaluatePolicy(policy, setup, ps, premium(setup));
  // full size (README): mean 0.031, 99th percentile 0.154
  assert.ok(r.vsDelta.meanAbs < 0.05, `mean |ratio - delta| ${r.vsDelta.meanAbs}`);
  assert.ok(r.vsDelta.p99Abs < 0.25, `p99 |ratio - delta| ${r.vsDelta.p99Abs}`);
  // what it was trained for: the seed's objective and its CVaR below the delta hedge's (README: -7.6%, -8.6%)
  assert.ok(r.methods.deep.objective < r.methods.delta.objective, `deep ${r.methods.deep.objective} vs delta ${r.methods.delta.objective}`);
  assert.ok(r.methods.deep.cvar < r.methods.delta.cvar, `deep ${r.methods.deep.cvar} vs delta ${r.methods.delta.cvar}`);
  // Kamal and Derman (Risk 12(1), 1999): sd ~ sqrt(pi/4) sigma vega / sqrt(N). The delta hedge is
  // within 10% (benchmarks.test.ts); the CVaR-trained policy is not: it buys its lower tail with
  // a 13% wider spread at full size (README), so this bounds that measured excess, no more
  const kd = r.kamalDerman!;
  assert.ok(kd.deepRelErr > 0 && kd.deepRelErr < 0.2, `deep sd ${kd.deepStd} vs theory ${kd.theory}`);
});

test('committed Black-Scholes policy trained on the mse objective: the delta hedge, with Kamal-Derman\'s spread', () => {
  const { policy, setup } = loadWeights('bs', join(DEFAULT_MODEL_DIR, 'mse'));
  const ps = simulatePathSet(setup, 4096, 99, 0, vol);
  const r = evaluatePolicy(policy, setup, ps, premium(setup));
  // full size (README): mean |ratio - delta| 0.0069, 99th percentile 0.046
  assert.ok(r.vsDelta.meanAbs < 0.015, `mean |ratio - delta| ${r.vsDelta.meanAbs}`);
  assert.ok(r.vsDelta.p99Abs < 0.1, `p99 |ratio - delta| ${r.vsDelta.p99Abs}`);
  // Kamal and Derman (Risk 12(1), 1999), the check: within 10% (README: -2.2% at full size)
  const kd = r.kamalDerman!;
  assert.ok(Math.abs(kd.deepRelErr) < 0.1, `deep sd ${kd.deepStd} vs theory ${kd.theory}`);
  // and no wider than the delta hedge's own spread by more than 3% (README: +1.2%)
  assert.ok(kd.deepStd < 1.03 * kd.deltaStd, `deep sd ${kd.deepStd} vs delta ${kd.deltaStd}`);
});

test('committed Heston policy: lower CVaR than the Heston delta, about that of the minimum-variance delta', () => {
  const { policy, setup } = loadWeights('heston');
  const ps = simulatePathSet(setup, 1024, 99, 0, vol);
  const r = evaluatePolicy(policy, setup, ps, premium(setup));
  const m = r.methods;
  // full size (README): CVaR 0.977 deep, 1.199 delta, 1.036 minimum-variance delta
  assert.ok(m.deep.cvar < 0.9 * m.delta.cvar, `deep ${m.deep.cvar} vs delta ${m.delta.cvar}`);
  assert.ok(m.deep.objective < m.delta.objective, `deep ${m.deep.objective} vs delta ${m.delta.objective}`);
  assert.ok(m.deep.cvar < 1.05 * m.mvDelta.cvar, `deep ${m.deep.cvar} vs mv ${m.mvDelta.cvar}`);
});
