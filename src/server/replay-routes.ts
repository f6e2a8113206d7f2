/**
 * The replay API (analyst and admin roles): start a replay, watch it, cancel it, list runs, and
 * the per-topic digest of a run's stored rows. Progress is also pushed over `/ws` on topic
 * `replay` (key: the run id): `{"op":"subscribe","topics":["replay"],"keys":["my-run"]}`.
 *
 * Tick files are read on the server, so a request may only name files inside the folders the
 * engine allows (`tapeDirs`); anything else is refused before it is opened.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { TICK_FORMATS } from '../ticks/detect-format.ts';
import { runDigest } from '../replay/digest.ts';
import { ReplayRequestError, type ReplayManager } from '../replay/manager.ts';
import { parseTime, type TapeSpec } from '../replay/tape-spec.ts';

export interface ReplayRoutesOptions {
  manager: ReplayManager;
  /** Folders tick files may be read from. */
  tapeDirs: readonly string[];
}

const RunId = Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', description: 'run id' });
const Time = Type.Union([Type.Integer({ description: 'epoch microseconds' }), Type.String({ maxLength: 40, description: 'ISO date/time, UTC unless it has an offset' })]);

const StartBody = Type.Object(
  {
    run: RunId,
    tape: Type.Union([
      Type.Object(
        {
          kind: Type.Literal('files'),
          files: Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { minItems: 1, maxItems: 1000, description: 'paths on the server, inside the allowed tape folders' }),
          format: Type.Optional(Type.Union(TICK_FORMATS.map((f) => Type.Literal(f)))),
          order: Type.Optional(Type.Union([Type.Literal('files'), Type.Literal('time')])),
        },
        { additionalProperties: false },
      ),
      Type.Object({ kind: Type.Literal('store'), run: RunId, from: Time, to: Time }, { additionalProperties: false, description: "a run's stored ticks with from <= ts < to" }),
    ]),
    speed: Type.Optional(Type.String({ pattern: '^(max|asap|realtime|real|[0-9]+(\\.[0-9]+)?x?)$', description: 'max (default), realtime or Nx' })),
    checkpointEvery: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9, description: 'tape items between checkpoints (default 100,000)' })),
  },
  { additionalProperties: false },
);
type StartBody = Static<typeof StartBody>;

const View = Type.Object(
  {
    run: Type.String(),
    status: Type.String(),
    active: Type.Boolean(),
    spec: Type.Unknown(),
    progress: Type.Optional(Type.Unknown()),
    position: Type.Number(),
    counts: Type.Optional(Type.Unknown()),
    error: Type.Optional(Type.String()),
    startedAt: Type.Optional(Type.Number()),
    updatedAt: Type.Optional(Type.Number()),
  },
  { description: 'a replay: its state, progress while it runs, and what its last checkpoint says' },
);
// `message` carries fastify's own validation errors (which name the bad field) through the response schema.
const ErrorBody = Type.Object({ error: Type.String(), code: Type.String(), message: Type.Optional(Type.String()) });
const RunParams = Type.Object({ run: RunId });
const ROLES = { roles: ['analyst'] as const };

/** Resolves `path` and checks it lies inside one of `dirs` (symbolic links followed). */
function allowedFile(path: string, dirs: readonly string[]): string {
  let real: string;
  try {
    real = realpathSync(resolve(path));
  } catch {
    throw new ReplayRequestError(`tape file ${path}: no such file`, 400);
  }
  for (const d of dirs) {
    let root: string;
    try {
      root = realpathSync(resolve(d));
    } catch {
      continue;
    }
    const rel = relative(root, real);
    if (rel && !rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel)) return real;
  }
  throw new ReplayRequestError(`tape file ${path}: outside the folders replays may read (${dirs.join(', ')})`, 400);
}

function fail(reply: FastifyReply, e: unknown): FastifyReply {
  if (e instanceof ReplayRequestError) return reply.code(e.status).send({ error: e.message, code: e.status === 404 ? 'NOT_FOUND' : e.status === 409 ? 'CONFLICT' : e.status === 429 ? 'TOO_MANY' : 'BAD_REQUEST' });
  throw e;
}

/** The replay routes as a fastify plugin (for buildServer's `plugins`). */
export function replayRoutes(options: ReplayRoutesOptions): FastifyPluginAsync {
  const { manager } = options;
  return async (app) => {
    app.post<{ Body: StartBody }>(
      '/api/replays',
      {
        config: ROLES,
        schema: {
          description: 'Start (or resume, with the same run id and tape) a replay of a tape through the live pipeline into the store. Progress: GET /api/replays/:run, or /ws topic `replay`.',
          body: StartBody,
          response: { 202: View, 400: ErrorBody, 409: ErrorBody, 429: ErrorBody },
        },
      },
      async (req, reply) => {
        try {
          const b = req.body;
          const tape: TapeSpec =
            b.tape.kind === 'files'
              ? { kind: 'files', files: b.tape.files.map((f) => allowedFile(f, options.tapeDirs)), format: b.tape.format, order: b.tape.order }
              : {
                  kind: 'store',
                  run: b.tape.run,
                  from: typeof b.tape.from === 'number' ? b.tape.from : parseTime(b.tape.from, 'tape.from'),
                  to: typeof b.tape.to === 'number' ? b.tape.to : parseTime(b.tape.to, 'tape.to'),
                };
          const view = await manager.start({ run: b.run, tape, speed: b.speed, checkpointEvery: b.checkpointEvery });
          return reply.code(202).send(view);
        } catch (e) {
          if (!(e instanceof ReplayRequestError) && /^tape\.(from|to):/.test((e as Error).message)) return fail(reply, new ReplayRequestError((e as Error).message, 400));
          return fail(reply, e);
        }
      },
    );

    app.get('/api/replays', { config: ROLES, schema: { description: 'Every run with a checkpoint (replays and file feeds), newest first.', response: { 200: Type.Array(View) } } }, async () => manager.list());

    app.get<{ Params: { run: string } }>(
      '/api/replays/:run',
      { config: ROLES, schema: { params: RunParams, response: { 200: View, 404: ErrorBody } } },
      async (req, reply) => {
        const v = await manager.get(req.params.run);
        return v ?? reply.code(404).send({ error: `run "${req.params.run}": no such run`, code: 'NOT_FOUND' });
      },
    );

    app.delete<{ Params: { run: string } }>(
      '/api/replays/:run',
      { config: ROLES, schema: { description: 'Cancel a running replay; it stops after its current batch with a checkpoint, and the same start request resumes it.', params: RunParams, response: { 200: View, 404: ErrorBody } } },
      async (req, reply) => {
        try {
          return await manager.cancel(req.params.run);
        } catch (e) {
          return fail(reply, e);
        }
      },
    );

    app.get<{ Params: { run: string } }>(
      '/api/replays/:run/digest',
      {
        config: ROLES,
        schema: {
          description: "Per topic, the row count and SHA-256 of the run's stored rows (deduplicated, in key and sequence order, without the run id): equal digests mean equal results.",
          params: RunParams,
          response: { 200: Type.Record(Type.String(), Type.Object({ rows: Type.Integer(), sha256: Type.String() })) },
        },
      },
      async (req) => runDigest(manager.store, req.params.run),
    );
  };
}
