/**
 * Fuzz (CI size): 20,000 client frames in 2,500 sessions through a real WsSession and TopicHub:
 * no throw, every bad frame answered by an error with a known code and a reason, the
 * connection kept open, a ping still answered. `npm run fuzz` runs millions (loadtests/fuzz.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkSession, newWsTally, wsFrame } from './fuzz-ws.ts';

test('20,000 fuzzed WebSocket frames: no crash, every bad frame answered with a reason', () => {
  const tally = newWsTally();
  fc.assert(
    fc.property(fc.array(wsFrame, { minLength: 8, maxLength: 8 }), (frames) => {
      checkSession(frames, tally);
    }),
    { numRuns: 2_500 },
  );
  assert.equal(tally.frames, 20_000);
  for (const code of ['BAD_JSON', 'BAD_MESSAGE', 'UNKNOWN_TOPIC']) assert.ok((tally.errors[code] ?? 0) > 0, `error ${code} reached: ${JSON.stringify(tally.errors)}`);
  assert.ok(tally.delivered > 0);
});
