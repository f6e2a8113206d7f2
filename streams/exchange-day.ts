/**
 * The exchange day (America/New_York calendar date) of an event time, with its bounds, cached
 * so a stream of ticks pays for the time-zone lookup once per day, not once per tick.
 */
const fmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function parts(ms: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** Epoch milliseconds of local midnight in New York on the given calendar date. */
function nyMidnightMs(y: number, m: number, d: number): number {
  const guess = Date.UTC(y, m - 1, d);
  // New York is UTC-4 or UTC-5; midnight local is 04:00 or 05:00 UTC. Try both offsets.
  for (const h of [4, 5]) {
    const t = guess + h * 3_600_000;
    const p = parts(t);
    if (p.year === y && p.month === m && p.day === d && p.hour === 0 && p.minute === 0) return t;
  }
  throw new Error(`no New York midnight found for ${y}-${m}-${d}`);
}

export interface ExchangeDay {
  /** YYYY-MM-DD in New York. */
  date: string;
  /** Start of the day, epoch microseconds. */
  start: number;
  /** Start of the next day, epoch microseconds. */
  end: number;
}

/** Returns a function mapping event time (µs) to its New York calendar day, cached per day. */
export function exchangeDayOf(): (tsMicros: number) => ExchangeDay {
  let last: ExchangeDay | undefined;
  return (ts) => {
    if (last && ts >= last.start && ts < last.end) return last;
    const p = parts(Math.floor(ts / 1000));
    const start = nyMidnightMs(p.year, p.month, p.day);
    const next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
    const end = nyMidnightMs(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
    const date = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
    last = { date, start: start * 1000, end: end * 1000 };
    return last;
  };
}
