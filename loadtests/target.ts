/**
 * The engine under load, as its own process (so its memory and CPU are measured apart from the
 * clients): started by the harness with `fork`, it runs `startEngine` on the environment's
 * configuration and talks over IPC:
 *   -> {type:'ready', url}                       once listening
 *   <- {op:'stats'}        -> {type:'stats', rssMiB, heapMiB, cpuUser, cpuSystem, loopP99Ms, loopMaxMs}
 *        (cpu in µs and event-loop delay percentiles, both cumulative since start)
 *   <- {op:'inject', rate, seconds, keys, batch} -> {type:'injected', ticks, seconds}
 *        in-process ingest (validation, bus, stages, store sink) at `rate` ticks/s, open loop
 *   <- {op:'stop'}         -> the engine stops and the process exits
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config.ts';
import { startEngine, type Engine } from '../src/engine.ts';
import type { ParseOutcome } from '../src/ticks/candidate.ts';
import { nowMicros, optionTick } from './ticks.ts';

type Command = { op: 'stats' } | { op: 'stop' } | { op: 'inject'; rate: number; seconds: number; keys: number; batch: number };

const send = (m: unknown) => process.send?.(m);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inject(engine: Engine, c: Extract<Command, { op: 'inject' }>): Promise<{ ticks: number; seconds: number }> {
  const t0 = performance.now();
  let n = 0;
  let line = 0;
  while (performance.now() - t0 < c.seconds * 1000) {
    // Open loop: as many ticks as the schedule says are due, in batches.
    const due = Math.floor(((performance.now() - t0) / 1000) * c.rate) - n;
    if (due <= 0) {
      await sleep(1);
      continue;
    }
    const size = Math.min(due, c.batch);
    const ts = nowMicros();
    const batch: ParseOutcome[] = new Array(size);
    for (let j = 0; j < size; j++) {
      batch[j] = { src: 'load', line: ++line, value: optionTick((n + j) % c.keys, n + j, ts) };
    }
    await engine.ingest(batch);
    n += size;
  }
  return { ticks: n, seconds: (performance.now() - t0) / 1000 };
}

const engine = await startEngine(loadConfig());
// How long the engine's event loop was blocked: what every WebSocket and REST answer waits behind.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
send({ type: 'ready', url: engine.url });
process.on('message', (c: Command) => {
  if (c.op === 'stats') {
    const m = process.memoryUsage();
    const cpu = process.cpuUsage();
    send({ type: 'stats', rssMiB: m.rss / 1048576, heapMiB: m.heapUsed / 1048576, cpuUser: cpu.user, cpuSystem: cpu.system, loopP99Ms: loopDelay.percentile(99) / 1e6, loopMaxMs: loopDelay.max / 1e6 });
  } else if (c.op === 'inject') {
    void inject(engine, c).then((r) => send({ type: 'injected', ...r }));
  } else if (c.op === 'stop') {
    void engine.stop().finally(() => process.exit(0));
  }
});
process.once('disconnect', () => void engine.stop().finally(() => process.exit(0)));
