/**
 * The store sink's spill log: rows that cannot reach the store go to numbered segment files in a
 * local folder, fsync'd before the writer is told they are safe, and are read back in order once
 * the store answers. One line per (append, table): `{"t":"ticks","r":["tsv line",...]}`.
 * Operations run one at a time, in call order, so segments keep the order rows were spilled in.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const NAME = /^spill-(\d{9})\.ndjson$/;
const fileName = (n: number): string => `spill-${String(n).padStart(9, '0')}.ndjson`;

/** A sealed segment handed to the replayer. */
export interface SpillSegment {
  readonly path: string;
  /** Its records, in the order they were written. */
  read(): AsyncIterable<{ table: string; rows: string[] }>;
  /** Deletes it (after every record is stored). */
  remove(): Promise<void>;
}

export class SpillLog {
  private chain: Promise<unknown> = Promise.resolve();
  private next = 1;
  private current: { n: number; fh: FileHandle } | undefined;
  private readonly sealed: number[] = [];
  private ready: Promise<void> | undefined;

  constructor(readonly dir: string) {}

  /** Whether a segment is open for appends (rows were spilled since the last seal). */
  get active(): boolean {
    return this.current !== undefined;
  }

  private run<T>(op: () => Promise<T>): Promise<T> {
    const p = this.chain.then(op);
    this.chain = p.catch(() => {});
    return p;
  }

  private init(): Promise<void> {
    return (this.ready ??= mkdir(this.dir, { recursive: true }).then(() => undefined));
  }

  /** Finds segments a previous process left (to replay first); resolves with their row count. */
  recover(): Promise<number> {
    return this.run(async () => {
      await this.init();
      const found = (await readdir(this.dir)).map((f) => NAME.exec(f)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
      let rows = 0;
      for (const n of found) {
        for await (const r of readSegment(join(this.dir, fileName(n)))) rows += r.rows.length;
        this.sealed.push(n);
      }
      this.next = Math.max(this.next, (found.at(-1) ?? 0) + 1);
      return rows;
    });
  }

  /** Appends chunks' rows (table -> TSV lines) and fsyncs; resolves once they are on disk. */
  append(chunks: readonly ReadonlyMap<string, readonly string[]>[]): Promise<void> {
    return this.run(async () => {
      await this.init();
      if (!this.current) {
        const n = this.next++;
        this.current = { n, fh: await open(join(this.dir, fileName(n)), 'a') };
        // The new name must survive a crash too, not just the bytes.
        const d = await open(this.dir, 'r');
        await d.sync().finally(() => d.close());
      }
      let text = '';
      for (const c of chunks) for (const [t, rows] of c) text += JSON.stringify({ t, r: rows }) + '\n';
      await this.current.fh.appendFile(text);
      await this.current.fh.datasync();
    });
  }

  /** Closes the open segment, so the replayer can take it. */
  seal(): Promise<void> {
    return this.run(async () => {
      if (!this.current) return;
      const { n, fh } = this.current;
      this.current = undefined;
      await fh.close();
      this.sealed.push(n);
    });
  }

  /** The oldest sealed segment, or undefined when none waits. */
  takeOldest(): Promise<SpillSegment | undefined> {
    return this.run(async () => {
      const n = this.sealed.shift();
      if (n === undefined) return undefined;
      const path = join(this.dir, fileName(n));
      return { path, read: () => readSegment(path), remove: () => rm(path, { force: true }) };
    });
  }
}

async function* readSegment(path: string): AsyncIterable<{ table: string; rows: string[] }> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let i = 0;
  for await (const line of lines) {
    i++;
    if (line === '') continue;
    let rec: { t?: unknown; r?: unknown };
    try {
      rec = JSON.parse(line) as typeof rec;
    } catch {
      // A crash mid-append leaves a torn last line: its writer was never told it was safe.
      continue;
    }
    if (typeof rec.t !== 'string' || !Array.isArray(rec.r)) throw new Error(`${path} line ${i}: not a spill record {"t":table,"r":[rows]}`);
    yield { table: rec.t, rows: rec.r as string[] };
  }
}
