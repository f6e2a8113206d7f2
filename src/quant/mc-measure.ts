/**
 * Risk-neutral (Q) and physical (P) dynamics of the Heston and Bates models, and the risk premia
 * that map one to the other.
 *
 * Under P:  dS/S = (mu - q - lambda kbar) dt + sqrt(v) dW_S + (e^J - 1) dN,
 *           dv   = kappaP (thetaP - v) dt + sigma sqrt(v) dW_v;
 * under Q:  mu = r, and kappaQ, thetaQ in place of kappaP, thetaP.
 * mu is the expected total return per year (price drift plus dividend yield q), so the equity
 * risk premium is mu - r; kbar = E[e^J] - 1 compensates the jumps, so E[S_T] = S0 e^{(mu - q) T}
 * under P and S0 e^{(r - q) T} under Q.
 *
 * Variance risk premium (Heston 1993): a market price of volatility risk proportional to the
 * variance, lambda_v v, moves the drift of v by -lambda_v v between the measures, so
 *   kappaQ = kappaP + lambda_v,   thetaQ = kappaP thetaP / kappaQ   (kappaQ thetaQ = kappaP thetaP).
 * lambda_v < 0 (the usual finding for equity indices) makes thetaQ > thetaP: options price more
 * variance than is realised on average. sigma, rho, v0 and the jump law are the same under both
 * measures (Girsanov changes drifts only; jump risk is not priced here).
 */

/** Mean reversion and long-run variance of the variance process under one measure. */
export interface VarianceDrift {
  kappa: number;
  theta: number;
}

/** The physical measure's drifts: expected total return mu per year and the P variance drift. */
export interface PhysicalDynamics extends VarianceDrift {
  mu: number;
}

/** Risk premia relative to the risk-neutral measure. */
export interface RiskPremia {
  /** mu - r, per year. */
  equityPremium: number;
  /** lambda_v: kappaQ - kappaP. */
  lambdaV: number;
}

function finite(name: string, x: number): void {
  if (!Number.isFinite(x)) throw new RangeError(`${name} must be a finite number, got ${String(x)}`);
}

/** Q variance drift from the P one and lambda_v: kappaQ = kappaP + lambda_v, thetaQ = kappaP thetaP / kappaQ. */
export function riskNeutralDrift(p: VarianceDrift, lambdaV: number): VarianceDrift {
  finite('lambdaV', lambdaV);
  const kappa = p.kappa + lambdaV;
  if (!(kappa > 0)) throw new RangeError(`kappaP + lambdaV must be > 0 (kappaQ), got ${kappa}`);
  return { kappa, theta: (p.kappa * p.theta) / kappa };
}

/** P variance drift from the Q one and lambda_v: kappaP = kappaQ - lambda_v, thetaP = kappaQ thetaQ / kappaP. */
export function physicalDrift(q: VarianceDrift, lambdaV: number): VarianceDrift {
  finite('lambdaV', lambdaV);
  const kappa = q.kappa - lambdaV;
  if (!(kappa > 0)) throw new RangeError(`kappaQ - lambdaV must be > 0 (kappaP), got ${kappa}`);
  return { kappa, theta: (q.kappa * q.theta) / kappa };
}

/** The physical dynamics implied by Q parameters, the short rate r and the two risk premia. */
export function physicalDynamics(q: VarianceDrift, r: number, premia: RiskPremia): PhysicalDynamics {
  finite('r', r);
  finite('equityPremium', premia.equityPremium);
  return { mu: r + premia.equityPremium, ...physicalDrift(q, premia.lambdaV) };
}

/**
 * The risk premia between Q parameters and given P dynamics (inverse of physicalDynamics). The
 * lambda_v form holds only when kappaP thetaP = kappaQ thetaQ; other P drifts imply a premium
 * that is not proportional to v, of which lambdaV is then the slope only.
 */
export function riskPremia(q: VarianceDrift, r: number, p: PhysicalDynamics): RiskPremia {
  return { equityPremium: p.mu - r, lambdaV: q.kappa - p.kappa };
}
