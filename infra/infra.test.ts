/**
 * infra/ stays valid: the DDL file is what the migrations generate today, and the compose file
 * passes `docker compose config` (skipped where docker compose is not installed), naming the
 * three services and requiring API keys.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DDL_PATH, generateDdl } from './ddl.ts';

const here = import.meta.dirname;
const compose = join(here, 'docker-compose.yml');
const hasCompose = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;

test('infra/clickhouse/ddl.sql is generated from the migrations (run: node --import tsx infra/ddl.ts)', async () => {
  assert.equal(readFileSync(DDL_PATH, 'utf8'), await generateDdl());
});

test('the compose file has Kafka (Redpanda), ClickHouse and the engine, wired by environment', () => {
  const doc = parse(readFileSync(compose, 'utf8')) as { services: Record<string, { environment?: Record<string, string>; build?: { dockerfile: string } }> };
  assert.deepEqual(Object.keys(doc.services).sort(), ['clickhouse', 'engine', 'redpanda']);
  const env = doc.services.engine.environment!;
  assert.equal(env.KAFKA_BROKERS, 'redpanda:9092');
  assert.match(env.CLICKHOUSE_URL, /@clickhouse:8123/);
  assert.match(env.VOLRISK_API_KEYS, /:\?/, 'API keys are required, never open mode in the stack');
  assert.equal(doc.services.engine.build!.dockerfile, 'Dockerfile');
});

test('docker compose config accepts the stack with .env.example', { skip: hasCompose ? false : 'docker compose not installed' }, () => {
  const r = spawnSync('docker', ['compose', '-f', compose, '--env-file', join(here, '.env.example'), 'config', '--quiet'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const missing = spawnSync('docker', ['compose', '-f', compose, '--env-file', '/dev/null', 'config', '--quiet'], { encoding: 'utf8', env: { ...process.env, VOLRISK_API_KEYS: '' } });
  assert.notEqual(missing.status, 0, 'without API keys the stack refuses to start');
  assert.match(missing.stderr, /VOLRISK_API_KEYS/);
});
