/**
 * Term structures: the SPX at-the-money implied vol per fitted expiry (SVI at k = 0), and the
 * VIX futures curve: market bid, ask and last per listed contract (ticks.raw, keys `VX:*`) with
 * the VIX spot at zero days, against the live Heston calibration's model curve E^Q[VIX_T]
 * (src/quant/vix.ts) when the surface carries one.
 */
import type uPlot from 'uplot';
import { hestonVix, vixFuture } from '../../../src/quant/vix.ts';
import { dots, fillChart, line } from '../chart.ts';
import { el, panelFrame, type PanelFrame } from '../dom.ts';
import { clockTime, fmt } from '../format.ts';
import { axis, COLORS } from '../theme.ts';
import type { WireMessage } from '../ws-client.ts';
import { SurfacePanel } from './surface-panel.ts';

interface FutureView { kind: 'future'; month: string; expiry: string; bid?: number; ask?: number; price?: number; ts: number }

const DAY_US = 86_400e6;
/** VX final settlement is at the open of the expiry day (09:30 New York, 14:30 UTC in winter; an hour off in summer does not show at this scale). */
const expiryMicros = (iso: string) => Date.parse(`${iso}T14:30:00Z`) * 1000;

export class TermPanel extends SurfacePanel {
  readonly frame: PanelFrame;
  private readonly futures = new Map<string, FutureView>();
  private vix: { price: number; ts: number } | undefined;
  private atmChart: uPlot | undefined;
  private vxChart: uPlot | undefined;

  constructor() {
    super();
    this.frame = panelFrame('term', 'Term structure', 'SPX ATM vol % · VIX futures');
    const a = el('div', { class: 'plot' });
    const b = el('div', { class: 'plot' });
    this.frame.body.append(el('div', { class: 'pair' }, a, b));
    const days = { ...axis('days to expiry', 36), values: (_u: uPlot, v: number[]) => v.map((x) => (x === null ? '' : fmt(x, x > 0 && x < 1 ? 1 : 0))) };
    queueMicrotask(() => {
      this.atmChart = fillChart(a, {
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false, distr: 3, log: 10 } },
        axes: [{ ...days, label: 'days to expiry (log scale)', grid: { show: false } }, axis('ATM vol %', 44)],
        series: [{ label: 'days' }, line('SPX ATM (SVI)', COLORS.spx, { width: 2, points: { show: true, size: 5 } })],
      }, [[], []]);
      this.vxChart = fillChart(b, {
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        axes: [days, axis('VIX points', 44)],
        series: [{ label: 'days' }, dots('bid', COLORS.bid, 6), dots('ask', COLORS.ask, 6), line('market (last)', COLORS.market, { width: 2, points: { show: true, size: 5 }, spanGaps: true }), line('Heston model', COLORS.model, { width: 2, dash: [6, 4], spanGaps: true })],
      }, [[], [], [], [], []]);
      this.dirty = true;
    });
  }

  onMessage(m: WireMessage): void {
    if (m.topic !== 'ticks.raw') return;
    const t = m.payload as { kind: string; symbol?: string; price?: number; ts: number };
    if (t.kind === 'future') {
      const f = t as unknown as FutureView;
      // Expired contracts drop off when a newer tick moves past their expiry.
      this.futures.set(f.month, f);
      this.dirty = true;
    } else if (t.kind === 'index' && t.symbol === 'VIX' && t.price !== undefined) {
      if (!this.vix || t.ts >= this.vix.ts) this.vix = { price: t.price, ts: t.ts };
      this.dirty = true;
    }
  }

  override reset(): void {
    this.futures.clear();
    this.vix = undefined;
    super.reset();
  }

  draw(): void {
    if (!this.dirty || !this.atmChart || !this.vxChart) return;
    this.dirty = false;
    const ex = this.surface?.expiries ?? [];
    this.atmChart.setData([ex.map((e) => e.T * 365), ex.map((e) => 100 * e.atmIv)]);
    let now = this.vix?.ts ?? -Infinity;
    for (const f of this.futures.values()) now = Math.max(now, f.ts);
    const live = [...this.futures.values()].filter((f) => expiryMicros(f.expiry) > now).sort((a, b) => a.expiry.localeCompare(b.expiry));
    for (const f of this.futures.values()) if (expiryMicros(f.expiry) <= now) this.futures.delete(f.month);
    const x: number[] = [], bid: Array<number | null> = [], ask: Array<number | null> = [], last: Array<number | null> = [];
    if (this.vix) { x.push(0); bid.push(null); ask.push(null); last.push(this.vix.price); }
    for (const f of live) {
      x.push((expiryMicros(f.expiry) - now) / DAY_US);
      bid.push(f.bid ?? null); ask.push(f.ask ?? null);
      last.push(f.price ?? (f.bid !== undefined && f.ask !== undefined ? (f.bid + f.ask) / 2 : null));
    }
    const h = this.surface?.heston?.params;
    let model: Array<number | null> = x.map(() => null);
    if (h) {
      try {
        model = x.map((d) => (d === 0 ? hestonVix(h.v0, h) : vixFuture(h.v0, h, d / 365)));
      } catch {
        // Parameters the VIX formulas refuse (e.g. theta 0) leave the model curve out.
      }
    }
    this.vxChart.setData([x, bid, ask, last, model]);
    const ready = ex.length > 0 || live.length > 0;
    this.frame.setReady(ready, 'waiting for fitted expiries or VIX futures quotes');
    const front = live[0];
    this.frame.meta.textContent = clockTime(Number.isFinite(now) ? now : null);
    this.frame.caption.textContent = `${front ? `VX front ${front.month}: ${fmt(front.price ?? NaN, 2)} · ` : ''}${h ? `Heston (live calibration): √v0 ${fmt(100 * Math.sqrt(h.v0), 1)}%, κ ${fmt(h.kappa, 2)}, √θ ${fmt(100 * Math.sqrt(h.theta), 1)}%, σ ${fmt(h.sigma, 2)}, ρ ${fmt(h.rho, 2)}` : 'Heston: not calibrated yet'}`;
  }
}
