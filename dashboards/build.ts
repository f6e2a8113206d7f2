/**
 * Builds the dashboard: esbuild bundles dashboards/src/main.ts (with uPlot, its CSS and the few
 * pure quant modules the page uses) into dashboards/dist/, next to a copy of index.html. The
 * engine calls `ensureDashboard` at start, which rebuilds only when the output is missing or
 * older than a source, so `npm start` serves a fresh page with no separate build step.
 *
 * Files are written to a temporary folder and renamed into place, so an engine serving the old
 * bundle never reads a half-written one, and two engines building at once in one process share
 * one build.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The page's sources. */
export const DASHBOARD_SRC = join(here, 'src');
/** Where the built page goes (gitignored). */
export const DASHBOARD_OUT = join(here, 'dist');
/** Sources outside src/ the bundle also depends on (the page imports these quant modules). */
const EXTRA_SOURCES = [join(here, 'build.ts'), join(here, '..', 'src', 'quant', 'vix.ts'), join(here, '..', 'src', 'quant', 'svi-raw.ts')];
/** The file written last by a build: its time is the build's time. */
const STAMP = 'index.html';

export interface BuildOptions {
  src?: string;
  out?: string;
  /** Minify the bundle (default true). */
  minify?: boolean;
}

export interface BuildResult {
  out: string;
  /** Files written, relative to `out`. */
  files: string[];
  ms: number;
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const name of readdirSync(path)) t = Math.max(t, newestMtime(join(path, name)));
  return t;
}

/** Whether the built page is missing or older than any of its sources. */
export function dashboardStale(src = DASHBOARD_SRC, out = DASHBOARD_OUT): boolean {
  const stamp = join(out, STAMP);
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const newest = Math.max(newestMtime(src), ...EXTRA_SOURCES.filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs));
  return newest > built;
}

/** Bundles the page into `out` (replacing what is there). Needs the esbuild package (a dev dependency). */
export async function buildDashboard(options: BuildOptions = {}): Promise<BuildResult> {
  const src = options.src ?? DASHBOARD_SRC;
  const out = options.out ?? DASHBOARD_OUT;
  const t0 = performance.now();
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    throw new Error(`dashboard build: the esbuild package is not installed (it is a dev dependency; run npm install without --omit=dev, or build once where it is): ${(e as Error).message}`, { cause: e });
  }
  const entry = join(src, 'main.ts');
  if (!existsSync(entry)) throw new Error(`dashboard build: entry point ${entry} does not exist`);
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    minify: options.minify ?? true,
    sourcemap: 'linked',
    outdir: out,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  if (result.errors.length > 0) throw new Error(`dashboard build: ${result.errors.map((e) => e.text).join('; ')}`);
  const tmp = `${out}.tmp-${process.pid}-${Math.round(Math.random() * 1e9)}`;
  mkdirSync(tmp, { recursive: true });
  const files: string[] = [];
  for (const f of result.outputFiles) {
    const rel = relative(out, f.path);
    mkdirSync(dirname(join(tmp, rel)), { recursive: true });
    writeFileSync(join(tmp, rel), f.contents);
    files.push(rel);
  }
  copyFileSync(join(src, 'index.html'), join(tmp, STAMP));
  files.push(STAMP);
  const old = `${out}.old-${process.pid}-${Math.round(Math.random() * 1e9)}`;
  try {
    if (existsSync(out)) renameSync(out, old);
    renameSync(tmp, out);
  } finally {
    // Another process may have put its build in place first: theirs stays, ours goes.
    rmSync(tmp, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
  return { out, files, ms: performance.now() - t0 };
}

const inFlight = new Map<string, Promise<BuildResult | undefined>>();

/** Builds the page when it is missing or stale; resolves undefined when it was already fresh. */
export function ensureDashboard(options: BuildOptions = {}): Promise<BuildResult | undefined> {
  const out = options.out ?? DASHBOARD_OUT;
  let p = inFlight.get(out);
  if (!p) {
    p = (async () => (dashboardStale(options.src ?? DASHBOARD_SRC, out) ? buildDashboard(options) : undefined))().finally(() => inFlight.delete(out));
    inFlight.set(out, p);
  }
  return p;
}

// `node --import tsx dashboards/build.ts` builds once (not needed for `npm start`).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildDashboard().then(
    (r) => console.log(`dashboard built into ${r.out} in ${Math.round(r.ms)} ms: ${r.files.join(', ')}`),
    (e: Error) => {
      console.error(e.message);
      process.exitCode = 1;
    },
  );
}
