/**
 * The same replay into a ClickHouse server (CLICKHOUSE_URL, else a throwaway Debian
 * clickhouse-server 18.16 started here) and into embedded chDB stores the same rows: equal
 * per-topic hashes. On the server also: resume after a cancel, the analysts' queries and the
 * run listing, so the checkpoint table and the queries run on the oldest supported server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clickHouseServerInstalled, startClickHouseServer, type ClickHouseServer } from '../../infra/clickhouse/launch.ts';
import { TOPICS } from '../bus/topics.ts';
import { openStore, type Store } from '../store/client.ts';
import { compareRuns, topicValues } from '../store/analyst-queries.ts';
import { listCheckpoints } from './checkpoint.ts';
import { runDigest } from './digest.ts';
import { runReplay } from './run-replay.ts';
import { writeSimTape } from './sim-tape-file.ts';

const url = process.env.CLICKHOUSE_URL;
const skip = url || clickHouseServerInstalled() ? false : 'no CLICKHOUSE_URL and no /usr/sbin/clickhouse-server';

describe('replay into a ClickHouse server and into chDB', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'volrisk-replay-server-'));
  const tape = join(dir, 'tape.ndjson');
  const database = `volrisk_replay_${process.pid}`;
  let server: ClickHouseServer | undefined;
  let remote: Store;
  let local: Store;

  before(async () => {
    await writeSimTape(tape, { seed: 31, maxTicks: 10_000, start: '2024-01-02T15:59:40' });
    let serverUrl = url;
    if (!serverUrl) {
      server = await startClickHouseServer();
      serverUrl = server.url;
    }
    remote = await openStore({ url: serverUrl, dataDir: '', database });
    local = await openStore({ dataDir: join(dir, 'data'), database });
  });
  after(async () => {
    if (url) await remote?.command(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => {});
    await remote?.close();
    await local?.close();
    await server?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('equal rows on every topic', { timeout: 180_000 }, async () => {
    const req = { run: 'same', tape: { kind: 'files' as const, files: [tape] }, checkpointEvery: 3_000 };
    assert.equal((await runReplay(req, { store: remote })).status, 'done');
    assert.equal((await runReplay(req, { store: local })).status, 'done');
    const [r, l] = [await runDigest(remote, 'same'), await runDigest(local, 'same')];
    assert.deepEqual(r, l);
    assert.equal(r[TOPICS.ticksRaw].rows, 10_000);
    for (const t of [TOPICS.bars, TOPICS.surface]) assert.ok(r[t].rows > 0, `${t} has rows`);
  });

  test('on the server: a cancelled replay resumes to the same rows; queries and the run list work', { timeout: 180_000 }, async () => {
    const ac = new AbortController();
    const req = { run: 'resumed', tape: { kind: 'files' as const, files: [tape] }, checkpointEvery: 3_000 };
    const first = await runReplay(req, { store: remote, signal: ac.signal, onCheckpoint: (c) => c.position > 0 && ac.abort() });
    assert.equal(first.status, 'cancelled');
    assert.equal((await runReplay(req, { store: remote })).status, 'done');
    assert.deepEqual(await runDigest(remote, 'resumed'), await runDigest(remote, 'same'));
    const c = await compareRuns(remote, { topic: TOPICS.bars, a: 'same', b: 'resumed', details: 5 });
    assert.equal(c.identical, true);
    assert.deepEqual(c.differences, []);
    const bars = await topicValues(remote, { run: 'resumed', topic: TOPICS.bars, key: 'SPX:1m' });
    assert.ok(bars.length > 0 && bars.every((b) => b.key === 'SPX:1m'));
    const runs = await listCheckpoints(remote);
    assert.deepEqual(runs.map((x) => x.run).sort(), ['resumed', 'same']);
    assert.ok(runs.every((x) => x.status === 'done'));
  });
});
