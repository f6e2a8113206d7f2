/**
 * Variance stage: on each daily SPX bar, one filter step of GARCH(1,1), HN-GARCH and the
 * VI-HN-GRU (models/hn-gru, fixed fitted weights, no re-fit); on each 5-minute SPX bar, a nowcast
 * from the running day's realized variance (the same filter, previewed without advancing). The
 * latest VIX bar gives the VIX-implied variance and the variance risk premium.
 *
 * A filter starts after the fitted history when the tape is later than it (a live feed), and from
 * the start of the history otherwise (a replay of past years), so its dates always increase; days
 * before the history's start give no variance.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Message, Output } from '../src/bus/message.ts';
import { TOPICS } from '../src/bus/topics.ts';
import { createVarianceFilter, type HnGruWeights, type VarianceFilter, type VarianceState } from '../models/hn-gru/index.ts';
import type { Bar } from './bars.ts';
import type { Stage } from './stage.ts';

/** What the `variance` topic carries per index (key `SPX`). Variances are daily, natural units. */
export interface VariancePayload extends Omit<VarianceState, 'gruState' | 'nll'> {
  index: string;
  /** `close`: a daily step; `nowcast`: intraday, from the running day's 5-minute realized variance. */
  kind: 'close' | 'nowcast';
  /** The running day's realized variance from 5-minute returns (nowcasts), else null. */
  intradayRv: number | null;
  /** HN-GARCH option-implied 30-day ATM vol (annualised) at the current HN variance. */
  hnAtmVol30d: number;
}

const INDEX = 'SPX';

/** The variance operator over bars, with the given fitted weights. */
export function variance(weights: HnGruWeights): OperatorFunction<Message<Bar>, Output<VariancePayload>> {
  return (source) =>
    new Observable<Output<VariancePayload>>((sub) => {
      let filter: VarianceFilter | undefined;
      let atmVol = NaN;
      let vix: number | null = null;
      let vixEnd = -Infinity;
      // Running day of 5-minute returns.
      let day = '';
      let lastClose = NaN;
      let rv = 0;

      const payload = (s: VarianceState, kind: VariancePayload['kind'], intradayRv: number | null): VariancePayload => {
        const { gruState: _g, nll: _n, ...rest } = s;
        return { index: INDEX, kind, ...rest, intradayRv, hnAtmVol30d: atmVol };
      };

      return source.subscribe({
        next: (msg) => {
          const b = msg.payload;
          if (b.symbol === 'VIX') {
            if (b.end >= vixEnd) {
              vix = b.close;
              vixEnd = b.end;
            }
            return;
          }
          if (b.symbol !== INDEX) return;
          if (b.interval === '1d') {
            // The model's states begin with its fitted history (1983-07): nothing to filter before.
            if (b.date <= weights.init.date) return;
            // The first bar only sets the previous close: a tape's price level need not match the history's.
            filter ??= createVarianceFilter(weights, { from: b.date > weights.end.date ? 'end' : 'start', prevClose: null });
            const s = filter.step({ date: b.date, close: b.close, open: b.open, high: b.high, low: b.low, rv: b.rv }, vix);
            atmVol = filter.hnImpliedAtmVol30d();
            sub.next({ key: INDEX, ts: b.end, payload: payload(s, 'close', null) });
            return;
          }
          if (b.interval !== '5m') return;
          if (b.date !== day) {
            day = b.date;
            lastClose = b.open;
            rv = 0;
          }
          const r = Math.log(b.close / lastClose);
          rv += r * r;
          lastClose = b.close;
          // A nowcast needs a filter, which starts at the first daily close.
          if (!filter) return;
          sub.next({ key: INDEX, ts: b.end, payload: payload(filter.preview({ date: b.date, close: b.close, rv }, vix), 'nowcast', rv) });
        },
        error: (e) => sub.error(e),
        complete: () => sub.complete(),
      });
    });
}

/** The variance stage: bars -> variance, with the committed weights. */
export function varianceStage(weights: HnGruWeights): Stage<Bar, VariancePayload> {
  return { name: 'variance', inputs: [TOPICS.bars], output: TOPICS.variance, operator: () => variance(weights) };
}
