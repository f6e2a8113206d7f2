/**
 * The `/ws` protocol (DESIGN.md "Delivery to users"), as TypeBox schemas: the same schemas
 * validate client messages and document the protocol.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

const TopicList = Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 64 });

export const SubscribeOp = Type.Object(
  {
    op: Type.Literal('subscribe'),
    topics: TopicList,
    /** Only these keys (every key when absent). */
    keys: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 10_000 })),
    /** Resume: `"topic/key": lastSeqReceived`; every later message is sent, or a gap. */
    from: Type.Optional(Type.Record(Type.String({ maxLength: 330 }), Type.Integer({ minimum: 0 }))),
    /** Conflate: at most this many messages per second per (topic, key), latest wins (dashboards). */
    maxRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export const UnsubscribeOp = Type.Object(
  { op: Type.Literal('unsubscribe'), topics: TopicList, keys: Type.Optional(Type.Array(Type.String({ maxLength: 256 }))) },
  { additionalProperties: false },
);

export const PingOp = Type.Object({ op: Type.Literal('ping'), id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Number()])) }, { additionalProperties: false });

export const ClientMessage = Type.Union([SubscribeOp, UnsubscribeOp, PingOp]);
export type ClientMessage = Static<typeof ClientMessage>;
export type SubscribeOp = Static<typeof SubscribeOp>;

export const ServerMessage = Type.Object({
  type: Type.Union([Type.Literal('snapshot'), Type.Literal('update'), Type.Literal('gap'), Type.Literal('error'), Type.Literal('pong')]),
  topic: Type.Optional(Type.String()),
  key: Type.Optional(Type.String()),
  seq: Type.Optional(Type.Integer()),
  ts: Type.Optional(Type.Number()),
  run: Type.Optional(Type.String()),
  payload: Type.Optional(Type.Unknown()),
});
/** What the server sends on /ws. */
export type ServerMessage = Static<typeof ServerMessage>;

export const checkClientMessage = TypeCompiler.Compile(ClientMessage);

/** Error codes sent in `{"type":"error","payload":{"code","message"}}`. */
export type WsErrorCode = 'BAD_JSON' | 'BAD_MESSAGE' | 'UNKNOWN_TOPIC' | 'FORBIDDEN' | 'SLOW_CONSUMER' | 'TOO_LARGE';

/** The key of a resume position, `topic/key`. */
export const resumeKey = (topic: string, key: string): string => `${topic}/${key}`;
