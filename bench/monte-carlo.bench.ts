/**
 * Monte Carlo speed: Heston and Bates path-steps per second of Andersen's QE scheme against the
 * plain full-truncation Euler scheme on the same random streams, blocks and layout (terminal
 * values only, antithetic pairs), with each scheme's error against the closed form at a coarse
 * step in the note (what the extra work per step buys); and standard normals per second of the
 * ziggurat block fill against the market simulator's Box-Muller stream.
 */
import { opsPerSecond, type Bench, type BenchRow } from './harness.ts';
import { hestonPrices, type BatesParams, type HestonParams } from '../src/quant/heston.ts';
import { mcEuropean } from '../src/quant/mc-european.ts';
import { simulateHeston } from '../src/quant/mc-heston-qe.ts';
import { simulateHestonEuler } from '../src/quant/mc-heston-euler.ts';
import { randomStream } from '../src/quant/mc-random.ts';
import type { HestonSimOptions } from '../src/quant/mc-sim-options.ts';

const equity: HestonParams = { v0: 0.04, kappa: 2, theta: 0.04, sigma: 0.5, rho: -0.7 };
// Andersen (2008) case I: Feller violated, mostly the exponential branch
const caseI: HestonParams = { v0: 0.04, kappa: 0.5, theta: 0.04, sigma: 1, rho: -0.9 };
const bates: BatesParams = { ...equity, lambda: 0.5, muJ: -0.15, sigmaJ: 0.1 };

const PATHS = 8192;
const STEPS = 64;

/** Path-steps per second of one scheme on one parameter set. */
function pathSteps(sim: (o: HestonSimOptions) => unknown, params: HestonParams, T: number, ms: number): number {
  let seed = 0;
  const run = (): number => {
    sim({ params, S0: 100, r: 0.02, T, steps: STEPS, paths: PATHS, seed: seed++, antithetic: true });
    return PATHS * STEPS;
  };
  run();
  return opsPerSecond(run, ms);
}

/** "error +- SE" of each scheme's ATM call at a coarse step, against the closed form. */
function accuracy(params: HestonParams, T: number, steps: number): string {
  const exact = hestonPrices(params, 100, T, 0.02, 0, [100], true)[0];
  const o = { params, S0: 100, r: 0.02, T, steps, paths: 100_000, seed: 1, antithetic: true };
  const show = (scheme: 'qe' | 'euler'): string => {
    const r = mcEuropean({ ...o, scheme }, [100], true);
    return `${(r.price[0] - exact).toFixed(3)} +- ${r.stdError[0].toFixed(3)}`;
  };
  return `ATM call error vs closed form at dt=${(T / steps).toPrecision(2)}: QE ${show('qe')}, Euler ${show('euler')}`;
}

const bench: Bench = async ({ quick }) => {
  const ms = quick ? 300 : 1500;
  const rows: BenchRow[] = [];
  const sets: Array<[string, HestonParams, number, number]> = [
    ['equity set', equity, 1, 4],
    ["Andersen's case I", caseI, 10, 10],
    ['Bates, equity set + jumps', bates, 1, 4],
  ];
  for (const [name, params, T, coarse] of sets) {
    const value = pathSteps(simulateHeston, params, T, ms);
    const baselineValue = pathSteps(simulateHestonEuler, params, T, ms);
    rows.push({
      name: `Heston QE path-steps/s (${name})`,
      unit: 'path-steps/s',
      value,
      baseline: 'full-truncation Euler, same streams',
      baselineValue,
      goal: params === bates ? undefined : '>= 20,000,000',
      note: `${PATHS} antithetic paths x ${STEPS} steps, terminal values; ${accuracy(params, T, coarse)}`,
    });
  }
  const n = 1 << 14;
  const buf = new Float64Array(n);
  const zig = randomStream(1);
  const uniforms = randomStream(2);
  const fill = (): number => {
    zig.fillNormals(buf);
    return n;
  };
  const bm = (): number => {
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - uniforms.uniform()));
      const a = 2 * Math.PI * uniforms.uniform();
      buf[i] = r * Math.cos(a);
      buf[i + 1] = r * Math.sin(a);
    }
    return n;
  };
  fill();
  bm();
  rows.push({
    name: 'standard normals/s (ziggurat block fill, mc-random.ts)',
    unit: 'normals/s',
    value: opsPerSecond(fill, ms),
    baseline: 'Box-Muller on the same generator’s uniforms',
    baselineValue: opsPerSecond(bm, ms),
  });
  return rows;
};
export default bench;
