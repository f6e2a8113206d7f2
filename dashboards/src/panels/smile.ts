/**
 * The smile of one expiry, chosen in a selector: bid and ask implied vols of the out-of-the-money
 * quotes the SVI slice was fitted to, against the SVI fit, in log-moneyness ln(K/F). The k range
 * of a butterfly-arbitrage flag on this expiry is shaded red.
 */
import uPlot from 'uplot';
import { sviW } from '../../../src/quant/svi-raw.ts';
import { dots, fillChart, line } from '../chart.ts';
import { el, panelFrame, type PanelFrame } from '../dom.ts';
import { clockTime, fmt, tenor } from '../format.ts';
import { axis, COLORS } from '../theme.ts';
import type { ExpiryView } from './surface-types.ts';
import { SurfacePanel } from './surface-panel.ts';

const FIT_POINTS = 81;

export class SmilePanel extends SurfacePanel {
  readonly frame: PanelFrame;
  readonly select = el('select', { id: 'smile-expiry', 'aria-label': 'expiry of the smile' });
  private chosen: string | undefined;
  private chart: uPlot | undefined;
  private flagged: Array<[number, number]> = [];
  private options = '';
  private readonly arbBadge = el('span', { class: 'badge bad', hidden: '' });

  constructor() {
    super();
    this.frame = panelFrame('smile', 'Smile', 'vol %');
    this.frame.root.querySelector('header')!.append(this.select, this.arbBadge);
    this.select.addEventListener('change', () => {
      this.chosen = this.select.value;
      this.dirty = true;
      this.draw();
    });
    const plot = el('div', { class: 'plot' });
    this.frame.body.append(plot);
    queueMicrotask(() => {
      this.chart = fillChart(plot, {
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        axes: [axis('ln(K/F)', 36), axis('vol %', 44)],
        series: [{ label: 'k' }, dots('bid', COLORS.bid, 5), dots('ask', COLORS.ask, 5), line('SVI fit', COLORS.fit, { width: 2, spanGaps: true })],
        hooks: {
          drawClear: [
            (u: uPlot) => {
              const c = u.ctx;
              c.save();
              c.fillStyle = `${COLORS.bad}33`;
              for (const [a, b] of this.flagged) {
                const x0 = u.valToPos(a, 'x', true), x1 = u.valToPos(b, 'x', true);
                c.fillRect(Math.min(x0, x1), u.bbox.top, Math.max(3, Math.abs(x1 - x0)), u.bbox.height);
              }
              c.restore();
            },
          ],
        },
      }, [[], [], [], []]);
      this.dirty = true;
    });
  }

  /** The expiry shown: the chosen one while it is fitted, else the one nearest 30 days. */
  private expiry(): ExpiryView | undefined {
    const ex = this.surface?.expiries ?? [];
    const chosen = ex.find((e) => e.key === this.chosen);
    if (chosen) return chosen;
    let best: ExpiryView | undefined;
    for (const e of ex) if (!best || Math.abs(e.T - 30 / 365) < Math.abs(best.T - 30 / 365)) best = e;
    return best;
  }

  draw(): void {
    if (!this.dirty || !this.chart) return;
    this.dirty = false;
    const ex = this.surface?.expiries ?? [];
    const opts = ex.map((e) => `<option value="${e.key}">${e.key} · ${tenor(e.T)}</option>`).join('');
    // Rebuilt only when the set of expiries changes, so an open list is not replaced under the user.
    if (opts !== this.options) {
      this.select.innerHTML = opts;
      this.options = opts;
    }
    const e = this.expiry();
    this.frame.setReady(e !== undefined, 'waiting for a fitted expiry');
    if (!e) return;
    if (this.select.value !== e.key) this.select.value = e.key;
    const q = e.quotes;
    const idx: number[] = [];
    for (let i = 0; i < q.k.length; i++) if (q.fit[i] && q.bidIv[i] !== null && q.askIv[i] !== null) idx.push(i);
    if (idx.length === 0) return;
    let kMin = Infinity, kMax = -Infinity;
    for (const i of idx) { kMin = Math.min(kMin, q.k[i]); kMax = Math.max(kMax, q.k[i]); }
    const rows = new Map<number, [number | null, number | null, number | null]>();
    for (let j = 0; j < FIT_POINTS; j++) rows.set(kMin + ((kMax - kMin) * j) / (FIT_POINTS - 1), [null, null, null]);
    for (const i of idx) rows.set(q.k[i], [100 * q.bidIv[i]!, 100 * q.askIv[i]!, null]);
    const xs = [...rows.keys()].sort((a, b) => a - b);
    const fit = xs.map((k) => 100 * Math.sqrt(Math.max(sviW(e.svi, k), 0) / e.T));
    this.flagged = (this.surface?.arbitrage?.flags ?? []).filter((f) => f.kind === 'butterfly' && Math.abs(f.T - e.T) < 1e-9).map((f) => [f.kFrom, f.kTo] as [number, number]);
    this.chart.setData([xs, xs.map((k) => rows.get(k)![0]), xs.map((k) => rows.get(k)![1]), fit]);
    this.frame.meta.textContent = clockTime(e.ts);
    this.frame.caption.textContent = `${e.key} · T ${tenor(e.T)} · ATM ${fmt(100 * e.atmIv, 1)}% · forward ${fmt(e.forward, 1)} · ${e.n} quotes · RMSE ${fmt(100 * e.rmseIv, 2)} vol pts · ${fmt(100 * e.inside, 0)}% in bid/ask`;
    this.arbBadge.textContent = this.flagged.length ? 'butterfly arbitrage' : '';
    this.arbBadge.hidden = this.flagged.length === 0;
    this.frame.root.dataset.expiry = e.key;
  }
}
