/**
 * Opens the store: @clickhouse/client over the embedded chDB engine (the default, in a data
 * folder) or over a ClickHouse server (when a URL is given, e.g. CLICKHOUSE_URL). The returned
 * `Store` wraps the client with what every caller needs the same way on both engines: bound
 * parameters (see bind.ts), database-qualified table names, and result rows whose 64-bit
 * integers are numbers (engines disagree on quoting them; here they always arrive quoted and are
 * converted where exact).
 */
import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createClient, ClickHouseLogLevel, type ClickHouseClient } from '@clickhouse/client';
import { bind, type BindingMode, type Params } from './bind.ts';

export interface StoreConfig {
  /** A ClickHouse server's HTTP URL; the embedded engine when absent. */
  url?: string;
  /** The embedded engine's data folder (created if missing); ignored with `url`. */
  dataDir: string;
  /** Database holding the tables, created if missing (default `volrisk`). */
  database?: string;
}

export interface Store {
  /** The underlying client, for anything the store does not wrap. */
  readonly client: ClickHouseClient;
  readonly engine: 'embedded' | 'server';
  readonly database: string;
  /** The engine's `version()`, e.g. `18.16.1` or `26.7.2.1`. */
  readonly version: string;
  /** How parameters reach this engine, chosen once at open. */
  readonly binding: BindingMode;
  /** `name` qualified with the store's database and quoted, for use in SQL templates. */
  table(name: string): string;
  /** Runs a SELECT template with bound parameters; 64-bit integer columns come back as numbers. */
  select<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>;
  /** Runs a statement that returns no rows, with bound parameters. */
  command(sql: string, params?: Params): Promise<void>;
  /** Inserts rows (JSONEachRow objects) into a table of the store's database. */
  insert(table: string, rows: readonly object[]): Promise<void>;
  /**
   * Inserts TabSeparated lines (already escaped, in `columns` order) into a table: the bulk path.
   * Measured on chDB, building and parsing TSV costs about half of JSONEachRow per row.
   */
  insertTsv(table: string, columns: readonly string[], lines: readonly string[]): Promise<void>;
  /** Closes the connection (embedded: and frees the process's chDB data-folder slot). */
  close(): Promise<void>;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INT64_TYPE = /^(Nullable\()?U?Int(64|128|256)\)?$/;

/** Throws unless `name` is a plain identifier (tables and databases are never user text). */
export function checkIdentifier(what: string, name: string): string {
  if (!IDENT.test(name)) throw new Error(`${what} ${JSON.stringify(name)} is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*)`);
  return name;
}

interface JsonResult {
  meta: Array<{ name: string; type: string }>;
  data: Array<Record<string, unknown>>;
}

/** Turns quoted 64-bit integers into numbers where exact; refuses silently lossy ones. */
function normalise(res: JsonResult): Array<Record<string, unknown>> {
  const wide = res.meta.filter((m) => INT64_TYPE.test(m.type)).map((m) => m.name);
  if (wide.length === 0) return res.data;
  for (const row of res.data) {
    for (const col of wide) {
      const v = row[col];
      if (typeof v !== 'string') continue;
      const n = Number(v);
      if (!Number.isSafeInteger(n)) {
        throw new Error(`column ${col} holds ${v}, beyond the exact range of a JavaScript number`);
      }
      row[col] = n;
    }
  }
  return res.data;
}

// Both engines quote 64-bit integers when asked; asking always makes the conversion above the
// only place numbers are decided, and makes a value beyond 2^53 an error instead of a rounding.
const READ_SETTINGS = { output_format_json_quote_64bit_integers: 1 } as const;

async function probeBinding(client: ClickHouseClient): Promise<BindingMode> {
  try {
    await client.query({ query: 'SELECT {p:UInt8} AS p', format: 'JSON', query_params: { p: 1 } });
    return 'query_params';
  } catch (e) {
    // 18.16 treats `param_p` as an unknown setting (code 115): the server predates parameters.
    if (/Unknown setting param_|Code: 115\b/.test((e as Error).message)) return 'literals';
    throw e;
  }
}

/**
 * Opens the store described by `config`: a server when `url` is set, else the embedded engine in
 * `dataDir`. Creates the database, and picks the parameter binding by probing the engine once.
 */
/** chDB's zero-copy insert of raw bytes in a declared format. */
type RawInsert = (p: { table: string; values: Buffer; format: 'TabSeparated'; columns: readonly string[] }) => Promise<unknown>;

export async function openStore(config: StoreConfig): Promise<Store> {
  const database = checkIdentifier('database', config.database ?? 'volrisk');
  let client: ClickHouseClient;
  let engine: Store['engine'];
  let rawInsert: RawInsert | undefined;
  if (config.url) {
    engine = 'server';
    try {
      new URL(config.url);
    } catch {
      throw new Error(`CLICKHOUSE_URL ${JSON.stringify(config.url)} is not a URL`);
    }
    client = createClient({ url: config.url, log: { level: ClickHouseLogLevel.OFF } });
  } else {
    engine = 'embedded';
    if (!config.dataDir) throw new Error('DATA_DIR is empty: the embedded store needs a data folder');
    mkdirSync(config.dataDir, { recursive: true });
    const { createChdbConnection } = await import('chdb/connection');
    const connection = createChdbConnection({ path: config.dataDir });
    rawInsert = (p) => connection.chdb.rawInsert(p);
    client = createClient({
      // The connection hook is typed against client-common's own copy of the interface.
      connection: connection as never,
      log: { level: ClickHouseLogLevel.OFF },
    });
  }
  try {
    const ver = await client.query({ query: 'SELECT version() AS v', format: 'JSON' });
    const version = String(((await ver.json()) as JsonResult).data[0]?.v);
    const binding = await probeBinding(client);
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS \`${database}\`` });
    return makeStore(client, engine, database, version, binding, rawInsert);
  } catch (e) {
    await client.close().catch(() => {});
    const where = config.url ? `ClickHouse server at ${config.url}` : `embedded ClickHouse in ${config.dataDir}`;
    throw new Error(`cannot open the ${where}: ${(e as Error).message}`, { cause: e });
  }
}

function makeStore(
  client: ClickHouseClient,
  engine: Store['engine'],
  database: string,
  version: string,
  binding: BindingMode,
  rawInsert: RawInsert | undefined,
): Store {
  const table = (name: string): string => `\`${database}\`.\`${checkIdentifier('table', name)}\``;
  return {
    client,
    engine,
    database,
    version,
    binding,
    table,
    async select<T>(sql: string, params?: Params): Promise<T[]> {
      const b = bind(sql, params, binding);
      const rs = await client.query({ ...b, format: 'JSON', clickhouse_settings: READ_SETTINGS });
      return normalise(await rs.json<Record<string, unknown>>() as unknown as JsonResult) as T[];
    },
    async command(sql: string, params?: Params): Promise<void> {
      await client.command(bind(sql, params, binding));
    },
    async insert(name: string, rows: readonly object[]): Promise<void> {
      if (rows.length === 0) return;
      await client.insert({ table: table(name), values: rows as object[], format: 'JSONEachRow' });
    },
    async insertTsv(name: string, columns: readonly string[], lines: readonly string[]): Promise<void> {
      if (lines.length === 0) return;
      const body = lines.join('\n') + '\n';
      // chDB takes the bytes as they are (no stream, no copy into the SQL text) and parses them
      // on its own threads; a server gets them over HTTP.
      if (rawInsert) {
        await rawInsert({ table: `${database}.${checkIdentifier('table', name)}`, values: Buffer.from(body), format: 'TabSeparated', columns });
        return;
      }
      await client.insert({
        table: table(name),
        values: Readable.from([body], { objectMode: false }),
        format: 'TabSeparated',
        columns: columns as [string, ...string[]],
      });
    },
    async close(): Promise<void> {
      await client.close();
      if (engine === 'embedded') {
        // libchdb keeps one data folder per process; wait until it is really free so the next
        // openStore (another folder, in a bench or a test) can take it.
        const chdb = (await import('chdb')) as unknown as { drainPending?: () => Promise<void> };
        await chdb.drainPending?.();
      }
    },
  };
}
