/**
 * The engine's default feed: a seeded, deterministic market simulator. SPX follows Heston or
 * Bates under the physical measure (simulator-path.ts); VIX, VVIX and VIX futures come from
 * the simulated variance under the risk-neutral parameters (simulator-indices.ts); SPX option
 * quotes from the Heston/Bates pricer (simulator-options.ts), on a 09:30-16:00 New York
 * weekday schedule (simulator-schedule.ts). Parameters default to the fitted
 * data/simulator-params.json (tools/fit-simulator.ts); the mapping between the two measures is
 * documented in simulator-params.ts.
 *
 * Each step of market time carries one SPX print, every few steps the VIX and VVIX prints and
 * the futures strip, and option quotes in all its other slots, round-robin over the listed
 * contracts. A seed gives the same tape, tick for tick.
 */
import type { IndexTick, Tick } from '../ticks/schema.ts';
import { dayOf, parseEasternTime, easternToMicros, SESSION_OPEN_S } from './simulator-calendar.ts';
import { futureTick, indexTicks, listVixFutures, type VxContract } from './simulator-indices.ts';
import { listOptions, optionTick, priceExpiry, type ListedExpiry } from './simulator-options.ts';
import { loadSimulatorParams, checkSimulatorParams, type ModelParams, type SimulatorParams } from './simulator-params.ts';
import { SpxPath, TRADING_SECONDS_PER_YEAR } from './simulator-path.ts';
import { randomStreams, type RandomStream } from '../quant/mc-random.ts';
import { MarketClock } from './simulator-schedule.ts';

/** Simulator configuration; everything but the seed has a default. */
export interface SimulatorConfig {
  /** Integer seed: the same seed gives the same tape. */
  seed: number;
  /** Start, New York time: `YYYY-MM-DD` (that session's open) or `YYYY-MM-DDTHH:MM[:SS]`. Default 2024-01-02. */
  start?: string;
  /** End (exclusive), New York time, same format; default none. */
  end?: string;
  /** Stop after this many ticks; default none (infinite unless `end`). */
  maxTicks?: number;
  /** Ticks per second of market time, all kinds together. Default 1000. */
  ticksPerSecond?: number;
  /** Seconds of market time per path step and SPX print. Default 1 (longer when the rate is below one tick per second). */
  stepSeconds?: number;
  /** Model of the SPX path. Default 'heston'. */
  model?: 'heston' | 'bates';
  /** Parameters; default data/simulator-params.json. */
  params?: SimulatorParams;
  /** VIX and VVIX every this many steps. Default 5. */
  indexEverySteps?: number;
  /** The VIX futures strip every this many steps. Default 15. */
  futuresEverySteps?: number;
  /** Reprice an expiry at least every this many steps. Default 30. */
  repriceEverySteps?: number;
  /** Reprice an expiry when S moved by this relative amount since it was priced. Default 2e-4. */
  repriceMove?: number;
  /** Reprice an expiry when v moved by this relative amount since it was priced. Default 0.01. */
  repriceVarMove?: number;
  /** The `src` of every tick. Default 'sim'. */
  src?: string;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

function positive(name: string, x: number, integer = false): number {
  if (!Number.isFinite(x) || x <= 0 || (integer && !Number.isInteger(x))) {
    throw new RangeError(`simulator config: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${x}`);
  }
  return x;
}

const cents = (x: number) => Math.round(x * 100) / 100;

/** One run of the simulator: an iterator of ticks whose state tests and tools may inspect. */
export class SimulatorRun implements Iterator<Tick> {
  readonly path: SpxPath;
  readonly clock: MarketClock;
  readonly model: ModelParams;
  readonly params: SimulatorParams;
  /** Option grid of the current session. */
  listed: ListedExpiry[] = [];
  /** VIX futures listed in the current session. */
  futures: VxContract[] = [];
  private readonly quotes: RandomStream;
  private readonly src: string;
  private readonly endMicros: number;
  private readonly maxTicks: number;
  private readonly indexEvery: number;
  private readonly futuresEvery: number;
  private readonly repriceEvery: number;
  private readonly repriceMove: number;
  private readonly repriceVarMove: number;
  private slot = 0;
  private indexSlots = 0;
  private futureSlots = 0;
  private sseq = 0;
  private finished = false;
  private pendingVvix: IndexTick | undefined;
  // Round-robin over the session's contracts: expiry index, strike index, call flag.
  private rrExpiry = new Int32Array(0);
  private rrStrike = new Int32Array(0);
  private rrCall = new Uint8Array(0);
  private rr = 0;

  constructor(config: SimulatorConfig) {
    const tps = positive('ticksPerSecond', config.ticksPerSecond ?? 1000);
    let stepSeconds = positive('stepSeconds', config.stepSeconds ?? 1);
    if (tps * stepSeconds < 1) stepSeconds = 1 / tps;
    const ticksPerStep = Math.max(1, Math.round(tps * stepSeconds));
    this.indexEvery = positive('indexEverySteps', config.indexEverySteps ?? 5, true);
    this.futuresEvery = positive('futuresEverySteps', config.futuresEverySteps ?? 15, true);
    this.repriceEvery = positive('repriceEverySteps', config.repriceEverySteps ?? 30, true);
    this.repriceMove = config.repriceMove ?? 2e-4;
    this.repriceVarMove = config.repriceVarMove ?? 0.01;
    if (!(this.repriceMove >= 0) || !(this.repriceVarMove >= 0)) throw new RangeError('simulator config: repriceMove and repriceVarMove must be >= 0');
    this.maxTicks = config.maxTicks === undefined ? Infinity : config.maxTicks;
    if (!(this.maxTicks >= 0)) throw new RangeError(`simulator config: maxTicks must be >= 0, got ${config.maxTicks}`);
    const modelName = config.model ?? 'heston';
    if (modelName !== 'heston' && modelName !== 'bates') throw new RangeError(`simulator config: model must be "heston" or "bates", got "${String(modelName)}"`);
    this.params = config.params ? checkSimulatorParams(config.params) : loadSimulatorParams();
    this.model = this.params[modelName];
    if (modelName === 'heston') this.model = { ...this.model, q: { ...this.model.q, lambda: 0, muJ: 0, sigmaJ: 0 } };
    this.src = config.src ?? 'sim';

    const start = parseEasternTime(config.start ?? '2024-01-02', 'start');
    if (config.end !== undefined) {
      const e = parseEasternTime(config.end, 'end');
      this.endMicros = easternToMicros(e.day, e.secondsOfDay);
    } else {
      this.endMicros = Infinity;
    }
    this.clock = new MarketClock(start.day, start.secondsOfDay, stepSeconds, ticksPerStep);
    const [pathRng, jumpRng, quoteRng] = randomStreams(config.seed, 3);
    this.quotes = quoteRng;
    this.path = new SpxPath(
      this.model,
      this.params.spot,
      this.params.rate,
      this.params.dividendYield,
      (this.clock.stepMicros / 1e6) / TRADING_SECONDS_PER_YEAR,
      pathRng,
      jumpRng,
    );
    this.openSession();
    this.planStep();
  }

  /** Lists the session's options and futures at its opening state. */
  private openSession(): void {
    this.listed = listOptions(this.clock.day, this.path.S, this.path.v, this.model.q);
    this.futures = listVixFutures(this.clock.day);
    let n = 0;
    for (const e of this.listed) n += 2 * e.strikes.length;
    this.rrExpiry = new Int32Array(n);
    this.rrStrike = new Int32Array(n);
    this.rrCall = new Uint8Array(n);
    let i = 0;
    this.listed.forEach((e, ei) => {
      for (let k = 0; k < e.strikes.length; k++) {
        for (const c of [1, 0]) {
          this.rrExpiry[i] = ei;
          this.rrStrike[i] = k;
          this.rrCall[i++] = c;
        }
      }
    });
    this.rr = 0;
  }

  private planStep(): void {
    const s = this.clock.totalSteps;
    this.indexSlots = s % this.indexEvery === 0 ? 2 : 0;
    this.futureSlots = s % this.futuresEvery === 0 ? this.futures.length : 0;
  }

  private endStep(): void {
    this.path.step();
    if (this.clock.advance()) this.openSession();
    this.slot = 0;
    this.planStep();
  }

  /** Produces the tick of the current slot at time ts. */
  private makeTick(ts: number): Tick {
    const slot = this.slot;
    const q = this.model.q;
    if (slot === 0) return { kind: 'index', symbol: 'SPX', price: cents(this.path.S), ts };
    if (slot <= this.indexSlots) {
      if (slot === 1) {
        const [vix, vvix] = indexTicks(this.path.v, q, ts);
        this.pendingVvix = vvix;
        return vix;
      }
      const vvix = this.pendingVvix!;
      vvix.ts = ts;
      return vvix;
    }
    const f = slot - this.indexSlots - 1;
    if (f < this.futureSlots) return futureTick(this.futures[f], f, this.path.v, q, ts, this.quotes);
    return this.optionQuote(ts);
  }

  private optionQuote(ts: number): Tick {
    if (this.rr >= this.rrExpiry.length) this.rr = 0;
    const i = this.rr++;
    const e = this.listed[this.rrExpiry[i]];
    const S = this.path.S;
    const v = this.path.v;
    const step = this.clock.totalSteps;
    if (
      step - e.pricedStep >= this.repriceEvery ||
      Math.abs(S / e.pricedS - 1) > this.repriceMove ||
      Math.abs(v / e.pricedV - 1) > this.repriceVarMove
    ) {
      priceExpiry(e, S, v, this.model.q, this.params.rate, this.params.dividendYield, this.clock.stepStart, step);
    }
    return optionTick(e, this.rrStrike[i], this.rrCall[i] === 1, ts, this.quotes);
  }

  /** The next tick in event-time order. */
  next(): IteratorResult<Tick> {
    if (this.finished || this.sseq >= this.maxTicks) return DONE;
    for (;;) {
      if (this.slot >= this.clock.ticksPerStep) this.endStep();
      const ts = this.clock.tickTime(this.slot);
      if (ts < 0) {
        this.slot = this.clock.ticksPerStep;
        continue;
      }
      if (ts >= this.endMicros) {
        this.finished = true;
        return DONE;
      }
      const tick = this.makeTick(ts) as Tick & { src?: string; sseq?: number };
      this.slot++;
      tick.src = this.src;
      tick.sseq = ++this.sseq;
      return { done: false, value: tick };
    }
  }

  [Symbol.iterator](): Iterator<Tick> {
    return this;
  }
}

/**
 * The simulated market as an iterable of ticks in event-time order (infinite unless `end` or
 * `maxTicks` is set). Each iteration starts a fresh run from the seed, so two iterations give
 * the same ticks.
 */
export function createSimulator(config: SimulatorConfig): Iterable<Tick> {
  // Validate now, so a bad configuration fails where it is given rather than at first use.
  new SimulatorRun({ ...config, maxTicks: 0 });
  return { [Symbol.iterator]: () => new SimulatorRun(config) };
}

/** Epoch microseconds of a session open, New York time, for callers that schedule around the simulator. */
export function sessionOpenMicros(isoDate: string): number {
  return easternToMicros(dayOf(isoDate), SESSION_OPEN_S);
}
