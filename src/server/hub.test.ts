import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TopicHub } from './hub.ts';
import type { Message } from '../bus/message.ts';

const msg = (topic: string, seq: number): Message => ({ topic, key: 'SPX', seq, ts: seq, run: 'live', payload: { seq } });

describe('topic hub retention', () => {
  test('an event topic keeps `depth` messages per key for resume; a state topic keeps only its latest', () => {
    const hub = new TopicHub(['hedges', 'surface'], 3);
    for (let s = 1; s <= 5; s++) {
      hub.publish(msg('hedges', s));
      hub.publish(msg('surface', s));
    }
    const ev = hub.since('hedges', 'SPX', 0);
    assert.deepEqual(ev.messages.map((m) => m.seq), [3, 4, 5]);
    assert.equal(ev.gapTo, 2);
    const st = hub.since('surface', 'SPX', 0);
    assert.deepEqual(st.messages.map((m) => m.seq), [5], 'a resume of a state topic is its latest state');
    assert.equal(st.gapTo, 4);
    assert.deepEqual(hub.since('surface', 'SPX', 5).messages, []);
    assert.equal(hub.latest('surface')[0].seq, 5);
  });

  test('a duplicate (at-least-once redelivery) is not recorded or fanned out twice', () => {
    const hub = new TopicHub(['hedges'], 10);
    const got: number[] = [];
    hub.subscribe('hedges', { topics: new Map([['hedges', new Set()]]), deliver: (m) => got.push(m.seq) });
    for (const s of [1, 2, 2, 3, 1]) hub.publish(msg('hedges', s));
    assert.deepEqual(got, [1, 2, 3]);
  });
});
