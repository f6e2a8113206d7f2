/**
 * The `volrisk` command. `start` (the default) runs the engine on the configuration from the
 * environment; `ingest` parses tick files, to check them, to store them, or to send them to a
 * running engine.
 */
import { Command, Option } from 'commander';
import { ConfigError, describeConfig, loadConfig } from './config.ts';
import { startEngine } from './engine.ts';
import { ingestFiles, checkFiles } from './tape/ingest-files.ts';
import { TICK_FORMATS } from './ticks/detect-format.ts';
import { evaluatePriceRequest } from './pricing/price-request.ts';
import { parseJsonSequence } from './pricing/json-sequence.ts';

const program = new Command('volrisk')
  .description('volrisk: a streaming real-time volatility risk engine')
  .showHelpAfterError()
  .enablePositionalOptions();

program
  .command('start', { isDefault: true })
  .description('run the engine: feed, pipeline, store, WebSocket and REST server (configured by environment variables)')
  .option('--port <n>', 'override PORT')
  .option('--feed <feed>', 'override VOLRISK_FEED (sim or none)')
  .option('--speed <speed>', 'override VOLRISK_SPEED (realtime, Nx, max)')
  .addHelpText('after', `\nEnvironment variables (also read from the file named by VOLRISK_CONFIG):\n${describeConfig()}\n`)
  .action(async (opts: { port?: string; feed?: string; speed?: string }) => {
    const env = { ...process.env };
    if (opts.port !== undefined) env.PORT = opts.port;
    if (opts.feed !== undefined) env.VOLRISK_FEED = opts.feed;
    if (opts.speed !== undefined) env.VOLRISK_SPEED = opts.speed;
    const config = loadConfig(env);
    const engine = await startEngine(config);
    engine.log.info({ url: engine.url, ws: `${engine.url.replace(/^http/, 'ws')}/ws`, docs: `${engine.url}/docs` }, 'volrisk is up');
    process.stdout.write(`volrisk listening on ${engine.url}  (WebSocket ${engine.url.replace(/^http/, 'ws')}/ws, API docs ${engine.url}/docs)\n`);
    let signals = 0;
    const onSignal = (sig: string) => {
      if (++signals > 1) {
        engine.log.warn(`${sig} again: exiting without a clean stop`);
        process.exit(1);
      }
      engine.log.info(`${sig}: stopping cleanly (send it again to exit at once)`);
      engine.stop().then(
        () => process.exit(0),
        (err) => {
          engine.log.error({ err }, 'stop failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  });

program
  .command('ingest')
  .description('parse and validate tick files (NDJSON, CSV, CBOE option-chain exports, CBOE index histories) and store them, send them to a running engine, or only check them')
  .argument('<files...>', 'tick files')
  .option('--check', 'only parse and validate; print per file the counts accepted and rejected by reason, as JSON')
  .option('--url <url>', 'send the ticks to the running engine at this URL (POST /api/ticks) instead of the store')
  .option('--key <key>', 'API key for --url (admin role)', process.env.VOLRISK_API_KEY)
  .addOption(new Option('--format <format>', 'skip detection and read every file as this format').choices([...TICK_FORMATS]))
  .option('--date <YYYY-MM-DD>', 'snapshot date for CBOE exports whose date line cannot be read')
  .option('--run <id>', 'run id to store under (default VOLRISK_RUN, "live")')
  .addHelpText('after', '\nStoring uses DATA_DIR or CLICKHOUSE_URL from the environment, like `volrisk start`.\n')
  .action(async (files: string[], opts: { check?: boolean; url?: string; key?: string; format?: (typeof TICK_FORMATS)[number]; date?: string; run?: string }) => {
    const config = loadConfig({ ...process.env, ...(opts.run ? { VOLRISK_RUN: opts.run } : {}) });
    const parse = { format: opts.format, fallbackDate: opts.date, maxLineBytes: config.VOLRISK_MAX_LINE_BYTES };
    if (opts.check) {
      const report = await checkFiles(files, parse, config);
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      return;
    }
    const report = await ingestFiles(files, parse, config, { url: opts.url, key: opts.key, progress: (s) => process.stderr.write(s) });
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  });

program
  .command('replay')
  .description('replay a tape through the live pipeline into the store under a run id: tick files (NDJSON, CSV, CBOE exports, CBOE index histories) or a run\'s stored ticks between two times; checkpointed, resumable with the same run id')
  .argument('[files...]', 'tick files (daily index histories are merged by event time)')
  .option('--run <id>', 'run id the results are stored under (the same id resumes an interrupted replay)')
  .option('--speed <speed>', 'max, realtime or Nx (N times real time)', 'max')
  .addOption(new Option('--format <format>', 'read every file as this format').choices([...TICK_FORMATS]))
  .addOption(new Option('--order <order>', 'files one after another, or merged by event time').choices(['files', 'time']))
  .option('--from-store <run>', "replay this run's stored ticks (with --from and --to) instead of files")
  .option('--from <time>', 'with --from-store: first event time (epoch µs or ISO, UTC)')
  .option('--to <time>', 'with --from-store: end event time, exclusive')
  .option('--checkpoint-every <n>', 'tape items between checkpoints', '100000')
  .option('--digest', "also print each topic's row count and SHA-256 of the stored rows")
  .option('--no-progress', 'no progress bar')
  .option('--list', 'list the runs with checkpoints and their state, and exit')
  .addHelpText('after', '\nStores into DATA_DIR or CLICKHOUSE_URL, like `volrisk start`. Ctrl-C cancels cleanly; the same command resumes.\n')
  .action(async (files: string[], opts: import('./replay/replay-command.ts').ReplayCommandOptions) => {
    const { replayCommand } = await import('./replay/replay-command.ts');
    process.exitCode = await replayCommand(files, opts);
  });

program
  .command('train')
  .description('train a model on the real data in ../shared/data (or VOLRISK_REAL_DATA) and write its weights and metrics into its folder under models/')
  .argument('<model>', 'model to train: hn-gru (from ../shared/data), surrogate (on 100,000 Heston surfaces it generates), vae-surface (on simulated Heston, Bates and SVI surfaces), deep-hedger (on Monte Carlo paths of --dynamics) or nsde (the neural SDE for VIX, on real VIX from ../shared/data)')
  .option('--seed <n>', "seed (default: the model's own, which reproduces its committed weights)")
  .option('--out <dir>', 'folder for weights.json and metrics.json (default: the model folder)')
  .option('--data <dir>', 'real data folder (default: VOLRISK_REAL_DATA or ../shared/data)')
  .option('--dynamics <name>', 'deep-hedger: path dynamics bs, heston or bates', 'bs')
  .option('--cost <c>', 'deep-hedger: proportional transaction cost, a fraction of traded value', '0')
  .option('--epochs <n>', 'deep-hedger: most epochs (early stopping may end sooner)')
  .option('--paths <n>', 'deep-hedger: training paths')
  .option('--loss <name>', "deep-hedger: objective, 'seed' (CVaR_0.9 + 0.10 MSE) or 'mse' (the minimum-variance hedge)", 'seed')
  .addHelpText('after', '\nProgress goes to stderr, the test metrics to stdout as JSON. Ctrl-C stops cleanly and writes nothing.\n')
  .action(async (model: string, opts: { seed?: string; out?: string; data?: string; dynamics: string; cost: string; epochs?: string; paths?: string; loss: string }) => {
    const seed = opts.seed === undefined ? undefined : Number(opts.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got "${opts.seed}"`);
    const ac = new AbortController();
    process.once('SIGINT', () => {
      process.stderr.write('\nSIGINT: stopping; nothing partial is written\n');
      ac.abort();
    });
    const t0 = performance.now();
    const progress = (e: { phase: string; epoch?: number; trainNll?: number; validNll?: number; message?: string }) => {
      const at = `[${((performance.now() - t0) / 1000).toFixed(1)} s]`;
      process.stderr.write(
        e.epoch !== undefined
          ? `${at} ${e.phase} epoch ${e.epoch}: train NLL ${e.trainNll?.toFixed(5)}, validation NLL ${e.validNll?.toFixed(5)}\n`
          : `${at} ${e.phase}${e.message ? `: ${e.message}` : ''}\n`,
      );
    };
    switch (model) {
      case 'hn-gru': {
        const { trainHnGru } = await import('../models/hn-gru/index.ts');
        const metrics = await trainHnGru({ seed, outDir: opts.out, dataDir: opts.data, signal: ac.signal, onProgress: progress });
        process.stdout.write(JSON.stringify(metrics, null, 2) + '\n');
        break;
      }
      case 'surrogate': {
        const { trainSurrogate } = await import('../models/surrogate/index.ts');
        const metrics = await trainSurrogate({ seed, outDir: opts.out, signal: ac.signal, onProgress: progress });
        process.stdout.write(JSON.stringify(metrics, null, 2) + '\n');
        break;
      }
      case 'vae-surface': {
        const { trainVaeSurface } = await import('../models/vae-surface/index.ts');
        const metrics = await trainVaeSurface({ seed, outDir: opts.out, signal: ac.signal, onProgress: progress });
        process.stdout.write(JSON.stringify(metrics, null, 2) + '\n');
        break;
      }
      case 'deep-hedger': {
        const { trainDeepHedger, parseDynamics, parseLoss } = await import('../models/deep-hedger/index.ts');
        const int = (name: string, v: string | undefined) => {
          if (v !== undefined && !(Number.isInteger(Number(v)) && Number(v) >= 1)) throw new Error(`--${name}: expected an integer >= 1, got "${v}"`);
          return v === undefined ? undefined : Number(v);
        };
        const cost = Number(opts.cost);
        if (!(Number.isFinite(cost) && cost >= 0)) throw new Error(`--cost: expected a number >= 0, got "${opts.cost}"`);
        const { metrics } = await trainDeepHedger({
          seed, outDir: opts.out, dynamics: parseDynamics(opts.dynamics, '--dynamics'), cost, signal: ac.signal, onProgress: progress,
          config: { maxEpochs: int('epochs', opts.epochs), trainPaths: int('paths', opts.paths), loss: parseLoss(opts.loss, '--loss') },
        });
        process.stdout.write(JSON.stringify(metrics, null, 2) + '\n');
        break;
      }
      case 'nsde': {
        const { trainNsde } = await import('../models/nsde/index.ts');
        const metrics = await trainNsde({ seed, outDir: opts.out, dataDir: opts.data, signal: ac.signal, onProgress: progress });
        process.stdout.write(JSON.stringify(metrics, null, 2) + '\n');
        break;
      }
      default:
        throw new Error(`model: unknown model "${model}" (known: hn-gru, surrogate, vae-surface, deep-hedger, nsde)`);
    }
  });

program
  .command('surface')
  .description('fit the implied-vol surface of CBOE option-chain exports (or any option tick file): per file, as JSON, the snapshot time and spot, per expiry the parity forward and the SVI fit with its RMSE, the SSVI fit, the arbitrage flags, and the Heston calibration by the surrogate and by the exact pricer (parameters, IV RMSE, milliseconds)')
  .argument('<files...>', 'option-chain files')
  .action(async (files: string[]) => {
    const { fitChainFiles } = await import('./surface/chain-files.ts');
    process.stdout.write(JSON.stringify(await fitChainFiles(files), null, 2) + '\n');
  });

program
  .command('price')
  .description('price European options (bs, heston, bates, hn) or invert prices to implied vol: JSON requests on stdin, one JSON result per request on stdout')
  .addHelpText(
    'after',
    `
Request: {"model":"bs"|"heston"|"bates"|"hn","right":"call"|"put","S":..,"K":number|[..],"T":years,"r":..,"q":0,
          "params":{...},"greeks":false}
  params: bs {sigma}; heston {v0,kappa,theta,sigma,rho}; bates {v0,kappa,theta,sigma,rho,lambda,muJ,sigmaJ};
          hn {omega,alpha,beta,gamma,lambda} daily (a day is 1/252 year, T rounded to whole days; optional h0)
Implied vol: {"op":"iv","right":..,"S":..,"K":..,"T":..,"r":..,"q":..,"price":number|[..]}
Input: one JSON request, an array of them, or one per line. A bad request answers {"error":"<field>: ..."}.
Example: echo '{"model":"bs","right":"call","S":100,"K":[90,100],"T":0.5,"r":0.03,"params":{"sigma":0.2}}' | volrisk price
`,
  )
  .action(async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    for (const part of parseJsonSequence(Buffer.concat(chunks).toString('utf8'))) {
      const requests = part.ok ? (Array.isArray(part.value) ? part.value : [part.value]) : [undefined];
      for (const req of requests) {
        const result = part.ok ? evaluatePriceRequest(req) : { error: part.error };
        process.stdout.write(JSON.stringify(result) + '\n');
      }
    }
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`volrisk: configuration error: ${err.message}\n`);
  else process.stderr.write(`volrisk: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
