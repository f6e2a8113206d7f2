/**
 * The evaluation picture as SVG (pure: numbers in, markup out): real versus generated VIX
 * paths of the test years, the distribution of VIX 20 days ahead (real, neural SDE, log-OU),
 * and the per-step marginal kurtosis of V. report.ts renders it to PNG with headless Chromium.
 */

/** What the picture shows. */
export interface PlotData {
  /** Path-major VIX paths (each steps + 1 long). */
  realPaths: number[][];
  nsdePaths: number[][];
  /** VIX 20 days ahead, all windows. */
  terminal: { real: ArrayLike<number>; nsde: ArrayLike<number>; logOu: ArrayLike<number> };
  kurtosis: { real: number[]; nsde: number[]; logOu: number[] };
  title: string;
}

const COLORS = { real: '#222222', nsde: '#d1495b', logOu: '#2e86ab' };

interface Box { x: number; y: number; w: number; h: number }

function axis(b: Box, xr: [number, number], yr: [number, number], title: string, xlab: string, xfmt: (v: number) => string = fmt): { sx: (v: number) => number; sy: (v: number) => number; svg: string } {
  const sx = (v: number) => b.x + ((v - xr[0]) / (xr[1] - xr[0])) * b.w;
  const sy = (v: number) => b.y + b.h - ((v - yr[0]) / (yr[1] - yr[0])) * b.h;
  let svg = `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" fill="none" stroke="#999"/>`;
  svg += `<text x="${b.x + b.w / 2}" y="${b.y - 8}" text-anchor="middle" font-size="14" font-weight="bold">${title}</text>`;
  svg += `<text x="${b.x + b.w / 2}" y="${b.y + b.h + 32}" text-anchor="middle" font-size="12">${xlab}</text>`;
  for (let i = 0; i <= 4; i++) {
    const yv = yr[0] + ((yr[1] - yr[0]) * i) / 4;
    const xv = xr[0] + ((xr[1] - xr[0]) * i) / 4;
    svg += `<text x="${b.x - 6}" y="${sy(yv) + 4}" text-anchor="end" font-size="11">${fmt(yv)}</text>`;
    svg += `<text x="${sx(xv)}" y="${b.y + b.h + 15}" text-anchor="middle" font-size="11">${xfmt(xv)}</text>`;
  }
  return { sx, sy, svg };
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function polyline(xs: number[], ys: number[], color: string, width: number, opacity = 1): string {
  const pts = xs.map((x, i) => `${x.toFixed(1)},${ys[i].toFixed(1)}`).join(' ');
  return `<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="${width}" stroke-opacity="${opacity}"/>`;
}

function legend(x: number, y: number, items: Array<[string, string]>): string {
  return items.map(([label, c], i) => `<rect x="${x}" y="${y + i * 18}" width="14" height="4" fill="${c}"/><text x="${x + 20}" y="${y + i * 18 + 6}" font-size="12">${label}</text>`).join('');
}

/** The whole picture, 1400 x 900. */
export function plotSvg(d: PlotData): string {
  const W = 1400;
  const H = 900;
  let body = `<text x="${W / 2}" y="28" text-anchor="middle" font-size="18" font-weight="bold">${d.title}</text>`;
  const all = [...d.realPaths, ...d.nsdePaths].flat();
  const yMax = Math.min(90, Math.max(...all) * 1.05);
  const steps = d.realPaths[0].length - 1;
  for (const [i, [paths, name, color]] of ([[d.realPaths, 'real VIX windows (test years)', COLORS.real], [d.nsdePaths, 'neural SDE, same starts', COLORS.nsde]] as const).entries()) {
    const a = axis({ x: 80 + i * 680, y: 70, w: 580, h: 320 }, [0, steps], [5, yMax], name, 'trading days');
    body += a.svg;
    for (const p of paths) body += polyline(p.map((_, k) => a.sx(k)), p.map((v) => a.sy(Math.min(v, yMax))), color, 1, 0.45);
  }
  // Distribution of VIX 20 days ahead: histograms as step lines, log-spaced bins.
  const lo = 8;
  const hi = 90;
  const nb = 40;
  const edges = Array.from({ length: nb + 1 }, (_, i) => lo * (hi / lo) ** (i / nb));
  const hist = (v: ArrayLike<number>) => {
    const c = new Array<number>(nb).fill(0);
    for (let i = 0; i < v.length; i++) {
      const b = Math.floor((Math.log(v[i] / lo) / Math.log(hi / lo)) * nb);
      if (b >= 0 && b < nb) c[b] += 1 / v.length;
    }
    return c;
  };
  const hs = { real: hist(d.terminal.real), nsde: hist(d.terminal.nsde), logOu: hist(d.terminal.logOu) };
  const hMax = Math.max(...hs.real, ...hs.nsde, ...hs.logOu) * 1.1;
  const a = axis({ x: 80, y: 500, w: 580, h: 320 }, [Math.log(lo), Math.log(hi)], [0, hMax], 'VIX 20 trading days ahead: share per bin', 'VIX (log scale)', (v) => fmt(Math.exp(v)));
  body += a.svg;
  for (const [k, c] of Object.entries(hs) as Array<[keyof typeof hs, number[]]>) {
    const xs: number[] = [];
    const ys: number[] = [];
    c.forEach((v, i) => {
      xs.push(a.sx(Math.log(edges[i])), a.sx(Math.log(edges[i + 1])));
      ys.push(a.sy(v), a.sy(v));
    });
    body += polyline(xs, ys, COLORS[k], 2);
  }
  body += legend(520, 510, [['real', COLORS.real], ['neural SDE', COLORS.nsde], ['log-OU (MLE)', COLORS.logOu]]);
  const ks = [...d.kurtosis.real, ...d.kurtosis.nsde, ...d.kurtosis.logOu].filter(Number.isFinite);
  const b = axis({ x: 760, y: 500, w: 580, h: 320 }, [1, d.kurtosis.real.length], [0, Math.max(...ks) * 1.1], 'per-step marginal kurtosis of V across windows', 'trading days ahead');
  body += b.svg;
  for (const [k, c] of Object.entries(d.kurtosis) as Array<[keyof typeof COLORS, number[]]>) body += polyline(c.map((_, i) => b.sx(i + 1)), c.map((v) => b.sy(v)), COLORS[k], 2);
  body += legend(1200, 510, [['real', COLORS.real], ['neural SDE', COLORS.nsde], ['log-OU (MLE)', COLORS.logOu]]);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif"><rect width="${W}" height="${H}" fill="white"/>${body}</svg>`;
}
