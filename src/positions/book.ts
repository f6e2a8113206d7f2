/**
 * The positions book: the live set of positions, changed by REST (admin) and read by the
 * `hedges` stage. Every change bumps a book-wide version and is told to listeners; the stage
 * reads `snapshot()` and applies a newer version before the next input message it processes
 * (streams/hedges.ts explains the ordering).
 */
import { Subject, type Observable } from 'rxjs';
import { checkPositions, idProblem, positionInputError } from './validate.ts';
import type { Position, PositionInput } from './schema.ts';

/** One change of the book. */
export interface BookChange {
  op: 'put' | 'delete';
  id: string;
  /** The position after the change (null for a delete). */
  position: Position | null;
  /** Book version after the change. */
  version: number;
}

/** An immutable view of the book at one version. */
export interface BookSnapshot {
  version: number;
  positions: ReadonlyMap<string, Position>;
}

/** Options of the book. */
export interface BookOptions {
  /** Method names a position may choose (unknown ones are refused); default: any. */
  methods?: readonly string[];
}

/** What the stage needs of a book. */
export interface BookView {
  snapshot(): BookSnapshot;
}

/** The live positions book. */
export class PositionsBook implements BookView {
  private map = new Map<string, Position>();
  private snap: BookSnapshot;
  private readonly subject = new Subject<BookChange>();
  private readonly methods?: readonly string[];
  /** Every change, in order. */
  readonly changes: Observable<BookChange> = this.subject.asObservable();

  /** A book of these positions (validated; `where` names their source in errors). */
  constructor(positions: readonly Position[] = [], options: BookOptions = {}, where = 'positions') {
    this.methods = options.methods;
    for (const p of checkPositions([...positions], where, this.methods)) this.map.set(p.id, { ...p });
    this.snap = { version: 0, positions: new Map(this.map) };
  }

  /** The method names positions may choose (undefined: any). */
  get methodNames(): readonly string[] | undefined {
    return this.methods;
  }

  /** Book version: 0 at start, +1 per change. */
  get version(): number {
    return this.snap.version;
  }

  /** The positions, in insertion order. */
  list(): Position[] {
    return [...this.map.values()];
  }

  /** One position, or undefined. */
  get(id: string): Position | undefined {
    return this.map.get(id);
  }

  /** The book at its current version (cheap: rebuilt only on change). */
  snapshot(): BookSnapshot {
    return this.snap;
  }

  /** Creates or replaces a position; throws a RangeError naming the field when it is invalid. Returns whether it was created. */
  put(id: string, input: PositionInput): boolean {
    const idErr = idProblem(id);
    if (idErr) throw new RangeError(`position "${id}": ${idErr}`);
    const err = positionInputError(input, this.methods);
    if (err) throw new RangeError(`position "${id}": ${err}`);
    const created = !this.map.has(id);
    const position: Position = { id, ...input };
    this.map.set(id, position);
    this.commit({ op: 'put', id, position });
    return created;
  }

  /** Sets a position's current hedge (the bot's fill); throws when there is no such position. */
  setHedge(id: string, hedge: number): Position {
    const p = this.map.get(id);
    if (!p) throw new RangeError(`position "${id}": no such position`);
    if (!Number.isFinite(hedge)) throw new RangeError(`position "${id}": hedge: must be a finite number (got ${hedge})`);
    const { id: _id, ...input } = p;
    this.put(id, { ...input, hedge });
    return this.map.get(id)!;
  }

  /** Removes a position; false when there was none. */
  remove(id: string): boolean {
    if (!this.map.delete(id)) return false;
    this.commit({ op: 'delete', id, position: null });
    return true;
  }

  private commit(c: Omit<BookChange, 'version'>): void {
    this.snap = { version: this.snap.version + 1, positions: new Map(this.map) };
    this.subject.next({ ...c, version: this.snap.version });
  }
}
