import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { HN_MIN_RETURNS, hnFit, hnFromUnconstrained, hnLogLikelihood, hnToUnconstrained } from './hn-mle.ts';
import { nelderMead } from './optimize.ts';
import { hnPersistence, type HnParams } from './hn-params.ts';
import { hnSimulateReturns } from './hn-simulate.ts';
import { randomStream } from './mc-random.ts';

const TRUE: HnParams = { omega: 2e-6, alpha: 3e-6, beta: 0.85, gamma: 150, lambda: 2 };
const NAMES = ['omega', 'alpha', 'beta', 'gamma', 'lambda'] as const;

function valid(p: HnParams): boolean {
  return p.omega > 0 && p.alpha > 0 && p.beta >= 0 && hnPersistence(p) < 1 && NAMES.every((k) => Number.isFinite(p[k]));
}

describe('hnFit on simulated series', () => {
  const sim = hnSimulateReturns(TRUE, 5000, { seed: 1, burnIn: 500, rDaily: 1e-4 });
  const fit = hnFit(sim.returns, { rDaily: 1e-4 });

  test('converges and recovers the parameters within 4 standard errors', () => {
    assert.ok(fit.converged, fit.message);
    for (const k of NAMES) {
      assert.ok(fit.se[k] > 0, `se.${k} = ${fit.se[k]}`);
      const zs = (fit.params[k] - TRUE[k]) / fit.se[k];
      assert.ok(Math.abs(zs) < 4, `${k}: ${fit.params[k]} vs true ${TRUE[k]} (se ${fit.se[k]}, z ${zs})`);
    }
  });

  test('the maximum beats the true parameters, by a likelihood ratio a chi2(5) allows', () => {
    const atTrue = hnLogLikelihood(TRUE, sim.returns, { rDaily: 1e-4 });
    assert.ok(fit.logLik >= atTrue, `fit ${fit.logLik} < true ${atTrue}`);
    // chi2(5) 0.999 quantile 20.52
    assert.ok(2 * (fit.logLik - atTrue) < 20.52, `LR ${2 * (fit.logLik - atTrue)}`);
  });

  test('Nelder-Mead started at the BFGS optimum finds nothing better', () => {
    const n = sim.returns.length;
    const f = (x: Float64Array): number => -hnLogLikelihood(hnFromUnconstrained(x), sim.returns, { rDaily: 1e-4 }) / n;
    const x0 = hnToUnconstrained(fit.params);
    const nm = nelderMead(f, x0, { step: Array.from(x0, () => 0.05), maxEvals: 3000 });
    assert.ok(-nm.f * n <= fit.logLik + 1e-4, `Nelder-Mead ${-nm.f * n} vs BFGS ${fit.logLik}`);
  });

  test('reports its variances, persistence and stationary variance consistently', () => {
    assert.equal(fit.variances.length, 5001);
    assert.equal(fit.variances[0], fit.h1);
    assert.ok(Math.abs(fit.persistence - hnPersistence(fit.params)) < 1e-15);
    assert.ok(Math.abs(fit.stationaryVariance - (fit.params.omega + fit.params.alpha) / (1 - fit.persistence)) < 1e-18);
    assert.ok(fit.cov !== null && fit.cov.every((row, i) => Math.abs(row[i] - fit.se[NAMES[i]] ** 2) <= 1e-12 * row[i]));
  });

  test('a warm start from the previous fit lands on the same optimum', () => {
    const again = hnFit(sim.returns, { rDaily: 1e-4, start: fit.params });
    assert.ok(Math.abs(again.logLik - fit.logLik) < 1e-5, `${again.logLik} vs ${fit.logLik}`);
  });
});

describe('hnFit constraints', () => {
  test('every unconstrained point maps to valid parameters, and back', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 5, maxLength: 5 }), (xs) => {
        const x = Float64Array.from(xs);
        x[0] -= 12; // omega around daily-variance scale
        x[1] -= 12;
        const p = hnFromUnconstrained(x);
        assert.ok(valid(p), JSON.stringify(p));
        if (p.beta > 1e-12 && hnPersistence(p) < 1 - 1e-9 && Math.abs(Math.tanh(x[2])) < 1 - 1e-9) {
          const back = hnToUnconstrained(p);
          for (let i = 0; i < 5; i++) assert.ok(Math.abs(back[i] - x[i]) < 1e-6 * (1 + Math.abs(x[i])), `x[${i}] ${back[i]} vs ${x[i]}`);
        }
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  test('fits of series the model does not describe still satisfy the constraints', () => {
    const z = randomStream(3);
    const n = 600;
    const iid = Float64Array.from({ length: n }, () => 0.01 * z.normal());
    // Student t(3)-like heavy tails: normal over the root of a scaled chi-square(3)
    const heavy = Float64Array.from({ length: n }, () => {
      const c = (z.normal() ** 2 + z.normal() ** 2 + z.normal() ** 2) / 3;
      return (0.01 * z.normal()) / Math.sqrt(c);
    });
    // a calm series with one -20% crash in the middle
    const crash = Float64Array.from({ length: n }, (_, i) => (i === 300 ? -0.2 : 0.005 * z.normal()));
    // an integrated-looking variance: persistence near one
    const persistent = hnSimulateReturns({ omega: 1e-8, alpha: 1e-6, beta: 0.97, gamma: 170, lambda: 1 }, n, { seed: 9 }).returns;
    for (const [name, x] of [['iid', iid], ['heavy', heavy], ['crash', crash], ['persistent', persistent]] as const) {
      const fit = hnFit(x);
      assert.ok(valid(fit.params), `${name}: ${JSON.stringify(fit.params)}`);
      assert.ok(Number.isFinite(fit.logLik), `${name}: logLik ${fit.logLik}`);
    }
  });
});

describe('hnLogLikelihood', () => {
  test('with alpha = beta = 0 it is the sum of normal log densities with variance omega after day 1', () => {
    const x = [0.01, -0.02, 0.003, 0.015, -0.007];
    const p = { omega: 2e-4, alpha: 0, beta: 0, gamma: 0, lambda: 1 };
    const h1 = 3e-4;
    let expected = 0;
    x.forEach((R, t) => {
      const h = t === 0 ? h1 : p.omega;
      expected += -0.5 * Math.log(2 * Math.PI * h) - (R - p.lambda * h) ** 2 / (2 * h);
    });
    const got = hnLogLikelihood(p, x, { h1 });
    assert.ok(Math.abs(got - expected) < 1e-12 * Math.abs(expected), `${got} vs ${expected}`);
  });
});

describe('hnFit input checks', () => {
  test('too few returns, non-finite values and a constant series are clear errors', () => {
    assert.throws(() => hnFit(new Float64Array(HN_MIN_RETURNS - 1).fill(0.01)), /need at least 50 daily returns/);
    const bad = Array.from({ length: 100 }, (_, i) => 0.01 * Math.sin(i));
    bad[37] = NaN;
    assert.throws(() => hnFit(bad), /returns\[37\] must be a finite number/);
    assert.throws(() => hnFit(new Float64Array(100).fill(0.001)), /zero sample variance/);
    assert.throws(() => hnFit(bad.map((v) => (Number.isNaN(v) ? 0 : v)), { rDaily: NaN }), /rDaily must be/);
    assert.throws(() => hnFit(bad.map((v) => (Number.isNaN(v) ? 0 : v)), { start: { ...TRUE, beta: 0.99 } }), /persistence/);
  });
});

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.VOLRISK_REAL_DATA ?? path.resolve(here, '../../../shared/data');
const spxFile = path.join(dataDir, 'spx', 'spx-daily.csv');
const absent = !existsSync(spxFile);

describe('hnFit on real S&P 500 returns', () => {
  test('2010-2019 daily closes: leverage (gamma > 0), persistence in (0.9, 1)', { skip: absent ? 'no ../shared/data' : false }, () => {
    const closes: number[] = [];
    for (const line of readFileSync(spxFile, 'utf8').split('\n').slice(1)) {
      const cols = line.split(',');
      if (cols.length < 5 || cols[0] < '2010-01-01' || cols[0] > '2019-12-31') continue;
      closes.push(Number(cols[4]));
    }
    const R = Float64Array.from({ length: closes.length - 1 }, (_, i) => Math.log(closes[i + 1] / closes[i]));
    const fit = hnFit(R);
    assert.ok(fit.converged, fit.message);
    // the leverage effect: variance rises after falls; documented for the S&P 500 since Black (1976)
    assert.ok(fit.params.gamma > 2 * fit.se.gamma, `gamma ${fit.params.gamma} (se ${fit.se.gamma})`);
    assert.ok(fit.persistence > 0.9 && fit.persistence < 1, `persistence ${fit.persistence}`);
  });
});
