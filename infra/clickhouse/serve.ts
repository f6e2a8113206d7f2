/**
 * `node --import tsx infra/clickhouse/serve.ts`: starts a throwaway clickhouse-server (see
 * launch.ts), prints its URL (use it as CLICKHOUSE_URL), and removes it on Ctrl-C or SIGTERM.
 */
import { startClickHouseServer } from './launch.ts';

const server = await startClickHouseServer();
console.log(server.url);
const stop = (): void => {
  void server.dispose().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
