/**
 * The k6 scripts cannot run here (k6 has no Debian or npm package), so CI checks what it can:
 * each parses as an ES module (esbuild), imports only k6 modules and its siblings, declares
 * thresholds, and exports the functions its scenarios name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

const dir = join(import.meta.dirname, 'k6');
const scripts = readdirSync(dir).filter((f) => f.endsWith('.js'));

test('k6 scripts parse, import only k6 and siblings, declare thresholds and the scenario functions', () => {
  assert.ok(scripts.includes('ws-load.js') && scripts.includes('rest.js'), `scripts: ${scripts.join(', ')}`);
  for (const f of scripts) {
    const src = readFileSync(join(dir, f), 'utf8');
    assert.doesNotThrow(() => transformSync(src, { loader: 'js', format: 'esm', target: 'es2020' }), f);
    for (const m of src.matchAll(/^import .* from '([^']+)';$/gm)) assert.match(m[1], /^(k6(\/[a-z]+)?|\.\/[a-z0-9-]+\.js)$/, `${f} imports ${m[1]}`);
    if (f === 'lib.js') continue;
    assert.match(src, /thresholds:\s*\{/, `${f} declares thresholds`);
    for (const m of src.matchAll(/exec: '(\w+)'/g)) assert.match(src, new RegExp(`export function ${m[1]}\\(`), `${f}: scenario function ${m[1]} exported`);
  }
});
