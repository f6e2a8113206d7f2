/**
 * Analyst queries over stored runs (analyst and admin roles), as JSON or CSV (`format=csv`):
 * - `GET /api/runs/:run/topics/:topic?key&from&to&limit&fields` a topic's messages over a time
 *   range; `fields=hn,params.v0` picks payload fields (dotted paths) as columns;
 * - `GET /api/runs/:run/topics/:topic/keys` per key: count, sequence range, last event time;
 * - `GET /api/compare/:topic?a&b&key&from&to&details` two runs row by row.
 * Every value reaches ClickHouse as a bound parameter; times are epoch µs or ISO (UTC).
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ALL_TOPICS } from '../bus/topics.ts';
import type { Store } from '../store/client.ts';
import { compareRuns, topicValues, type StoredMessage } from '../store/analyst-queries.ts';
import { keyStats } from '../store/queries.ts';
import { parseTime } from '../replay/tape-spec.ts';

export interface QueryRoutesOptions {
  store: Store;
}

const RunId = Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' });
const TopicName = Type.Union(ALL_TOPICS.map((t) => Type.Literal(t)));
const TimeText = Type.String({ maxLength: 40, description: 'epoch microseconds, or ISO date/time (UTC unless it has an offset)' });
const Format = Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'json (default) or csv' }));
// `message` carries fastify's own validation errors (which name the bad field) through the response schema.
const ErrorBody = Type.Object({ error: Type.String(), code: Type.String(), message: Type.Optional(Type.String()) });
const ROLES = { roles: ['analyst'] as const };

class BadQuery extends Error {}

const time = (text: string | undefined, what: string): number | undefined => {
  if (text === undefined) return undefined;
  try {
    return parseTime(text, what);
  } catch (e) {
    throw new BadQuery((e as Error).message);
  }
};

/** A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as CSV text with a header line. */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  let out = columns.map(csvField).join(',') + '\n';
  for (const r of rows) out += r.map(csvField).join(',') + '\n';
  return out;
}

/** The value at a dotted path of a payload (undefined when absent). */
function at(payload: unknown, path: readonly string[]): unknown {
  let x = payload;
  for (const p of path) {
    if (x === null || typeof x !== 'object') return undefined;
    x = (x as Record<string, unknown>)[p];
  }
  return x;
}

function badRequest(reply: FastifyReply, e: unknown): FastifyReply {
  if (e instanceof BadQuery || /^compare:/.test((e as Error).message)) return reply.code(400).send({ error: (e as Error).message, code: 'BAD_REQUEST' });
  throw e;
}

/** The query routes as a fastify plugin (for buildServer's `plugins`). */
export function queryRoutes(options: QueryRoutesOptions): FastifyPluginAsync {
  const { store } = options;
  return async (app) => {
    app.get<{ Params: { run: string; topic: string }; Querystring: { key?: string; from?: string; to?: string; limit?: number; fields?: string; format?: 'json' | 'csv' } }>(
      '/api/runs/:run/topics/:topic',
      {
        config: ROLES,
        schema: {
          description: "A topic's stored messages in a run over a time range (from <= ts < to), in event-time order.",
          params: Type.Object({ run: RunId, topic: TopicName }),
          querystring: Type.Object({
            key: Type.Optional(Type.String({ maxLength: 256 })),
            from: Type.Optional(TimeText),
            to: Type.Optional(TimeText),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 100_000 })),
            fields: Type.Optional(Type.String({ maxLength: 1024, pattern: '^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*(,[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*)*$', description: 'payload fields to return as columns, comma-separated dotted paths' })),
            format: Format,
          }),
          response: { 400: ErrorBody },
        },
      },
      async (req, reply) => {
        const q = req.query;
        let rows: StoredMessage[];
        try {
          rows = await topicValues(store, { run: req.params.run, topic: req.params.topic, key: q.key, from: time(q.from, 'from'), to: time(q.to, 'to'), limit: q.limit });
        } catch (e) {
          return badRequest(reply, e);
        }
        const fields = q.fields ? q.fields.split(',') : undefined;
        const paths = fields?.map((f) => f.split('.'));
        if (q.format === 'csv') {
          const cols = ['run', 'topic', 'key', 'seq', 'ts', 'time', ...(fields ?? ['payload'])];
          const body = toCsv(
            cols,
            rows.map((r) => [r.run, r.topic, r.key, r.seq, r.ts, new Date(r.ts / 1000).toISOString(), ...(paths ? paths.map((p) => at(r.payload, p)) : [r.payload])]),
          );
          return reply.type('text/csv; charset=utf-8').send(body);
        }
        if (!paths) return rows;
        return rows.map(({ payload, ...r }) => ({ ...r, values: Object.fromEntries(fields!.map((f, i) => [f, at(payload, paths[i]) ?? null])) }));
      },
    );

    app.get<{ Params: { run: string; topic: string }; Querystring: { format?: 'json' | 'csv' } }>(
      '/api/runs/:run/topics/:topic/keys',
      {
        config: ROLES,
        schema: {
          description: 'Per key of a topic in a run: stored messages, first and last sequence, last event time.',
          params: Type.Object({ run: RunId, topic: TopicName }),
          querystring: Type.Object({ format: Format }),
        },
      },
      async (req, reply) => {
        const stats = await keyStats(store, req.params.run, req.params.topic);
        if (req.query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(['key', 'count', 'firstSeq', 'lastSeq', 'lastTs'], stats.map((s) => [s.key, s.count, s.firstSeq, s.lastSeq, s.lastTs])));
        return stats;
      },
    );

    app.get<{ Params: { topic: string }; Querystring: { a: string; b: string; key?: string; from?: string; to?: string; details?: number; format?: 'json' | 'csv' } }>(
      '/api/compare/:topic',
      {
        config: ROLES,
        schema: {
          description: 'Two runs of a topic compared row by row (same key and sequence): per key, rows equal, different and in one run only; with `details`, the first rows that differ. CSV gives the per-key table.',
          params: Type.Object({ topic: TopicName }),
          querystring: Type.Object({
            a: RunId,
            b: RunId,
            key: Type.Optional(Type.String({ maxLength: 256 })),
            from: Type.Optional(TimeText),
            to: Type.Optional(TimeText),
            details: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 0 })),
            format: Format,
          }),
          response: { 400: ErrorBody },
        },
      },
      async (req, reply) => {
        const q = req.query;
        try {
          const c = await compareRuns(store, { topic: req.params.topic, a: q.a, b: q.b, key: q.key, from: time(q.from, 'from'), to: time(q.to, 'to'), details: q.details });
          if (q.format === 'csv') {
            const cols = ['key', 'rowsA', 'rowsB', 'equal', 'different', 'onlyA', 'onlyB'] as const;
            return reply.type('text/csv; charset=utf-8').send(toCsv(cols, c.keys.map((k) => cols.map((col) => k[col]))));
          }
          return c;
        } catch (e) {
          return badRequest(reply, e);
        }
      },
    );
  };
}
