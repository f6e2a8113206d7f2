/**
 * The analyst report's charts as SVG (pure: numbers in, markup out), one panel of lines per
 * chart over the years, in the style of models/nsde/plot-svg.ts; analyst-report.ts renders them
 * to PNG with headless Chromium as models/nsde/report.ts does.
 */

/** One line: a value per x position (null: no point). */
export interface Series {
  label: string;
  color: string;
  values: Array<number | null>;
  dashed?: boolean;
}

/** A line chart over categorical x labels (years, or dates thinned). */
export interface LineChart {
  title: string;
  xLabels: string[];
  yLabel: string;
  series: Series[];
  /** Fixed y range (default: the data's, padded). */
  yRange?: [number, number];
  width?: number;
  height?: number;
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));

/** The chart as a standalone SVG document. */
export function lineChartSvg(c: LineChart): string {
  const W = c.width ?? 1000;
  const H = c.height ?? 520;
  const b = { x: 90, y: 60, w: W - 300, h: H - 130 };
  const all = c.series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  if (all.length === 0) throw new RangeError(`chart "${c.title}": no finite values`);
  let [lo, hi] = c.yRange ?? [Math.min(...all), Math.max(...all)];
  if (!c.yRange) {
    const pad = (hi - lo || Math.abs(hi) || 1) * 0.06;
    lo -= pad;
    hi += pad;
  }
  const n = c.xLabels.length;
  const sx = (i: number) => b.x + (n === 1 ? b.w / 2 : (i / (n - 1)) * b.w);
  const sy = (v: number) => b.y + b.h - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * b.h;
  let svg = `<text x="${W / 2}" y="30" text-anchor="middle" font-size="17" font-weight="bold">${c.title}</text>`;
  svg += `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" fill="none" stroke="#999"/>`;
  svg += `<text x="22" y="${b.y + b.h / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 22 ${b.y + b.h / 2})">${c.yLabel}</text>`;
  for (let k = 0; k <= 5; k++) {
    const v = lo + ((hi - lo) * k) / 5;
    svg += `<line x1="${b.x}" x2="${b.x + b.w}" y1="${sy(v)}" y2="${sy(v)}" stroke="#eee"/><text x="${b.x - 6}" y="${sy(v) + 4}" text-anchor="end" font-size="11">${fmt(v)}</text>`;
  }
  const every = Math.max(1, Math.ceil(n / 16));
  c.xLabels.forEach((l, i) => {
    if (i % every === 0) svg += `<text x="${sx(i)}" y="${b.y + b.h + 18}" text-anchor="middle" font-size="11">${l}</text>`;
  });
  c.series.forEach((s, j) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${sx(i).toFixed(1)},${sy(v).toFixed(1)} `;
      pen = true;
    });
    svg += `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`;
    if (n <= 40) s.values.forEach((v, i) => { if (v !== null && Number.isFinite(v)) svg += `<circle cx="${sx(i)}" cy="${sy(v)}" r="3" fill="${s.color}"/>`; });
    const ly = b.y + 10 + j * 20;
    svg += `<rect x="${b.x + b.w + 20}" y="${ly}" width="18" height="4" fill="${s.color}"/><text x="${b.x + b.w + 44}" y="${ly + 6}" font-size="12">${s.label}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif"><rect width="${W}" height="${H}" fill="white"/>${svg}</svg>`;
}
