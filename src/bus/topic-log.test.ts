import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TopicLog } from './topic-log.ts';
import type { Message } from './message.ts';

const msg = (i: number): Message => ({ topic: 't', key: 'k', seq: i + 1, ts: i, run: 'r', payload: i });

test('the log holds exactly the last `capacity` messages, readable from any held offset', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 20 }), (cap, sizes) => {
      const log = new TopicLog(cap);
      let total = 0;
      for (const n of sizes) {
        const batch = Array.from({ length: n }, (_, i) => msg(total + i));
        log.append(batch, 0, n);
        total += n;
      }
      assert.equal(log.end, total);
      assert.equal(log.start, Math.max(0, total - cap));
      for (let off = log.start; off <= log.end; off++) {
        const got = log.read(off, cap);
        assert.deepEqual(got.map((m) => m.seq), Array.from({ length: log.end - off }, (_, i) => off + i + 1));
      }
      if (log.start > 0) assert.throws(() => log.read(log.start - 1, 1), /outside the held range/);
    }),
  );
});
