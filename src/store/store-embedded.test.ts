/**
 * The store suite against the embedded engine (chDB in-process). libchdb binds one data folder
 * per process, so this file uses one temp folder for the whole suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './client.ts';
import { runStoreSuite } from './store-suite.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'volrisk-store-'));

runStoreSuite('store on embedded ClickHouse (chDB)', {
  open: () => openStore({ dataDir, database: 'volrisk_test' }),
  cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
});
