/** The bus key of a tick: what per-key ordering and sequence numbers are kept for. */
import type { Tick } from './schema.ts';

/** `SPX` for an index print, `VX:2027-01` for a futures contract, `SPXW:2024-01-19` for an option expiry. */
export function tickKey(t: Tick): string {
  switch (t.kind) {
    case 'index':
      return t.symbol;
    case 'future':
      return `${t.root}:${t.month}`;
    case 'option':
      return `${t.root}:${t.expiry}`;
  }
}
