/**
 * Market simulator throughput: ticks per second of the full simulator (path, VIX/VVIX/futures,
 * option quotes with Heston/Bates repricing) against a baseline that builds the same number of
 * plain option-shaped object literals from the same random generator.
 */
import type { Bench } from './harness.ts';
import { SimulatorRun } from '../src/tape/simulator.ts';
import { randomStreams } from '../src/quant/mc-random.ts';

function simulated(model: 'heston' | 'bates', n: number): number {
  const t0 = performance.now();
  const run = new SimulatorRun({ seed: 1, model, maxTicks: n });
  let sink = 0;
  for (let r = run.next(); !r.done; r = run.next()) sink += r.value.ts & 1;
  if (sink < 0) throw new Error('unreachable');
  return n / ((performance.now() - t0) / 1000);
}

function baseline(n: number): number {
  const t0 = performance.now();
  const [rnd] = randomStreams(1, 1);
  let sink = 0;
  // Kept in a ring so the objects are really allocated, as the simulator's are.
  const ring: object[] = new Array(1024);
  for (let i = 0; i < n; i++) {
    const x = 100 + rnd.normal();
    const t = { kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: '2024-01-19', strike: 4800, right: 'C', bid: x - 0.5, ask: x + 0.5, bidSize: 1 + Math.floor(rnd.uniform() * 50), askSize: 10, ts: i, src: 'sim', sseq: i + 1 };
    ring[i & 1023] = t;
    sink += t.bidSize;
  }
  if (sink < 0) throw new Error('unreachable');
  return n / ((performance.now() - t0) / 1000);
}

const bench: Bench = async ({ quick }) => {
  const n = quick ? 200_000 : 1_000_000;
  // Warm up both, then measure.
  simulated('heston', 50_000);
  baseline(50_000);
  const base = baseline(n);
  const note = `${n.toLocaleString('en-US')} ticks at 1000 ticks/s of market time, 1 s steps, reprice every 30 steps or on a move`;
  return [
    { name: 'simulator ticks/s (heston)', unit: 'ticks/s', value: simulated('heston', n), baseline: 'plain object literals, same RNG', baselineValue: base, note },
    { name: 'simulator ticks/s (bates)', unit: 'ticks/s', value: simulated('bates', n), baseline: 'plain object literals, same RNG', baselineValue: base, note },
  ];
};
export default bench;
