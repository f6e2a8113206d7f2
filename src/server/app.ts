/**
 * The HTTP and WebSocket server (fastify): REST for health, readiness, metrics, latest values
 * and tick ingest; `/ws` for subscriptions; OpenAPI docs generated from the same TypeBox schemas
 * that validate requests. Everything it serves comes from the hub and the engine's callbacks;
 * it owns no pipeline state.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from '@sinclair/typebox';
import type { Logger } from 'pino';
import { keyFrom, type Auth, type Role } from './auth.ts';
import type { TopicHub } from './hub.ts';
import type { Message } from '../bus/message.ts';
import type { EngineMetrics } from './metrics.ts';
import { WsSession } from './ws-session.ts';
import { ClientMessage, ServerMessage } from './ws-protocol.ts';
import { Reject } from '../ticks/reject.ts';
import type { OutcomeCounts } from '../ticks/count-outcomes.ts';
import { TICK_FORMATS, type TickFormat } from '../ticks/detect-format.ts';

export interface IngestResult extends OutcomeCounts {
  /** The first rejects, so a caller sees what was wrong. */
  rejects: Reject[];
}

export interface ServerDeps {
  hub: TopicHub;
  metrics: EngineMetrics;
  auth: Auth;
  logger: Logger;
  /** Readiness: undefined when ready, else why not. */
  notReady: () => string | undefined;
  /** Parses text in a tick format and ingests it through the pipeline (validation included). */
  ingest?: (text: string, options: { format: TickFormat; src: string; date?: string }) => Promise<IngestResult>;
  /** Facts for /api/info. */
  info: () => Record<string, unknown>;
  maxBufferedBytes: number;
  /** Told when a WebSocket client connects (+1) or leaves (-1). */
  onClients?: (delta: number) => void;
  /** Largest accepted request body and WebSocket message, bytes. */
  bodyLimit?: number;
  /** REST requests per minute per API key (per address without one); 0 or absent: no limit. */
  rateLimitPerMinute?: number;
  /** Reads an event stream's messages after a sequence from the store, for resumes older than the hub's log. */
  backfill?: (topic: string, key: string, afterSeq: number, limit: number) => Promise<Message[]>;
  /** Routes of other concerns (positions, replays, the dashboard), registered behind the same auth hook. */
  plugins?: readonly FastifyPluginAsync[];
}

declare module 'fastify' {
  interface FastifyRequest {
    role?: Role;
  }
  interface FastifyContextConfig {
    /** Roles allowed; absent means any authenticated caller; `public` skips auth. */
    roles?: readonly Role[] | 'public';
  }
}

const ErrorBody = Type.Object({ error: Type.String(), code: Type.String() });

/** Builds the server (not listening yet). */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const bodyLimit = deps.bodyLimit ?? 8 * 1024 * 1024;
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, bodyLimit, logController: new LogController({ disableRequestLogging: true }) });
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  await app.register(swagger, {
    openapi: {
      info: { title: 'volrisk', version: '0.1.0', description: 'Streaming volatility risk engine. WebSocket protocol at /ws: see components.schemas.ClientMessage and ServerMessage.' },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
        schemas: { ClientMessage: ClientMessage as never, ServerMessage: ServerMessage as never, Reject: Reject as never },
      },
      security: deps.auth.open ? [] : [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  if (deps.rateLimitPerMinute) {
    // Keyed by API key, so one noisy client cannot starve the others behind the same proxy.
    await app.register(rateLimit, {
      max: deps.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (req) => {
        const key = keyFrom(req.headers, req.url);
        return !deps.auth.open && key !== undefined && deps.auth.roleOf(key) ? `key:${key}` : `ip:${req.ip}`;
      },
    });
  }

  app.addHook('onRequest', async (req, reply) => {
    const roles = req.routeOptions.config?.roles;
    if (roles === 'public' || req.url.startsWith('/docs')) return;
    const role = deps.auth.roleOf(keyFrom(req.headers, req.url));
    if (!role) return reply.code(401).send({ error: 'missing or unknown API key (Authorization: Bearer <key>, x-api-key, or ?key=)', code: 'UNAUTHORIZED' });
    if (roles && role !== 'admin' && !roles.includes(role)) return reply.code(403).send({ error: `role "${role}" may not use ${req.method} ${req.routeOptions.url}`, code: 'FORBIDDEN' });
    req.role = role;
  });

  app.get('/health', { config: { roles: 'public' }, schema: { response: { 200: Type.Object({ status: Type.Literal('ok'), uptime: Type.Number() }) } } }, async () => ({
    status: 'ok' as const,
    uptime: process.uptime(),
  }));

  app.get('/ready', { config: { roles: 'public' }, schema: { response: { 200: Type.Object({ ready: Type.Boolean() }), 503: Type.Object({ ready: Type.Boolean(), reason: Type.String() }) } } }, async (_req, reply) => {
    const why = deps.notReady();
    return why === undefined ? { ready: true } : reply.code(503).send({ ready: false, reason: why });
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.get('/api/info', async () => deps.info());

  app.get('/api/topics', { schema: { response: { 200: Type.Array(Type.Object({ topic: Type.String(), keys: Type.Array(Type.String()) })) } } }, async () =>
    deps.hub.topics.map((topic) => ({ topic, keys: deps.hub.keys(topic) })),
  );

  app.get(
    '/api/latest/:topic',
    {
      schema: {
        params: Type.Object({ topic: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({ key: Type.Optional(Type.String({ maxLength: 256 })) }),
        response: { 404: ErrorBody },
      },
    },
    async (req: FastifyRequest<{ Params: { topic: string }; Querystring: { key?: string } }>, reply) => {
      const { topic } = req.params;
      if (!deps.hub.has(topic)) return reply.code(404).send({ error: `topic: unknown topic "${topic}"`, code: 'UNKNOWN_TOPIC' });
      return deps.hub.latest(topic, req.query.key === undefined ? undefined : [req.query.key]);
    },
  );

  if (deps.ingest) {
    const ingest = deps.ingest;
    app.post(
      '/api/ticks',
      {
        config: { roles: ['admin'] },
        bodyLimit: Math.max(bodyLimit, 64 * 1024 * 1024),
        schema: {
          description:
            'Ingest ticks. The body is the text of a tick file in `format` (NDJSON by default; also a JSON array of ticks with content-type application/json). Every record is validated like any feed; rejects are stored with their reason.',
          querystring: Type.Object({
            format: Type.Optional(Type.Union(TICK_FORMATS.map((f) => Type.Literal(f)))),
            src: Type.Optional(Type.String({ maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' })),
            date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'snapshot date for CBOE exports whose date line cannot be read' })),
          }),
        },
      },
      async (req: FastifyRequest<{ Querystring: { format?: TickFormat; src?: string; date?: string } }>) => {
        const body = req.body;
        const text = typeof body === 'string' ? body : (Array.isArray(body) ? body : [body]).map((x) => JSON.stringify(x)).join('\n');
        return ingest(text, { format: typeof body === 'string' ? (req.query.format ?? 'ndjson') : 'ndjson', src: req.query.src ?? 'rest', date: req.query.date });
      },
    );
  }

  app.get('/ws', { websocket: true, schema: { hide: true } }, (socket, req) => {
    const session = new WsSession(socket, deps.hub, {
      maxBufferedBytes: deps.maxBufferedBytes,
      backfill: deps.backfill,
      onSent: (n) => deps.metrics.wsSent.inc(n),
    });
    socket.on('message', (data, isBinary) => {
      if (isBinary) return session.onMessage('');
      session.onMessage(data.toString());
    });
    deps.onClients?.(1);
    socket.on('close', () => {
      session.dispose();
      deps.onClients?.(-1);
    });
    socket.on('error', (err) => req.log.debug({ err }, 'websocket error'));
  });

  for (const plugin of deps.plugins ?? []) await app.register(plugin);

  // `/` is the dashboard (dashboard-routes.ts, among the plugins); this lists the endpoints.
  app.get('/api', { config: { roles: 'public' }, schema: { hide: true } }, async () => ({
    name: 'volrisk',
    dashboard: '/',
    websocket: '/ws',
    docs: '/docs',
    endpoints: ['/health', '/ready', '/metrics', '/api/info', '/api/stats', '/api/topics', '/api/latest/:topic', '/api/ticks'],
  }));

  return app;
}
