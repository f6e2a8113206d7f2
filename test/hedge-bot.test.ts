/**
 * The example hedging bot (examples/hedge-bot.ts) against a real engine (startEngine: embedded
 * bus, chDB, every stage, API keys on) fed by the market simulator with its example book: the
 * bot's connection is killed mid-stream, it reconnects and resumes with `from`, and per key it
 * has received exactly the engine's own sequence 1..N (compared with the hub's resume log,
 * payloads included), with no gap and no duplicate. A second bot on every key (no keys given,
 * snapshot first) is dropped too and must hold a contiguous run of the engine's messages.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { startEngine, type Engine } from '../src/engine.ts';
import { DEFAULT_BOOK_PATH, loadBook } from '../src/positions/load.ts';
import { createHedgeBot, type HedgeBot, type HedgeGap, type HedgeUpdate } from '../examples/hedge-bot.ts';

const BOT_KEY = 'bot-key-for-the-resume-test-0001';
let dir: string;
let engine: Engine;
const bots: HedgeBot[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'volrisk-hedge-bot-'));
  const config = loadConfig({
    PORT: '0', DATA_DIR: join(dir, 'data'), VOLRISK_FEED: 'sim', VOLRISK_TICK_RATE: '50', VOLRISK_SPEED: '10x',
    VOLRISK_API_KEYS: `${BOT_KEY}:bot`, VOLRISK_RESUME_DEPTH: '100000', VOLRISK_SINK_MS: '200', LOG_LEVEL: 'silent',
  });
  engine = await startEngine(config, { logger: pino({ level: 'silent' }) });
});

after(async () => {
  for (const b of bots) await b.stop();
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const waitFor = async (what: string, ok: () => boolean, timeoutMs = 15_000) => {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const latestSeq = (key: string) => engine.hub.latest('hedges', [key])[0]?.seq ?? 0;

test('the hedge bot resumes after its connection is killed and misses nothing', { timeout: 60_000 }, async () => {
  const url = `${engine.url.replace(/^http/, 'ws')}/ws`;
  const keys = [...loadBook(DEFAULT_BOOK_PATH).list().map((p) => p.id), 'book'];
  const got = new Map<string, HedgeUpdate[]>();
  const gaps: HedgeGap[] = [];
  const lines: string[] = [];
  // From 0: everything the engine still holds, so the stream starts at seq 1 whenever the bot connects.
  const bot = createHedgeBot({
    url, key: BOT_KEY, keys, from: Object.fromEntries(keys.map((k) => [k, 0])),
    onTrade: (u) => got.set(u.key, [...(got.get(u.key) ?? []), u]),
    onGap: (g) => gaps.push(g),
    log: (l) => lines.push(l),
    backoffMs: { initial: 300, max: 1000 },
  });
  bots.push(bot);
  const all = new Map<string, number[]>();
  const allBot = createHedgeBot({ url, key: BOT_KEY, onTrade: (u) => all.set(u.key, [...(all.get(u.key) ?? []), u.seq]), onGap: (g) => gaps.push(g), log: () => {}, backoffMs: { initial: 200, max: 1000 } });
  bots.push(allBot);

  const count = () => got.get('book')?.length ?? 0;
  await waitFor('50 book messages', () => count() >= 50);
  // Killed mid-stream, twice: the engine goes on publishing while the bots are away.
  for (let round = 0; round < 2; round++) {
    const seqAtDrop = latestSeq('book');
    const conns = bot.connections, allConns = allBot.connections;
    bot.dropConnection();
    allBot.dropConnection();
    await waitFor('a reconnect', () => bot.connections > conns && bot.last.get('book')! > seqAtDrop);
    await waitFor('a reconnect of the all-keys bot', () => allBot.connections > allConns && allBot.last.get('book')! > seqAtDrop);
    assert.ok(latestSeq('book') > seqAtDrop, 'messages were published while the bot was away');
    const resumedAt = bot.last.get('book')!;
    await waitFor('updates after the resume', () => (bot.last.get('book') ?? 0) >= resumedAt + 20);
  }
  await bot.stop();
  await allBot.stop();

  assert.deepEqual(gaps, [], 'no gap');
  assert.ok(lines.some((l) => l.startsWith('connected') && l.includes('resuming')), 'the log says it resumed');
  assert.ok(lines.some((l) => /^spx-c4800-2024-03 #\d+: spot \d+\.\d+ bs target/.test(l)), `a trade line is logged, e.g. ${lines.find((l) => l.startsWith('spx-'))}`);
  for (const key of keys) {
    const mine = got.get(key) ?? [];
    assert.ok(mine.length > 0, `${key}: received`);
    const held = engine.hub.since('hedges', key, 0);
    assert.equal(held.gapTo, undefined);
    const want = held.messages.slice(0, mine.length);
    assert.deepEqual(mine.map((u) => u.seq), Array.from({ length: mine.length }, (_, i) => i + 1), `${key}: exactly 1..N`);
    assert.deepEqual(mine.map((u) => u.seq), want.map((m) => m.seq), `${key}: the engine's sequences`);
    assert.deepEqual(mine.map((u) => u.payload), want.map((m) => JSON.parse(JSON.stringify(m.payload))), `${key}: the engine's payloads`);
  }
  // The all-keys bot: a snapshot first, then every later message, across both drops.
  for (const key of keys) {
    const seqs = all.get(key) ?? [];
    assert.ok(seqs.length > 40, `${key}: all-keys bot received ${seqs.length}`);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => seqs[0] + i), `${key}: all-keys bot, contiguous`);
    assert.deepEqual(seqs, engine.hub.since('hedges', key, seqs[0] - 1).messages.slice(0, seqs.length).map((m) => m.seq), `${key}: all-keys bot, the engine's sequences`);
  }
  assert.equal(allBot.connections, 3);
});
