/**
 * Wall-clock times in a named time zone to epoch microseconds, and the date spellings found
 * in CBOE files. JavaScript has no "local time in zone Z to instant" function, so the offset
 * is read from `Intl.DateTimeFormat` and the conversion is hand-written here (two passes, so
 * the offset on the far side of a DST change is the one used). Intl is slow, so each zone's
 * offset changes are found once per year and cached.
 */

/** The zone CBOE times and settlement rules are quoted in. */
export const NEW_YORK = 'America/New_York';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of `zone` from UTC at `utcMs` read from Intl (slow: a formatToParts call). */
function intlOffsetMs(zone: string, utcMs: number): number {
  const parts = formatter(zone).formatToParts(new Date(utcMs));
  const get = (t: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === t)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

// Per zone and UTC year: the offset in force from each start instant on. Built from the offsets
// at the 13 month starts, with each change located to the second by bisection; this assumes a
// zone changes offset at most once a month, true of New York and of almost every zone.
const years = new Map<string, Array<[number, number]>>();

function yearSegments(zone: string, year: number): Array<[number, number]> {
  const key = zone + ':' + year;
  let segs = years.get(key);
  if (segs) return segs;
  const starts = Array.from({ length: 13 }, (_, i) => Date.UTC(year, i, 1));
  const offs = starts.map((t) => intlOffsetMs(zone, t));
  segs = [[-Infinity, offs[0]]];
  for (let i = 0; i < 12; i++) {
    if (offs[i] === offs[i + 1]) continue;
    let lo = starts[i] / 1000; // offs[i] holds here (whole seconds)
    let hi = starts[i + 1] / 1000; // offs[i + 1] holds here
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (intlOffsetMs(zone, mid * 1000) === offs[i]) lo = mid;
      else hi = mid;
    }
    segs.push([hi * 1000, offs[i + 1]]);
  }
  if (years.size > 4096) years.clear();
  years.set(key, segs);
  return segs;
}

/** Offset of `zone` from UTC at the instant `utcMs`, in milliseconds (New York in winter: -5 h). */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  const segs = yearSegments(zone, new Date(utcMs).getUTCFullYear());
  let o = segs[0][1];
  for (let i = 1; i < segs.length && segs[i][0] <= utcMs; i++) o = segs[i][1];
  return o;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Epoch microseconds of the wall-clock `time` (`HH:MM` or `HH:MM:SS`) on `date` (`YYYY-MM-DD`)
 * in `zone`. A time skipped by a spring-forward change maps to the later of the two readings
 * (02:30 on a New York spring-forward day is 03:30 EDT); an ambiguous fall-back time maps to
 * the earlier instant found (01:30 on a New York fall-back day is 01:30 EDT). Checked for
 * America/New_York.
 */
export function zonedToEpochMicros(date: string, time: string, zone: string = NEW_YORK): number {
  const d = ISO_DATE.exec(date);
  const t = CLOCK.exec(time);
  if (!d) throw new Error(`zonedToEpochMicros: date must be YYYY-MM-DD, got "${date}"`);
  if (!t) throw new Error(`zonedToEpochMicros: time must be HH:MM or HH:MM:SS, got "${time}"`);
  const [y, mo, da] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [h, mi, s] = [Number(t[1]), Number(t[2]), Number(t[3] ?? 0)];
  if (mo < 1 || mo > 12 || da < 1 || da > daysInMonth(y, mo)) throw new Error(`zonedToEpochMicros: no such date "${date}"`);
  if (h > 23 || mi > 59 || s > 59) throw new Error(`zonedToEpochMicros: no such time "${time}"`);
  const wall = Date.UTC(y, mo - 1, da, h, mi, s);
  // Two guesses (the offset at the wall time read as UTC, then at the instant it gives) agree
  // except within hours of a DST change; a guess counts when it maps back to the same wall time.
  const o1 = zoneOffsetMs(zone, wall);
  const c1 = wall - o1;
  const c2 = wall - zoneOffsetMs(zone, c1);
  const ok1 = c1 + zoneOffsetMs(zone, c1) === wall;
  const ok2 = c2 + zoneOffsetMs(zone, c2) === wall;
  const utc = ok1 && ok2 ? Math.min(c1, c2) : ok1 ? c1 : ok2 ? c2 : Math.max(c1, c2);
  return utc * 1000;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

function isoIfValid(y: number, m: number, d: number): string | undefined {
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) return undefined;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** `Mon Feb 07 2022` (CBOE `Expiration Date`) to `2022-02-07`; undefined when it is not one. */
export function parseCboeExpiry(text: string): string | undefined {
  const m = /^\s*(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\s*$/.exec(text);
  if (!m) return undefined;
  const mo = MONTHS[m[1].toLowerCase()];
  return mo ? isoIfValid(Number(m[3]), mo, Number(m[2])) : undefined;
}

/** `MM/DD/YYYY` or `YYYY-MM-DD` to `YYYY-MM-DD`; undefined when it is neither or no such day. */
export function parseDayDate(text: string): string | undefined {
  // Ticks repeat a handful of expiry dates millions of times: remember the answers.
  const hit = dayDateCache.get(text);
  if (hit !== undefined || dayDateCache.has(text)) return hit;
  const out = parseDayDateUncached(text);
  if (dayDateCache.size >= 10_000) dayDateCache.clear();
  dayDateCache.set(text, out);
  return out;
}

const dayDateCache = new Map<string, string | undefined>();

function parseDayDateUncached(text: string): string | undefined {
  const s = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return isoIfValid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (m) return isoIfValid(Number(m[3]), Number(m[1]), Number(m[2]));
  return undefined;
}

/**
 * The snapshot time of a CBOE export's date line, as epoch microseconds, read in New York time
 * (the zone abbreviation is not needed: the date fixes it). Accepts the spellings seen in CBOE
 * exports, `Date: February 5 2022, 8:09 PM EST` and `Date: August 20, 2023 at 10:42 PM EDT`;
 * anything else (a localised line, for one) gives undefined and the caller falls back.
 */
export function parseCboeSnapshotTime(line: string): number | undefined {
  const m =
    /Date:\s*([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\s*(?:,|\s+at\s+|\s)\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?/.exec(line);
  if (!m) return undefined;
  const mo = MONTHS[m[1].toLowerCase()];
  const date = mo ? isoIfValid(Number(m[3]), mo, Number(m[2])) : undefined;
  if (!date) return undefined;
  let h = Number(m[4]);
  const ampm = m[7]?.toUpperCase();
  if (ampm) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (ampm === 'PM' ? 12 : 0);
  }
  if (h > 23 || Number(m[5]) > 59) return undefined;
  return zonedToEpochMicros(date, `${pad2(h)}:${m[5]}:${m[6] ?? '00'}`, NEW_YORK);
}

/** The last valid `YYYY-MM-DD` in a path, i.e. the innermost (a snapshot folder like `spx-options/2023-12-08/`). */
export function dateInPath(path: string): string | undefined {
  const all = path.match(/\d{4}-\d{2}-\d{2}/g);
  if (!all) return undefined;
  for (let i = all.length - 1; i >= 0; i--) {
    const iso = parseDayDate(all[i]);
    if (iso) return iso;
  }
  return undefined;
}

/** Calendar date (YYYY-MM-DD) of an instant in `zone`. */
export function zonedDate(tsMicros: number, zone: string = NEW_YORK): string {
  const ms = Math.floor(tsMicros / 1000);
  const wall = new Date(ms + zoneOffsetMs(zone, ms));
  return `${wall.getUTCFullYear()}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())}`;
}
