/**
 * Variance (topic `variance`, key SPX): HN-GARCH, the VI-HN-GRU and GARCH(1,1) next-day
 * forecasts, daily realized and VIX-implied, all as annualised vols in percent over event time;
 * beside it the latest 1-day and 21-day forecasts per model and the variance risk premium.
 */
import type uPlot from 'uplot';
import { dots, fillChart, line, ordinalTimeAxis } from '../chart.ts';
import { el, esc, panelFrame, setHtml, type PanelFrame } from '../dom.ts';
import { clockTime, fmt, volPct } from '../format.ts';
import { SeriesRing } from '../ring.ts';
import { axis, COLORS } from '../theme.ts';
import type { WireMessage } from '../ws-client.ts';

interface VolForecast { vol1d: number; vol21d: number; var21d: number }
interface PerModel<T> { hn: T; gru: T; garch: T }
/** The fields of streams/variance.ts VariancePayload the panel reads. */
export interface VarianceView {
  kind: 'close' | 'nowcast';
  date: string;
  hn: number;
  gru: number;
  garch: number;
  realized: number | null;
  intradayRv: number | null;
  vix: number | null;
  vixVariance: number | null;
  forecasts: PerModel<VolForecast>;
  vrp: PerModel<number> | null;
  hnAtmVol30d: number;
}

const MODELS = [['hn', 'HN-GARCH', COLORS.hn], ['gru', 'VI-HN-GRU', COLORS.gru], ['garch', 'GARCH(1,1)', COLORS.garch]] as const;

export class VariancePanel {
  readonly frame: PanelFrame;
  // hn, gru, garch, realized (daily closes), VIX-implied
  private readonly ring = new SeriesRing(2000, 5);
  private latest: { v: VarianceView; ts: number } | undefined;
  private chart: uPlot | undefined;
  private times: number[] = [];
  private readonly table = el('div', { class: 'side-table' });
  private dirty = true;

  constructor() {
    this.frame = panelFrame('variance', 'Variance', 'annualised vol % · next-day forecasts');
    const plot = el('div', { class: 'plot' });
    this.frame.body.append(el('div', { class: 'split' }, plot, this.table));
    queueMicrotask(() => {
      this.chart = fillChart(plot, {
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        axes: [ordinalTimeAxis(() => this.times, axis(undefined, 28)), axis('vol %', 44)],
        series: [
          {},
          ...MODELS.map(([, label, c]) => line(label, c)),
          { ...dots('realized (daily)', COLORS.realized, 6) },
          line('VIX-implied', COLORS.vixImplied, { dash: [5, 4] }),
        ],
      }, [[], [], [], [], [], []]);
    });
  }

  onMessage(m: WireMessage): void {
    if (m.topic !== 'variance' || m.ts === undefined) return;
    const v = m.payload as VarianceView;
    this.ring.push(m.ts / 1e6, [volPct(v.hn), volPct(v.gru), volPct(v.garch), v.kind === 'close' ? volPct(v.realized) : NaN, volPct(v.vixVariance)]);
    if (!this.latest || m.ts >= this.latest.ts) this.latest = { v, ts: m.ts };
    this.dirty = true;
  }

  reset(): void {
    this.ring.clear();
    this.latest = undefined;
    this.dirty = true;
  }

  draw(): void {
    if (!this.dirty || !this.chart) return;
    this.dirty = false;
    const [x, ...ys] = this.ring.data();
    this.times = x;
    this.chart.setData([x.map((_, i) => i), ...ys] as uPlot.AlignedData);
    const l = this.latest;
    this.frame.setReady(l !== undefined, 'waiting for the first daily SPX close (the variance filters step once a day)');
    if (!l) return;
    const v = l.v;
    this.frame.meta.textContent = `${v.kind === 'close' ? `close of ${v.date}` : 'intraday nowcast'} · ${clockTime(l.ts)}`;
    const rows = MODELS.map(([k, label, c]) => `<tr><td><i style="background:${c}"></i>${label}</td><td>${fmt(100 * v.forecasts[k].vol1d, 1)}</td><td>${fmt(100 * v.forecasts[k].vol21d, 1)}</td><td>${v.vrp ? fmt(1e4 * v.vrp[k], 1) : '—'}</td></tr>`).join('');
    const rv = v.kind === 'close' ? volPct(v.realized) : volPct(v.intradayRv);
    setHtml(this.table, `<table><thead><tr><th>model</th><th>1d %</th><th>21d %</th><th title="variance risk premium: (VIX/100)^2 minus the model's 21-day variance, in vol points squared">VRP</th></tr></thead><tbody>${rows}</tbody></table>
<div class="kv"><span>realized ${esc(v.kind === 'close' ? 'today' : 'so far today')}</span><b>${fmt(rv, 1)}%</b></div>
<div class="kv"><span>VIX</span><b>${fmt(v.vix, 2)}</b></div>
<div class="kv"><span>HN 30d ATM implied</span><b>${fmt(100 * v.hnAtmVol30d, 1)}%</b></div>`);
  }
}
