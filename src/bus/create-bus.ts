/**
 * Picks the bus from configuration: Kafka when KAFKA_BROKERS is set, the embedded bus otherwise
 * (DESIGN.md "Embedded by default, distributed when asked").
 */
import type { Bus } from './bus.ts';
import { createEmbeddedBus, type EmbeddedBusOptions } from './embedded.ts';
import { kafkaConfigFromEnv } from './kafka-config.ts';
import { createKafkaBus } from './kafka.ts';
import type { BusLog } from './log.ts';

/** The bus `env` asks for; throws an error naming the variable when KAFKA_BROKERS is malformed. */
export function createBusFromEnv(env: NodeJS.ProcessEnv = process.env, log?: BusLog, embedded: EmbeddedBusOptions = {}): Bus {
  const kafka = kafkaConfigFromEnv(env);
  if (kafka) return createKafkaBus({ ...kafka, log });
  return createEmbeddedBus({ ...embedded, log: embedded.log ?? log });
}
