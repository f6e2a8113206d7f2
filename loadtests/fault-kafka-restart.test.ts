/**
 * Fault test: the Kafka broker restarts under load. librdkafka's mock cluster (infra/kafka-mock)
 * keeps its state in memory, so a restart is staged as its broker going down (connections cut,
 * new ones refused) for KAFKA_OUTAGE_MS (default 3,000 ms) and coming back with its logs and
 * committed offsets, as a real broker does. A consumer group reads through it; then its consumer
 * stops and a new member of the same group resumes from the committed offsets. Delivery is
 * at-least-once: the downstream store is keyed by (topic, key, seq), so every message is stored
 * exactly once, none lost; redeliveries are counted and must be only what followed a commit.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { KafkaMockUnavailable, startKafkaMock, type KafkaMock } from '../infra/kafka-mock/launch.ts';
import type { Message } from '../src/bus/message.ts';
import { createKafkaBus, type KafkaBus } from '../src/bus/kafka.ts';

const OUTAGE_MS = Number(process.env.KAFKA_OUTAGE_MS ?? 3_000);
const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let mock: KafkaMock | undefined;
let unavailable: string | false = false;
try {
  mock = await startKafkaMock(1);
} catch (err) {
  if (!(err instanceof KafkaMockUnavailable)) throw err;
  unavailable = err.message;
}
after(() => mock?.stop());

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

/** The idempotent downstream: rows keyed by (topic, key, seq); deliveries counted apart. */
class KeyedStore {
  readonly rows = new Map<string, Message>();
  deliveries = 0;
  /** Highest seq delivered per key, to check per-key order. */
  readonly lastSeq = new Map<string, number>();
  outOfOrder = 0;
  write(batch: readonly Message[]): void {
    for (const m of batch) {
      this.deliveries++;
      const last = this.lastSeq.get(m.key) ?? 0;
      // A redelivery restarts from a committed offset (seq <= last); anything else must be last + 1.
      if (m.seq > last + 1) this.outOfOrder++;
      this.lastSeq.set(m.key, Math.max(last, m.seq));
      this.rows.set(`${m.topic}/${m.key}/${m.seq}`, m);
    }
  }
}

test('Kafka broker down and back under load: consumers resume from committed offsets, nothing lost, stored once', { skip: unavailable || false, timeout: 120_000 }, async (t) => {
  const topic = `restart-${randomBytes(3).toString('hex')}`;
  const bus: KafkaBus = createKafkaBus({ brokers: mock!.brokers.split(','), clientId: 'volrisk-fault', retry: { initialMs: 50, maxMs: 500 }, lagRefreshMs: 500, createTopic: (n, p) => mock!.createTopic(n, p), log: quiet });
  await bus.ensureTopics([{ topic, partitions: 3 }]);
  const store = new KeyedStore();
  const consumer = await bus.consume(topic, 'store', async (b) => store.write(b), { maxBatch: 200 });

  const seq = new Map(KEYS.map((k) => [k, 0]));
  let published = 0;
  const publishRound = async () => {
    const batch: Message[] = [];
    for (const key of KEYS) for (let i = 0; i < 20; i++) {
      const s = seq.get(key)! + 1;
      seq.set(key, s);
      batch.push({ topic, key, seq: s, ts: s, run: 'fault', payload: { s } });
    }
    await bus.publish(topic, batch);
    published += batch.length;
  };
  let stopLoad = false;
  const load = (async () => {
    while (!stopLoad) {
      await publishRound();
      await sleep(20);
    }
  })();

  await sleep(1_500);
  const beforeOutage = store.rows.size;
  assert.ok(beforeOutage > 0, 'consuming before the outage');
  await mock!.setBroker(1, 'down');
  await sleep(OUTAGE_MS);
  await mock!.setBroker(1, 'up');
  await sleep(3_000);
  stopLoad = true;
  await load;
  const until = Date.now() + 60_000;
  while (store.rows.size < published && Date.now() < until) await sleep(50);
  assert.equal(store.rows.size, published, 'the first member caught up after the broker came back');

  // A new member of the same group resumes from the committed offsets: it sees what follows
  // (and at most the batch in flight when the first stopped), not the topic from the start.
  await consumer.stop();
  const deliveredByFirst = store.deliveries;
  for (let i = 0; i < 5; i++) await publishRound();
  const second = await bus.consume(topic, 'store', async (b) => store.write(b), { maxBatch: 200 });
  const until2 = Date.now() + 60_000;
  while (store.rows.size < published && Date.now() < until2) await sleep(50);
  await second.stop();
  await bus.close();

  const expected = new Set(KEYS.flatMap((k) => Array.from({ length: seq.get(k)! }, (_, i) => `${topic}/${k}/${i + 1}`)));
  assert.equal(store.rows.size, expected.size, 'no message lost');
  for (const id of expected) assert.ok(store.rows.has(id), `missing ${id}`);
  assert.equal(store.outOfOrder, 0, 'per-key order kept: a gap in a key never happened');
  const bySecond = store.deliveries - deliveredByFirst;
  assert.ok(bySecond >= 5 * 120 && bySecond < 5 * 120 + 3 * 200, `the second member resumed from the committed offsets (${bySecond} deliveries for 600 new messages)`);
  t.diagnostic(`published ${published}; delivered ${store.deliveries} (redelivered ${store.deliveries - published}); outage ${OUTAGE_MS} ms`);
});
