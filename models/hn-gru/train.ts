/**
 * The whole HN-GRU pipeline behind `volrisk train hn-gru`: data, the GARCH(1,1) and HN-GARCH
 * MLEs on the training days, the VI-HN-GRU's joint MLE from HN's fit with early stopping on the
 * validation days, then, once, the test evaluation; writes weights.json and metrics.json.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hnFit } from '../../src/quant/hn-mle.ts';
import { loadDailySeries, RV_SQUARED_RETURN, type DailySeries } from './data.ts';
import { evaluate, type SplitNll, type TestMetrics } from './evaluate.ts';
import { createVarianceFilter } from './filter.ts';
import { DEFAULT_VI_FIT, fitVi, type EpochReport, type ViFitConfig } from './fit-vi-gru.ts';
import { garchFit, type Garch11Params } from './garch11.ts';
import { SPLITS, splitIndex } from './splits.ts';
import { RETURN_SCALE, VARIANCE_SCALE } from './units.ts';
import { hnToPercent, VI_NAMES, viInitialTheta } from './vi-gru-params.ts';
import type { HnParams } from '../../src/quant/hn-params.ts';
import type { HnGruWeights } from './weights.ts';

/** The default seed of the GRU's initial weights. */
export const DEFAULT_SEED = 20240501;

/** A progress event. */
export interface TrainProgress {
  phase: 'data' | 'garch' | 'hn' | 'gru' | 'evaluate' | 'write' | 'done';
  epoch?: number;
  /** Mean NLL per day, natural units (log returns). */
  trainNll?: number;
  validNll?: number;
  message?: string;
}

/** Settings of trainHnGru. */
export interface TrainOptions {
  /** Real-data folder (default VOLRISK_REAL_DATA or ../shared/data). */
  dataDir?: string;
  seed?: number;
  /** Where weights.json and metrics.json go (default models/hn-gru). */
  outDir?: string;
  onProgress?: (e: TrainProgress) => void;
  signal?: AbortSignal;
  /** Override of the GRU fit settings (tests use a short run). */
  fit?: Partial<ViFitConfig>;
  /** Report every this many epochs (default 50). */
  progressEvery?: number;
}

/** metrics.json. */
export interface Metrics {
  version: 1;
  model: 'vi-hn-gru';
  seed: number;
  data: { source: string; start: string; end: string; nDays: number; rvGkOvernightDays: number; rvSquaredReturnDays: number };
  splits: Record<'train' | 'valid' | 'test', { from: string; to: string; nDays: number }>;
  fits: {
    garch: { params: Garch11Params; se: Garch11Params; logLik: number; converged: boolean };
    hn: { params: HnParams; se: HnParams; logLik: number; persistence: number; converged: boolean };
    gru: {
      config: ViFitConfig;
      epochs: number;
      bestEpoch: number;
      stoppedBy: string;
      /** Mean NLL per day, natural units: at the start (= HN's fit with the initial GRU), at the best epoch. */
      initialTrainNll: number;
      trainNll: number;
      validNll: number;
      /** [epoch, trainNll, validNll] (natural units) at epochs 1..5 and every 100th: a fixed-seed run reproduces it. */
      trace: Array<[number, number, number]>;
    };
  };
  /** NLL per day (natural units) of every model on each split. */
  nllPerDay: SplitNll;
  test: TestMetrics;
}

const here = dirname(fileURLToPath(import.meta.url));
const LOG_SCALE = Math.log(RETURN_SCALE);
const sig = (x: number): number => Number(x.toPrecision(12));

function abortError(): Error {
  const e = new Error('HN-GRU training aborted: nothing written');
  e.name = 'AbortError';
  return e;
}

function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, path);
}

/** The HN and GARCH fits, the GRU's start, on the training days of `data` (shared with the tests). */
export function prepareFits(data: DailySeries, seed: number) {
  const sp = splitIndex(data, SPLITS);
  const trainRet = data.ret.subarray(sp.train[0], sp.train[1]);
  const garch = garchFit(trainRet);
  const hn = hnFit(trainRet);
  const y = data.ret.map((r) => r * RETURN_SCALE);
  const rv = data.rv.map((v) => v * VARIANCE_SCALE);
  const v = hn.h1 * VARIANCE_SCALE;
  const theta0 = viInitialTheta(hnToPercent(hn.params), v, seed);
  return { sp, garch, hn, y, rv, theta0, st0: { s: 0, eta: v, h: v } };
}

/**
 * Runs the pipeline and writes weights.json and metrics.json into outDir; resolves to the
 * metrics. Aborting through `signal` rejects with an AbortError and writes nothing.
 */
export async function trainHnGru(opts: TrainOptions = {}): Promise<Metrics> {
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  const outDir = opts.outDir ?? here;
  const say = opts.onProgress ?? (() => {});
  const every = opts.progressEvery ?? 50;
  const check = (): void => {
    if (opts.signal?.aborted) throw abortError();
  };
  check();
  const data = loadDailySeries(opts.dataDir);
  const n = data.dates.length;
  say({ phase: 'data', message: `${n} SPX return days ${data.dates[0]} .. ${data.dates[n - 1]}` });
  check();
  const { sp, garch, hn, y, rv, theta0, st0 } = prepareFits(data, seed);
  say({ phase: 'garch', message: `GARCH(1,1) alpha ${garch.params.alpha.toFixed(4)} beta ${garch.params.beta.toFixed(4)} logLik ${garch.logLik.toFixed(1)}` });
  say({ phase: 'hn', message: `HN-GARCH persistence ${hn.persistence.toFixed(4)} logLik ${hn.logLik.toFixed(1)}` });
  check();
  const cfg: ViFitConfig = { ...DEFAULT_VI_FIT, ...opts.fit };
  const trace: Array<[number, number, number]> = [];
  const fit = await fitVi(theta0, y, rv, sp.train, sp.valid, st0, cfg, (r: EpochReport) => {
    check();
    const tn = r.trainNll - LOG_SCALE;
    const vn = r.validNll - LOG_SCALE;
    if (r.epoch <= 5 || r.epoch % 100 === 0) trace.push([r.epoch, sig(tn), sig(vn)]);
    if (r.epoch === 1 || r.epoch % every === 0) say({ phase: 'gru', epoch: r.epoch, trainNll: tn, validNll: vn });
  });
  check();
  say({ phase: 'gru', message: `best epoch ${fit.bestEpoch} of ${fit.epochs} (${fit.stoppedBy}): train ${(fit.trainNllAtBest - LOG_SCALE).toFixed(5)} valid ${(fit.bestValidNll - LOG_SCALE).toFixed(5)}` });

  const start = {
    date: data.firstPrevDate,
    close: data.firstPrevClose,
    garchS2: garch.s2First,
    hnH: hn.h1,
    gru: { ...st0 },
  };
  const weights: HnGruWeights = {
    version: 1,
    model: 'vi-hn-gru',
    seed,
    data: { source: 'spx/spx-daily.csv, vix/vix-daily.csv', start: data.dates[0], end: data.dates[n - 1], nDays: n },
    splits: { ...SPLITS },
    garch: garch.params,
    hn: hn.params,
    gru: { units: 'percent', names: [...VI_NAMES], w: Array.from(fit.w) },
    init: start,
    end: start,
  };
  // the end-of-history states come from the live filter itself, so live continues exactly
  const f = createVarianceFilter(weights, { from: 'start' });
  for (let t = 0; t < n; t++) f.step({ date: data.dates[t], close: data.close[t], rv: data.rv[t] });
  const last = f.current();
  weights.end = { date: last.date, close: last.close, garchS2: last.garch, hnH: last.hn, gru: last.gruState };
  check();
  say({ phase: 'evaluate', message: `test ${data.dates[sp.test[0]]} .. ${data.dates[n - 1]}` });
  const ev = evaluate(weights, data, sp);
  const range = ([a, b]: [number, number]) => ({ from: data.dates[a], to: data.dates[b - 1], nDays: b - a });
  let sq = 0;
  for (let i = 0; i < n; i++) if (data.rvSource[i] === RV_SQUARED_RETURN) sq++;
  const metrics: Metrics = {
    version: 1,
    model: 'vi-hn-gru',
    seed,
    data: { ...weights.data, rvGkOvernightDays: n - sq, rvSquaredReturnDays: sq },
    splits: { train: range(sp.train), valid: range(sp.valid), test: range(sp.test) },
    fits: {
      garch: { params: garch.params, se: garch.se, logLik: sig(garch.logLik), converged: garch.converged },
      hn: { params: hn.params, se: hn.se, logLik: sig(hn.logLik), persistence: sig(hn.persistence), converged: hn.converged },
      gru: {
        config: cfg,
        epochs: fit.epochs,
        bestEpoch: fit.bestEpoch,
        stoppedBy: fit.stoppedBy,
        initialTrainNll: sig(fit.initialTrainNll - LOG_SCALE),
        trainNll: sig(fit.trainNllAtBest - LOG_SCALE),
        validNll: sig(fit.bestValidNll - LOG_SCALE),
        trace,
      },
    },
    nllPerDay: ev.nll,
    test: ev.test,
  };
  check();
  say({ phase: 'write', message: outDir });
  mkdirSync(outDir, { recursive: true });
  writeJsonAtomic(resolve(outDir, 'weights.json'), weights);
  writeJsonAtomic(resolve(outDir, 'metrics.json'), metrics);
  say({ phase: 'done' });
  return metrics;
}
