/**
 * Where the real market data lives (../shared/data beside the repository, or VOLRISK_REAL_DATA).
 * It is never copied into the repository; tests that need it skip when it is absent.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The real-data folder (it may not exist). */
export const REAL_DATA_DIR = process.env.VOLRISK_REAL_DATA ?? resolve(repoRoot, '../shared/data');

/** A skip message when `relPath` under the real-data folder is absent, else false (for `test(name, { skip })`). */
export function skipWithoutRealData(relPath = ''): string | false {
  return existsSync(resolve(REAL_DATA_DIR, relPath)) ? false : `no ../shared/data/${relPath}`;
}
