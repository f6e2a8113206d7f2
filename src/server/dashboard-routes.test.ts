/**
 * The dashboard's static routes behind the real server with API keys configured: the page and
 * its bundle are public (the data is not), built by esbuild into a temporary folder at
 * registration, rebuilt only when stale, and no path outside the build folder is served.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildServer } from './app.ts';
import { parseApiKeys } from './auth.ts';
import { TopicHub } from './hub.ts';
import { EngineMetrics } from './metrics.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import { dashboardStale, ensureDashboard } from '../../dashboards/build.ts';

describe('dashboard routes', () => {
  let app: FastifyInstance;
  let dir: string;
  let out: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'volrisk-dash-'));
    out = join(dir, 'dist');
    app = await buildServer({
      hub: new TopicHub(['bars'], 10),
      metrics: new EngineMetrics(),
      auth: parseApiKeys('dashboard-key-0123456789:dashboard'),
      logger: pino({ level: 'silent' }),
      notReady: () => undefined,
      info: () => ({}),
      maxBufferedBytes: 1 << 20,
      plugins: [dashboardRoutes({ out })],
    });
  });

  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('/ is the page and /dashboard/* its bundle, without a key; the data routes still need one', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /<script type="module" src="\/dashboard\/main\.js">/);
    const js = await app.inject({ method: 'GET', url: '/dashboard/main.js' });
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.ok(js.body.includes('/api/stats') && js.body.includes('"subscribe"'), 'the bundle is the page script');
    const css = await app.inject({ method: 'GET', url: '/dashboard/main.css' });
    assert.equal(css.statusCode, 200);
    assert.ok(css.body.includes('.uplot'), "uPlot's stylesheet is bundled");
    assert.equal((await app.inject({ method: 'GET', url: '/api/topics' })).statusCode, 401);
    const api = await app.inject({ method: 'GET', url: '/api' });
    assert.equal(api.json().dashboard, '/');
  });

  test('nothing outside the build folder is served', async () => {
    for (const url of ['/dashboard/../../package.json', '/dashboard/%2e%2e/%2e%2e/package.json', '/dashboard/nope.js']) {
      const res = await app.inject({ method: 'GET', url });
      // 404, or 401 where the path normalises to a route outside the public ones.
      assert.ok([401, 403, 404].includes(res.statusCode), `${url}: ${res.statusCode}`);
      assert.ok(!res.body.includes('"name": "volrisk"'), url);
    }
  });

  test('the bundle is rebuilt only when older than its sources', async () => {
    assert.equal(dashboardStale(undefined, out), false);
    assert.equal(await ensureDashboard({ out }), undefined, 'fresh: no rebuild');
    const stamp = join(out, 'index.html');
    utimesSync(stamp, new Date(0), new Date(0));
    assert.equal(dashboardStale(undefined, out), true);
    const built = await ensureDashboard({ out });
    assert.ok(built && built.files.includes('main.js') && built.files.includes('main.css'));
    assert.ok(statSync(stamp).mtimeMs > 0);
    assert.equal(dashboardStale(undefined, out), false);
  });
});
