/** Topic names, in one place so producers, consumers, the store and the server agree. */
export const TOPICS = {
  /** Every accepted tick, logged before it is processed: the tape. Key: symbol or `root:expiry`. */
  ticksRaw: 'ticks.raw',
  /** Every rejected input with its reason. Key: source name. */
  ticksRejected: 'ticks.rejected',
  /** OHLC bars. Key: `SYMBOL:interval` (`SPX:1m`, `SPX:5m`, `SPX:1d`). */
  bars: 'bars',
  variance: 'variance',
  surface: 'surface',
  nsde: 'nsde',
  hedges: 'hedges',
  risk: 'risk',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** Every topic that is published to subscribers and stored. */
export const ALL_TOPICS: readonly TopicName[] = Object.values(TOPICS);

/**
 * Topics whose every message is a whole state (a surface snapshot, a VIX distribution), not an
 * event: a client that missed some needs only the latest, so resume keeps just that. The others
 * are event streams a bot replays in order (hedges) or a chart back-fills (bars, variance).
 */
export const STATE_TOPICS: ReadonlySet<string> = new Set<string>([TOPICS.surface, TOPICS.nsde]);

/** Partitions per topic on Kafka; messages of one key always land in one partition, in order. */
export const DEFAULT_PARTITIONS = 3;
