/**
 * Engine health from `GET /api/stats` (src/server/stats-routes.ts), polled: ticks and messages
 * per second (with a chart of the last few minutes), rejects by reason, stage batch latency
 * p50/p99, bus lag, sink queue, connected clients, memory and event-loop lag.
 */
import type uPlot from 'uplot';
import { fillChart, line } from '../chart.ts';
import { el, esc, panelFrame, setHtml, type PanelFrame } from '../dom.ts';
import { count, fmt, mib } from '../format.ts';
import { SeriesRing } from '../ring.ts';
import { axis, COLORS } from '../theme.ts';

/** The fields of src/server/stats-routes.ts EngineStats the panel reads. */
export interface StatsView {
  instance: string;
  at: number;
  windowS: number;
  ticksPerSecond: number;
  ticksTotal: number;
  rejectsTotal: number;
  rejectsByReason: Record<string, number>;
  messagesPerSecond: number;
  wsSentPerSecond: number;
  latencyCapMs: number | null;
  stages: Array<{ stage: string; batches: number; p50Ms: number | null; p99Ms: number | null; errors: number }>;
  busLag: Record<string, number>;
  busLagTotal: number;
  sinkQueue: Record<string, number>;
  clients: number;
  rssBytes: number;
  eventLoopLagP99Ms: number | null;
}

export class HealthPanel {
  readonly frame: PanelFrame;
  private readonly rates = new SeriesRing(240, 2);
  private chart: uPlot | undefined;
  private stats: StatsView | undefined;
  private error: string | undefined;
  private readonly kpis = el('div', { class: 'kpis' });
  private readonly stagesBox = el('div', { class: 'mini-table' });
  private readonly rejectsBox = el('div', { class: 'mini-table' });
  private readonly lagBox = el('div', { class: 'mini-table' });
  private dirty = true;

  constructor() {
    this.frame = panelFrame('health', 'Engine health', 'from /api/stats, rates over the last few seconds');
    const plot = el('div', { class: 'plot' });
    this.frame.body.append(el('div', { class: 'health-grid' }, this.kpis, plot, this.stagesBox, this.rejectsBox, this.lagBox));
    queueMicrotask(() => {
      this.chart = fillChart(plot, {
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: { x: { time: true } },
        axes: [axis(undefined, 24), axis('per second', 52)],
        series: [{}, line('ticks/s', COLORS.spx), line('stage messages/s', COLORS.gru)],
      }, [[], [], []]);
    });
  }

  set(s: StatsView): void {
    this.stats = s;
    this.error = undefined;
    this.rates.push(s.at / 1000, [s.ticksPerSecond, s.messagesPerSecond]);
    this.dirty = true;
  }

  fail(why: string): void {
    this.error = why;
    this.dirty = true;
  }

  draw(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const s = this.stats;
    this.frame.setReady(s !== undefined, this.error ? `cannot read /api/stats: ${this.error}` : 'waiting for /api/stats');
    if (!s) return;
    this.chart?.setData(this.rates.data() as uPlot.AlignedData);
    this.frame.meta.textContent = this.error ? `stale: ${this.error}` : `instance ${s.instance.slice(0, 8)} · window ${fmt(s.windowS, 1)} s`;
    const kpi = (label: string, value: string, cls = '') => `<div class="kpi ${cls}"><span>${label}</span><b>${value}</b></div>`;
    const sink = Object.values(s.sinkQueue).reduce((a, b) => a + b, 0);
    setHtml(this.kpis, [
      kpi('ticks/s', count(s.ticksPerSecond)),
      kpi('ticks total', count(s.ticksTotal)),
      kpi('rejects total', count(s.rejectsTotal), s.rejectsTotal > 0 ? 'warn' : ''),
      kpi('bus lag (msgs)', count(s.busLagTotal), s.busLagTotal > 10_000 ? 'bad' : ''),
      kpi('sink queue (rows)', count(sink), sink > 50_000 ? 'warn' : ''),
      kpi('WS clients', count(s.clients)),
      kpi('WS sent/s', count(s.wsSentPerSecond)),
      kpi('memory (RSS)', mib(s.rssBytes)),
      kpi('event loop p99', s.eventLoopLagP99Ms === null ? '—' : `${fmt(s.eventLoopLagP99Ms, 1)} ms`, (s.eventLoopLagP99Ms ?? 0) > 100 ? 'warn' : ''),
    ].join(''));
    const cap = s.latencyCapMs;
    const ms = (v: number | null) => (v !== null && cap !== null && v >= cap ? `≥ ${fmt(cap, 0)}` : fmt(v, v !== null && v >= 10 ? 0 : 2));
    const st = [...s.stages].sort((a, b) => a.stage.localeCompare(b.stage));
    setHtml(this.stagesBox, `<table><thead><tr><th>stage</th><th>batches</th><th>p50 ms</th><th>p99 ms</th><th>errors</th></tr></thead><tbody>${st.map((x) => `<tr><td>${esc(x.stage)}</td><td>${count(x.batches)}</td><td>${ms(x.p50Ms)}</td><td class="${(x.p99Ms ?? 0) >= 100 ? 'warn' : ''}">${ms(x.p99Ms)}</td><td class="${x.errors > 0 ? 'bad' : ''}">${x.errors}</td></tr>`).join('') || '<tr><td colspan="5">no batches yet</td></tr>'}</tbody></table>`);
    const rej = Object.entries(s.rejectsByReason).sort((a, b) => b[1] - a[1]);
    setHtml(this.rejectsBox, `<table><thead><tr><th>reject reason</th><th>count</th></tr></thead><tbody>${rej.map(([r, n]) => `<tr><td>${esc(r)}</td><td>${count(n)}</td></tr>`).join('') || '<tr><td colspan="2">no rejects</td></tr>'}</tbody></table>`);
    const lag = Object.entries(s.busLag).sort((a, b) => b[1] - a[1]).slice(0, 6);
    setHtml(this.lagBox, `<table><thead><tr><th>consumer (bus lag)</th><th>msgs</th></tr></thead><tbody>${lag.map(([c, n]) => `<tr><td>${esc(c)}</td><td class="${n > 10_000 ? 'bad' : ''}">${count(n)}</td></tr>`).join('') || '<tr><td colspan="2">—</td></tr>'}</tbody></table>`);
  }
}
