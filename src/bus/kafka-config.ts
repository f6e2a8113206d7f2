/**
 * Kafka bus settings from the environment: `KAFKA_BROKERS` (comma-separated host:port; the bus
 * is Kafka when it is set) and `KAFKA_CLIENT_ID` (default `volrisk`). SASL/SSL are not wired yet.
 */

export interface KafkaEnvConfig {
  brokers: string[];
  clientId: string;
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9._-]+):(\d{1,5})$/;

/** Parses a broker list ("host:port,host:port"); throws an error naming `name` and the bad entry. */
export function parseBrokers(value: string, name = 'KAFKA_BROKERS'): string[] {
  const list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (list.length === 0) throw new Error(`${name} is empty: expected host:port[,host:port...]`);
  for (const b of list) {
    const m = HOST_PORT.exec(b);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535) {
      throw new Error(`${name}: bad broker ${JSON.stringify(b)}: expected host:port with a port in 1..65535`);
    }
  }
  return list;
}

/** The Kafka settings in `env`, or null when `KAFKA_BROKERS` is unset or blank (embedded bus). */
export function kafkaConfigFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaEnvConfig | null {
  const raw = env.KAFKA_BROKERS;
  if (raw === undefined || raw.trim() === '') return null;
  const clientId = env.KAFKA_CLIENT_ID?.trim() || 'volrisk';
  if (!/^[a-zA-Z0-9._-]+$/.test(clientId)) {
    throw new Error(`KAFKA_CLIENT_ID: bad client id ${JSON.stringify(clientId)} (use a-z A-Z 0-9 . _ -)`);
  }
  return { brokers: parseBrokers(raw), clientId };
}
