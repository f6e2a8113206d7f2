/**
 * Versioned schema migrations. A migration, once released, never changes: a new version is added
 * instead. `schema_migrations` records what was applied; `migrate` applies what is missing, in
 * order, and is idempotent (statements use IF NOT EXISTS, and the record table deduplicates), so
 * two processes migrating at once converge.
 *
 * Portability (DESIGN.md): the DDL runs unchanged on ClickHouse 18.16 and on the embedded engine:
 * ReplacingMergeTree with the new-style ORDER BY, numeric and String columns, Nullable(Float64)
 * for optional numbers, Int64 epoch microseconds for time; no DateTime64, LowCardinality, codecs,
 * TTL or JSON type. Rows are keyed by (run, topic, key, seq): a retried insert leaves a duplicate
 * row until a background merge removes it, so every read deduplicates (FINAL).
 */
import type { Store } from './client.ts';

export interface Migration {
  version: number;
  name: string;
  /** Statements, given the quoted database name. */
  sql: (db: string) => string[];
}

const ENVELOPE = 'run String, topic String, key String, seq Int64, ts Int64, payload String';
const KEYED = 'ENGINE = ReplacingMergeTree() ORDER BY (run, topic, key, seq)';
const envelopeTable = (db: string, name: string, typed = ''): string =>
  `CREATE TABLE IF NOT EXISTS ${db}.\`${name}\` (${ENVELOPE}${typed ? ', ' + typed : ''}) ${KEYED}`;

/** Every migration, in version order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ticks, rejects, bars and output topic tables',
    sql: (db) => [
      envelopeTable(
        db,
        'ticks',
        'kind String, symbol String, expiry String, strike Nullable(Float64), `right` String, ' +
          'price Nullable(Float64), bid Nullable(Float64), ask Nullable(Float64)',
      ),
      envelopeTable(db, 'rejects', 'reason String, field String, src String, line Int64'),
      envelopeTable(
        db,
        'bars',
        'symbol String, `interval` String, open Nullable(Float64), high Nullable(Float64), ' +
          'low Nullable(Float64), close Nullable(Float64), rv Nullable(Float64)',
      ),
      ...['variance', 'surface', 'nsde', 'hedges', 'risk'].map((t) => envelopeTable(db, t)),
    ],
  },
  {
    version: 2,
    name: 'replay runs and their checkpoints',
    // One row per checkpoint of a run; the highest `version` of a run is its state (read FINAL).
    sql: (db) => [
      `CREATE TABLE IF NOT EXISTS ${db}.replay_runs (run String, version Int64, status String, spec String, ` +
        'position Int64, event_ts Int64, stored String, counts String, error String, started_at Int64, updated_at Int64) ' +
        'ENGINE = ReplacingMergeTree(version) ORDER BY run',
    ],
  },
];

/** The newest schema version this code knows. */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export interface MigrateResult {
  /** Versions applied by this call (empty when the schema was current). */
  applied: number[];
  version: number;
}

/** Versions recorded as applied in `store`. */
export async function appliedVersions(store: Store): Promise<number[]> {
  const rows = await store.select<{ version: number }>(
    `SELECT version FROM ${store.table('schema_migrations')} FINAL ORDER BY version`,
  );
  return rows.map((r) => r.version);
}

/**
 * Brings `store`'s schema to the latest version and returns what it applied. Refuses a database
 * whose schema is newer than this code, naming both versions.
 */
export async function migrate(store: Store, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrateResult> {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version <= migrations[i - 1].version) throw new Error(`migration versions must increase: ${migrations[i].version} after ${migrations[i - 1].version}`);
  }
  const db = `\`${store.database}\``;
  await store.command(
    `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (version Int64, name String, applied_at Int64) ` +
      'ENGINE = ReplacingMergeTree() ORDER BY version',
  );
  const done = new Set(await appliedVersions(store));
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  const newest = Math.max(0, ...done);
  if (newest > latest) {
    throw new Error(`database ${store.database} has schema version ${newest}, newer than this code's ${latest}: upgrade volrisk`);
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    for (const stmt of m.sql(db)) {
      try {
        await store.command(stmt);
      } catch (e) {
        throw new Error(`migration ${m.version} (${m.name}) failed: ${(e as Error).message}`, { cause: e });
      }
    }
    // Wall-clock time is right here: it records when the schema changed, not an event.
    await store.insert('schema_migrations', [{ version: m.version, name: m.name, applied_at: Date.now() * 1000 }]);
    applied.push(m.version);
  }
  return { applied, version: Math.max(newest, ...applied) };
}
