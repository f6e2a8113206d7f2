import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { physicalDrift, physicalDynamics, riskNeutralDrift, riskPremia } from './mc-measure.ts';

describe('risk premia between P and Q', () => {
  test('kappaQ = kappaP + lambda_v, thetaQ = kappaP thetaP / kappaQ (Heston 1993)', () => {
    // lambda_v = -1 on kappaP = 3, thetaP = 0.03: kappaQ = 2, thetaQ = 3 * 0.03 / 2 = 0.045
    const q = riskNeutralDrift({ kappa: 3, theta: 0.03 }, -1);
    assert.equal(q.kappa, 2);
    assert.ok(Math.abs(q.theta - 0.045) < 1e-15);
  });

  test('P and Q drifts round-trip and keep kappa theta', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 10, noNaN: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.double({ min: -0.04, max: 0.04, noNaN: true }),
        (kappa, theta, frac) => {
          const lambdaV = frac * kappa * 10; // within (-0.4 kappa, 0.4 kappa): both kappas stay positive
          const p = physicalDrift({ kappa, theta }, lambdaV);
          const back = riskNeutralDrift(p, lambdaV);
          return (
            Math.abs(back.kappa - kappa) <= 1e-12 * kappa &&
            Math.abs(back.theta - theta) <= 1e-12 * theta &&
            Math.abs(p.kappa * p.theta - kappa * theta) <= 1e-12 * kappa * theta
          );
        },
      ),
    );
  });

  test('a negative variance premium (lambda_v < 0) gives thetaQ > thetaP', () => {
    const p = physicalDrift({ kappa: 2, theta: 0.05 }, -0.5);
    assert.ok(p.theta < 0.05 && p.kappa === 2.5);
  });

  test('physicalDynamics and riskPremia are inverse', () => {
    const q = { kappa: 1.5, theta: 0.04 };
    const p = physicalDynamics(q, 0.02, { equityPremium: 0.05, lambdaV: -0.3 });
    assert.ok(Math.abs(p.mu - 0.07) < 1e-15);
    const back = riskPremia(q, 0.02, p);
    assert.ok(Math.abs(back.equityPremium - 0.05) < 1e-15);
    assert.ok(Math.abs(back.lambdaV + 0.3) < 1e-15);
  });

  test('premia that make a kappa non-positive, or non-finite inputs, are rejected by name', () => {
    assert.throws(() => physicalDrift({ kappa: 1, theta: 0.04 }, 1), /kappaQ - lambdaV must be > 0/);
    assert.throws(() => riskNeutralDrift({ kappa: 1, theta: 0.04 }, -2), /kappaP \+ lambdaV must be > 0/);
    assert.throws(() => physicalDrift({ kappa: 1, theta: 0.04 }, NaN), /lambdaV must be a finite number/);
    assert.throws(() => physicalDynamics({ kappa: 1, theta: 0.04 }, 0.01, { equityPremium: Infinity, lambdaV: 0 }), /equityPremium/);
  });
});
