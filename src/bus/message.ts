/**
 * The envelope every topic carries (DESIGN.md "Messages"): `seq` is strictly increasing per
 * (topic, key), `ts` is event time in epoch microseconds, `run` is `live` or a replay's id.
 * `(run, topic, key, seq)` identifies a message, which makes every stored row idempotent.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const MessageEnvelope = <P extends TSchema>(payload: P) =>
  Type.Object({
    topic: Type.String(),
    key: Type.String(),
    seq: Type.Integer({ minimum: 1 }),
    ts: Type.Number({ description: 'event time, epoch microseconds' }),
    run: Type.String(),
    payload,
  });

export interface Message<P = unknown> {
  topic: string;
  key: string;
  seq: number;
  ts: number;
  run: string;
  payload: P;
}

/** What a stage emits: the runner stamps topic, seq and run. */
export interface Output<P = unknown> {
  key: string;
  ts: number;
  payload: P;
}

export type AnyMessage = Static<ReturnType<typeof MessageEnvelope<TSchema>>>;

/** Identity of a message, used for de-duplication and resume. */
export const messageId = (m: Message): string => `${m.run}/${m.topic}/${m.key}/${m.seq}`;
