/**
 * `npm run loadtest`: runs a load profile with the Node harness and prints the figures as JSON.
 *
 *   node --import tsx loadtests/run.ts --profile small|full [--seconds N] [--soak-seconds N] [--no-soak]
 *
 * `full` is the profile: 900 dashboards and 100 bots at 10 messages/s each, then a soak
 * of in-process ingest at 200,000 ticks/s (10 minutes; shorten with --soak-seconds). SIGINT
 * stops early and still prints what was measured.
 */
import { PROFILES, runLoad, type Profile } from './harness.ts';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}
function num(name: string): number | undefined {
  const v = flag(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw new Error(`--${name}: expected a positive number, got ${JSON.stringify(v)}`);
  return n;
}

const name = flag('profile') ?? 'small';
const base = PROFILES[name];
if (!base) {
  console.error(`--profile: unknown profile ${JSON.stringify(name)} (known: ${Object.keys(PROFILES).join(', ')})`);
  process.exit(2);
}
const profile: Profile = { ...base, seconds: num('seconds') ?? base.seconds };
if (process.argv.includes('--no-soak')) delete profile.soak;
else if (profile.soak) profile.soak = { ...profile.soak, seconds: num('soak-seconds') ?? profile.soak.seconds, rate: num('soak-rate') ?? profile.soak.rate };

const ac = new AbortController();
process.once('SIGINT', () => {
  console.error('SIGINT: stopping the load, reporting what was measured');
  ac.abort();
});
const result = await runLoad(profile, { log: (s) => console.error(`[load] ${s}`), signal: ac.signal });
console.log(JSON.stringify(result, null, 2));
