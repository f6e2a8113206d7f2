/**
 * The implied-vol surface as a heatmap: log-moneyness ln(K/F) across, maturity down, colour the
 * vol (viridis, with a colour bar), drawn on a canvas by hand. Rows are the surface grid's
 * maturities in order (labelled with their tenor), so short tenors, where the smile changes
 * fastest, get as much room as long ones. Arbitrage flags of the report are drawn over it: a
 * butterfly flag as a red box over its k range at its expiry, a calendar flag as a red bar
 * between its two expiries.
 */
import { el, panelFrame, type PanelFrame } from '../dom.ts';
import { clockTime, fmt, tenor } from '../format.ts';
import { COLORS, viridis } from '../theme.ts';
import { SurfacePanel } from './surface-panel.ts';

const FONT = '11px system-ui, sans-serif';

export class HeatmapPanel extends SurfacePanel {
  readonly frame: PanelFrame;
  private readonly canvas = el('canvas');
  private readonly badge = el('span', { class: 'badge' });

  constructor() {
    super();
    this.frame = panelFrame('surface', 'IV surface', '');
    this.frame.root.querySelector('header')!.append(this.badge);
    const box = el('div', { class: 'plot' }, this.canvas);
    this.frame.body.append(box);
    new ResizeObserver(() => {
      this.dirty = true;
    }).observe(box);
  }

  draw(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const s = this.surface;
    const g = s?.grid;
    const ready = !!g && g.T.length > 0 && g.k.length > 0;
    this.frame.setReady(ready, s?.error ? `no surface: ${s.error}` : 'waiting for a fitted surface (enough two-sided option quotes)');
    const box = this.canvas.parentElement!;
    const dpr = window.devicePixelRatio || 1;
    const W = box.clientWidth, H = box.clientHeight;
    if (W < 50 || H < 50) return;
    this.canvas.width = W * dpr;
    this.canvas.height = H * dpr;
    this.canvas.style.width = `${W}px`;
    this.canvas.style.height = `${H}px`;
    const c = this.canvas.getContext('2d')!;
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    c.clearRect(0, 0, W, H);
    if (!ready || !s) return;
    this.frame.meta.textContent = clockTime(s.ts);
    this.frame.caption.textContent = `${s.underlying} · ${s.method.toUpperCase()} slices · ${s.expiries.length} expiries fitted${s.skipped.length ? `, ${s.skipped.length} skipped` : ''} · fit RMSE ${fmt(100 * s.rmseIv, 2)} vol pts`;
    const arb = s.arbitrage;
    this.badge.textContent = arb ? (arb.ok ? 'no static arbitrage' : `arbitrage: ${arb.butterflyCount} butterfly, ${arb.calendarCount} calendar`) : '';
    this.badge.className = `badge ${arb && !arb.ok ? 'bad' : 'good'}`;

    // Colours span the 2nd to 98th percentile: one extrapolated wing (a 7-day smile just after the
    // open can reach 400%) would otherwise flatten the rest of the surface into one colour.
    const vals: number[] = [];
    for (const row of g.iv) for (const v of row) if (v !== null) vals.push(v);
    vals.sort((a, b) => a - b);
    const pct = (q: number) => vals[Math.min(vals.length - 1, Math.max(0, Math.round(q * (vals.length - 1))))] ?? 0;
    const lo = pct(0.02);
    let hi = pct(0.98);
    if (!(hi > lo)) hi = lo + 0.01;
    const unit = (v: number) => Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
    const left = 38, right = 56, top = 18, bottom = 30;
    const pw = W - left - right, ph = H - top - bottom;
    const nk = g.k.length, nT = g.T.length;
    const cw = pw / nk, ch = ph / nT;
    const k0 = g.k[0], k1 = g.k[nk - 1];
    const xOfK = (k: number) => left + ((k - k0) / (k1 - k0)) * (pw - cw) + cw / 2;
    for (let j = 0; j < nT; j++) {
      for (let i = 0; i < nk; i++) {
        const v = g.iv[j][i];
        c.fillStyle = v === null ? COLORS.panel : viridis(unit(v));
        c.fillRect(left + i * cw, top + j * ch, Math.ceil(cw), Math.ceil(ch));
      }
    }
    // Row of a maturity T: linear between the grid's rows, clamped to the ends.
    const yOfT = (T: number) => {
      if (T <= g.T[0]) return top + ch / 2;
      for (let j = 1; j < nT; j++) if (T <= g.T[j]) return top + (j - 1 + (T - g.T[j - 1]) / (g.T[j] - g.T[j - 1])) * ch + ch / 2;
      return top + (nT - 0.5) * ch;
    };
    c.lineWidth = 2;
    c.strokeStyle = COLORS.bad;
    c.save();
    c.beginPath();
    c.rect(left, top, pw, ph);
    c.clip();
    for (const f of arb?.flags ?? []) {
      if (f.kTo < k0 || f.kFrom > k1) continue;
      const x0 = xOfK(Math.max(k0, f.kFrom)) - cw / 2, x1 = xOfK(Math.min(k1, f.kTo)) + cw / 2;
      if (f.kind === 'butterfly') c.strokeRect(x0, yOfT(f.T) - ch / 2, Math.max(4, x1 - x0), ch);
      else {
        const y0 = yOfT(f.T0 ?? f.T), y1 = yOfT(f.T);
        c.fillStyle = `${COLORS.bad}88`;
        c.fillRect(x0, Math.min(y0, y1), Math.max(4, x1 - x0), Math.max(3, Math.abs(y1 - y0)));
      }
    }
    c.restore();
    // Axes: tenors down the left, k along the bottom (every other node), ATM marked.
    c.font = FONT;
    c.fillStyle = COLORS.axis;
    c.textAlign = 'right';
    c.textBaseline = 'middle';
    const every = Math.max(1, Math.ceil(14 / ch));
    for (let j = 0; j < nT; j += every) c.fillText(tenor(g.T[j]), left - 5, top + (j + 0.5) * ch);
    c.textAlign = 'center';
    c.textBaseline = 'top';
    const kEvery = Math.max(1, Math.ceil(34 / cw));
    for (let i = 0; i < nk; i += kEvery) c.fillText(fmt(g.k[i], 1), left + (i + 0.5) * cw, top + ph + 4);
    c.fillText('ln(K/F)', left + pw / 2, top + ph + 16);
    if (k0 < 0 && k1 > 0) {
      c.strokeStyle = '#ffffff88';
      c.lineWidth = 1;
      c.setLineDash([3, 3]);
      c.beginPath();
      c.moveTo(xOfK(0), top);
      c.lineTo(xOfK(0), top + ph);
      c.stroke();
      c.setLineDash([]);
    }
    // Colour bar with its range in vol %.
    const bx = W - right + 10, bw = 10;
    for (let y = 0; y < ph; y++) {
      c.fillStyle = viridis(1 - y / ph);
      c.fillRect(bx, top + y, bw, 1);
    }
    c.fillStyle = COLORS.axis;
    c.textAlign = 'left';
    c.textBaseline = 'middle';
    for (const u of [0, 0.5, 1]) c.fillText(fmt(100 * (lo + (hi - lo) * u), 1), bx + bw + 4, top + ph * (1 - u));
    c.textAlign = 'center';
    c.fillText('vol %', bx + bw / 2 + 8, top - 12);
    c.textAlign = 'left';
    c.fillText('maturity ↓', 2, top - 12);
  }
}
