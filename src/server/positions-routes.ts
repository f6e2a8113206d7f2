/**
 * REST for the positions book: anyone authenticated reads it; only an admin changes it. Changes
 * go to the live book, whose next version the `hedges` stage applies (streams/hedges.ts).
 *
 * Bodies are validated by the book's own validator (src/positions/validate.ts) so an error names
 * the field the way the book file's errors do, and unknown fields are refused rather than
 * silently dropped; the TypeBox schemas still document the routes in /docs.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import type { PositionsBook } from '../positions/book.ts';
import { Position, PositionInput } from '../positions/schema.ts';
import { idProblem, positionError } from '../positions/validate.ts';
import './app.ts';

const ErrorBody = Type.Object({ error: Type.String(), code: Type.String() });
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** A copy of a schema without `$id`s, so one schema can appear in several routes. */
function inline<T extends TSchema>(s: T): T {
  return JSON.parse(JSON.stringify(s, (k, v) => (k === '$id' ? undefined : v))) as T;
}

const BookBody = Type.Object({ version: Type.Integer(), positions: Type.Array(inline(Position)) });
// Validation happens in the handlers (see the header); the schemas are for the docs.
const passThrough = () => () => true;

function bad(reply: FastifyReply, error: string, code = 'BAD_POSITION', status = 400) {
  return reply.code(status).send({ error, code });
}

/** The positions routes over a live book. */
export function positionsRoutes(book: PositionsBook): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/positions', { schema: { description: 'The positions book and its version.', response: { 200: BookBody } } }, async () => ({
      version: book.version,
      positions: book.list(),
    }));

    app.get<{ Params: { id: string } }>(
      '/api/positions/:id',
      { schema: { params: IdParams, response: { 200: inline(Position), 404: ErrorBody } } },
      async (req, reply) => book.get(req.params.id) ?? bad(reply, `position "${req.params.id}": no such position`, 'NOT_FOUND', 404),
    );

    app.post<{ Body: unknown }>(
      '/api/positions',
      {
        config: { roles: ['admin'] },
        validatorCompiler: passThrough,
        schema: { description: 'Adds a position (409 when its id exists).', body: inline(Position), response: { 201: inline(Position), 400: ErrorBody, 409: ErrorBody } },
      },
      async (req, reply) => {
        const e = positionError(req.body, methodsOf(book));
        if (e) return bad(reply, `body: ${e}`);
        const { id, ...input } = req.body as Position;
        if (book.get(id)) return bad(reply, `position "${id}": already exists (PUT /api/positions/${id} replaces it)`, 'EXISTS', 409);
        book.put(id, input);
        return reply.code(201).send(book.get(id));
      },
    );

    app.put<{ Params: { id: string }; Body: unknown }>(
      '/api/positions/:id',
      {
        config: { roles: ['admin'] },
        validatorCompiler: passThrough,
        schema: { description: 'Creates or replaces a position.', params: IdParams, body: inline(PositionInput), response: { 200: inline(Position), 201: inline(Position), 400: ErrorBody } },
      },
      async (req, reply) => {
        const idErr = idProblem(req.params.id);
        if (idErr) return bad(reply, `url: ${idErr}`);
        const e = positionError({ ...(req.body as object), id: req.params.id }, methodsOf(book));
        if (e || req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) return bad(reply, `body: ${e ?? 'must be an object'}`);
        if ('id' in (req.body as object)) return bad(reply, 'body: id: goes in the URL, not the body');
        const created = book.put(req.params.id, req.body as PositionInput);
        return reply.code(created ? 201 : 200).send(book.get(req.params.id));
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/api/positions/:id',
      { config: { roles: ['admin'] }, schema: { params: IdParams, response: { 404: ErrorBody } } },
      async (req, reply) => (book.remove(req.params.id) ? reply.code(204).send() : bad(reply, `position "${req.params.id}": no such position`, 'NOT_FOUND', 404)),
    );
  };
}

function methodsOf(book: PositionsBook): readonly string[] | undefined {
  return book.methodNames;
}
