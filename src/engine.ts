/**
 * The composition root: reads the configuration and builds the bus, the store and its sink,
 * the stages, the server and the feed, and tears them down in order on stop. Nothing else in
 * the project wires adapters to stages.
 */
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import { resolve } from 'node:path';
import type { Bus } from './bus/bus.ts';
import { createBusFromEnv } from './bus/create-bus.ts';
import { ALL_TOPICS, TOPICS } from './bus/topics.ts';
import type { Config } from './config.ts';
import { initTensorBackend } from './tensor/backend.ts';
import { parseApiKeys } from './server/auth.ts';
import { buildServer, type IngestResult } from './server/app.ts';
import { TopicHub } from './server/hub.ts';
import { EngineMetrics } from './server/metrics.ts';
import { openStore, type Store } from './store/client.ts';
import { migrate } from './store/migrations.ts';
import { messagesAfter } from './store/queries.ts';
import { runTape, type IngestCounts } from './tape/ingest.ts';
import { parseSpeed } from './tape/pace.ts';
import { simulatorTape } from './tape/sim-source.ts';
import { fileOutcomes } from './tape/file-source.ts';
import { parseText } from './ticks/parse-text.ts';
import { OutcomeCounter } from './ticks/count-outcomes.ts';
import { validateTicks } from './ticks/validate.ts';
import type { ParseOutcome } from './ticks/candidate.ts';
import { defaultStages } from '../streams/topology.ts';
import { wirePipeline } from './replay/pipeline.ts';
import { driveTape } from './replay/drive.ts';
import { readCheckpoint, type Checkpoint } from './replay/checkpoint.ts';
import { REPLAY_TOPIC } from './replay/progress.ts';
import { ReplayManager } from './replay/manager.ts';
import { replayRoutes } from './server/replay-routes.ts';
import { queryRoutes } from './server/query-routes.ts';
import { REAL_DATA_DIR } from './ticks/real-data.ts';
import { join } from 'node:path';
import { DEFAULT_BOOK_PATH, loadBook } from './positions/load.ts';
import { PositionsBook } from './positions/book.ts';
import { CLASSICAL_NAMES } from './hedging/ratios.ts';
import { DEEP_METHOD } from '../models/deep-hedger/method.ts';
import { QUADRATIC_NAMES } from './hedging/quadratic.ts';
import { positionsRoutes } from './server/positions-routes.ts';
import { statsRoutes } from './server/stats-routes.ts';
import { dashboardRoutes } from './server/dashboard-routes.ts';
import type { FastifyInstance } from 'fastify';

export interface Engine {
  readonly config: Config;
  readonly url: string;
  readonly bus: Bus;
  readonly store: Store;
  readonly hub: TopicHub;
  readonly metrics: EngineMetrics;
  readonly app: FastifyInstance;
  readonly log: Logger;
  /** Ingests a batch of parse outcomes through validation onto the bus. */
  ingest(batch: readonly ParseOutcome[]): Promise<void>;
  /** Resolves when the built-in feed has ended (never, for an endless simulator). */
  readonly feedDone: Promise<IngestCounts | undefined>;
  /** Waits until every consumer has handled everything published so far. */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops the feed, drains stages, flushes the store and closes everything. */
  stop(): Promise<void>;
}

export interface EngineOptions {
  logger?: Logger;
  /** A bus built by the caller (e.g. Kafka with a test cluster's topic creation) instead of one from the config. */
  bus?: Bus;
  /** A tape to run instead of the configured feed. */
  tape?: Iterable<ParseOutcome> | AsyncIterable<ParseOutcome>;
  /** File feed: tape items between checkpoints (default 100,000). */
  checkpointEvery?: number;
  /** Folders the replay API may read tick files from (default ../shared/data and .volrisk/tapes). */
  tapeDirs?: readonly string[];
}

const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/** Builds and starts the engine; resolves once the server listens. */
export async function startEngine(config: Config, options: EngineOptions = {}): Promise<Engine> {
  const log = options.logger ?? pino({ level: config.LOG_LEVEL, base: { app: 'volrisk' } });
  const auth = parseApiKeys(config.VOLRISK_API_KEYS);
  if (auth.open)
    log.warn('OPEN MODE: no VOLRISK_API_KEYS set, so every caller is admin. For local use only: set VOLRISK_API_KEYS before exposing this engine.');
  const run = config.VOLRISK_RUN;
  let ready: string | undefined = 'starting';
  const tensor = await initTensorBackend(config.VOLRISK_BACKEND);
  log.info({ backend: tensor.backend, package: tensor.package, skipped: tensor.skipped }, `tensor backend: ${tensor.backend} (${tensor.package})`);

  const busLog = { error: (o: object, m?: string) => log.error(o, m), warn: (o: object, m?: string) => log.warn(o, m), info: (o: object, m?: string) => log.debug(o, m), debug: () => {} };
  const bus: Bus = options.bus ?? createBusFromEnv({ KAFKA_BROKERS: config.KAFKA_BROKERS, KAFKA_CLIENT_ID: `volrisk-${run}` }, busLog);
  log.info({ bus: bus.kind }, 'bus ready');
  await bus.ensureTopics(ALL_TOPICS.map((topic) => ({ topic })));

  const store = await openStore({ url: config.CLICKHOUSE_URL || undefined, dataDir: config.DATA_DIR });
  const migrated = await migrate(store);
  log.info({ store: store.engine, version: store.version, where: store.engine === 'embedded' ? config.DATA_DIR : new URL(config.CLICKHOUSE_URL).host, migrations: migrated }, 'store ready');

  // A file feed is a finite tape, checkpointed like a replay: restarted with the same run id after
  // a crash, the engine replays it from the start and stores only what the checkpoint lacks.
  const feedFiles = !options.tape && config.VOLRISK_FEED === 'files' ? config.VOLRISK_TAPE.split(',').map((f) => f.trim()).filter(Boolean) : undefined;
  const feedSpec = feedFiles && JSON.stringify({ tape: { kind: 'files', files: feedFiles.map((f) => resolve(f)) }, speed: config.VOLRISK_SPEED });
  let resumeFrom: Checkpoint | undefined;
  if (feedSpec) {
    const previous = await readCheckpoint(store, run);
    const tapeOf = (spec: string) => JSON.stringify((JSON.parse(spec) as { tape: unknown }).tape);
    if (previous && tapeOf(previous.spec) === tapeOf(feedSpec)) {
      resumeFrom = previous;
      log.info({ run, position: previous.position, status: previous.status }, 'file feed: resuming the tape from its checkpoint');
    } else if (previous) log.warn({ run, checkpointed: previous.spec }, 'file feed: run has a checkpoint of another tape; starting this tape from scratch');
  }

  const hub = new TopicHub([...ALL_TOPICS, REPLAY_TOPIC], config.VOLRISK_RESUME_DEPTH);
  let clients = 0;
  const methods = [...CLASSICAL_NAMES, ...QUADRATIC_NAMES, DEEP_METHOD];
  // The example book holds contracts the simulator quotes from its default start; other feeds
  // (a replay of history) hedge only a book they are given.
  const bookPath = config.VOLRISK_POSITIONS || (config.VOLRISK_FEED === 'sim' && !options.tape ? DEFAULT_BOOK_PATH : 'none');
  const bookFile = bookPath === 'none' ? undefined : resolve(bookPath);
  const book = bookFile ? loadBook(bookFile, { methods }) : new PositionsBook([], { methods });
  log.info({ positions: book.snapshot().positions.size, file: bookFile ?? 'none' }, 'positions book loaded');
  const stages = await defaultStages({ book });
  const stageOutput = new Map(stages.map((s) => [s.name, s.output]));
  // Counted per batch: a prom-client increment per tick is measurable at 100k ticks/s.
  const countBy = <T>(xs: readonly T[], label: (x: T) => string): Map<string, number> => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(label(x), (m.get(label(x)) ?? 0) + 1);
    return m;
  };
  // Assigned right below; the metrics only read it on a scrape.
  let sinkQueued = () => 0;
  const metrics = new EngineMetrics({
    busLag: () => bus.lag(),
    sinkQueue: () => ({ all: sinkQueued() }),
    wsClients: () => clients,
  });
  const sinkOptions = {
    maxRows: config.VOLRISK_SINK_ROWS,
    maxDelayMs: config.VOLRISK_SINK_MS,
    onRetry: (err: Error, attempt: number, delayMs: number) => log.warn({ err: err.message, attempt, delayMs }, 'store insert failed; retrying'),
    // Through a store outage rows go to disk, not to memory, and are inserted once it is back.
    spillDir: join(config.DATA_DIR, 'spill'),
  };
  const pipeline = await wirePipeline({
    bus,
    store,
    run,
    stages,
    sink: sinkOptions,
    storeBatch: config.VOLRISK_SINK_ROWS,
    stored: resumeFrom?.stored,
    // A file tape runs the stages in lockstep, so a restart regenerates exactly the rows it lost.
    lockstep: feedSpec !== undefined,
    validator: () => validateTicks({ maxLineBytes: config.VOLRISK_MAX_LINE_BYTES, timeToleranceMicros: config.VOLRISK_TIME_TOLERANCE_MS * 1000 }),
    ingestHooks: {
      onAccepted: (ticks) => countBy(ticks, (t) => t.kind).forEach((n, kind) => metrics.ticksIn.inc({ kind }, n)),
      onRejected: (rs) => countBy(rs, (r) => r.reason).forEach((n, reason) => metrics.rejects.inc({ reason }, n)),
    },
    onBatch: (stage, seconds, _inputs, outputs) => {
      metrics.stageLatency.observe({ stage }, seconds);
      metrics.messagesOut.inc({ topic: stageOutput.get(stage) ?? stage }, outputs);
    },
    onError: (stage, err) => {
      metrics.stageErrors.inc({ stage });
      log.error({ err, stage }, 'stage failed on a batch; restarted with fresh state');
    },
  });
  const { sink, ingestor } = pipeline;
  sinkQueued = () => sink.stats().queuedRows;
  const taps = ALL_TOPICS.map((topic) => bus.watch(topic).subscribe((m) => hub.publish(m)));
  // Replays run beside the live pipeline, each on a bus of its own, into the same store.
  const replays = new ReplayManager({
    store,
    hub,
    log,
    maxLineBytes: config.VOLRISK_MAX_LINE_BYTES,
    timeToleranceMicros: config.VOLRISK_TIME_TOLERANCE_MS * 1000,
    sink: { maxRows: config.VOLRISK_SINK_ROWS, maxDelayMs: config.VOLRISK_SINK_MS },
  });

  const app = await buildServer({
    hub,
    metrics,
    auth,
    logger: log,
    notReady: () => ready,
    maxBufferedBytes: config.VOLRISK_WS_BUFFER_BYTES,
    onClients: (delta) => (clients += delta),
    rateLimitPerMinute: config.VOLRISK_RATE_LIMIT,
    backfill: (topic, key, afterSeq, limit) => messagesAfter(store, { run, topic, key, afterSeq, limit }),
    plugins: [
      statsRoutes(metrics),
      dashboardRoutes(),
      positionsRoutes(book),
      replayRoutes({ manager: replays, tapeDirs: options.tapeDirs ?? [REAL_DATA_DIR, resolve('.volrisk/tapes')] }),
      queryRoutes({ store }),
    ],
    info: () => ({ version, run, tensor: tensor.backend, bus: bus.kind, store: { engine: store.engine, version: store.version }, feed: options.tape ? 'tape' : config.VOLRISK_FEED, open: auth.open, stages: stages.map((s) => s.name) }),
    ingest: async (text, { format, src, date }): Promise<IngestResult> => {
      const outcomes = [...parseText(format, text, { src, fallbackDate: date, maxLineBytes: config.VOLRISK_MAX_LINE_BYTES })];
      const { accepted, rejected } = await ingestor.push(outcomes, 'rest');
      const counter = new OutcomeCounter();
      for (const x of accepted) counter.add(x);
      for (const x of rejected) counter.add(x);
      return { ...counter.total(), rejects: rejected.slice(0, 20) };
    },
  });
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  const url = address.replace('[::1]', 'localhost');

  const feedAbort = new AbortController();
  const tape =
    options.tape ??
    (config.VOLRISK_FEED === 'sim'
      ? simulatorTape({ seed: config.VOLRISK_SEED, ticksPerSecond: config.VOLRISK_TICK_RATE, start: config.VOLRISK_SIM_START, model: config.VOLRISK_SIM_MODEL, indexEverySteps: 1 })
      : feedFiles
        ? fileOutcomes(feedFiles, { maxLineBytes: config.VOLRISK_MAX_LINE_BYTES })
        : undefined);
  const speed = parseSpeed(config.VOLRISK_SPEED);
  const feedFailed = (err: unknown) => {
    log.error({ err }, 'feed failed');
    return ingestor.counts();
  };
  const feedDone: Promise<IngestCounts | undefined> = !tape
    ? new Promise(() => {})
    : feedSpec
      ? driveTape(pipeline, tape, {
          spec: feedSpec,
          speed,
          signal: feedAbort.signal,
          previous: resumeFrom,
          checkpointEvery: options.checkpointEvery,
          onCheckpoint: (c) => log.info({ run, version: c.version, position: c.position, status: c.status }, 'checkpoint'),
        }).then((r) => {
          log.info({ run, position: r.position, status: r.status, ...r.counts }, 'file feed ended; every stage flushed');
          return r.counts;
        }, feedFailed)
      : runTape(tape, ingestor, { speed, signal: feedAbort.signal }).catch(feedFailed);
  if (tape) log.info({ feed: options.tape ? 'tape' : config.VOLRISK_FEED, speed: config.VOLRISK_SPEED, ...(config.VOLRISK_FEED === 'sim' ? { rate: config.VOLRISK_TICK_RATE } : { tape: config.VOLRISK_TAPE }) }, 'feed started');
  ready = undefined;

  const drain = (timeoutMs = 30_000) => pipeline.drain(timeoutMs);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      ready = 'stopping';
      log.info('stopping: feed');
      feedAbort.abort();
      if (tape) await Promise.race([feedDone, new Promise((r) => setTimeout(r, 5000))]);
      log.info('stopping: replays');
      await replays.stop();
      log.info('stopping: draining stages, flushing store');
      await pipeline.stop((message) => log.warn({ err: message }, 'drain incomplete'));
      for (const t of taps) t.unsubscribe();
      await app.close();
      await bus.close();
      await store.close();
      log.info(ingestor.counts(), 'stopped');
    })());

  return {
    config,
    url,
    bus,
    store,
    hub,
    metrics,
    app,
    log,
    feedDone,
    drain,
    stop,
    ingest: async (batch) => {
      await ingestor.push(batch);
    },
  };
}

export { TOPICS };
