import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaConfigFromEnv, parseBrokers } from './kafka-config.ts';

test('KAFKA_BROKERS unset or blank means the embedded bus', () => {
  assert.equal(kafkaConfigFromEnv({}), null);
  assert.equal(kafkaConfigFromEnv({ KAFKA_BROKERS: '  ' }), null);
});

test('KAFKA_BROKERS is a comma-separated host:port list', () => {
  assert.deepEqual(kafkaConfigFromEnv({ KAFKA_BROKERS: 'k1:9092, 10.0.0.2:9093,[::1]:9094' }), {
    brokers: ['k1:9092', '10.0.0.2:9093', '[::1]:9094'],
    clientId: 'volrisk',
  });
  assert.equal(kafkaConfigFromEnv({ KAFKA_BROKERS: 'k:1', KAFKA_CLIENT_ID: 'engine-a' })?.clientId, 'engine-a');
});

test('bad broker entries are named', () => {
  assert.throws(() => parseBrokers('k1:9092,k2'), /KAFKA_BROKERS: bad broker "k2": expected host:port/);
  assert.throws(() => parseBrokers('k1:70000'), /bad broker "k1:70000"/);
  assert.throws(() => parseBrokers(','), /KAFKA_BROKERS is empty/);
  assert.throws(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'k:1', KAFKA_CLIENT_ID: 'a b' }), /KAFKA_CLIENT_ID: bad client id/);
});
