/**
 * uPlot charts sized to their container: a ResizeObserver keeps each chart filling its box, and
 * `setData` is called only from the draw loop, so a burst of messages costs one redraw.
 */
import uPlot from 'uplot';
import { COLORS } from './theme.ts';

/** Creates a uPlot chart filling `container`. */
export function fillChart(container: HTMLElement, opts: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData): uPlot {
  // uPlot's height is the canvas's; the legend below it must fit in the container too.
  let legend = 0;
  const size = () => ({ width: Math.max(100, container.clientWidth), height: Math.max(60, container.clientHeight - legend) });
  const chart = new uPlot({ ...size(), ...opts } as uPlot.Options, data, container);
  const fit = () => {
    legend = (chart.root.querySelector('.u-legend') as HTMLElement | null)?.offsetHeight ?? 0;
    const s = size();
    if (s.width !== chart.width || s.height !== chart.height) chart.setSize(s);
  };
  fit();
  new ResizeObserver(fit).observe(container);
  return chart;
}

const hhmm = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hour12: false });
const mday = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'short', day: '2-digit' });

/**
 * An x axis over row numbers labelled with the rows' event times (epoch seconds), so nights
 * and weekends take no room: the first label of each New York day carries its date.
 */
export function ordinalTimeAxis(times: () => readonly number[], base: uPlot.Axis): uPlot.Axis {
  return {
    ...base,
    values: (_u, splits) => {
      const t = times();
      let lastDay = '';
      return splits.map((i) => {
        const ts = t[Math.round(i)];
        if (ts === undefined || Math.abs(i - Math.round(i)) > 1e-6) return '';
        const d = new Date(ts * 1000);
        const day = mday.format(d);
        const label = day !== lastDay && lastDay !== '' ? `${day}` : hhmm.format(d);
        lastDay = day;
        return label;
      });
    },
  };
}

/** A line series. */
export function line(label: string, stroke: string, extra: Partial<uPlot.Series> = {}): uPlot.Series {
  return { label, stroke, width: 1.5, points: { show: false }, ...extra };
}

/** A scatter series (points, no line). */
export function dots(label: string, stroke: string, size = 5): uPlot.Series {
  return { label, stroke, fill: stroke, width: 0, paths: () => null, points: { show: true, size, stroke, fill: stroke } };
}

/** The legend and cursor settings every chart shares (a compact legend, live values). */
export const compact: Partial<uPlot.Options> = {
  legend: { show: true, live: true },
  cursor: { drag: { x: false, y: false }, points: { size: 5 } },
};

export { COLORS };
