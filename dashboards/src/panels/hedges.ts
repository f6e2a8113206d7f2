/**
 * Hedges (topic `hedges`, streams/hedges.ts): one row per position and one for the book. The
 * method selector shows every row's target by one method (default: each position's own method),
 * so methods can be compared on the live book; a sparkline per row shows that target's history.
 * Targets, hedges and trades are in index units (how many SPX index units to hold).
 */
import { el, esc, panelFrame, type PanelFrame } from '../dom.ts';
import { clockTime, fmt } from '../format.ts';
import { SeriesRing } from '../ring.ts';
import { COLORS } from '../theme.ts';
import type { WireMessage } from '../ws-client.ts';

import type { BookHedgePayload as BookView, PositionHedgePayload as PositionView } from '../../../src/hedging/payload.ts';

const OWN = '(own)';
const HISTORY = 240;

export class HedgesPanel {
  readonly frame: PanelFrame;
  readonly select = el('select', { id: 'hedge-method', 'aria-label': 'hedge method shown' });
  private readonly positions = new Map<string, { p: PositionView; ts: number }>();
  private book: { b: BookView; ts: number } | undefined;
  /** Per key, per method (and OWN), the target's history. */
  private readonly history = new Map<string, Map<string, SeriesRing>>();
  private readonly methods = new Set<string>();
  private readonly table = el('div', { class: 'table-wrap' });
  private method = OWN;
  private options = '';
  private dirty = true;

  constructor() {
    this.frame = panelFrame('hedges', 'Hedges', 'SPX index units');
    this.select.hidden = true;
    this.frame.root.querySelector('header')!.append(this.select);
    this.select.addEventListener('change', () => {
      this.method = this.select.value;
      this.dirty = true;
      this.draw();
    });
    this.frame.body.append(this.table);
  }

  private record(key: string, ts: number, own: number | null, targets: Record<string, number | null>): void {
    let h = this.history.get(key);
    if (!h) this.history.set(key, (h = new Map()));
    const put = (m: string, v: number | null) => {
      let r = h!.get(m);
      if (!r) h!.set(m, (r = new SeriesRing(HISTORY, 1)));
      r.push(ts, [v ?? NaN]);
    };
    put(OWN, own);
    for (const [m, v] of Object.entries(targets)) {
      this.methods.add(m);
      put(m, v);
    }
  }

  onMessage(m: WireMessage): void {
    if (m.topic !== 'hedges' || m.ts === undefined || m.key === undefined) return;
    if (m.key === 'book') {
      const b = m.payload as BookView;
      this.book = { b, ts: m.ts };
      this.record('book', m.ts, b.target, b.targets);
    } else {
      const p = m.payload as PositionView;
      if (p.removed) {
        this.positions.delete(m.key);
        this.history.delete(m.key);
      } else {
        this.positions.set(m.key, { p, ts: m.ts });
        this.record(m.key, m.ts, p.target, p.targets);
      }
    }
    this.dirty = true;
  }

  reset(): void {
    this.positions.clear();
    this.history.clear();
    this.book = undefined;
    this.dirty = true;
  }

  draw(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const opts = [OWN, ...[...this.methods].sort()].map((m) => `<option value="${esc(m)}">${m === OWN ? "each position's method" : esc(m)}</option>`).join('');
    this.select.hidden = this.methods.size === 0;
    if (opts !== this.options) {
      this.select.innerHTML = opts;
      this.options = opts;
      this.select.value = this.method;
    }
    const ready = this.book !== undefined || this.positions.size > 0;
    this.frame.setReady(ready, 'waiting: the engine publishes no hedges yet (no positions book, or the hedges stage is not running)');
    if (!ready) return;
    const m = this.method;
    const pick = (own: number | null, targets: Record<string, number | null>) => (m === OWN ? own : targets[m] ?? null);
    const instr = (p: PositionView) => {
      const i = p.instrument;
      const exp = i.expiry.slice(2);
      return i.kind === 'option' ? `${i.root ?? i.underlying ?? ''} ${i.strike}${i.right} ${exp}` : `${i.root ?? i.underlying ?? ''} future ${exp}`;
    };
    const rows: string[] = [];
    const b = this.book?.b;
    if (b) {
      const t = pick(b.target, b.targets);
      rows.push(`<tr class="book"><td>book</td><td>${b.positions} positions</td><td></td><td>${m === OWN ? 'own' : esc(m)}</td><td></td><td>${fmt(t, 1)}</td><td>${fmt(b.hedge, 1)}</td><td class="${trCls(m === OWN ? b.trade : t === null ? null : t - b.hedge)}">${fmt(m === OWN ? b.trade : t === null ? null : t - b.hedge, 1)}</td><td><canvas data-key="book" width="72" height="18"></canvas></td></tr>`);
    }
    const sorted = [...this.positions.values()].sort((a, c) => a.p.id.localeCompare(c.p.id));
    for (const { p } of sorted) {
      const t = pick(p.target, p.targets);
      const ratio = m === OWN ? p.ratios[p.method] : p.ratios[m];
      const trade = t === null ? null : t - p.hedge;
      const err = p.errors ? Object.entries(p.errors).map(([k, v]) => `${k}: ${v}`).join('; ') : '';
      rows.push(`<tr${p.expired ? ' class="expired"' : ''}><td title="${esc(err)}">${esc(p.id)}${err ? ' <span class="bad">!</span>' : ''}</td><td>${esc(instr(p))}</td><td>${fmt(p.quantity, 0)}</td><td>${esc(p.method)}</td><td>${fmt(ratio, 3)}</td><td>${fmt(t, 1)}</td><td>${fmt(p.hedge, 1)}</td><td class="${trCls(trade)}">${fmt(trade, 1)}</td><td><canvas data-key="${esc(p.id)}" width="72" height="18"></canvas></td></tr>`);
    }
    const html = `<table class="hedges"><thead><tr><th>position</th><th>instrument</th><th>qty</th><th>method</th><th title="delta of one unit by the method shown">Δ/unit</th><th>target</th><th>hedge</th><th>trade</th><th>history</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
    if (this.table.dataset.html !== html) {
      this.table.innerHTML = html;
      this.table.dataset.html = html;
    }
    for (const c of this.table.querySelectorAll('canvas')) spark(c as HTMLCanvasElement, this.history.get((c as HTMLCanvasElement).dataset.key!)?.get(m));
    const g = b?.greeks;
    this.frame.meta.textContent = clockTime(this.book?.ts ?? sorted[0]?.ts);
    const missing = b && b.missing.length > 0 ? `${b.missing.length} without a ratio (${b.missing.join(', ')}) · ` : '';
    this.frame.caption.innerHTML = g ? `<span class="bad">${esc(missing)}</span>book Δ ${fmt(g.delta, 1)} index units · Γ ${fmt(g.gamma, 3)}/pt · vega ${fmt(g.vega, 0)} per 1.00 vol · θ ${fmt(g.theta, 0)}/yr` : '';
  }
}

const trCls = (x: number | null) => (x === null || Math.abs(x) < 1e-9 ? '' : x > 0 ? 'up' : 'down');

/** Draws a sparkline of a ring's values on a small canvas. */
function spark(c: HTMLCanvasElement, ring: SeriesRing | undefined): void {
  const ctx = c.getContext('2d')!;
  ctx.clearRect(0, 0, c.width, c.height);
  if (!ring || ring.length < 2) return;
  const [, ys] = ring.data();
  let lo = Infinity, hi = -Infinity;
  for (const y of ys) if (y !== null) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
  if (!Number.isFinite(lo)) return;
  if (hi - lo < 1e-9) { hi += 1; lo -= 1; }
  ctx.strokeStyle = COLORS.spx;
  ctx.lineWidth = 1.25;
  ctx.beginPath();
  let started = false;
  ys.forEach((y, i) => {
    if (y === null) return;
    const px = (i / (ys.length - 1)) * (c.width - 2) + 1;
    const py = c.height - 2 - ((y - lo) / (hi - lo)) * (c.height - 4);
    if (started) ctx.lineTo(px, py);
    else { ctx.moveTo(px, py); started = true; }
  });
  ctx.stroke();
}
