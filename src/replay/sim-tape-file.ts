/**
 * Writes a simulated tick tape (src/tape/simulator.ts, seeded) to an NDJSON file: a fixed tape
 * for replay tests, the crash tests' child processes and the replay bench.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createSimulator, type SimulatorConfig } from '../tape/simulator.ts';

/** Writes `config`'s ticks (it must end: `maxTicks` or `end`) to `path`; resolves with the tick count. */
export async function writeSimTape(path: string, config: SimulatorConfig): Promise<number> {
  if (config.maxTicks === undefined && config.end === undefined) throw new Error('writeSimTape: the simulator needs maxTicks or end, or the tape never ends');
  const out = createWriteStream(path);
  let n = 0;
  let buf = '';
  for (const t of createSimulator(config)) {
    buf += JSON.stringify(t) + '\n';
    if (++n % 5000 === 0) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return n;
}
