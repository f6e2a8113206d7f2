/**
 * The exchange day (America/New_York calendar date) of an event time, with its bounds, cached
 * so a stream of ticks pays for the time-zone lookup once per day, not once per tick.
 */
import { zonedDate, zonedToEpochMicros } from '../src/ticks/time.ts';

export interface ExchangeDay {
  /** YYYY-MM-DD in New York. */
  date: string;
  /** Start of the day (New York midnight), epoch microseconds. */
  start: number;
  /** Start of the next day, epoch microseconds. */
  end: number;
}

/** The calendar date after `date` (YYYY-MM-DD). */
function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Returns a function mapping event time (µs) to its New York calendar day, cached per day. */
export function exchangeDayOf(): (tsMicros: number) => ExchangeDay {
  let last: ExchangeDay | undefined;
  return (ts) => {
    if (last && ts >= last.start && ts < last.end) return last;
    const date = zonedDate(ts);
    last = { date, start: zonedToEpochMicros(date, '00:00'), end: zonedToEpochMicros(nextDate(date), '00:00') };
    return last;
  };
}
