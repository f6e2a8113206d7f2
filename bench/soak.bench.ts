/**
 * Memory over a long run: the engine on embedded defaults with the simulator at 20,000 ticks/s
 * (real time) for VOLRISK_SOAK_SECONDS (300 by default, 30 with --quick), resident memory sampled
 * every 5 s. The row compares the last fifth of the run with the second fifth (after warm-up).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { startEngine } from '../src/engine.ts';
import type { Bench } from './harness.ts';

const bench: Bench = async ({ quick }) => {
  const seconds = Number(process.env.VOLRISK_SOAK_SECONDS ?? (quick ? 30 : 300));
  const dir = mkdtempSync(join(tmpdir(), 'volrisk-soak-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: join(dir, 'data'), VOLRISK_FEED: 'sim', VOLRISK_TICK_RATE: '20000', VOLRISK_SPEED: 'realtime' });
  const engine = await startEngine(config, { logger: pino({ level: 'error' }) });
  const rss: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 5000));
    global.gc?.();
    rss.push(process.memoryUsage().rss / 2 ** 20);
    process.stderr.write(`  soak ${((performance.now() - t0) / 1000).toFixed(0)} s: rss ${rss.at(-1)!.toFixed(0)} MiB\n`);
  }
  const ticks = (await engine.metrics.registry.getSingleMetric('volrisk_ticks_in_total')!.get()).values.reduce((a, v) => a + v.value, 0);
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
  const fifth = Math.max(1, Math.floor(rss.length / 5));
  const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  const early = avg(rss.slice(fifth, 2 * fifth));
  const late = avg(rss.slice(-fifth));
  return [
    {
      name: `resident memory over a ${seconds} s run at 20,000 ticks/s (simulator; ${Math.round(ticks).toLocaleString('en-US')} ticks; max ${Math.max(...rss).toFixed(0)} MiB)`,
      unit: 'MiB',
      value: late,
      baseline: 'same run, second fifth',
      baselineValue: early,
      goal: 'flat (ratio ~1)',
    },
  ];
};
export default bench;
