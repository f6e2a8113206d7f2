// k6: the WebSocket profile. 900 dashboards (conflated to 10 msg/s per key) and 100 bots
// (every message of their key, in order), fed by an injector posting ticks at 10/s per key.
// Thresholds: bots' end-to-end p99 <= 20 ms, none lost or duplicated, <1% failed connects.
//
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e ADMIN_KEY=... -e BOT_KEY=... -e DASHBOARD_KEY=... loadtests/k6/ws-load.js
//   (smaller: -e DASHBOARDS=90 -e BOTS=10 -e KEYS=10 -e DURATION=30s)
import ws from 'k6/ws';
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Counter, Trend, Rate } from 'k6/metrics';
import { BASE_URL, WS_URL, KEYS, NKEYS, RATE_PER_KEY, keyOf, optionTick, auth } from './lib.js';

const DASHBOARDS = Number(__ENV.DASHBOARDS || 900);
const BOTS = Number(__ENV.BOTS || 100);
const DURATION = __ENV.DURATION || '60s';
const SECONDS = parseInt(DURATION, 10);

const e2e = new Trend('ws_e2e_latency', true);
const lost = new Counter('bot_lost');
const duplicated = new Counter('bot_duplicated');
const slowCuts = new Counter('bot_slow_consumer');
const received = new Counter('ws_messages');
const connectFailed = new Rate('ws_connect_failed');

export const options = {
  scenarios: {
    inject: { executor: 'constant-vus', vus: 1, duration: DURATION, exec: 'inject' },
    bots: { executor: 'per-vu-iterations', vus: BOTS, iterations: 1, maxDuration: DURATION, exec: 'bot', startTime: '2s' },
    dashboards: { executor: 'per-vu-iterations', vus: DASHBOARDS, iterations: 1, maxDuration: DURATION, exec: 'dashboard', startTime: '2s' },
  },
  thresholds: {
    'ws_e2e_latency{kind:bot}': ['p(99)<=20'],
    'ws_e2e_latency{kind:dashboard}': ['p(99)<=150'],
    bot_lost: ['count==0'],
    bot_duplicated: ['count==0'],
    ws_connect_failed: ['rate<0.01'],
    'http_req_failed{scenario:inject}': ['rate<0.01'],
  },
};

// One POST every 50 ms with the ticks due on every key.
export function inject() {
  const sent = new Array(NKEYS).fill(0);
  const t0 = Date.now();
  while (Date.now() - t0 < (SECONDS - 1) * 1000) {
    const elapsed = (Date.now() - t0) / 1000;
    const ts = Date.now() * 1000;
    const lines = [];
    for (let k = 0; k < NKEYS; k++) {
      const due = Math.floor(elapsed * RATE_PER_KEY) - sent[k];
      for (let j = 0; j < due; j++) lines.push(JSON.stringify(optionTick(k, sent[k]++, ts)));
    }
    if (lines.length) {
      const r = http.post(BASE_URL + '/api/ticks?format=ndjson&src=k6', lines.join('\n'), { headers: Object.assign({ 'Content-Type': 'application/x-ndjson' }, auth(KEYS.admin)) });
      check(r, { 'ingest 200': (x) => x.status === 200 && JSON.parse(x.body).rejected === 0 });
    }
    sleep(0.05);
  }
}

function client(kind, key, sub) {
  let last = 0;
  const res = ws.connect(WS_URL, { headers: auth(KEYS[kind]) }, (socket) => {
    socket.on('open', () => socket.send(JSON.stringify(sub(last))));
    socket.on('message', (text) => {
      const m = JSON.parse(text);
      if (m.type === 'error' && m.payload && m.payload.code === 'SLOW_CONSUMER') slowCuts.add(1, { kind });
      if (m.type !== 'update' && m.type !== 'snapshot') return;
      received.add(1, { kind });
      e2e.add(Date.now() - m.ts / 1000, { kind });
      if (kind !== 'bot') return;
      if (m.seq <= last) duplicated.add(1);
      else {
        if (last > 0 && m.seq > last + 1) lost.add(m.seq - last - 1);
        last = m.seq;
      }
    });
    socket.setTimeout(() => socket.close(), (SECONDS - 3) * 1000);
  });
  connectFailed.add(!res || res.status !== 101);
  check(res, { 'upgraded (101)': (r) => r && r.status === 101 });
}

export function bot() {
  const key = keyOf((__VU - 1) % NKEYS);
  client('bot', key, (last) => (last > 0 ? { op: 'subscribe', topics: ['ticks.raw'], keys: [key], from: { ['ticks.raw/' + key]: last } } : { op: 'subscribe', topics: ['ticks.raw'], keys: [key] }));
}

export function dashboard() {
  const key = keyOf((__VU - 1) % NKEYS);
  client('dashboard', key, () => ({ op: 'subscribe', topics: ['ticks.raw'], keys: [key], maxRate: 10 }));
}
