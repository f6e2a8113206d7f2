/**
 * The curve cache's budget and order, on jobs whose work is known: a round runs steps while its
 * shared budget lasts (so it overshoots by less than one step), unfinished curves leave the
 * older ones standing in, and when states change faster than a whole rebuild the nodes are
 * refreshed oldest first, none left behind.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CurveCache, RebuildBudget } from './curve-cache.ts';

/** A "curve" naming what it was built for. */
interface Built {
  state: number;
  node: number;
}

/** Caches whose jobs yield `steps(node)` units one by one, recording the units each round runs. */
function harness(perRound: number, steps: (node: number) => number[], caches = 1) {
  const budget = new RebuildBudget(perRound);
  let ran = 0;
  const make = () =>
    new CurveCache<number, Built>(function* (state, node) {
      for (const u of steps(node)) {
        ran += u;
        yield u;
      }
      return { state, node };
    }, budget);
  const all = Array.from({ length: caches }, make);
  /** One round of state `state` (event time = state) asking for `nodes` from every cache; the units run and what each got. */
  const round = (state: number, nodes: readonly number[]) => {
    const key = {};
    ran = 0;
    const got = all.map((c) => {
      c.beginRound(key);
      try {
        return nodes.map((n) => ({ curve: c.get(String(state), state, state, n), ts: c.usedTs }));
      } finally {
        c.endRound();
      }
    });
    return { units: ran, got };
  };
  return { round };
}

describe('curve cache under a shared work budget', () => {
  test('property: a round runs at most its budget plus one step, over every cache sharing it; stand-ins are older finished curves; all is built in the end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50, max: 400 }),
        fc.array(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 12 }), { minLength: 2, maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        (perRound, jobs, caches) => {
          const nodes = jobs.map((_, i) => i);
          const h = harness(perRound, (n) => jobs[n], caches);
          // the first state has nothing to stand in: built at once, whatever the budget
          const first = h.round(1, nodes);
          assert.ok(first.got.every((l) => l.every((x) => x.curve.state === 1 && x.ts === 1)));
          const largest = Math.max(...jobs.flat());
          for (let r = 0; r < 1000; r++) {
            const { units, got } = h.round(2, nodes);
            assert.ok(units < perRound + largest, `round ran ${units} units, budget ${perRound}, largest step ${largest}`);
            for (const l of got) for (const x of l) assert.ok(x.curve.state === x.ts && (x.ts === 1 || x.ts === 2));
            if (got.every((l) => l.every((x) => x.ts === 2))) return;
          }
          assert.fail('never finished');
        },
      ),
      { numRuns: 100 },
    );
  });

  test('states faster than a whole rebuild: every node is refreshed in turn, oldest stand-in first', () => {
    // 8 nodes of 100 units, 60 units a round, a new state every 5 rounds: 3 nodes a state at most.
    const h = harness(60, () => [20, 20, 20, 20, 20]);
    const nodes = [0, 1, 2, 3, 4, 5, 6, 7];
    h.round(1, nodes);
    const lastBuilt = new Map<number, number>(nodes.map((n) => [n, 1]));
    for (let state = 2; state <= 13; state++) {
      for (let r = 0; r < 5; r++) for (const x of h.round(state, nodes).got[0]) lastBuilt.set(x.curve.node, Math.max(lastBuilt.get(x.curve.node)!, x.curve.state));
    }
    // 12 states x 3 nodes = 36 builds over 8 nodes: in request order nodes 0 to 2 would take them all.
    for (const n of nodes) assert.ok(lastBuilt.get(n)! >= 9, `node ${n} last built for state ${lastBuilt.get(n)}: ${JSON.stringify([...lastBuilt])}`);
  });
});
