/**
 * The store suite against a ClickHouse server: CLICKHOUSE_URL when set (a fresh database on it,
 * dropped afterwards), else a throwaway clickhouse-server started here (Debian's 18.16 in CI),
 * which the outage test kills and restarts. Skips when neither is available.
 */
import { describe, test } from 'node:test';
import { clickHouseServerInstalled, startClickHouseServer, type ClickHouseServer } from '../../infra/clickhouse/launch.ts';
import { openStore } from './client.ts';
import { runStoreSuite } from './store-suite.ts';

const url = process.env.CLICKHOUSE_URL;

if (url) {
  const database = `volrisk_test_${process.pid}_${Date.now()}`;
  let dropper: (() => Promise<void>) | undefined;
  runStoreSuite(`store on the ClickHouse server at ${url}`, {
    open: async () => {
      const store = await openStore({ url, dataDir: '', database });
      dropper = async () => {
        const admin = await openStore({ url, dataDir: '', database: 'default' });
        await admin.command(`DROP DATABASE IF EXISTS \`${database}\``);
        await admin.close();
      };
      return store;
    },
    cleanup: async () => dropper?.(),
  });
} else if (clickHouseServerInstalled()) {
  let server: ClickHouseServer | undefined;
  runStoreSuite('store on a throwaway clickhouse-server', {
    open: async () => {
      server = await startClickHouseServer();
      return openStore({ url: server.url, dataDir: '', database: 'volrisk_test' });
    },
    outage: { stop: () => server!.stop(), start: () => server!.restart() },
    cleanup: async () => server?.dispose(),
  });
} else {
  describe('store on a ClickHouse server', () => {
    test('server suite', { skip: 'no CLICKHOUSE_URL and no /usr/sbin/clickhouse-server' }, () => {});
  });
}
