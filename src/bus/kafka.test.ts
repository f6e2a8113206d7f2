/**
 * The Kafka bus against a real Kafka-protocol broker: librdkafka's mock cluster, built and
 * started here (infra/kafka-mock), or the cluster in KAFKA_BROKERS when that is set.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { KafkaMockUnavailable, startKafkaMock, type KafkaMock } from '../../infra/kafka-mock/launch.ts';
import { makeMessages, Recorder, runBusContract, waitFor } from './bus.contract.ts';
import { parseBrokers } from './kafka-config.ts';
import { createKafkaBus, type KafkaBusOptions } from './kafka.ts';
import type { BusLog } from './log.ts';

let mock: KafkaMock | null = null;
let brokers: string[] = [];
let unavailable: string | false = false;
if (process.env.KAFKA_BROKERS?.trim()) {
  brokers = parseBrokers(process.env.KAFKA_BROKERS);
} else {
  try {
    mock = await startKafkaMock();
    brokers = parseBrokers(mock.brokers);
  } catch (err) {
    if (!(err instanceof KafkaMockUnavailable)) throw err;
    unavailable = err.message;
  }
}
after(() => mock?.stop());

const options = (extra: Partial<KafkaBusOptions> = {}): KafkaBusOptions => ({
  brokers,
  clientId: 'volrisk-test',
  retry: { initialMs: 10, maxMs: 50 },
  lagRefreshMs: 500,
  ...(mock ? { createTopic: (t: string, p: number) => mock!.createTopic(t, p) } : {}),
  ...extra,
});
const TIMEOUT = 30_000;
const run = randomBytes(3).toString('hex');

if (unavailable) {
  test('Kafka bus', { skip: unavailable }, () => {});
} else {
  runBusContract(mock ? 'kafka (librdkafka mock cluster)' : 'kafka (KAFKA_BROKERS)', () => createKafkaBus(options()), {
    timeoutMs: TIMEOUT,
    concurrent: true,
  });

  describe('kafka bus specifics', { concurrency: true }, () => {
    test('ensureTopics creates only the missing topics, with the partitions asked for', async () => {
      const created: string[] = [];
      const bus = createKafkaBus(
        options(mock ? { createTopic: async (t, p) => (created.push(`${t}:${p}`), mock!.createTopic(t, p)) } : {}),
      );
      try {
        const a = `kt.${run}.ensure-a`;
        const b = `kt.${run}.ensure-b`;
        await bus.ensureTopics([{ topic: a, partitions: 2 }]);
        await bus.ensureTopics([{ topic: a, partitions: 2 }, { topic: b }]);
        if (mock) assert.deepEqual(created, [`${a}:2`, `${b}:3`]);
        const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        const meta = await admin.fetchTopicMetadata({ topics: [a, b] });
        await admin.disconnect();
        assert.deepEqual(meta.topics.map((t) => [t.name, t.partitions.length]).sort(), [[a, 2], [b, 3]]);
      } finally {
        await bus.close();
      }
    });

    test('without a createTopic hook, a failed creation names the topic and the mock limitation', { skip: mock ? false : 'real cluster: admin creation works' }, async () => {
      const bus = createKafkaBus(options({ createTopic: undefined }));
      try {
        await assert.rejects(bus.ensureTopics([{ topic: `kt.${run}.nohook` }]), /could not create kt\..*nohook on .*pre-create them/);
      } finally {
        await bus.close();
      }
    });

    // On the mock a group join takes >= 3 s, so messages published 1 s after subscribing land
    // before the watch's join: only its seek to the watermarks read at subscription shows them.
    test('watch delivers what was published while its group was still joining', { skip: mock ? false : 'needs the mock\'s slow joins' }, async () => {
      const bus = createKafkaBus(options());
      const topic = `kt.${run}.watch-early`;
      try {
        await bus.ensureTopics([{ topic, partitions: 3 }]);
        await bus.publish(topic, makeMessages(topic, 5, 5).map((m) => ({ ...m, run: 'old' })));
        const seen: string[] = [];
        const sub = bus.watch(topic).subscribe((m) => seen.push(`${m.run}:${m.key}:${m.seq}`));
        await new Promise((r) => setTimeout(r, 1000));
        const sent = makeMessages(topic, 10, 5);
        await bus.publish(topic, sent);
        await waitFor(() => seen.length >= 10, TIMEOUT, 'watch got the 10 early messages');
        sub.unsubscribe();
        assert.deepEqual(seen.sort(), sent.map((m) => `contract:${m.key}:${m.seq}`).sort());
      } finally {
        await bus.close();
      }
    });

    test('a record that is not an envelope is logged and passed over; the rest are handled', async () => {
      const errors: string[] = [];
      const ignore = (): void => {};
      const log: BusLog = { warn: ignore, info: ignore, debug: ignore, error: (obj) => errors.push(String(obj.err)) };
      const bus = createKafkaBus(options({ log }));
      const topic = `kt.${run}.poison`;
      try {
        await bus.ensureTopics([{ topic, partitions: 1 }]);
        const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer({
          createPartitioner: Partitioners.DefaultPartitioner,
        });
        await producer.connect();
        const good = makeMessages(topic, 4, 1);
        await bus.publish(topic, good.slice(0, 2));
        await producer.send({ topic, messages: [{ key: 'k0', value: '{"topic":"x","key":"k0","seq":0}' }] });
        await producer.disconnect();
        await bus.publish(topic, good.slice(2));
        const rec = new Recorder();
        await bus.consume(topic, `kt-${run}-poison`, rec.handle);
        await waitFor(() => rec.handled.length >= 4, TIMEOUT, 'the 4 good messages');
        assert.deepEqual(rec.handled.map((m) => m.seq), [1, 2, 3, 4]);
        assert.equal(errors.length, 1);
        assert.match(errors[0], /partition 0 offset 2: envelope field "seq" must be an integer >= 1/);
      } finally {
        await bus.close();
      }
    });
  });
}
