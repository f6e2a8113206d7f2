/**
 * Starts librdkafka's mock cluster (kafka-mock.c) for tests: builds the program with gcc into
 * .ci/bin/ when it is missing or older than its source, spawns it, reads the bootstrap address
 * from its first line, and creates topics through its stdin (kafkajs admin createTopics fails on
 * the mock). Reused by every test that needs a Kafka-protocol broker.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface KafkaMock {
  /** Bootstrap address, host:port[,host:port]. */
  readonly brokers: string;
  /** Creates a topic with `partitions` partitions (resolves once the mock confirmed it). */
  createTopic(name: string, partitions: number): Promise<void>;
  /**
   * Takes broker `id` (1-based) down or brings it back up: its connections drop and it refuses
   * new ones, while topics, logs and committed offsets are kept, as across a broker restart.
   */
  setBroker(id: number, state: 'down' | 'up'): Promise<void>;
  /** Ends the mock cluster and waits for its process to exit. */
  stop(): Promise<void>;
}

/** Thrown when the mock cannot be built here; its message says what to install. */
export class KafkaMockUnavailable extends Error {}

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const source = join(here, 'kafka-mock.c');
const INCLUDE_DIRS = ['/usr/include', '/usr/local/include', '/opt/homebrew/include'];

/** Path of the built mock program, building it first if needed; throws KafkaMockUnavailable. */
export function buildKafkaMock(outDir = join(repoRoot, '.ci/bin')): string {
  const out = join(outDir, 'kafka-mock');
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs) return out;
  if (!INCLUDE_DIRS.some((d) => existsSync(join(d, 'librdkafka/rdkafka_mock.h')))) {
    throw new KafkaMockUnavailable('librdkafka-dev not installed: apt-get install librdkafka-dev');
  }
  mkdirSync(outDir, { recursive: true });
  // Build beside the target and rename, so concurrent test processes never run a half-written file.
  const tmp = `${out}.${process.pid}.tmp`;
  const r = spawnSync('gcc', ['-O2', '-o', tmp, source, '-lrdkafka'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.trim();
    throw new KafkaMockUnavailable(`could not build ${source} with gcc: ${why}`);
  }
  renameSync(tmp, out);
  return out;
}

/** Builds (if needed) and starts a mock cluster with `brokers` brokers on 127.0.0.1. */
export async function startKafkaMock(brokers = 1): Promise<KafkaMock> {
  const bin = buildKafkaMock();
  const child: ChildProcessWithoutNullStreams = spawn(bin, [String(brokers)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    stderr = (stderr + s).slice(-4000);
  });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const killOnExit = (): void => {
    child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);

  const lines = createInterface({ input: child.stdout });
  const pending: Array<{ resolve: (line: string) => void; reject: (err: Error) => void }> = [];
  lines.on('line', (line) => pending.shift()?.resolve(line));
  void exited.then((code) => {
    const err = new Error(`kafka-mock exited (code ${code}): ${stderr.trim() || 'no stderr'}`);
    for (const p of pending.splice(0)) p.reject(err);
  });
  const nextLine = (): Promise<string> => new Promise((resolve, reject) => pending.push({ resolve, reject }));

  const bootstrap = await nextLine();
  if (!/^[^\s]+:\d+(,[^\s]+:\d+)*$/.test(bootstrap)) {
    child.kill('SIGTERM');
    throw new Error(`kafka-mock printed ${JSON.stringify(bootstrap)} instead of a bootstrap address`);
  }

  // Commands are answered one line each, in order; chain them so answers match requests.
  let chain: Promise<unknown> = Promise.resolve();
  const command = (cmd: string): Promise<string> => {
    const p = chain.then(() => {
      const answer = nextLine();
      child.stdin.write(`${cmd}\n`);
      return answer;
    });
    chain = p.catch(() => {});
    return p;
  };

  return {
    brokers: bootstrap,
    async createTopic(name, partitions) {
      if (!/^[a-zA-Z0-9._-]{1,249}$/.test(name)) throw new TypeError(`createTopic: bad topic name ${JSON.stringify(name)}`);
      if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`createTopic(${name}): partitions must be >= 1, got ${partitions}`);
      const answer = await command(`topic ${name} ${partitions}`);
      if (answer !== `ok ${name}`) throw new Error(`kafka-mock could not create topic ${name}: ${answer}`);
    },
    async setBroker(id, state) {
      if (!Number.isInteger(id) || id < 1) throw new RangeError(`setBroker: broker id must be an integer >= 1, got ${id}`);
      const answer = await command(`${state} ${id}`);
      if (answer !== `ok ${state} ${id}`) throw new Error(`kafka-mock could not set broker ${id} ${state}: ${answer}`);
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
