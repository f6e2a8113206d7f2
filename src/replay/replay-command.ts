/**
 * `volrisk replay`: a tape (files, or a run's stored ticks between two times) through the live
 * pipeline into the store (DATA_DIR or CLICKHOUSE_URL) under a run id, with a progress bar on
 * stderr and the result as JSON on stdout. Ctrl-C cancels cleanly (a checkpoint is written; the
 * same command resumes); a second Ctrl-C exits at once, which is as safe as a crash.
 */
import { loadConfig } from '../config.ts';
import { openStore } from '../store/client.ts';
import type { TickFormat } from '../ticks/detect-format.ts';
import { listCheckpoints } from './checkpoint.ts';
import { runDigest } from './digest.ts';
import { progressLine, type ReplayProgress } from './progress.ts';
import { runReplay } from './run-replay.ts';
import { parseTime, type TapeSpec } from './tape-spec.ts';

export interface ReplayCommandOptions {
  run?: string;
  speed: string;
  format?: TickFormat;
  order?: 'files' | 'time';
  fromStore?: string;
  from?: string;
  to?: string;
  checkpointEvery: string;
  digest?: boolean;
  progress: boolean;
  list?: boolean;
}

/** Runs the command; resolves with the process exit code. */
export async function replayCommand(files: readonly string[], opts: ReplayCommandOptions): Promise<number> {
  const config = loadConfig(process.env);
  const store = await openStore({ url: config.CLICKHOUSE_URL || undefined, dataDir: config.DATA_DIR });
  try {
    if (opts.list) {
      const { migrate } = await import('../store/migrations.ts');
      await migrate(store);
      process.stdout.write(JSON.stringify(await listCheckpoints(store), null, 2) + '\n');
      return 0;
    }
    if (!opts.run) throw new Error('--run: a replay needs a run id (its results are stored under it; the same id resumes it)');
    let tape: TapeSpec;
    if (opts.fromStore !== undefined) {
      if (files.length > 0) throw new Error('replay: give tick files or --from-store, not both');
      if (opts.from === undefined || opts.to === undefined) throw new Error('--from-store needs --from and --to (epoch µs or ISO times, UTC)');
      tape = { kind: 'store', run: opts.fromStore, from: parseTime(opts.from, '--from'), to: parseTime(opts.to, '--to') };
    } else {
      if (files.length === 0) throw new Error('replay: give tick files, or --from-store RUN --from T --to T');
      tape = { kind: 'files', files: [...files], ...(opts.format ? { format: opts.format } : {}), ...(opts.order ? { order: opts.order } : {}) };
    }
    const every = Number(opts.checkpointEvery);
    if (!Number.isSafeInteger(every) || every < 0) throw new Error(`--checkpoint-every: expected a whole number >= 0, got "${opts.checkpointEvery}"`);

    const ac = new AbortController();
    let signals = 0;
    const onSignal = (sig: string) => {
      if (++signals > 1) {
        process.stderr.write(`\n${sig} again: exiting now (the run resumes from its last checkpoint)\n`);
        process.exit(130);
      }
      process.stderr.write(`\n${sig}: cancelling after this batch (send it again to exit at once)\n`);
      ac.abort();
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));

    const tty = process.stderr.isTTY === true;
    let lastLine = 0;
    const onProgress = (p: ReplayProgress) => {
      if (!opts.progress) return;
      if (tty) process.stderr.write(`\r${progressLine(p)}\x1b[K${p.status === 'running' ? '' : '\n'}`);
      else if (p.status !== 'running' || p.elapsedMs - lastLine >= 2000) {
        lastLine = p.elapsedMs;
        process.stderr.write(progressLine(p) + '\n');
      }
    };
    const result = await runReplay(
      { run: opts.run, tape, speed: opts.speed, checkpointEvery: every },
      {
        store,
        signal: ac.signal,
        onProgress,
        maxLineBytes: config.VOLRISK_MAX_LINE_BYTES,
        timeToleranceMicros: config.VOLRISK_TIME_TOLERANCE_MS * 1000,
        sink: { maxRows: config.VOLRISK_SINK_ROWS, maxDelayMs: config.VOLRISK_SINK_MS },
        onCheckpoint: (c) => {
          if (opts.progress && c.status === 'running' && c.position > 0) process.stderr.write(`${tty ? '\n' : ''}checkpoint ${c.version} at tape item ${c.position}\n`);
        },
      },
    );
    if (result.alreadyDone) process.stderr.write(`run ${result.run} is complete already (${result.position} tape items); nothing replayed\n`);
    const { stored: _s, ...checkpoint } = result.checkpoint;
    const out: Record<string, unknown> = { ...result, checkpoint };
    if (opts.digest) out.digest = await runDigest(store, result.run);
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return result.status === 'done' ? 0 : 3;
  } finally {
    await store.close();
  }
}
