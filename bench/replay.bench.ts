/**
 * Replay speed (issue 9): a simulated full trading day of tick tape (09:30-16:00 New York, about
 * 1.05 million ticks: SPX prints, VIX, VVIX, the VX strip and SPX option quotes, seeded) as an
 * NDJSON file, replayed as fast as possible through the live topology with every stage on (the
 * hedges stage over the example book, as the engine runs it on the simulator), into
 * embedded ClickHouse, checkpoints included. Measured: ticks/s, and how many times faster than
 * real time the day goes through; the baseline is the same replay with no stages (file parse,
 * validation, bus and store sink only), measured in the same run. `--quick` replays the first
 * hour.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/client.ts';
import { runReplay } from '../src/replay/run-replay.ts';
import { writeSimTape } from '../src/replay/sim-tape-file.ts';
import { defaultStages } from '../streams/topology.ts';
import { DEFAULT_BOOK_PATH, loadBook } from '../src/positions/load.ts';
import type { Stage } from '../streams/stage.ts';
import type { Bench } from './harness.ts';

const RATE = 45; // ticks per second of market time: 23,400 s x 45 = 1.05 million ticks a day

async function replaySeconds(tape: string, run: string, stages: () => Promise<Stage[]>): Promise<{ seconds: number; accepted: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'volrisk-bench-replay-'));
  const store = await openStore({ dataDir: join(dir, 'data') });
  try {
    const loaded = await stages(); // model loading is start-up, not replay
    const t0 = performance.now();
    const r = await runReplay({ run, tape: { kind: 'files', files: [tape] } }, { store, stages: async () => loaded });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 'done') throw new Error(`replay ${run} ended ${r.status}`);
    return { seconds, accepted: r.counts.accepted };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Bench = async ({ quick }) => {
  const dir = mkdtempSync(join(tmpdir(), 'volrisk-bench-tape-'));
  try {
    const tape = join(dir, 'day.ndjson');
    const end = quick ? '2024-01-02T10:30' : '2024-01-02T16:00';
    const marketSeconds = quick ? 3600 : 6.5 * 3600;
    const n = await writeSimTape(tape, { seed: 2024, start: '2024-01-02', end, ticksPerSecond: RATE });
    // Every stage the engine runs on the simulator, the hedges stage with the example book included.
    const full = await replaySeconds(tape, 'bench-all', () => defaultStages({ book: loadBook(DEFAULT_BOOK_PATH) }));
    const bare = await replaySeconds(tape, 'bench-none', async () => []);
    const what = quick ? `first hour, ${n.toLocaleString('en-US')} ticks` : `full trading day, ${n.toLocaleString('en-US')} ticks`;
    return [
      {
        name: `replay ticks/s, every stage on (simulated ${what}, NDJSON file -> embedded chDB, max speed)`,
        unit: 'ticks/s',
        value: full.accepted / full.seconds,
        baseline: 'same replay without stages (parse, validate, bus, store sink)',
        baselineValue: bare.accepted / bare.seconds,
        note: `${full.seconds.toFixed(1)} s with stages, ${bare.seconds.toFixed(1)} s without; checkpoints every 100,000 ticks`,
      },
      {
        name: `replay speed vs real time, every stage on (simulated ${what})`,
        unit: 'x real time',
        value: marketSeconds / full.seconds,
        baseline: 'real time',
        baselineValue: 1,
        goal: '>= 100',
        note: `${(marketSeconds / 3600).toFixed(1)} h of market time in ${full.seconds.toFixed(1)} s`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;
