// Shared by the k6 scripts: configuration from the environment and the load-test ticks (the
// same shape as loadtests/ticks.ts: option quotes on per-bot expiries, ts = now in epoch µs).
export const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';
export const WS_URL = BASE_URL.replace(/^http/, 'ws') + '/ws';
export const KEYS = {
  admin: __ENV.ADMIN_KEY || '',
  bot: __ENV.BOT_KEY || '',
  dashboard: __ENV.DASHBOARD_KEY || '',
  analyst: __ENV.ANALYST_KEY || '',
};
export const NKEYS = Number(__ENV.KEYS || 100);
export const RATE_PER_KEY = Number(__ENV.RATE_PER_KEY || 10);

export function expiryOf(i) {
  return new Date(Date.UTC(2030, 0, 4) + i * 7 * 86400000).toISOString().slice(0, 10);
}
export function keyOf(i) {
  return 'SPXW:' + expiryOf(i);
}
export function optionTick(i, n, ts) {
  const mid = 50 + (n % 17);
  return { kind: 'option', root: 'SPXW', underlying: 'SPX', expiry: expiryOf(i), strike: 4000 + (n % 40) * 25, right: n % 2 === 0 ? 'C' : 'P', bid: mid - 0.5, ask: mid + 0.5, ts, src: 'k6' };
}
export function auth(key) {
  return key ? { Authorization: 'Bearer ' + key } : {};
}
