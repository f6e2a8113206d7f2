/**
 * Engine configuration from environment variables, optionally from a config file
 * (`VOLRISK_CONFIG`, JSON object or KEY=VALUE lines; the environment wins). One TypeBox schema
 * drives validation, defaults and `volrisk start --help`; a bad value is reported by name.
 */
import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

const Int = (o: { minimum?: number; maximum?: number; default: number; description: string }) => Type.Integer(o);

export const ConfigSchema = Type.Object({
  PORT: Int({ minimum: 0, maximum: 65535, default: 8080, description: 'HTTP and WebSocket port (0 picks a free one)' }),
  HOST: Type.String({ default: '127.0.0.1', description: 'interface to listen on (0.0.0.0 for all)' }),
  DATA_DIR: Type.String({ default: '.volrisk/data', description: "embedded ClickHouse (chDB) data folder" }),
  KAFKA_BROKERS: Type.String({ default: '', description: 'comma-separated Kafka brokers; the bus is Kafka when set' }),
  CLICKHOUSE_URL: Type.String({ default: '', description: 'ClickHouse server URL (http://user:pass@host:8123/db); the store is that server when set' }),
  VOLRISK_BACKEND: Type.Union([Type.Literal('auto'), Type.Literal('gpu'), Type.Literal('node'), Type.Literal('wasm'), Type.Literal('cpu')], {
    default: 'auto',
    description: 'tensor backend: auto, gpu, node, wasm or cpu',
  }),
  VOLRISK_SEED: Int({ minimum: 0, maximum: 2 ** 31 - 1, default: 42, description: 'seed of the simulator and every seeded model' }),
  VOLRISK_API_KEYS: Type.String({ default: '', description: 'API keys and roles, "key:role,key:role" (roles: dashboard, bot, analyst, admin); open mode when unset' }),
  VOLRISK_FEED: Type.Union([Type.Literal('sim'), Type.Literal('files'), Type.Literal('none')], {
    default: 'sim',
    description: 'feed: sim (market simulator), files (the tape in VOLRISK_TAPE) or none (ticks arrive by REST ingest)',
  }),
  VOLRISK_TAPE: Type.String({ default: '', description: 'comma-separated tick files for VOLRISK_FEED=files (daily index histories are merged by event time)' }),
  VOLRISK_TICK_RATE: Type.Number({ exclusiveMinimum: 0, maximum: 10_000_000, default: 1000, description: 'simulator ticks per second of market time' }),
  VOLRISK_SPEED: Type.String({ default: 'realtime', description: 'simulator pace: realtime, Nx (N times real time) or max' }),
  VOLRISK_SIM_START: Type.String({ default: '2024-01-02T15:59', pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2})?)?$', description: 'simulated market start, New York time YYYY-MM-DD[THH:MM[:SS]]; the default is a minute before a close, so the daily models have a bar within the first minute (the night after is skipped)' }),
  VOLRISK_SIM_MODEL: Type.Union([Type.Literal('heston'), Type.Literal('bates')], { default: 'heston', description: 'simulator model: heston or bates (parameters in data/simulator-params.json)' }),
  VOLRISK_RUN: Type.String({ default: 'live', pattern: '^[A-Za-z0-9_.:-]{1,64}$', description: 'run id stamped on every message' }),
  VOLRISK_TIME_TOLERANCE_MS: Type.Number({ minimum: 0, default: 1000, description: 'how far event time may go backwards per source before a tick is rejected' }),
  VOLRISK_MAX_LINE_BYTES: Int({ minimum: 64, maximum: 16 * 1024 * 1024, default: 65536, description: 'longest input line accepted' }),
  VOLRISK_SINK_ROWS: Int({ minimum: 1, maximum: 1_000_000, default: 20000, description: 'store sink: flush after this many rows' }),
  VOLRISK_SINK_MS: Int({ minimum: 1, maximum: 600_000, default: 100, description: 'store sink: rows wait at most this long before a flush (ms)' }),
  VOLRISK_WS_BUFFER_BYTES: Int({ minimum: 1024, maximum: 1 << 30, default: 8 * 1024 * 1024, description: 'a WebSocket client further behind than this is disconnected with its last sequences' }),
  VOLRISK_RESUME_DEPTH: Int({ minimum: 0, maximum: 10_000_000, default: 1000, description: 'messages kept per topic and key for resume-from-sequence' }),
  VOLRISK_POSITIONS: Type.String({ default: '', description: 'positions book to hedge (JSON or YAML file); none: no positions; empty: with the simulator feed the example book data/positions.example.yaml (contracts the simulator quotes from its default start), else none' }),
  VOLRISK_RATE_LIMIT: Int({ minimum: 0, maximum: 100_000_000, default: 6000, description: 'REST requests per minute per API key (per address in open mode); 0 turns the limit off' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info', description: 'log level' }),
});

export type Config = Static<typeof ConfigSchema>;
const check = TypeCompiler.Compile(ConfigSchema);

/** Thrown when configuration is invalid; the message names the variable. */
export class ConfigError extends Error {
  readonly code = 'VOLRISK_BAD_CONFIG';
  override name = 'ConfigError';
}

function readFileVars(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`VOLRISK_CONFIG: cannot read "${path}": ${(e as Error).message}`);
  }
  if (text.trimStart().startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(`VOLRISK_CONFIG: "${path}" is not valid JSON: ${(e as Error).message}`);
    }
    return Object.fromEntries(Object.entries(obj as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, i) => {
    const l = line.trim();
    if (!l || l.startsWith('#')) return;
    const eq = l.indexOf('=');
    if (eq < 1) throw new ConfigError(`VOLRISK_CONFIG: "${path}" line ${i + 1}: expected KEY=VALUE`);
    out[l.slice(0, eq).trim()] = l.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  });
  return out;
}

/** Reads and validates the configuration from `env` (default process.env). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const fileVars = env.VOLRISK_CONFIG ? readFileVars(env.VOLRISK_CONFIG) : {};
  const raw: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(ConfigSchema.properties)) {
    const text = env[name] ?? fileVars[name];
    const s = schema as { type?: string; default: unknown };
    if (text === undefined || text === '') {
      raw[name] = s.default;
      continue;
    }
    if (s.type === 'integer' || s.type === 'number') {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new ConfigError(`${name}: expected a number, got "${text}"`);
      raw[name] = n;
    } else raw[name] = text;
  }
  if (raw.VOLRISK_FEED === 'files' && String(raw.VOLRISK_TAPE).trim() === '')
    throw new ConfigError('VOLRISK_TAPE: VOLRISK_FEED=files needs the tape, a comma-separated list of tick files');
  if (!check.Check(raw)) {
    const e = check.Errors(raw).First()!;
    const name = e.path.replace(/^\//, '');
    throw new ConfigError(`${name}: ${e.message} (got ${JSON.stringify(raw[name])}; ${(ConfigSchema.properties as Record<string, { description?: string }>)[name]?.description ?? ''})`);
  }
  return raw as Config;
}

/** One line per variable with its default, for `--help`. */
export function describeConfig(): string {
  return Object.entries(ConfigSchema.properties)
    .map(([name, s]) => {
      const d = (s as { default: unknown }).default;
      return `  ${name.padEnd(26)} ${(s as { description?: string }).description ?? ''}${d === '' ? '' : ` (default ${JSON.stringify(d)})`}`;
    })
    .join('\n');
}
