/**
 * `volrisk ingest`: tick files checked (counts only), stored (through validation, into the
 * store's ticks and rejects tables), or sent to a running engine (which parses and stores them).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createEmbeddedBus } from '../bus/embedded.ts';
import { TOPICS } from '../bus/topics.ts';
import type { Config } from '../config.ts';
import { openStore } from '../store/client.ts';
import { migrate } from '../store/migrations.ts';
import { createSink } from '../store/sink.ts';
import type { ParseOutcome } from '../ticks/candidate.ts';
import { fileFormat, parseFile, type ParseFileOptions } from '../ticks/parse-file.ts';
import type { Reject } from '../ticks/reject.ts';
import { validateTicks, type Accepted } from '../ticks/validate.ts';
import { OutcomeCounter } from '../ticks/count-outcomes.ts';
import { SyncOperator } from '../../streams/sync-operator.ts';
import { Ingestor, runTape, type IngestCounts } from './ingest.ts';

export interface FileReport extends IngestCounts {
  file: string;
  format: string;
  error?: string;
}

const validatorFor = (config: Config) => () =>
  validateTicks({ maxLineBytes: config.VOLRISK_MAX_LINE_BYTES, timeToleranceMicros: config.VOLRISK_TIME_TOLERANCE_MS * 1000 });


/** Parses and validates each file; returns per-file counts accepted and rejected by reason. */
export async function checkFiles(files: readonly string[], parse: ParseFileOptions, config: Config): Promise<{ files: FileReport[] }> {
  const out: FileReport[] = [];
  for (const file of files) {
    const report: FileReport = { file, format: '', accepted: 0, rejected: 0, byReason: {} };
    try {
      report.format = await fileFormat(file, parse.format);
      const op = new SyncOperator(validatorFor(config));
      const counter = new OutcomeCounter();
      let batch: ParseOutcome[] = [];
      const count = (outs: readonly (Accepted | Reject)[]) => outs.forEach((o) => counter.add(o));
      for await (const o of parseFile(file, parse)) {
        batch.push(o);
        if (batch.length >= 4096) {
          count(op.push(batch));
          batch = [];
        }
      }
      count(op.push(batch));
      count(op.finish());
      Object.assign(report, counter.total());
    } catch (e) {
      report.error = (e as Error).message;
    }
    out.push(report);
  }
  return { files: out };
}

export interface IngestFilesOptions {
  /** Send to the engine at this URL instead of storing here. */
  url?: string;
  key?: string;
  progress?: (line: string) => void;
}

/** Stores the files' ticks and rejects (or sends the files to a running engine). */
export async function ingestFiles(files: readonly string[], parse: ParseFileOptions, config: Config, options: IngestFilesOptions = {}): Promise<{ files: FileReport[] }> {
  if (options.url) return sendFiles(files, parse, options);
  const store = await openStore({ url: config.CLICKHOUSE_URL || undefined, dataDir: config.DATA_DIR });
  await migrate(store);
  const bus = createEmbeddedBus();
  const sink = createSink(store, { maxRows: config.VOLRISK_SINK_ROWS, maxDelayMs: config.VOLRISK_SINK_MS });
  const consumers = await Promise.all([TOPICS.ticksRaw, TOPICS.ticksRejected].map((t) => bus.consume(t, 'store', (b) => sink.write(b))));
  const reports: FileReport[] = [];
  try {
    for (const file of files) {
      const ingestor = new Ingestor(bus, validatorFor(config), config.VOLRISK_RUN);
      const report: FileReport = { file, format: '', accepted: 0, rejected: 0, byReason: {} };
      try {
        report.format = await fileFormat(file, parse.format);
        let last = 0;
        const counts = await runTape(parseFile(file, parse), ingestor, {
          speed: 'max',
          onProgress: (c) => {
            const n = c.accepted + c.rejected;
            if (n - last >= 50_000) {
              last = n;
              options.progress?.(`${basename(file)}: ${n.toLocaleString('en-US')} records\n`);
            }
          },
        });
        Object.assign(report, counts);
      } catch (e) {
        report.error = (e as Error).message;
      }
      reports.push(report);
    }
    for (;;) {
      if (Object.values(bus.lag()).every((n) => n === 0)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await Promise.all(consumers.map((c) => c.stop()));
    await sink.close();
    await bus.close();
    await store.close();
  }
  return { files: reports };
}

/** Sends each file whole to `POST /api/ticks`; the engine parses, validates and stores it. */
async function sendFiles(files: readonly string[], parse: ParseFileOptions, options: IngestFilesOptions): Promise<{ files: FileReport[] }> {
  const reports: FileReport[] = [];
  for (const file of files) {
    const format = await fileFormat(file, parse.format);
    const text = await readFile(file, 'utf8');
    const q = new URLSearchParams({ format, src: basename(file).replace(/[^A-Za-z0-9_.:-]/g, '_') });
    if (parse.fallbackDate) q.set('date', parse.fallbackDate);
    const res = await fetch(`${options.url!.replace(/\/$/, '')}/api/ticks?${q}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...(options.key ? { authorization: `Bearer ${options.key}` } : {}) },
      body: text,
    });
    const body = (await res.json()) as IngestCounts & { error?: string };
    if (!res.ok) reports.push({ file, format, accepted: 0, rejected: 0, byReason: {}, error: `HTTP ${res.status}: ${body.error ?? ''}` });
    else reports.push({ file, format, accepted: body.accepted, rejected: body.rejected, byReason: body.byReason });
  }
  return { files: reports };
}
