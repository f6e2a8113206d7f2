/**
 * Crash safety with real processes: `volrisk replay` and the engine on a file feed
 * (VOLRISK_FEED=files) are SIGKILLed after a checkpoint, restarted with the same run id, and
 * what they stored must equal an uninterrupted run's: the same rows on every topic (per-topic
 * hash of the deduplicated rows), no sequence gaps, and after OPTIMIZE ... FINAL not one raw
 * row twice. Every child stores into one data folder, one after another; this process opens it
 * only once they have exited (libchdb binds one data folder per process).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_TOPICS } from '../bus/topics.ts';
import { openStore, type Store } from '../store/client.ts';
import { TOPIC_TABLES } from '../store/tables.ts';
import { runDigest } from './digest.ts';
import { readCheckpoint } from './checkpoint.ts';
import { writeSimTape } from './sim-tape-file.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'volrisk-crash-'));
const dataDir = join(dir, 'data');
const replayTape = join(dir, 'replay.ndjson');
const engineTape = join(dir, 'engine.ndjson');
const REPLAY_TICKS = 20_000;
const ENGINE_TICKS = 20_000;
const ENGINE_CHECKPOINT = 4_000;

interface Child {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first output line matching `re` (already seen or still to come). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `volrisk ARGS`, or with `engine` the engine itself (engine-child.ts) checkpointing every `engine` tape items. */
function start(args: string[], env: Record<string, string>, engine?: number): Child {
  const cmd = engine === undefined ? [join(root, 'bin/volrisk.js'), ...args] : ['--import', 'tsx', join(root, 'src/replay/engine-child.ts'), String(engine)];
  const proc = spawn(process.execPath, cmd, { cwd: root, env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  const rest = { out: '', err: '' };
  const onData = (stream: 'out' | 'err') => (buf: Buffer) => {
    const parts = (rest[stream] + buf.toString()).split('\n');
    rest[stream] = parts.pop()!;
    for (const l of parts) {
      if (!l) continue;
      lines.push(l);
      for (const w of waiters.filter((x) => x.re.test(l))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(l);
      }
    }
  };
  proc.stdout!.on('data', onData('out'));
  proc.stderr!.on('data', onData('err'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => proc.on('exit', (code, signal) => res({ code, signal })));
  return {
    proc,
    lines,
    exited,
    waitFor: (re, timeoutMs = 120_000) =>
      new Promise((res, rej) => {
        const seen = lines.find((l) => re.test(l));
        if (seen) return res(seen);
        const timer = setTimeout(() => rej(new Error(`no output line matching ${re} within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`)), timeoutMs);
        const w = { re, resolve: (l: string) => (clearTimeout(timer), res(l)) };
        waiters.push(w);
        void exited.then(() => setTimeout(() => waiters.includes(w) && (clearTimeout(timer), rej(new Error(`exited before a line matched ${re}; last lines:\n${lines.slice(-15).join('\n')}`))), 50));
      }),
  };
}

async function finished(c: Child): Promise<void> {
  const { code, signal } = await c.exited;
  assert.equal(code, 0, `exit ${code} ${signal ?? ''}:\n${c.lines.slice(-20).join('\n')}`);
}

/** Runs the engine on the file tape under `run` until its feed has ended, then stops it cleanly. */
const engineEnv = (run: string) => ({ PORT: '0', VOLRISK_FEED: 'files', VOLRISK_TAPE: engineTape, VOLRISK_SPEED: 'max', VOLRISK_RUN: run });

async function engineToEnd(run: string): Promise<void> {
  const c = start([], engineEnv(run), ENGINE_CHECKPOINT);
  await c.waitFor(/file feed ended/, 240_000);
  c.proc.kill('SIGTERM');
  await finished(c);
}

before(async () => {
  await writeSimTape(replayTape, { seed: 21, maxTicks: REPLAY_TICKS, start: '2024-01-02T15:59:35' });
  await writeSimTape(engineTape, { seed: 22, maxTicks: ENGINE_TICKS, start: '2024-01-02T15:59:35' });
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('SIGKILL and restart with the same run id', () => {
  test('replay: the children run, one killed after a checkpoint and resumed', { timeout: 300_000 }, async () => {
    const args = (run: string) => ['replay', replayTape, '--run', run, '--checkpoint-every', '4000'];
    await finished(start(args('whole'), {}));
    const killed = start(args('killed'), {});
    await killed.waitFor(/^checkpoint 3 at tape item/);
    killed.proc.kill('SIGKILL');
    assert.equal((await killed.exited).signal, 'SIGKILL');
    const resumed = start(args('killed'), {});
    await finished(resumed);
    const out = JSON.parse(resumed.lines.filter((l) => !/^(\[|checkpoint )/.test(l)).join('\n')) as { status: string; resumedFrom: number };
    assert.equal(out.status, 'done');
    assert.ok(out.resumedFrom >= 8_000 && out.resumedFrom < REPLAY_TICKS, `resumed from ${out.resumedFrom}`);
  });

  test('engine on a file feed: killed after a checkpoint and restarted', { timeout: 300_000 }, async () => {
    await engineToEnd('feed-whole');
    const killed = start([], engineEnv('feed-killed'), ENGINE_CHECKPOINT);
    await killed.waitFor(/"version":3,.*"msg":"checkpoint"/, 240_000);
    killed.proc.kill('SIGKILL');
    assert.equal((await killed.exited).signal, 'SIGKILL');
    assert.ok(!killed.lines.some((l) => /file feed ended/.test(l)), 'killed mid-tape');
    await engineToEnd('feed-killed');
  });

  describe('what they stored', () => {
    let store: Store;
    before(async () => {
      store = await openStore({ dataDir });
    });
    after(() => store?.close());

    for (const [whole, killed, ticks] of [['whole', 'killed', REPLAY_TICKS], ['feed-whole', 'feed-killed', ENGINE_TICKS]] as const) {
      test(`${killed} equals ${whole}: same rows, no gaps, no duplicates`, { timeout: 120_000 }, async () => {
        const cp = await readCheckpoint(store, killed);
        assert.equal(cp?.status, 'done');
        const [a, b] = [await runDigest(store, whole), await runDigest(store, killed)];
        assert.deepEqual(b, a);
        assert.equal(a['ticks.raw'].rows, ticks);
        for (const t of ['bars', 'variance', 'surface']) assert.ok(a[t].rows > 0, `${t} has rows`);
        // No gaps: per topic and key, sequences 1..n all present.
        for (const table of new Set(Object.values(TOPIC_TABLES))) {
          const gaps = await store.select<{ topic: string; key: string; n: number; lo: number; hi: number }>(
            `SELECT topic, key, count() AS n, min(seq) AS lo, max(seq) AS hi FROM ${store.table(table)} FINAL
             WHERE run = {run:String} GROUP BY topic, key HAVING lo != 1 OR hi != n`,
            { run: killed },
          );
          assert.deepEqual(gaps, [], `gaps in ${table}`);
        }
        // No duplicates once ClickHouse has merged: raw rows, without FINAL, one per key.
        for (const table of new Set(Object.values(TOPIC_TABLES))) {
          await store.command(`OPTIMIZE TABLE ${store.table(table)} FINAL`);
          const [dup] = await store.select<{ rows: number; distinctKeys: number }>(
            `SELECT count() AS rows, uniqExact(topic, key, seq) AS distinctKeys FROM ${store.table(table)} WHERE run = {run:String}`,
            { run: killed },
          );
          assert.equal(dup.rows, dup.distinctKeys, `duplicate rows in ${table}`);
        }
        assert.deepEqual(Object.keys(a).sort(), [...ALL_TOPICS].sort());
      });
    }
  });
});
