/**
 * The small load profile, end to end (CI): the engine in its own process with API keys, 18
 * dashboards and 6 bots over real WebSockets, ticks injected over REST, then a short in-process
 * ingest soak. Checks what must hold at any speed: every bot got every message of its key once,
 * in order (none lost, none duplicated, no disconnect); dashboards got conflated updates; the
 * server's memory and CPU were sampled. Latency figures are printed, never asserted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROFILES, runLoad } from './harness.ts';

test('small load profile: bots lose and duplicate nothing; dashboards are fed; server measured', { timeout: 120_000 }, async (t) => {
  const r = await runLoad(PROFILES.small);
  t.diagnostic(JSON.stringify({ latencyMs: r.latencyMs, perClient: r.perClientMsgPerSecond, server: r.server, soak: r.soak && { perSecond: r.soak.perSecond, rssMaxMiB: r.soak.rssMaxMiB } }));
  assert.equal(r.clients.failedConnects, 0);
  assert.equal(r.injected.postErrors, 0, 'every POST accepted, no tick rejected');
  assert.ok(r.injected.ticks > 0);
  assert.equal(r.bots.lost, 0, `lost: ${JSON.stringify(r.bots.worst)}`);
  assert.equal(r.bots.duplicated, 0);
  assert.equal(r.bots.disconnects, 0);
  assert.ok(r.latencyMs.bots.n > 0 && r.latencyMs.dashboards.n > 0, 'both kinds of client measured');
  assert.ok(r.server.rssEndMiB > 0 && r.server.cpuMeanPercent > 0);
  assert.ok(r.soak && r.soak.ticks > 0 && r.soak.rssMiB.length > 0, 'the soak ingested and sampled memory');
});
