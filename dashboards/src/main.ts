/**
 * The live risk dashboard: one WebSocket (conflated by the server to a few messages per second
 * per key), panels that only mark themselves dirty when a message arrives, and one
 * requestAnimationFrame loop that redraws the dirty ones at most four times a second.
 */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { AuthError, authenticate, getJson, setApiKey, wsUrl, type EngineInfo } from './api.ts';
import { el } from './dom.ts';
import { eventTime } from './format.ts';
import { askKey } from './key-prompt.ts';
import { FeedClient, type FeedStats, type WireMessage } from './ws-client.ts';
import { HealthPanel, type StatsView } from './panels/health.ts';
import { HedgesPanel } from './panels/hedges.ts';
import { HeatmapPanel } from './panels/heatmap.ts';
import { NsdePanel } from './panels/nsde.ts';
import { PricesPanel } from './panels/prices.ts';
import { SmilePanel } from './panels/smile.ts';
import type { SurfaceView } from './panels/surface-types.ts';
import { TermPanel } from './panels/term.ts';
import { VariancePanel } from './panels/variance.ts';

/** Server-side conflation: messages per second per (topic, key). */
const MAX_RATE = 2;
/** Fewest milliseconds between two redraws. */
const FRAME_MS = 250;
const STATS_MS = 1500;
const TOPICS_MS = 15_000;

const prices = new PricesPanel();
const variance = new VariancePanel();
const heatmap = new HeatmapPanel();
const smile = new SmilePanel();
const term = new TermPanel();
const nsde = new NsdePanel();
const hedges = new HedgesPanel();
const health = new HealthPanel();
const panels = [prices, variance, heatmap, smile, term, nsde, hedges, health];

const status = el('span', { id: 'feed-status', class: 'status', 'data-state': 'connecting' }, 'connecting');
const clock = el('span', { id: 'event-time', class: 'clock' }, '—');
const runInfo = el('span', { class: 'muted' });
const keyButton = el('button', { class: 'link', type: 'button' }, 'change key');
let latestTs = -Infinity;

function layout(): void {
  const header = el('header', { class: 'top' }, el('h1', {}, 'volrisk', el('span', { class: 'muted' }, ' · live risk')), runInfo, el('span', { class: 'spacer' }), el('span', { class: 'muted' }, 'event time (New York) '), clock, status, keyButton);
  const grid = el('main', { class: 'grid' },
    ...prices.tiles.map((t) => t.frame.root),
    variance.frame.root, heatmap.frame.root, smile.frame.root,
    term.frame.root, nsde.frame.root, hedges.frame.root,
    health.frame.root,
  );
  document.body.append(header, grid);
  keyButton.addEventListener('click', () => {
    setApiKey(null);
    location.reload();
  });
}

function onMessage(m: WireMessage): void {
  if (m.ts !== undefined && m.ts > latestTs && m.topic !== 'nsde') latestTs = m.ts;
  switch (m.topic) {
    case 'ticks.raw':
      prices.onMessage(m);
      term.onMessage(m);
      break;
    case 'bars':
      prices.onMessage(m);
      break;
    case 'variance':
      variance.onMessage(m);
      break;
    case 'surface': {
      const s = m.payload as SurfaceView;
      heatmap.set(s);
      smile.set(s);
      term.set(s);
      break;
    }
    case 'nsde':
      nsde.onMessage(m);
      break;
    case 'hedges':
      hedges.onMessage(m);
      break;
  }
}

function onStats(s: FeedStats): void {
  status.dataset.state = s.state;
  status.dataset.connects = String(s.connects);
  status.dataset.resumed = String(s.resumed);
  status.dataset.restarts = String(s.restarts);
  status.dataset.gaps = String(s.gaps);
  status.dataset.messages = String(s.messages);
  status.textContent = s.state === 'live' ? `live${s.resumed > 0 ? ` · resumed ${s.resumed} keys` : ''}${s.gaps > 0 ? ` · ${s.gaps} gaps` : ''}` : s.state;
  status.title = s.lastError ?? '';
}

function drawLoop(feed: FeedClient): void {
  let last = 0;
  const frame = (t: number) => {
    if (t - last >= FRAME_MS) {
      last = t;
      onStats(feed.stats);
      for (const p of panels) p.draw();
      clock.textContent = eventTime(Number.isFinite(latestTs) ? latestTs : null);
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

async function start(): Promise<void> {
  layout();
  const info: EngineInfo = await authenticate(askKey);
  keyButton.hidden = info.open;
  runInfo.textContent = ` run ${info.run} · feed ${info.feed} · bus ${info.bus}${info.open ? ' · OPEN MODE (no API keys)' : ''}`;
  const feed = new FeedClient({
    url: wsUrl,
    maxRate: MAX_RATE,
    instance: async () => (await getJson<StatsView>('/api/stats')).instance,
    onMessage,
    onStats,
    onRestart: () => {
      latestTs = -Infinity;
      for (const p of panels) if ('reset' in p) p.reset();
    },
  });
  feed.subscribe({ topic: 'ticks.raw', keys: ['SPX', 'VIX', 'VVIX'] });
  feed.subscribe({ topic: 'bars', keys: ['SPX:1m', 'VIX:1m', 'VVIX:1m'], backfill: true });
  feed.subscribe({ topic: 'variance', keys: ['SPX'], backfill: true });
  feed.subscribe({ topic: 'surface' });
  // What the server holds of hedges and nsde is replayed on the first connect (sparklines start full).
  const first = await getJson<Array<{ topic: string; keys: string[] }>>('/api/topics').catch(() => []);
  const keysOf = (t: string) => first.find((x) => x.topic === t)?.keys ?? [];
  feed.subscribe({ topic: 'hedges', backfillKeys: keysOf('hedges') });
  feed.subscribe({ topic: 'nsde' });
  const futures = async (list?: Array<{ topic: string; keys: string[] }>) => {
    const keys = (list ?? (await getJson<Array<{ topic: string; keys: string[] }>>('/api/topics'))).find((x) => x.topic === 'ticks.raw')?.keys ?? [];
    const vx = keys.filter((k) => k.startsWith('VX:') && !feed.keys('ticks.raw').includes(k));
    if (vx.length > 0) feed.subscribe({ topic: 'ticks.raw', keys: vx });
  };
  await futures(first);
  feed.start();
  // Contracts are listed as days pass: pick up new VX keys.
  setInterval(() => void futures().catch(() => {}), TOPICS_MS);
  let asking = false;
  const poll = async () => {
    try {
      health.set(await getJson<StatsView>('/api/stats'));
    } catch (e) {
      health.fail((e as Error).message);
      if (e instanceof AuthError && !asking) {
        asking = true;
        setApiKey((await askKey(`The engine refused the key: ${e.message}`)).trim() || null);
        asking = false;
        feed.close();
        feed.start();
      }
    }
  };
  void poll();
  setInterval(() => void poll(), STATS_MS);
  drawLoop(feed);
}

void start().catch((e) => {
  document.body.append(el('div', { class: 'fatal' }, `The dashboard could not start: ${(e as Error).message}`));
});

