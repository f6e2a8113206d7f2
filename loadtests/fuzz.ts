/**
 * `npm run fuzz`: millions of malformed inputs through the tick parsers + validation and the
 * WebSocket protocol (the CI tests run 20,000 of each). Prints progress, then one JSON line:
 * inputs, seconds, rate, rejects by reason, error codes, and memory (RSS and heap sampled after
 * every block, so growth shows). Exits non-zero on the first broken invariant (fast-check prints
 * the shrunk input and its seed), or when heap grew by more than 64 MiB between the first and
 * last block (unbounded memory).
 *
 *   node --import tsx loadtests/fuzz.ts [--inputs 2000000] [--frames 2000000] [--seed 1]
 */
import fc from 'fast-check';
import { checkCase, fuzzCase, newTally } from '../src/ticks/fuzz-parsers.ts';
import { checkSession, newWsTally, wsFrame } from '../src/server/fuzz-ws.ts';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name}: expected a non-negative integer, got ${JSON.stringify(process.argv[i + 1])}`);
  return v;
}

const inputs = arg('inputs', 2_000_000);
const frames = arg('frames', 2_000_000);
const seed0 = arg('seed', 1);
const BLOCK = 50_000;
const mib = (b: number) => Math.round((b / 1048576) * 10) / 10;
let stop = false;
process.once('SIGINT', () => {
  stop = true;
  process.stderr.write('\nSIGINT: finishing the current block\n');
});

interface Mem {
  rssMiB: number;
  heapMiB: number;
}
const sample = (): Mem => {
  global.gc?.();
  const m = process.memoryUsage();
  return { rssMiB: mib(m.rss), heapMiB: mib(m.heapUsed) };
};

function runBlocks(what: string, total: number, block: (seed: number, n: number) => void): { done: number; seconds: number; first?: Mem; last?: Mem; maxRssMiB: number } {
  const t0 = performance.now();
  let done = 0;
  let first: Mem | undefined;
  let last: Mem | undefined;
  let maxRssMiB = 0;
  for (let b = 0; done < total && !stop; b++) {
    const n = Math.min(BLOCK, total - done);
    block(seed0 * 1_000_003 + b, n);
    done += n;
    last = sample();
    first ??= last;
    maxRssMiB = Math.max(maxRssMiB, last.rssMiB);
    const s = (performance.now() - t0) / 1000;
    process.stderr.write(`\r${what}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.round(done / s).toLocaleString('en-US')}/s) rss ${last.rssMiB} MiB heap ${last.heapMiB} MiB   `);
  }
  process.stderr.write('\n');
  return { done, seconds: (performance.now() - t0) / 1000, first, last, maxRssMiB };
}

const tally = newTally();
const parsers = runBlocks('tick parsers', inputs, (seed, n) => fc.assert(fc.property(fuzzCase, (c) => checkCase(c, tally)), { numRuns: n, seed }));
const ws = newWsTally();
const PER_SESSION = 8;
const sessions = runBlocks('ws frames', frames, (seed, n) =>
  fc.assert(fc.property(fc.array(wsFrame, { minLength: PER_SESSION, maxLength: PER_SESSION }), (f) => checkSession(f, ws)), { numRuns: Math.ceil(n / PER_SESSION), seed }),
);

const growth = (r: typeof parsers) => (r.first && r.last ? Math.round((r.last.heapMiB - r.first.heapMiB) * 10) / 10 : 0);
const report = {
  parsers: { inputs: tally.inputs, seconds: Math.round(parsers.seconds), perSecond: Math.round(tally.inputs / parsers.seconds), records: { accepted: tally.accepted, rejected: tally.rejected }, byReason: tally.byReason, heapGrowthMiB: growth(parsers), maxRssMiB: parsers.maxRssMiB },
  ws: { frames: ws.frames, seconds: Math.round(sessions.seconds), perSecond: Math.round(ws.frames / sessions.seconds), errors: ws.errors, heapGrowthMiB: growth(sessions), maxRssMiB: sessions.maxRssMiB },
  gcExposed: typeof global.gc === 'function',
};
console.log(JSON.stringify(report));
if (report.parsers.heapGrowthMiB > 64 || report.ws.heapGrowthMiB > 64) {
  console.error(`memory grew by more than 64 MiB over the run: parsers ${report.parsers.heapGrowthMiB} MiB, ws ${report.ws.heapGrowthMiB} MiB`);
  process.exit(1);
}
