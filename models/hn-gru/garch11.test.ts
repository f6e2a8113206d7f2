import { test } from 'node:test';
import assert from 'node:assert/strict';
import { garchExpectedTotalVariance, garchFit, garchSimulate, type Garch11Params } from './garch11.ts';

test('GARCH(1,1) MLE recovers simulated parameters within 4 standard errors', () => {
  const truth: Garch11Params = { omega: 2e-6, alpha: 0.08, beta: 0.9, mu: 4e-4 };
  const fit = garchFit(garchSimulate(truth, 8000, 2024));
  for (const k of ['omega', 'alpha', 'beta', 'mu'] as const) {
    assert.ok(Number.isFinite(fit.se[k]) && fit.se[k] > 0, `se.${k} = ${fit.se[k]}`);
    assert.ok(Math.abs(fit.params[k] - truth[k]) < 4 * fit.se[k], `${k}: fitted ${fit.params[k]} vs ${truth[k]} (se ${fit.se[k]})`);
  }
  assert.ok(fit.params.alpha + fit.params.beta < 1);
});

test('GARCH(1,1) multi-day forecast sums the mean-reverting expectations', () => {
  const p: Garch11Params = { omega: 1e-6, alpha: 0.1, beta: 0.85, mu: 0 };
  const vbar = p.omega / (1 - 0.95);
  // E[s2_{t+k}] = vbar + 0.95^(k-1) (s2_{t+1} - vbar): a geometric sum
  const s2 = 3e-4;
  const want = 21 * vbar + ((s2 - vbar) * (1 - 0.95 ** 21)) / (1 - 0.95);
  assert.ok(Math.abs(garchExpectedTotalVariance(p, s2, 21) - want) < 1e-15);
});

test('garchFit refuses short or non-finite series, naming the problem', () => {
  assert.throws(() => garchFit(new Float64Array(10)), /at least 50/);
  const r = garchSimulate({ omega: 2e-6, alpha: 0.08, beta: 0.9, mu: 0 }, 100, 1);
  r[7] = NaN;
  assert.throws(() => garchFit(r), /returns\[7\]/);
});
