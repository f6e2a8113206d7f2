/**
 * Checkpoints of a run (a replay, or the engine on a file tape), in the store's `replay_runs`
 * table: one row per checkpoint, the highest `version` of a run being its state (read FINAL).
 *
 * A checkpoint is taken only when the pipeline is idle (every stage and the store sink have
 * handled everything published), so every row up to it is stored. It records the tape position
 * and, per topic and key, the highest sequence number stored. A restarted run replays its tape
 * from the start through fresh stages (which rebuilds the stages' state exactly, since stages are
 * deterministic), skips storing what the checkpoint says is stored, and stores the rest; rows
 * stored after the checkpoint and before the crash are regenerated identically and collapse on
 * the tables' (run, topic, key, seq) key.
 */
import type { Store } from '../store/client.ts';
import { TOPIC_TABLES } from '../store/tables.ts';

/** Highest stored sequence per topic and key. */
export type Sequences = Record<string, Record<string, number>>;

export type RunStatus = 'running' | 'done' | 'cancelled' | 'failed';

export interface Checkpoint {
  run: string;
  /** Increases with every checkpoint of the run. */
  version: number;
  status: RunStatus;
  /** What the run replays (tape and speed), as JSON: a restart must replay the same tape. */
  spec: string;
  /** Tape items (parse outcomes) consumed. */
  position: number;
  /** Event time reached, epoch µs (0 before the first tick). */
  eventTs: number;
  /** Per topic and key, the highest sequence stored. */
  stored: Sequences;
  /** Ingest counts (accepted, rejected, by reason). */
  counts: Record<string, unknown>;
  error: string;
  /** Wall-clock times, epoch µs: when the run first started and when this checkpoint was written. */
  startedAt: number;
  updatedAt: number;
}

interface Row {
  run: string;
  version: number;
  status: string;
  spec: string;
  position: number;
  event_ts: number;
  stored: string;
  counts: string;
  error: string;
  started_at: number;
  updated_at: number;
}

const COLUMNS = 'run, version, status, spec, position, event_ts, stored, counts, error, started_at, updated_at';

function fromRow(r: Row): Checkpoint {
  return {
    run: r.run,
    version: r.version,
    status: r.status as RunStatus,
    spec: r.spec,
    position: r.position,
    eventTs: r.event_ts,
    stored: JSON.parse(r.stored) as Sequences,
    counts: JSON.parse(r.counts) as Record<string, unknown>,
    error: r.error,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
  };
}

/** The latest checkpoint of `run`, or undefined when the run has none. */
export async function readCheckpoint(store: Store, run: string): Promise<Checkpoint | undefined> {
  const rows = await store.select<Row>(
    `SELECT ${COLUMNS} FROM ${store.table('replay_runs')} FINAL WHERE run = {run:String} ORDER BY version DESC LIMIT 1`,
    { run },
  );
  return rows.length ? fromRow(rows[0]) : undefined;
}

/** Writes a checkpoint (its `version` must exceed the previous one's). */
export async function writeCheckpoint(store: Store, c: Checkpoint): Promise<void> {
  const row: Row = {
    run: c.run,
    version: c.version,
    status: c.status,
    spec: c.spec,
    position: c.position,
    event_ts: Math.round(c.eventTs),
    stored: JSON.stringify(c.stored),
    counts: JSON.stringify(c.counts),
    error: c.error,
    started_at: Math.round(c.startedAt),
    updated_at: Math.round(c.updatedAt),
  };
  await store.insert('replay_runs', [row]);
}

/** Every run with a checkpoint, latest state each, most recently updated first (stored sequences left out). */
export async function listCheckpoints(store: Store, limit = 1000): Promise<Array<Omit<Checkpoint, 'stored'>>> {
  const rows = await store.select<Omit<Row, 'stored'>>(
    `SELECT run, version, status, spec, position, event_ts, counts, error, started_at, updated_at
     FROM ${store.table('replay_runs')} FINAL ORDER BY updated_at DESC, run LIMIT {limit:Int64}`,
    { limit },
  );
  return rows.map((r) => {
    const { stored: _s, ...rest } = fromRow({ ...r, stored: '{}' });
    return rest;
  });
}

/**
 * The highest sequence stored per topic and key of `run`, read from the topic tables. Exact only
 * while nothing of the run is being written (at a checkpoint, the pipeline is idle).
 */
export async function storedSequences(store: Store, run: string): Promise<Sequences> {
  const out: Sequences = {};
  for (const table of new Set(Object.values(TOPIC_TABLES))) {
    const rows = await store.select<{ topic: string; key: string; seq: number }>(
      `SELECT topic, key, max(seq) AS seq FROM ${store.table(table)} WHERE run = {run:String} GROUP BY topic, key`,
      { run },
    );
    for (const r of rows) (out[r.topic] ??= {})[r.key] = r.seq;
  }
  return out;
}
