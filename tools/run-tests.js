#!/usr/bin/env node
// Runs every *.test.ts under the source folders with node's own test runner (through tsx),
// because Node 20's --test takes no globs.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = ['src', 'streams', 'models', 'test', 'loadtests', 'tools', 'dashboards', 'infra'];
const only = process.argv.slice(2);
const files = [];
function walk(dir) {
  let entries;
  try { entries = readdirSync(dir); } catch { return; }
  for (const name of entries) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts')) files.push(p);
  }
}
for (const r of roots) walk(r);
const chosen = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
chosen.sort();
const res = spawnSync(process.execPath, ['--import', 'tsx', '--import', './tools/fast-check-seed.js', '--test', '--test-concurrency=2', ...chosen], { stdio: 'inherit' });
process.exit(res.status ?? 1);
