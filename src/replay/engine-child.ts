/**
 * The engine as a child process for the crash tests (replay-crash.test.ts): `startEngine` on the
 * configuration from the environment, like `volrisk start`, with the file feed's checkpoint
 * interval from argv[2] (the CLI keeps the default of 100,000 tape items, which would make the
 * test's tape needlessly long). SIGTERM stops it cleanly.
 */
import { loadConfig } from '../config.ts';
import { startEngine } from '../engine.ts';

const every = Number(process.argv[2] ?? 100_000);
if (!Number.isSafeInteger(every) || every < 0) throw new Error(`checkpoint interval: expected a whole number, got "${process.argv[2]}"`);
const engine = await startEngine(loadConfig(process.env), { checkpointEvery: every });
process.once('SIGTERM', () => {
  engine.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      engine.log.error({ err }, 'stop failed');
      process.exit(1);
    },
  );
});
