/**
 * Fuzz (CI size): 20,000 malformed inputs across the four tick formats through parse and
 * validation: no throw, every outcome a tick or a reject with a known reason and a detail.
 * `npm run fuzz` runs millions (loadtests/fuzz.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkCase, fuzzCase, newTally } from './fuzz-parsers.ts';

test('20,000 malformed tick inputs: no crash, every rejection with a reason', () => {
  const tally = newTally();
  fc.assert(
    fc.property(fuzzCase, (c) => {
      checkCase(c, tally);
    }),
    { numRuns: 20_000 },
  );
  assert.equal(tally.inputs, 20_000);
  assert.ok(tally.rejected > 10_000, `most fuzzed records are rejected (${tally.rejected})`);
  // The generators reach deep into validation, not only the parsers' front doors.
  for (const reason of ['unparseable', 'oversize', 'schema', 'unknown_symbol']) assert.ok((tally.byReason[reason] ?? 0) > 0, `reason ${reason} reached: ${JSON.stringify(tally.byReason)}`);
});
