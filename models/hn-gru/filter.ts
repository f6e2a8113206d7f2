/**
 * The live variance filter: one step per daily close updates GARCH(1,1), plain HN-GARCH and the
 * VI-HN-GRU with their fitted (fixed) parameters, through the very functions the fits and the
 * evaluation use (garchNextVariance, the quant core's hnNextVariance, viStep), and returns the
 * next day's variances, 1-day and 21-day forecast vols, and the comparison with VIX.
 */
import { hnExpectedTotalVariance, hnNextVariance, type HnParams } from '../../src/quant/hn-params.ts';
import { dailyRealizedVariance, RV_SQUARED_RETURN } from './data.ts';
import { garchExpectedTotalVariance, garchNextVariance } from './garch11.ts';
import { hnImpliedAtmVol30d } from './implied-atm-vol.ts';
import { DAYS_PER_YEAR, HORIZON_DAYS, RETURN_SCALE, VARIANCE_SCALE, annualVol, LOG_2PI } from './units.ts';
import { viExpectedTotalVariance, viStep, type ViState } from './vi-gru-cell.ts';
import type { HnGruWeights } from './weights.ts';

/** A daily bar: close required; OHLC gives the Garman-Klass realized variance; rv overrides it. */
export interface DailyBar {
  date: string;
  close: number;
  open?: number;
  high?: number;
  low?: number;
  /** The day's realized variance (natural daily units), e.g. from 5-minute returns. */
  rv?: number | null;
}

/** Annualised forecast vols of one model. */
export interface VolForecast {
  /** sqrt(252 x next day's variance). */
  vol1d: number;
  /** sqrt(252 / 21 x expected variance of the next 21 trading days). */
  vol21d: number;
  /** Expected total variance of the next 21 trading days (natural units). */
  var21d: number;
}

/** Per-model numbers. */
export interface PerModel<T> {
  hn: T;
  gru: T;
  garch: T;
}

/** What one step returns. Variances are natural daily units (a daily log-return variance). */
export interface VarianceState {
  date: string;
  close: number;
  /** False when the bar only set the previous close (the first bar of a filter with none). */
  updated: boolean;
  /** The bar's log return ln(close / previous close); null when not updated. */
  logReturn: number | null;
  /** The bar's realized variance; null when not updated. */
  realized: number | null;
  /** 'given' (bar.rv), 'gk+overnight' (Garman-Klass + squared overnight return), 'squared-return'. */
  realizedSource: 'given' | 'gk+overnight' | 'squared-return' | null;
  /** Plain HN-GARCH variance of the next day, h_{t+1}. */
  hn: number;
  /** VI-HN-GRU variance of the next day, eta_{t+1}. */
  gru: number;
  /** The VI-HN-GRU's internal HN variance of the next day (driven by the GRU's shocks). */
  gruHn: number;
  /** GARCH(1,1) variance of the next day. */
  garch: number;
  /** The VI-HN-GRU's raw state (percent units: hidden s, eta and h times 1e4), a copy. */
  gruState: ViState;
  /** Annualised 1-day and 21-day forecast vols per model. */
  forecasts: PerModel<VolForecast>;
  /** Negative log-likelihood of the bar's return under each model's forecast for it; null when not updated. */
  nll: PerModel<number> | null;
  /** The VIX close given with the bar (index points), or null. */
  vix: number | null;
  /** VIX-implied daily variance (VIX / 100)^2 / 252, or null. */
  vixVariance: number | null;
  /** Variance risk premium per model: (VIX / 100)^2 minus the model's 21-day annualised variance; null without VIX. */
  vrp: PerModel<number> | null;
}

/** The filter. */
export interface VarianceFilter {
  /** Advances every model by the bar's day and returns the new state. */
  step(bar: DailyBar, vix?: number | null): VarianceState;
  /** The state step would return, without advancing (an intraday nowcast from a running bar). */
  preview(bar: DailyBar, vix?: number | null): VarianceState;
  /** The last state returned by step (or the starting one). */
  current(): VarianceState;
  /** HN-GARCH option-implied 30-day ATM vol at the current plain-HN variance. */
  hnImpliedAtmVol30d(): number;
}

/** Where the filter starts: after the fitted history ('end', default) or before it ('start'). */
export interface FilterOptions {
  from?: 'end' | 'start';
  /**
   * Previous close for the first bar. Default: the history's own close for 'start'; none for
   * 'end', so the first bar only sets it (a tape at another price level must not produce a jump).
   */
  prevClose?: number | null;
}

const SRC = ['gk+overnight', 'squared-return'] as const;

/** Builds a filter from fitted weights (loadHnGru). */
export function createVarianceFilter(weights: HnGruWeights, opts: FilterOptions = {}): VarianceFilter {
  const from = opts.from ?? 'end';
  if (from !== 'end' && from !== 'start') throw new RangeError(`from must be "end" or "start", got ${String(from)}`);
  const s0 = from === 'end' ? weights.end : weights.init;
  const gp = weights.garch;
  const hp: HnParams = weights.hn;
  const w = Float64Array.from(weights.gru.w);
  let prevClose: number | null = opts.prevClose !== undefined ? opts.prevClose : from === 'start' ? s0.close : null;
  if (prevClose !== null && !(prevClose > 0 && Number.isFinite(prevClose))) throw new RangeError(`prevClose must be a positive price, got ${prevClose}`);
  let lastDate: string = s0.date;
  let garchS2 = s0.garchS2;
  let hnH = s0.hnH;
  const gru: ViState = { ...s0.gru };
  const scratch: ViState = { s: 0, eta: 0, h: 0 };

  const build = (date: string, close: number, g2: number, h: number, st: ViState, vix: number | null | undefined, upd: Omit<VarianceState, 'date' | 'close' | 'hn' | 'gru' | 'gruHn' | 'garch' | 'gruState' | 'forecasts' | 'vix' | 'vixVariance' | 'vrp'>): VarianceState => {
    const g21 = garchExpectedTotalVariance(gp, g2, HORIZON_DAYS);
    const h21 = hnExpectedTotalVariance(hp, h, HORIZON_DAYS);
    const e21 = viExpectedTotalVariance(w, st, HORIZON_DAYS) / VARIANCE_SCALE;
    const eta = st.eta / VARIANCE_SCALE;
    const hasVix = vix !== undefined && vix !== null && Number.isFinite(vix) && vix > 0;
    const vv = hasVix ? (vix / 100) ** 2 : 0;
    const k = DAYS_PER_YEAR / HORIZON_DAYS;
    return {
      date,
      close,
      ...upd,
      hn: h,
      gru: eta,
      gruHn: st.h / VARIANCE_SCALE,
      garch: g2,
      gruState: { s: st.s, eta: st.eta, h: st.h },
      forecasts: {
        hn: { vol1d: annualVol(h), vol21d: annualVol(h21, HORIZON_DAYS), var21d: h21 },
        gru: { vol1d: annualVol(eta), vol21d: annualVol(e21, HORIZON_DAYS), var21d: e21 },
        garch: { vol1d: annualVol(g2), vol21d: annualVol(g21, HORIZON_DAYS), var21d: g21 },
      },
      vix: hasVix ? vix : null,
      vixVariance: hasVix ? vv / DAYS_PER_YEAR : null,
      vrp: hasVix ? { hn: vv - k * h21, gru: vv - k * e21, garch: vv - k * g21 } : null,
    };
  };

  let last = build(lastDate, s0.close, garchS2, hnH, gru, null, { updated: false, logReturn: null, realized: null, realizedSource: null, nll: null });

  const advance = (bar: DailyBar, vix: number | null | undefined, commit: boolean): VarianceState => {
    if (bar === null || typeof bar !== 'object') throw new TypeError('bar must be an object { date, close, open?, high?, low?, rv? }');
    const { date, close } = bar;
    if (typeof date !== 'string' || date === '') throw new RangeError(`bar.date must be a date string, got ${JSON.stringify(date)}`);
    if (!(typeof close === 'number' && close > 0 && Number.isFinite(close))) throw new RangeError(`bar.close must be a positive price, got ${String(close)} on ${date}`);
    if (date <= lastDate) throw new RangeError(`bar.date ${date} must come after the last step's date ${lastDate}`);
    if (prevClose === null) {
      const st = build(date, close, garchS2, hnH, gru, vix, { updated: false, logReturn: null, realized: null, realizedSource: null, nll: null });
      if (commit) {
        prevClose = close;
        lastDate = date;
        last = st;
      }
      return st;
    }
    const R = Math.log(close / prevClose);
    let rv: number;
    let src: VarianceState['realizedSource'];
    if (bar.rv !== undefined && bar.rv !== null) {
      if (!(Number.isFinite(bar.rv) && bar.rv >= 0)) throw new RangeError(`bar.rv must be a variance >= 0, got ${bar.rv} on ${date}`);
      rv = bar.rv;
      src = 'given';
    } else {
      const [v, code] = dailyRealizedVariance(prevClose, bar.open, bar.high, bar.low, close);
      rv = v;
      src = SRC[code === RV_SQUARED_RETURN ? 1 : 0];
    }
    const eG = R - gp.mu;
    const eH = R - hp.lambda * hnH;
    const nll: PerModel<number> = {
      garch: 0.5 * (LOG_2PI + Math.log(garchS2) + (eG * eG) / garchS2),
      hn: 0.5 * (LOG_2PI + Math.log(hnH) + (eH * eH) / hnH),
      gru: 0,
    };
    const g2 = garchNextVariance(gp, garchS2, R);
    const h = hnNextVariance(hp, hnH, R);
    const st = commit ? gru : Object.assign(scratch, gru);
    nll.gru = viStep(w, st, RETURN_SCALE * R, VARIANCE_SCALE * rv) - Math.log(RETURN_SCALE);
    const out = build(date, close, g2, h, st, vix, { updated: true, logReturn: R, realized: rv, realizedSource: src, nll });
    if (commit) {
      prevClose = close;
      lastDate = date;
      garchS2 = g2;
      hnH = h;
      last = out;
    }
    return out;
  };

  return {
    step: (bar, vix) => advance(bar, vix, true),
    preview: (bar, vix) => advance(bar, vix, false),
    current: () => last,
    hnImpliedAtmVol30d: () => hnImpliedAtmVol30d(hp, hnH),
  };
}
