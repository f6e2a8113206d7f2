/**
 * `npm run bench`: runs every bench/*.bench.ts (or those matching argv filters) and prints one
 * table of subject vs baseline ratios. `--quick` shortens each measurement.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchRow } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const filters = args.filter((a) => !a.startsWith('--'));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const fmt = (x: number): string =>
  !Number.isFinite(x) ? String(x) : Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(4);

const rows: Array<BenchRow & { file: string }> = [];
for (const f of files) {
  process.stderr.write(`bench ${f} ...\n`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: Bench };
  for (const r of await mod.default({ quick })) {
    rows.push({ ...r, file: f });
    process.stderr.write(`  ${r.name}: ${fmt(r.value)} ${r.unit}\n`);
  }
}

console.log('| measure | value | unit | baseline | baseline value | ratio | goal | note |');
console.log('|---|---:|---|---|---:|---:|---|---|');
for (const r of rows) {
  const ratio = r.value / r.baselineValue;
  console.log(
    `| ${r.name} | ${fmt(r.value)} | ${r.unit} | ${r.baseline} | ${fmt(r.baselineValue)} | ${fmt(ratio)} | ${r.goal ?? ''} | ${r.note ?? ''} |`,
  );
}
