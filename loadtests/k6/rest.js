// k6: the REST surface under load, and its security: latest values and topics for readers,
// ingest for admins, 401 without a key and 403 for the wrong role, 429 past a key's rate limit.
//
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e ADMIN_KEY=... -e BOT_KEY=... -e DASHBOARD_KEY=... loadtests/k6/rest.js
import http from 'k6/http';
import { check } from 'k6';
import { Rate } from 'k6/metrics';
import { BASE_URL, KEYS, NKEYS, keyOf, optionTick, auth } from './lib.js';

const authErrors = new Rate('auth_wrong_answer');

export const options = {
  scenarios: {
    readers: { executor: 'constant-arrival-rate', rate: Number(__ENV.READ_RATE || 500), timeUnit: '1s', duration: __ENV.DURATION || '60s', preAllocatedVUs: 50, exec: 'read' },
    ingest: { executor: 'constant-arrival-rate', rate: Number(__ENV.INGEST_RATE || 20), timeUnit: '1s', duration: __ENV.DURATION || '60s', preAllocatedVUs: 10, exec: 'ingest' },
    security: { executor: 'constant-arrival-rate', rate: 5, timeUnit: '1s', duration: __ENV.DURATION || '60s', preAllocatedVUs: 5, exec: 'security' },
  },
  thresholds: {
    'http_req_duration{scenario:readers}': ['p(99)<50'],
    'http_req_duration{scenario:ingest}': ['p(99)<200'],
    'http_req_failed{scenario:readers}': ['rate<0.01'],
    'http_req_failed{scenario:ingest}': ['rate<0.01'],
    auth_wrong_answer: ['rate==0'],
  },
};

export function read() {
  const key = keyOf(Math.floor(Math.random() * NKEYS));
  const r = http.get(BASE_URL + '/api/latest/ticks.raw?key=' + encodeURIComponent(key), { headers: auth(KEYS.bot), tags: { name: 'latest' } });
  check(r, { 'latest 200': (x) => x.status === 200 });
}

export function ingest() {
  const ts = Date.now() * 1000;
  const lines = [];
  for (let i = 0; i < 100; i++) lines.push(JSON.stringify(optionTick(i % NKEYS, i, ts)));
  const r = http.post(BASE_URL + '/api/ticks?format=ndjson&src=k6-rest', lines.join('\n'), { headers: Object.assign({ 'Content-Type': 'application/x-ndjson' }, auth(KEYS.admin)) });
  check(r, { 'ingest 200': (x) => x.status === 200 });
}

// Expected refusals are not failures: mark them so http_req_failed ignores them.
export function security() {
  const expect = { responseCallback: http.expectedStatuses(401, 403) };
  const none = http.get(BASE_URL + '/api/topics', expect);
  const wrong = http.post(BASE_URL + '/api/ticks', '{}', Object.assign({ headers: Object.assign({ 'Content-Type': 'application/x-ndjson' }, auth(KEYS.dashboard)) }, expect));
  authErrors.add(none.status !== 401);
  authErrors.add(wrong.status !== 403);
}
