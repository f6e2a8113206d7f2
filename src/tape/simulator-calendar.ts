/**
 * Calendar of the simulated market: days as integers (days since 1970-01-01), US Eastern time
 * without a time-zone library (the US daylight-saving rules since 1987 are written out, so the
 * tape does not depend on the ICU data of the Node build), SPX and VIX expiry rules.
 * Exchange holidays are not modelled: every weekday is a trading day.
 */

/** Regular session in seconds after local midnight, America/New_York. */
export const SESSION_OPEN_S = 9.5 * 3600;
export const SESSION_CLOSE_S = 16 * 3600;

const MS_PER_DAY = 86_400_000;

/** Day number (days since 1970-01-01) of an ISO date `YYYY-MM-DD`. */
export function dayOf(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`date: expected YYYY-MM-DD, got "${iso}"`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms);
  if (back.getUTCDate() !== Number(m[3]) || back.getUTCMonth() !== Number(m[2]) - 1) throw new RangeError(`date: "${iso}" is not a calendar date`);
  return ms / MS_PER_DAY;
}

/** Day number of year, month (1-12), day of month. */
export function dayFromParts(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** ISO date `YYYY-MM-DD` of a day number. */
export function isoOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Year and month (1-12) of a day number. */
export function yearMonthOf(day: number): { year: number; month: number } {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

/** Day of the week, 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Whether a day is a (simulated) trading day: Monday to Friday. */
export function isTradingDay(day: number): boolean {
  const w = weekdayOf(day);
  return w >= 1 && w <= 5;
}

/** The first trading day on or after `day`. */
export function nextTradingDay(day: number): number {
  let d = day;
  while (!isTradingDay(d)) d++;
  return d;
}

/** The n-th (1-based) given weekday of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = dayFromParts(year, month, 1);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1);
}

/** The last given weekday of a month. */
function lastWeekday(year: number, month: number, weekday: number): number {
  const last = dayFromParts(year, month + 1, 0);
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/** Third Friday of a month: the SPX monthly expiry. */
export function thirdFriday(year: number, month: number): number {
  return nthWeekday(year, month, 5, 3);
}

/**
 * Expiry of the VIX future of a contract month: the Wednesday 30 days before the third Friday
 * of the following month (holidays not modelled).
 */
export function vixFutureExpiry(year: number, month: number): number {
  const next = month === 12 ? thirdFriday(year + 1, 1) : thirdFriday(year, month + 1);
  return next - 30;
}

/** Whether US daylight-saving time is in force on a local date (rules of 1987-2006 and from 2007). */
export function isEasternDst(day: number): boolean {
  const { year } = yearMonthOf(day);
  const start = year >= 2007 ? nthWeekday(year, 3, 0, 2) : nthWeekday(year, 4, 0, 1);
  const end = year >= 2007 ? nthWeekday(year, 11, 0, 1) : lastWeekday(year, 10, 0);
  return day >= start && day < end;
}

/**
 * Epoch microseconds (UTC) of a New York local time: `day` and seconds after local midnight.
 * Valid for times after 02:00 local, which covers the session.
 */
export function easternToMicros(day: number, secondsOfDay: number): number {
  const offsetS = isEasternDst(day) ? 4 * 3600 : 5 * 3600;
  return (day * 86_400 + secondsOfDay + offsetS) * 1e6;
}

/** New York local day and seconds after midnight of an epoch-microsecond time. */
export function microsToEastern(us: number): { day: number; secondsOfDay: number } {
  const utcS = us / 1e6;
  for (const dst of [true, false]) {
    const local = utcS - (dst ? 4 : 5) * 3600;
    const day = Math.floor(local / 86_400);
    if (isEasternDst(day) === dst) return { day, secondsOfDay: local - day * 86_400 };
  }
  // Only in the skipped hour of the spring change; standard time is as good an answer as any.
  const local = utcS - 5 * 3600;
  const day = Math.floor(local / 86_400);
  return { day, secondsOfDay: local - day * 86_400 };
}

/**
 * Parses a start or end time in New York local time: `YYYY-MM-DD` (the session open of that
 * day) or `YYYY-MM-DDTHH:MM[:SS]`. Returns the day and seconds after midnight.
 */
export function parseEasternTime(text: string, name: string): { day: number; secondsOfDay: number } {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) throw new RangeError(`${name}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (New York time), got "${text}"`);
  const day = dayOf(m[1]);
  if (m[2] === undefined) return { day, secondsOfDay: SESSION_OPEN_S };
  const h = Number(m[2]);
  const mi = Number(m[3]);
  const s = Number(m[4] ?? 0);
  if (h > 23 || mi > 59 || s > 59) throw new RangeError(`${name}: "${text}" is not a time of day`);
  return { day, secondsOfDay: h * 3600 + mi * 60 + s };
}
