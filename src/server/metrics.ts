/**
 * Prometheus metrics of the engine (prom-client), in one registry per engine so tests and
 * several engines in one process do not collide.
 */
import client from 'prom-client';

export interface MetricSources {
  busLag?: () => Record<string, number>;
  sinkQueue?: () => Record<string, number>;
  wsClients?: () => number;
}

export class EngineMetrics {
  readonly registry = new client.Registry();
  readonly ticksIn: client.Counter<'kind'>;
  readonly rejects: client.Counter<'reason'>;
  readonly stageLatency: client.Histogram<'stage'>;
  readonly stageErrors: client.Counter<'stage'>;
  readonly wsSent: client.Counter;
  readonly messagesOut: client.Counter<'topic'>;

  constructor(sources: MetricSources = {}) {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry, prefix: 'volrisk_' });
    this.ticksIn = new client.Counter({ name: 'volrisk_ticks_in_total', help: 'ticks accepted, by kind', labelNames: ['kind'], registers });
    this.rejects = new client.Counter({ name: 'volrisk_ticks_rejected_total', help: 'inputs rejected, by reason', labelNames: ['reason'], registers });
    this.stageLatency = new client.Histogram({
      name: 'volrisk_stage_batch_seconds',
      help: 'time a stage takes per batch, publish included',
      labelNames: ['stage'],
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.stageErrors = new client.Counter({ name: 'volrisk_stage_errors_total', help: 'stage failures (the stage restarts)', labelNames: ['stage'], registers });
    this.messagesOut = new client.Counter({ name: 'volrisk_messages_total', help: 'messages published by stages, by output topic', labelNames: ['topic'], registers });
    this.wsSent = new client.Counter({ name: 'volrisk_ws_messages_sent_total', help: 'WebSocket messages sent', registers });
    const gauge = (name: string, help: string, label: string, read?: () => Record<string, number>) =>
      new client.Gauge({
        name,
        help,
        labelNames: [label],
        registers,
        collect() {
          this.reset();
          for (const [k, v] of Object.entries(read?.() ?? {})) this.set({ [label]: k }, v);
        },
      });
    gauge('volrisk_bus_lag_messages', 'messages published but not yet handled, per group/topic', 'consumer', sources.busLag);
    gauge('volrisk_sink_queue_rows', 'rows waiting in the store sink, per table', 'table', sources.sinkQueue);
    new client.Gauge({
      name: 'volrisk_ws_clients',
      help: 'connected WebSocket clients',
      registers,
      collect() {
        this.set(sources.wsClients?.() ?? 0);
      },
    });
  }
}
