/**
 * The embedded bus's per-topic log: a ring of the last `capacity` messages, addressed by
 * offsets that only grow (like a Kafka partition), so a consumer group is just an offset and
 * lag is `end - offset`.
 */
import type { Message } from './message.ts';

export class TopicLog {
  private readonly ring: Array<Message | undefined>;
  /** Offset of the oldest message still held. */
  start = 0;
  /** Offset the next appended message gets. */
  end = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<Message | undefined>(capacity);
  }

  /** Appends `messages[from, to)`; the oldest messages fall out once the ring is full. */
  append(messages: readonly Message[], from: number, to: number): void {
    const cap = this.capacity;
    let end = this.end;
    for (let i = from; i < to; i++) this.ring[end++ % cap] = messages[i];
    this.end = end;
    if (end - this.start > cap) this.start = end - cap;
  }

  /** Up to `max` messages from `offset` on (`offset` must be in [start, end]). */
  read(offset: number, max: number): Message[] {
    if (offset < this.start || offset > this.end) {
      throw new RangeError(`TopicLog.read: offset ${offset} outside the held range [${this.start}, ${this.end}]`);
    }
    const n = Math.min(max, this.end - offset);
    const out = new Array<Message>(n);
    const cap = this.capacity;
    for (let i = 0; i < n; i++) out[i] = this.ring[(offset + i) % cap] as Message;
    return out;
  }
}
