/**
 * Progress of a run: the event sent to the CLI's bar, to REST (`GET /api/replays/:run`) and over
 * the WebSocket (topic `replay`, key the run id, the event as payload).
 */
import type { RunStatus } from './checkpoint.ts';

/** The WebSocket topic replay progress is published on (key: the run id); not stored. */
export const REPLAY_TOPIC = 'replay';

export interface ReplayProgress {
  run: string;
  status: RunStatus;
  /** Tape items (parse outcomes) consumed by this process. */
  position: number;
  /** Tape items expected, when known. */
  total?: number;
  /** Event time reached, epoch µs (0 before the first tick). */
  eventTs: number;
  accepted: number;
  rejected: number;
  /** Tape position of the checkpoint this run resumed from (0 for a fresh run). */
  resumedFrom: number;
  checkpoints: number;
  elapsedMs: number;
  itemsPerSecond: number;
  error?: string;
}

const si = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e4 ? `${(x / 1e3).toFixed(1)}k` : String(Math.round(x)));

/** One line of progress bar for a terminal, e.g. `[#####-----]  52% 1.20M/2.31M  2007-03-01  81.2k/s  run r1`. */
export function progressLine(p: ReplayProgress, width = 30): string {
  const frac = p.total ? Math.min(1, p.position / p.total) : undefined;
  const bar = frac === undefined ? '' : `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '-')}] ${(frac * 100).toFixed(0).padStart(3)}% `;
  const at = p.eventTs > 0 ? new Date(p.eventTs / 1000).toISOString().slice(0, 19).replace('T', ' ') : '-';
  const resumed = p.resumedFrom > 0 ? `  resumed from ${si(p.resumedFrom)}` : '';
  return `${bar}${si(p.position)}${p.total ? '/' + si(p.total) : ''} items  tape ${at}  ${si(p.itemsPerSecond)}/s  rejects ${p.rejected}  ${p.status}${resumed}  run ${p.run}`;
}
