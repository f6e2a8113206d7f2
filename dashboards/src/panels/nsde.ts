/**
 * The neural-SDE fan chart (topic `nsde`, key VIX; streams/nsde.ts NsdePayload): simulated VIX
 * quantiles against trading days ahead, the 5-95% band faint and the 25-75% band darker around
 * the median, the mean dashed, all starting from the print the simulation started from; the
 * caption gives the 95% value-at-risk and expected shortfall of a rise in VIX.
 */
import type uPlot from 'uplot';
import { fillChart, line } from '../chart.ts';
import { el, panelFrame, type PanelFrame } from '../dom.ts';
import { clockTime, count, fmt } from '../format.ts';
import { axis, COLORS } from '../theme.ts';
import type { WireMessage } from '../ws-client.ts';

/** One horizon of streams/nsde.ts NsdePayload. */
interface HorizonView { days: number; mean: number; q05: number; q25: number; q50: number; q75: number; q95: number; var95: number; es95: number }
/** The fields of streams/nsde.ts NsdePayload the panel reads. */
export interface NsdeView { symbol: string; vix: number; historyDays: number; warm: number; paths: number; horizons: HorizonView[] }

const QS = ['q05', 'q25', 'q50', 'q75', 'q95'] as const;

export class NsdePanel {
  readonly frame: PanelFrame;
  private chart: uPlot | undefined;
  private latest: { p: NsdeView; ts: number } | undefined;
  private dirty = true;

  constructor() {
    this.frame = panelFrame('nsde', 'VIX distribution (neural SDE)', 'VIX points · trading days ahead');
    const plot = el('div', { class: 'plot' });
    this.frame.body.append(plot);
    queueMicrotask(() => {
      const faint = `${COLORS.vix}55`;
      this.chart = fillChart(plot, {
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        axes: [{ ...axis('trading days ahead', 36), values: (_u: uPlot, v: number[]) => v.map((x) => (x === null ? '' : fmt(x, 0))) }, axis('VIX', 40)],
        series: [
          { label: 'days' },
          line('5%', faint, { width: 1 }),
          line('25%', faint, { width: 1 }),
          line('median', COLORS.vix, { width: 2 }),
          line('75%', faint, { width: 1 }),
          line('95%', faint, { width: 1 }),
          line('mean', COLORS.text, { width: 1, dash: [4, 4] }),
        ],
        bands: [
          { series: [5, 1], fill: 'rgba(247,120,186,0.12)' },
          { series: [4, 2], fill: 'rgba(247,120,186,0.22)' },
        ],
      }, [[], [], [], [], [], [], []]);
      this.dirty = true;
    });
  }

  onMessage(m: WireMessage): void {
    if (m.topic !== 'nsde' || m.ts === undefined) return;
    const p = m.payload as NsdeView;
    if (!Array.isArray(p?.horizons)) return;
    if (!this.latest || m.ts >= this.latest.ts) this.latest = { p, ts: m.ts };
    this.dirty = true;
  }

  reset(): void {
    this.latest = undefined;
    this.dirty = true;
  }

  draw(): void {
    if (!this.dirty || !this.chart) return;
    this.dirty = false;
    const l = this.latest;
    this.frame.setReady(l !== undefined && l.p.horizons.length > 0, 'waiting: the engine publishes no nsde messages yet (the stage simulates at most once a minute of event time)');
    if (!l) return;
    const { p } = l;
    const hs = [...p.horizons].sort((a, b) => a.days - b.days);
    const x = [0, ...hs.map((h) => h.days)];
    const cols = QS.map((q) => [p.vix, ...hs.map((h) => h[q])]);
    this.chart.setData([x, ...cols, [p.vix, ...hs.map((h) => h.mean)]] as uPlot.AlignedData);
    const last = hs[hs.length - 1];
    const first = hs[0];
    this.frame.meta.textContent = clockTime(l.ts);
    this.frame.caption.textContent = `from ${p.symbol} ${fmt(p.vix, 2)} · ${count(p.paths)} paths · 95% VaR of a rise: ${fmt(first?.var95, 2)} pts in ${first?.days ?? '—'}d, ${fmt(last?.var95, 2)} in ${last?.days ?? '—'}d (ES ${fmt(last?.es95, 2)})${p.historyDays < p.warm ? ` · history ${p.historyDays}/${p.warm} days` : ''}`;
  }
}
