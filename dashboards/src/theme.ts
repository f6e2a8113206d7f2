/** Colours of the dark theme, shared by the canvas drawings and the uPlot series. */
import type uPlot from 'uplot';

export const COLORS = {
  bg: '#0e1117',
  panel: '#161b22',
  grid: '#2a313c',
  axis: '#8b949e',
  text: '#e6edf3',
  muted: '#8b949e',
  spx: '#58a6ff',
  vix: '#f778ba',
  vvix: '#d2a8ff',
  hn: '#58a6ff',
  gru: '#3fb950',
  garch: '#d29922',
  realized: '#f0f6fc',
  vixImplied: '#f778ba',
  bid: '#58a6ff',
  ask: '#ff7b72',
  mid: '#8b949e',
  fit: '#f0f6fc',
  model: '#3fb950',
  market: '#f778ba',
  bad: '#f85149',
  warn: '#d29922',
  good: '#3fb950',
} as const;

/** Axis styling for uPlot on the dark background. */
export function axis(label?: string, size?: number): uPlot.Axis {
  return {
    stroke: COLORS.axis,
    grid: { stroke: COLORS.grid, width: 1 },
    ticks: { stroke: COLORS.grid, width: 1 },
    font: '11px system-ui, sans-serif',
    labelFont: '11px system-ui, sans-serif',
    ...(label ? { label, labelSize: 16 } : {}),
    ...(size ? { size } : {}),
  };
}

/**
 * A perceptual colour map (viridis, 9 anchors, linear between them) for the surface heatmap:
 * monotone in lightness, so a higher vol always reads brighter, also in grey.
 */
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'].map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));

/** The colour of u in [0, 1] on the map. */
export function viridis(u: number): string {
  const t = Math.min(1, Math.max(0, u)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(t));
  const f = t - i;
  const c = VIRIDIS[i].map((a, j) => Math.round(a + (VIRIDIS[i + 1][j] - a) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}
