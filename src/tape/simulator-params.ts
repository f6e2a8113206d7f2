/**
 * Parameters of the market simulator and the mapping between its two measures.
 *
 * The SPX path is simulated under the physical measure P, prices (options, VIX, VVIX, VIX
 * futures) are computed under the risk-neutral measure Q:
 *
 *   P: dS/S = (r - q + equityPremium) dt + sqrt(v) dW1 + (e^J - 1) dN - lambda k dt
 *      dv   = kappaP (thetaP - v) dt + sigma sqrt(v) dW2,           d<W1, W2> = rho dt
 *   Q: dS/S = (r - q) dt + ... (same jumps),  dv = kappa (theta - v) dt + sigma sqrt(v) dW2^Q
 *
 * The change of measure is Girsanov with an equity premium on W1 and the "extended affine"
 * market price of variance risk gamma(v) = (l0 + l1 v) / (sigma sqrt(v)) on W2 (Cheridito,
 * Filipovic and Kimmel 2007, "Market price of risk specifications for affine models", J. Fin.
 * Econ. 83): kappa theta = kappaP thetaP - l0 and kappa = kappaP + l1, so kappa and theta may
 * differ freely between P and Q (the measures stay equivalent while 2 kappa theta >= sigma^2
 * under both; otherwise the simulator is still well defined, only the two laws are then not
 * equivalent). sigma and rho are the same under both (Girsanov leaves the diffusion alone);
 * jumps have no risk premium (the same lambda, muJ, sigmaJ under P and Q).
 */
import { readFileSync } from 'node:fs';
import type { BatesParams } from '../quant/heston.ts';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Risk-neutral parameters; v0 is the starting variance. lambda = 0 makes Bates into Heston. */
export type RiskNeutralParams = BatesParams;

/** Physical variance dynamics and the equity risk premium (annual, over the risk-free rate). */
export interface PhysicalParams {
  kappa: number;
  theta: number;
  equityPremium: number;
}

/** One model's parameters under both measures. */
export interface ModelParams {
  q: RiskNeutralParams;
  p: PhysicalParams;
}

/** Everything the simulator needs besides its configuration. */
export interface SimulatorParams {
  /** SPX level at the start. */
  spot: number;
  /** Risk-free rate, continuously compounded per year. */
  rate: number;
  /** SPX dividend yield, continuous per year. */
  dividendYield: number;
  heston: ModelParams;
  bates: ModelParams;
}

const here = dirname(fileURLToPath(import.meta.url));
/** Where the committed fitted parameters live. */
export const DEFAULT_PARAMS_PATH = resolve(here, '../../data/simulator-params.json');

function num(obj: Record<string, unknown>, key: string, where: string, test: (x: number) => boolean, rule: string): number {
  const x = obj[key];
  if (typeof x !== 'number' || !Number.isFinite(x) || !test(x)) {
    throw new RangeError(`simulator params: ${where}.${key} must be ${rule}, got ${JSON.stringify(x)}`);
  }
  return x;
}

function obj(x: unknown, where: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null) throw new TypeError(`simulator params: ${where} must be an object`);
  return x as Record<string, unknown>;
}

const pos = (x: number) => x > 0;
const nonNeg = (x: number) => x >= 0;
const any = () => true;

function modelParams(x: unknown, where: string): ModelParams {
  const m = obj(x, where);
  const q = obj(m.q, `${where}.q`);
  const p = obj(m.p, `${where}.p`);
  const wq = `${where}.q`;
  const wp = `${where}.p`;
  return {
    q: {
      v0: num(q, 'v0', wq, nonNeg, '>= 0'),
      kappa: num(q, 'kappa', wq, pos, '> 0'),
      theta: num(q, 'theta', wq, pos, '> 0'),
      sigma: num(q, 'sigma', wq, pos, '> 0'),
      rho: num(q, 'rho', wq, (r) => r > -1 && r < 1, 'in (-1, 1)'),
      lambda: num(q, 'lambda', wq, nonNeg, '>= 0'),
      muJ: num(q, 'muJ', wq, any, 'a number'),
      sigmaJ: num(q, 'sigmaJ', wq, nonNeg, '>= 0'),
    },
    p: {
      kappa: num(p, 'kappa', wp, pos, '> 0'),
      theta: num(p, 'theta', wp, pos, '> 0'),
      equityPremium: num(p, 'equityPremium', wp, any, 'a number'),
    },
  };
}

/** Checks a parsed parameter object and returns it typed; throws naming the bad field. */
export function checkSimulatorParams(x: unknown): SimulatorParams {
  const o = obj(x, 'root');
  return {
    spot: num(o, 'spot', 'root', pos, '> 0'),
    rate: num(o, 'rate', 'root', any, 'a number'),
    dividendYield: num(o, 'dividendYield', 'root', any, 'a number'),
    heston: modelParams(o.heston, 'heston'),
    bates: modelParams(o.bates, 'bates'),
  };
}

let cached: SimulatorParams | undefined;

/** Reads and checks a parameters file (default: the committed data/simulator-params.json). */
export function loadSimulatorParams(path = DEFAULT_PARAMS_PATH): SimulatorParams {
  if (path === DEFAULT_PARAMS_PATH && cached) return cached;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`simulator params: cannot read ${path} (${(err as Error).message}); run tools/fit-simulator.ts to make it`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`simulator params: ${path} is not JSON (${(err as Error).message})`, { cause: err });
  }
  const p = checkSimulatorParams(parsed);
  if (path === DEFAULT_PARAMS_PATH) cached = p;
  return p;
}
