import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError, describeConfig } from './config.ts';

test('defaults on an empty environment', () => {
  const c = loadConfig({});
  assert.equal(c.PORT, 8080);
  assert.equal(c.VOLRISK_BACKEND, 'auto');
  assert.equal(c.KAFKA_BROKERS, '');
});

test('a bad value is named', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: Error) => e instanceof ConfigError && /^PORT: expected a number/.test(e.message));
  assert.throws(() => loadConfig({ PORT: '70000' }), { message: /^PORT: / });
  assert.throws(() => loadConfig({ VOLRISK_BACKEND: 'tpu' }), { message: /^VOLRISK_BACKEND: / });
  assert.throws(() => loadConfig({ VOLRISK_RUN: 'has space' }), { message: /^VOLRISK_RUN: / });
});

test('a config file fills what the environment leaves unset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'volrisk-cfg-'));
  const f = join(dir, 'volrisk.env');
  writeFileSync(f, '# comment\nPORT=9090\nHOST="0.0.0.0"\n');
  const c = loadConfig({ VOLRISK_CONFIG: f, HOST: '127.0.0.2' });
  assert.equal(c.PORT, 9090);
  assert.equal(c.HOST, '127.0.0.2');
  const j = join(dir, 'volrisk.json');
  writeFileSync(j, JSON.stringify({ VOLRISK_SEED: 7 }));
  assert.equal(loadConfig({ VOLRISK_CONFIG: j }).VOLRISK_SEED, 7);
  writeFileSync(f, 'not a pair\n');
  assert.throws(() => loadConfig({ VOLRISK_CONFIG: f }), /line 1: expected KEY=VALUE/);
});

test('help lists every variable of DESIGN.md', () => {
  const h = describeConfig();
  for (const v of ['PORT', 'HOST', 'DATA_DIR', 'KAFKA_BROKERS', 'CLICKHOUSE_URL', 'VOLRISK_BACKEND', 'VOLRISK_SEED', 'VOLRISK_API_KEYS']) assert.match(h, new RegExp(`^  ${v} `, 'm'));
});

test('a file feed needs its tape', () => {
  assert.throws(() => loadConfig({ VOLRISK_FEED: 'files' }), { message: /^VOLRISK_TAPE: VOLRISK_FEED=files needs the tape/ });
  assert.equal(loadConfig({ VOLRISK_FEED: 'files', VOLRISK_TAPE: 'a.csv,b.csv' }).VOLRISK_TAPE, 'a.csv,b.csv');
});
