/**
 * The Node load harness (k6 has no Debian or npm package; loadtests/k6/ has the same scenarios
 * for those who have it). It starts the engine as its own process (loadtests/target.ts) with API
 * keys, opens N WebSocket clients of both kinds, injects ticks over REST (`POST /api/ticks`,
 * admin key) and measures end-to-end latency (tick `ts`, stamped at injection, to the client's
 * receipt), messages lost and duplicated per bot (per-key sequence numbers), and the server's
 * resident memory and CPU. An optional soak phase drives in-process ingest at a fixed rate and
 * samples memory. Everything runs on this machine: injector, clients and engine share its cores.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Histogram } from './stats.ts';
import { keyOf, nowMicros, optionTick } from './ticks.ts';

export interface Profile {
  name: string;
  dashboards: number;
  bots: number;
  /** Distinct tick keys; bot i reads key i mod keys, dashboard j key j mod keys. */
  keys: number;
  /** Ticks per second per key: what each bot receives. */
  ratePerKey: number;
  /** Dashboards' conflation, messages per second per key. */
  dashboardRate: number;
  /** Seconds of WebSocket load (after connecting), the first `warmupSeconds` not measured. */
  seconds: number;
  warmupSeconds: number;
  /** REST injection period, ms (ticks due are sent in one POST). */
  postEveryMs: number;
  /** Optional soak: in-process ingest at `rate` ticks/s for `seconds`, memory sampled. */
  soak?: { rate: number; seconds: number; batch: number };
}

export const PROFILES: Record<string, Profile> = {
  small: { name: 'small', dashboards: 18, bots: 6, keys: 6, ratePerKey: 10, dashboardRate: 10, seconds: 6, warmupSeconds: 2, postEveryMs: 50, soak: { rate: 5_000, seconds: 3, batch: 500 } },
  medium: { name: 'medium', dashboards: 90, bots: 10, keys: 10, ratePerKey: 10, dashboardRate: 10, seconds: 30, warmupSeconds: 5, postEveryMs: 20, soak: { rate: 200_000, seconds: 60, batch: 2_000 } },
  full: { name: 'full', dashboards: 900, bots: 100, keys: 100, ratePerKey: 10, dashboardRate: 10, seconds: 60, warmupSeconds: 10, postEveryMs: 20, soak: { rate: 200_000, seconds: 600, batch: 2_000 } },
};

const KEYS = { admin: 'load-admin-0123456789abcdef', bot: 'load-bot-0123456789abcdef00', dashboard: 'load-dash-0123456789abcdef0' };

export interface BotResult {
  key: string;
  received: number;
  lost: number;
  duplicated: number;
  disconnects: number;
}

export interface LoadResult {
  profile: string;
  clients: { dashboards: number; bots: number; connectSeconds: number; failedConnects: number };
  injected: { ticks: number; seconds: number; perSecond: number; postErrors: number; postP99Ms: number };
  latencyMs: { bots: ReturnType<Histogram['summary']>; dashboards: ReturnType<Histogram['summary']> };
  perClientMsgPerSecond: { bots: number; dashboards: number };
  bots: { lost: number; duplicated: number; disconnects: number; worst: BotResult[] };
  server: { rssStartMiB: number; rssEndMiB: number; rssMaxMiB: number; cpuMeanPercent: number; cpuMaxPercent: number; eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number };
  soak?: { targetRate: number; ticks: number; seconds: number; perSecond: number; rssMiB: number[]; rssMaxMiB: number; rssFirstHalfMeanMiB: number; rssSecondHalfMeanMiB: number; cpuMeanPercent: number };
}

interface Stats {
  rssMiB: number;
  heapMiB: number;
  cpuUser: number;
  cpuSystem: number;
  loopP99Ms: number;
  loopMaxMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The engine process: its URL and IPC. */
class Target {
  private waiters = new Map<string, Array<(m: Record<string, unknown>) => void>>();
  url = '';
  private exited: Error | undefined;
  private readonly failers = new Set<(e: Error) => void>();
  constructor(readonly child: ChildProcess) {
    child.on('message', (m: Record<string, unknown>) => {
      const ws = this.waiters.get(m.type as string);
      ws?.shift()?.(m);
    });
    child.once('exit', (code) => {
      this.exited = new Error(`engine process exited (code ${code})`);
      for (const f of this.failers) f(this.exited);
    });
  }
  next<T>(type: string): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(this.exited);
      const fail = (e: Error) => reject(new Error(`${e.message} while waiting for ${type}`));
      this.failers.add(fail);
      const list = this.waiters.get(type) ?? [];
      list.push((m) => {
        this.failers.delete(fail);
        resolve(m as T);
      });
      this.waiters.set(type, list);
    });
  }
  async stats(): Promise<Stats> {
    const p = this.next<Stats>('stats');
    this.child.send({ op: 'stats' });
    return p;
  }
}

async function startTarget(dataDir: string, log: (s: string) => void): Promise<Target> {
  const child = fork(join(import.meta.dirname, 'target.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      VOLRISK_FEED: 'none',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      VOLRISK_API_KEYS: `${KEYS.admin}:admin,${KEYS.bot}:bot,${KEYS.dashboard}:dashboard`,
      VOLRISK_CONFIG: '',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const t = new Target(child);
  const ready = await t.next<{ url: string }>('ready');
  t.url = ready.url;
  log(`engine up at ${t.url} (pid ${child.pid})`);
  return t;
}

/** One WebSocket client; bots track sequences and resume after a SLOW_CONSUMER cut. */
class Client {
  ws: WebSocket | undefined;
  last = 0;
  received = 0;
  lost = 0;
  duplicated = 0;
  disconnects = 0;
  measuring = false;
  closing = false;
  readonly latency = new Histogram();

  constructor(
    private readonly base: string,
    readonly kind: 'bot' | 'dashboard',
    readonly key: string,
    private readonly dashboardRate: number,
  ) {}

  connect(): Promise<void> {
    const apiKey = this.kind === 'bot' ? KEYS.bot : KEYS.dashboard;
    const ws = new WebSocket(`${this.base}/ws`, { headers: { authorization: `Bearer ${apiKey}` }, perMessageDeflate: false });
    this.ws = ws;
    ws.on('message', (d) => this.onFrame(d.toString()));
    ws.on('close', () => {
      if (!this.closing && this.kind === 'bot') {
        this.disconnects++;
        void this.connect().catch(() => {});
      }
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        const sub: Record<string, unknown> = { op: 'subscribe', topics: ['ticks.raw'], keys: [this.key] };
        if (this.kind === 'dashboard') sub.maxRate = this.dashboardRate;
        else if (this.last > 0) sub.from = { [`ticks.raw/${this.key}`]: this.last };
        ws.send(JSON.stringify(sub));
        resolve();
      });
      ws.once('error', reject);
    });
  }

  private onFrame(text: string): void {
    const at = nowMicros();
    const m = JSON.parse(text) as { type: string; seq?: number; ts?: number; payload?: { code?: string } };
    if (m.type !== 'update' && m.type !== 'snapshot') return;
    this.received++;
    if (this.measuring && m.ts !== undefined) this.latency.record(Math.max(0, at - m.ts));
    if (this.kind === 'dashboard') return;
    const seq = m.seq!;
    if (seq <= this.last) this.duplicated++;
    else {
      this.lost += seq - this.last - 1;
      this.last = seq;
    }
  }

  close(): void {
    this.closing = true;
    this.ws?.close();
  }
}

async function connectAll(clients: Client[], concurrency = 50): Promise<number> {
  let failed = 0;
  for (let i = 0; i < clients.length; i += concurrency) {
    const r = await Promise.allSettled(clients.slice(i, i + concurrency).map((c) => c.connect()));
    failed += r.filter((x) => x.status === 'rejected').length;
  }
  return failed;
}

/** Runs a profile; `log` gets progress lines. Stops early (with what was measured) on `signal`. */
export async function runLoad(p: Profile, opts: { log?: (s: string) => void; signal?: AbortSignal } = {}): Promise<LoadResult> {
  const log = opts.log ?? (() => {});
  const aborted = () => opts.signal?.aborted === true;
  const dataDir = mkdtempSync(join(tmpdir(), 'volrisk-load-'));
  const target = await startTarget(dataDir, log);
  const wsBase = target.url.replace(/^http/, 'ws');
  const clients: Client[] = [];
  try {
    for (let i = 0; i < p.bots; i++) clients.push(new Client(wsBase, 'bot', keyOf(i % p.keys), p.dashboardRate));
    for (let j = 0; j < p.dashboards; j++) clients.push(new Client(wsBase, 'dashboard', keyOf(j % p.keys), p.dashboardRate));
    const c0 = performance.now();
    const failedConnects = await connectAll(clients);
    const connectSeconds = (performance.now() - c0) / 1000;
    log(`${clients.length - failedConnects}/${clients.length} clients connected in ${connectSeconds.toFixed(1)} s`);

    // Server stats once a second.
    const samples: Array<Stats & { at: number }> = [];
    const sampler = setInterval(() => void target.stats().then((s) => samples.push({ ...s, at: performance.now() })).catch(() => {}), 1000);
    samples.push({ ...(await target.stats()), at: performance.now() });

    // REST injector, open loop: every period, the ticks due per key in one NDJSON POST, in order.
    const t0 = performance.now();
    let sent = 0;
    let postErrors = 0;
    const postLatency = new Histogram();
    const perKeySent = new Array<number>(p.keys).fill(0);
    const warmupEnd = t0 + p.warmupSeconds * 1000;
    let measuring = false;
    while (performance.now() - t0 < p.seconds * 1000 && !aborted()) {
      if (!measuring && performance.now() >= warmupEnd) {
        measuring = true;
        for (const c of clients) c.measuring = true;
      }
      const elapsed = (performance.now() - t0) / 1000;
      const lines: string[] = [];
      const ts = nowMicros();
      for (let k = 0; k < p.keys; k++) {
        const due = Math.floor(elapsed * p.ratePerKey) - perKeySent[k];
        for (let j = 0; j < due; j++) lines.push(JSON.stringify(optionTick(k, perKeySent[k]++, ts)));
      }
      if (lines.length > 0) {
        const q0 = performance.now();
        try {
          const r = await fetch(`${target.url}/api/ticks?format=ndjson&src=load`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.admin}`, 'content-type': 'application/x-ndjson' }, body: lines.join('\n') });
          const body = (await r.json()) as { accepted?: number; rejected?: number; rejects?: unknown[] };
          if (!r.ok || body.rejected) {
            postErrors++;
            if (postErrors <= 3) log(`POST /api/ticks: ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
          }
        } catch (e) {
          postErrors++;
          if (postErrors <= 3) log(`POST /api/ticks failed: ${(e as Error).message}`);
        }
        postLatency.record((performance.now() - q0) * 1000);
        sent += lines.length;
      }
      const wait = p.postEveryMs - ((performance.now() - t0) % p.postEveryMs);
      await sleep(wait);
    }
    const injectSeconds = (performance.now() - t0) / 1000;
    await sleep(1500); // what is in flight arrives
    clearInterval(sampler);
    samples.push({ ...(await target.stats()), at: performance.now() });
    for (const c of clients) c.measuring = false;
    const measuredSeconds = Math.max(1e-9, injectSeconds - p.warmupSeconds);

    // Tail loss: a bot must end at the engine's latest sequence of its key.
    const latestSeq = new Map<string, number>();
    for (let k = 0; k < Math.min(p.keys, p.bots); k++) {
      const r = await fetch(`${target.url}/api/latest/ticks.raw?key=${encodeURIComponent(keyOf(k))}`, { headers: { authorization: `Bearer ${KEYS.admin}` } });
      const [m] = (await r.json()) as Array<{ seq: number }>;
      latestSeq.set(keyOf(k), m?.seq ?? 0);
    }
    const bots = clients.filter((c) => c.kind === 'bot');
    const dashes = clients.filter((c) => c.kind === 'dashboard');
    const botResults: BotResult[] = bots.map((b) => ({ key: b.key, received: b.received, lost: b.lost + Math.max(0, (latestSeq.get(b.key) ?? 0) - b.last), duplicated: b.duplicated, disconnects: b.disconnects }));
    const botLat = new Histogram();
    const dashLat = new Histogram();
    for (const b of bots) botLat.merge(b.latency);
    for (const d of dashes) dashLat.merge(d.latency);
    const cpuPct = (a: Stats & { at: number }, b: Stats & { at: number }) => ((b.cpuUser + b.cpuSystem - a.cpuUser - a.cpuSystem) / 1000 / (b.at - a.at)) * 100;
    samples.sort((a, b) => a.at - b.at);
    // Per-interval CPU over intervals of at least half a second (samples arrive asynchronously).
    const cpus: number[] = [];
    for (let i = 1, j = 0; i < samples.length; i++) {
      if (samples[i].at - samples[j].at < 500) continue;
      cpus.push(cpuPct(samples[j], samples[i]));
      j = i;
    }
    const r2 = (x: number) => Math.round(x * 100) / 100;
    const result: LoadResult = {
      profile: p.name,
      clients: { dashboards: dashes.length, bots: bots.length, connectSeconds: r2(connectSeconds), failedConnects },
      injected: { ticks: sent, seconds: r2(injectSeconds), perSecond: Math.round(sent / injectSeconds), postErrors, postP99Ms: postLatency.summary().p99 },
      latencyMs: { bots: botLat.summary(), dashboards: dashLat.summary() },
      perClientMsgPerSecond: { bots: r2(botLat.count / measuredSeconds / Math.max(1, bots.length)), dashboards: r2(dashLat.count / measuredSeconds / Math.max(1, dashes.length)) },
      bots: {
        lost: botResults.reduce((a, b) => a + b.lost, 0),
        duplicated: botResults.reduce((a, b) => a + b.duplicated, 0),
        disconnects: botResults.reduce((a, b) => a + b.disconnects, 0),
        worst: [...botResults].sort((a, b) => b.lost + b.duplicated - a.lost - a.duplicated).slice(0, 3),
      },
      server: {
        rssStartMiB: Math.round(samples[0].rssMiB),
        rssEndMiB: Math.round(samples.at(-1)!.rssMiB),
        rssMaxMiB: Math.round(Math.max(...samples.map((s) => s.rssMiB))),
        cpuMeanPercent: r2(cpuPct(samples[0], samples.at(-1)!)),
        cpuMaxPercent: r2(Math.max(0, ...cpus)),
        eventLoopDelayP99Ms: r2(samples.at(-1)!.loopP99Ms),
        eventLoopDelayMaxMs: r2(samples.at(-1)!.loopMaxMs),
      },
    };
    for (const c of clients) c.close();
    log(`WebSocket phase: bots p99 ${result.latencyMs.bots.p99} ms, lost ${result.bots.lost}, duplicated ${result.bots.duplicated}`);

    if (p.soak && !aborted()) {
      const s = p.soak;
      log(`soak: in-process ingest at ${s.rate.toLocaleString('en-US')} ticks/s for ${s.seconds} s`);
      const done = target.next<{ ticks: number; seconds: number }>('injected');
      target.child.send({ op: 'inject', rate: s.rate, seconds: s.seconds, keys: p.keys, batch: s.batch });
      const rss: number[] = [];
      const first = await target.stats();
      const f0 = performance.now();
      let finished: { ticks: number; seconds: number } | undefined;
      void done.then((x) => (finished = x));
      const every = Math.max(1, Math.round(s.seconds / 60)) * 1000;
      while (!finished && !aborted()) {
        await sleep(every);
        const st = await target.stats();
        rss.push(Math.round(st.rssMiB));
        log(`soak ${Math.round((performance.now() - f0) / 1000)} s: rss ${Math.round(st.rssMiB)} MiB`);
      }
      const last = await target.stats();
      const f = finished ?? { ticks: 0, seconds: (performance.now() - f0) / 1000 };
      const half = Math.floor(rss.length / 2);
      const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : NaN);
      result.soak = {
        targetRate: s.rate,
        ticks: f.ticks,
        seconds: r2(f.seconds),
        perSecond: Math.round(f.ticks / Math.max(1e-9, f.seconds)),
        rssMiB: rss,
        rssMaxMiB: Math.max(0, ...rss),
        rssFirstHalfMeanMiB: mean(rss.slice(0, half)),
        rssSecondHalfMeanMiB: mean(rss.slice(half)),
        cpuMeanPercent: r2(((last.cpuUser + last.cpuSystem - first.cpuUser - first.cpuSystem) / 1000 / (performance.now() - f0)) * 100),
      };
    }
    return result;
  } finally {
    for (const c of clients) c.close();
    const exited = new Promise((r) => target.child.once('exit', r));
    target.child.send({ op: 'stop' });
    await Promise.race([exited, sleep(20_000)]);
    if (target.child.exitCode === null) target.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
