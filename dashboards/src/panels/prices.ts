/**
 * SPX, VIX and VVIX tiles: the last print (ticks.raw), its change since the session's first
 * 1-minute bar, and a chart of 1-minute closes (bars, backfilled from what the server holds)
 * with the live print as its last point.
 */
import type uPlot from 'uplot';
import { fillChart, line, ordinalTimeAxis } from '../chart.ts';
import { el, panelFrame, type PanelFrame } from '../dom.ts';
import { clockTime, fmt, signed } from '../format.ts';
import { SeriesRing } from '../ring.ts';
import { axis, COLORS } from '../theme.ts';
import type { WireMessage } from '../ws-client.ts';

interface BarPayload { symbol: string; interval: string; end: number; date: string; open: number; close: number }
interface IndexPayload { kind: string; symbol?: string; price?: number; ts: number }

const BARS = 780; // two sessions of 1-minute bars

class PriceTile {
  readonly frame: PanelFrame;
  private readonly bars = new SeriesRing(BARS, 1);
  private sessionDate = '';
  private sessionOpen = NaN;
  private last = NaN;
  private lastTs = NaN;
  private chart: uPlot | undefined;
  private times: number[] = [];
  private readonly value = el('div', { class: 'big' }, '—');
  private readonly change = el('div', { class: 'chg' }, '');
  dirty = true;

  constructor(readonly symbol: string, private readonly color: string, private readonly digits: number) {
    this.frame = panelFrame(`price-${symbol.toLowerCase()}`, symbol, 'index points · 1-min closes');
    const plot = el('div', { class: 'plot' });
    this.frame.body.append(el('div', { class: 'tile' }, el('div', { class: 'quote' }, this.value, this.change), plot));
    this.frame.body.classList.add('tile-body');
    queueMicrotask(() => {
      this.chart = fillChart(plot, {
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false } },
        axes: [ordinalTimeAxis(() => this.times, axis(undefined, 24)), { ...axis(undefined, 52), side: 1 }],
        series: [{}, line(symbol, color, { fill: `${color}22` })],
      }, [[], []]);
    });
  }

  bar(b: BarPayload): void {
    this.bars.push(b.end / 1e6, [b.close]);
    if (b.date !== this.sessionDate) {
      this.sessionDate = b.date;
      this.sessionOpen = b.open;
    }
    if (!Number.isFinite(this.last)) this.last = b.close;
    this.dirty = true;
  }

  print(price: number, ts: number): void {
    if (ts < this.lastTs) return;
    this.last = price;
    this.lastTs = ts;
    this.dirty = true;
  }

  reset(): void {
    this.bars.clear();
    this.lastTs = NaN;
    this.sessionDate = '';
    this.dirty = true;
  }

  draw(): void {
    if (!this.dirty || !this.chart) return;
    this.dirty = false;
    const [x, y] = this.bars.data();
    if (Number.isFinite(this.last) && Number.isFinite(this.lastTs) && (x.length === 0 || this.lastTs / 1e6 > x[x.length - 1])) {
      x.push(this.lastTs / 1e6);
      y.push(this.last);
    }
    this.times = x;
    this.chart.setData([x.map((_, i) => i), y]);
    this.value.textContent = fmt(this.last, this.digits);
    const ch = this.last - this.sessionOpen;
    this.change.textContent = Number.isFinite(ch) ? `${signed(ch, this.digits)} (${signed((100 * ch) / this.sessionOpen, 2)}%) since open` : '';
    this.change.className = `chg ${ch > 0 ? 'up' : ch < 0 ? 'down' : ''}`;
    this.frame.meta.textContent = clockTime(this.lastTs);
    this.frame.setReady(Number.isFinite(this.last));
  }
}

/** The three index tiles. */
export class PricesPanel {
  readonly tiles = [new PriceTile('SPX', COLORS.spx, 2), new PriceTile('VIX', COLORS.vix, 2), new PriceTile('VVIX', COLORS.vvix, 2)];

  onMessage(m: WireMessage): void {
    if (m.topic === 'bars') {
      const b = m.payload as BarPayload;
      if (b.interval === '1m') this.tiles.find((t) => t.symbol === b.symbol)?.bar(b);
    } else if (m.topic === 'ticks.raw') {
      const t = m.payload as IndexPayload;
      if (t.kind === 'index' && t.price !== undefined) this.tiles.find((x) => x.symbol === t.symbol)?.print(t.price, t.ts);
    }
  }

  /** Drops what came from a previous engine. */
  reset(): void {
    for (const t of this.tiles) t.reset();
  }

  draw(): void {
    for (const t of this.tiles) t.draw();
  }
}
