/**
 * The live risk dashboard as static files: `/` is the page, `/dashboard/*` its bundle. The bundle
 * is (re)built at registration when it is missing or older than its sources (esbuild, about
 * 100 ms), so `npm start` serves a current page with no build step. The page itself is public
 * (it holds no data); everything it shows comes over `/ws` and `/api/*`, behind the API key.
 */
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARD_OUT, DASHBOARD_SRC, ensureDashboard } from '../../dashboards/build.ts';

export interface DashboardRouteOptions {
  /** Folder of the built page (default dashboards/dist). */
  out?: string;
  /** Folder of its sources (default dashboards/src). */
  src?: string;
  /** Build when missing or stale (default true). */
  build?: boolean;
}

/** Serves the dashboard at `/` (building it first when needed). */
export function dashboardRoutes(options: DashboardRouteOptions = {}): FastifyPluginAsync {
  const out = options.out ?? DASHBOARD_OUT;
  return async (app) => {
    let unavailable: string | undefined;
    if (options.build ?? true) {
      try {
        const built = await ensureDashboard({ out, src: options.src ?? DASHBOARD_SRC });
        if (built) app.log.info({ ms: Math.round(built.ms), out }, 'dashboard built');
      } catch (e) {
        // A missing esbuild must not stop the engine: an older bundle is still served if there is one.
        app.log.warn({ err: (e as Error).message }, 'dashboard not rebuilt');
      }
    }
    if (!existsSync(join(out, 'index.html'))) unavailable = `the dashboard is not built (${out} is missing) and could not be built here: see the engine log`;
    await app.register(fastifyStatic, { root: out, serve: false });
    app.get('/', { config: { roles: 'public' }, schema: { hide: true } }, async (_req, reply) => {
      if (unavailable) return reply.code(503).type('text/plain').send(unavailable);
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
    app.get('/dashboard/*', { config: { roles: 'public' }, schema: { hide: true } }, async (req, reply) => {
      const file = (req.params as { '*': string })['*'];
      return reply.header('cache-control', 'no-cache').sendFile(file);
    });
  };
}
