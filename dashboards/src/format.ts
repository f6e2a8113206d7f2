/** Number and time formatting for the page, in one place so every panel reads alike. */

/** Fixed decimals, or an em dash for a missing value. */
export function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/** A signed change with its sign. */
export function signed(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;
}

/** A count with thousands separators. */
export function count(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : Math.round(x).toLocaleString('en-US');
}

/** A daily variance as an annualised vol in percent (252 trading days). */
export function volPct(dailyVariance: number | null | undefined): number {
  return dailyVariance === null || dailyVariance === undefined || !(dailyVariance >= 0) ? NaN : 100 * Math.sqrt(252 * dailyVariance);
}

const nyTime = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const nyDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Event time (epoch microseconds) as New York `YYYY-MM-DD HH:MM:SS`. */
export function eventTime(tsMicros: number | null | undefined): string {
  if (tsMicros === null || tsMicros === undefined || !Number.isFinite(tsMicros)) return '—';
  const d = new Date(tsMicros / 1000);
  return `${nyDate.format(d)} ${nyTime.format(d)}`;
}

/** Event time (epoch microseconds) as New York `HH:MM:SS`. */
export function clockTime(tsMicros: number | null | undefined): string {
  return tsMicros === null || tsMicros === undefined || !Number.isFinite(tsMicros) ? '—' : nyTime.format(new Date(tsMicros / 1000));
}

/** A maturity in years as a short tenor label (days below two months, else months or years). */
export function tenor(T: number): string {
  const days = T * 365;
  if (days < 60) return `${Math.round(days)}d`;
  if (days < 700) return `${Math.round(days / 30.4)}m`;
  return `${(days / 365).toFixed(1)}y`;
}

/** Bytes as MiB. */
export function mib(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1048576).toFixed(0)} MiB` : '—';
}
