/**
 * Starts a throwaway ClickHouse server for tests: the installed `clickhouse-server` (Debian's
 * package, 18.16) with a copy of its config whose data, log and port settings point at a fresh
 * temp folder and free ports, listening on 127.0.0.1 only. The server runs in its own process
 * group so `stop` ends it and anything it spawned.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ClickHouseServerOptions {
  /** The server binary (default /usr/sbin/clickhouse-server). */
  binary?: string;
  /** The folder holding config.xml and users.xml to copy (default /etc/clickhouse-server). */
  configDir?: string;
  /** How long to wait for it to answer, in ms (default 30,000). */
  startTimeoutMs?: number;
}

export interface ClickHouseServer {
  /** HTTP URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** The temp folder holding its config, data and logs. */
  readonly dir: string;
  /** Kills the server (SIGKILL: an outage, not a shutdown); its data stays for `restart`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Stops it and deletes its folder. */
  dispose(): Promise<void>;
}

export const DEFAULT_SERVER_BINARY = '/usr/sbin/clickhouse-server';

/** Whether a server binary and config to launch are installed. */
export function clickHouseServerInstalled(opts: ClickHouseServerOptions = {}): boolean {
  return existsSync(opts.binary ?? DEFAULT_SERVER_BINARY) && existsSync(join(opts.configDir ?? '/etc/clickhouse-server', 'config.xml'));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Rewrites the packaged config: paths into `dir`, the three ports, IPv4 loopback only. */
function writeConfig(src: string, dir: string, ports: { http: number; tcp: number; inter: number }): void {
  const data = join(dir, 'data') + '/';
  const log = join(dir, 'log') + '/';
  const xml = readFileSync(join(src, 'config.xml'), 'utf8')
    .replaceAll('/var/lib/clickhouse/', data)
    .replaceAll('/var/log/clickhouse-server/', log)
    .replace(/<http_port>\d+<\/http_port>/, `<http_port>${ports.http}</http_port>`)
    .replace(/<tcp_port>\d+<\/tcp_port>/, `<tcp_port>${ports.tcp}</tcp_port>`)
    .replace(/<interserver_http_port>\d+<\/interserver_http_port>/, `<interserver_http_port>${ports.inter}</interserver_http_port>`)
    .replace(/^\s*<listen_host>::1?<\/listen_host>\s*$/gm, '');
  for (const p of [data, log]) mkdirSync(p, { recursive: true });
  writeFileSync(join(dir, 'config.xml'), xml);
  writeFileSync(join(dir, 'users.xml'), readFileSync(join(src, 'users.xml')));
}

async function waitReady(url: string, child: ChildProcess, dir: string, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  let exited: string | null = null;
  const onExit = (code: number | null, sig: string | null) => (exited = `exited (code ${code}, signal ${sig})`);
  child.once('exit', onExit);
  try {
    while (Date.now() - t0 < timeoutMs) {
      if (exited) break;
      try {
        const r = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.off('exit', onExit);
  }
  let tail = '';
  try {
    tail = readFileSync(join(dir, 'log', 'clickhouse-server.err.log'), 'utf8').slice(-2000);
  } catch {
    // no log written
  }
  throw new Error(`clickhouse-server in ${dir} ${exited ?? `did not answer ${url}/ping within ${timeoutMs} ms`}${tail ? `\n${tail}` : ''}`);
}

/** Starts a throwaway server on free ports in a new temp folder; resolves once it answers HTTP. */
export async function startClickHouseServer(opts: ClickHouseServerOptions = {}): Promise<ClickHouseServer> {
  const binary = opts.binary ?? DEFAULT_SERVER_BINARY;
  const configDir = opts.configDir ?? '/etc/clickhouse-server';
  if (!clickHouseServerInstalled({ binary, configDir })) {
    throw new Error(`no ClickHouse server to launch: ${binary} or ${configDir}/config.xml is missing (apt-get install clickhouse-server)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'volrisk-clickhouse-'));
  const ports = { http: await freePort(), tcp: await freePort(), inter: await freePort() };
  writeConfig(configDir, dir, ports);
  const url = `http://127.0.0.1:${ports.http}`;
  let child: ChildProcess | null = null;
  // A test process that dies without its after-hook must not leave a server behind.
  const onExit = (): void => {
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', onExit);

  const start = async (): Promise<void> => {
    const c = spawn(binary, [`--config-file=${join(dir, 'config.xml')}`], {
      cwd: dir,
      detached: true, // own process group, killed as a whole
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    child = c;
    try {
      await waitReady(url, c, dir, opts.startTimeoutMs ?? 30_000);
    } catch (e) {
      await kill();
      throw e;
    }
  };

  const kill = async (): Promise<void> => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      c.kill('SIGKILL');
    }
    await gone;
  };

  await start();
  return {
    url,
    dir,
    stop: kill,
    restart: async () => {
      await kill();
      await start();
    },
    dispose: async () => {
      await kill();
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
