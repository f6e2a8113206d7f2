import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEmbeddedBus } from './embedded.ts';
import { makeMessages, Recorder, runBusContract, waitFor } from './bus.contract.ts';
import { messageId } from './message.ts';
import type { BusLog } from './log.ts';

runBusContract('embedded', () => createEmbeddedBus({ retry: { initialMs: 5, maxMs: 20 } }));

/** A log that keeps warn records, to check what the bus reports. */
function recordingLog(): BusLog & { warnings: Array<{ obj: Record<string, unknown>; msg: string }> } {
  const warnings: Array<{ obj: Record<string, unknown>; msg: string }> = [];
  const ignore = (): void => {};
  return { warnings, error: ignore, info: ignore, debug: ignore, warn: (obj, msg) => warnings.push({ obj, msg }) };
}

describe('embedded bus specifics', () => {
  test('maxInFlight overlaps batches, but the position moves in order and a failed batch is retried', async () => {
    const bus = createEmbeddedBus({ retry: { initialMs: 1, maxMs: 2 } });
    const pending: Array<{ first: number; resolve: () => void; reject: (e: Error) => void }> = [];
    const handled: number[] = [];
    await bus.consume(
      'inflight',
      'g',
      (batch) =>
        new Promise<void>((resolve, reject) =>
          pending.push({ first: batch[0].seq, resolve: () => (handled.push(...batch.map((m) => m.seq)), resolve()), reject }),
        ),
      { maxBatch: 2, maxInFlight: 3 },
    );
    await bus.publish('inflight', makeMessages('inflight', 8, 1));
    await waitFor(() => pending.length === 3, 1000, 'three batches in flight at once');
    assert.deepEqual(pending.map((p) => p.first), [1, 3, 5]);
    pending[2].resolve(); // the third finishes first
    pending[1].reject(new Error('transient')); // the second fails once
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(bus.lag()['g/inflight'], 8, 'nothing committed while the first batch is open');
    pending[0].resolve();
    await waitFor(() => pending.length === 4 && pending[3].first === 3, 1000, 'the failed batch comes back');
    pending[3].resolve();
    await waitFor(() => bus.lag()['g/inflight'] === 2, 1000, 'position past batches 1-3 only, in order');
    await waitFor(() => pending.length === 5, 1000, 'the last batch');
    pending[4].resolve();
    await waitFor(() => bus.lag()['g/inflight'] === 0, 1000, 'all handled');
    assert.deepEqual([...handled].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
    await bus.close();
  });

  test('publish waits while an active group is full, and resumes as it drains', async () => {
    const bus = createEmbeddedBus({ capacity: 10 });
    const hold: Array<() => void> = [];
    const rec = new Recorder(() => new Promise<void>((r) => hold.push(r)));
    await bus.consume('bp', 'g', rec.handle, { maxBatch: 5 });
    await bus.publish('bp', makeMessages('bp', 10, 2));
    let accepted = false;
    const p = bus.publish('bp', makeMessages('bp', 3, 2, 10, 5)).then(() => (accepted = true));
    await waitFor(() => hold.length === 1, 1000, 'first batch in the handler');
    await new Promise((r) => setImmediate(r));
    assert.equal(accepted, false, 'the full group holds the publisher back');
    assert.deepEqual(bus.lag(), { 'g/bp': 10 });
    hold.shift()?.();
    await p;
    assert.equal(accepted, true);
    assert.equal(bus.lag()['g/bp'], 8, '5 handled, 3 more accepted');
    while (rec.handled.length < 13) {
      await waitFor(() => hold.length > 0, 1000, 'next batch in the handler');
      hold.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(bus.lag()['g/bp'], 0);
    await bus.close();
  });

  test('a publish larger than the capacity goes through in pieces, in order', async () => {
    const bus = createEmbeddedBus({ capacity: 16 });
    const rec = new Recorder();
    await bus.consume('big', 'g', rec.handle, { maxBatch: 7 });
    const sent = makeMessages('big', 200, 3);
    await bus.publish('big', sent);
    await waitFor(() => rec.handled.length >= 200, 1000, 'all 200 handled');
    assert.deepEqual(rec.handled.map(messageId), sent.map(messageId));
    await bus.close();
  });

  test('without members a group does not hold publishers back; past retention it resumes at the oldest, logged', async () => {
    const log = recordingLog();
    const bus = createEmbeddedBus({ capacity: 8, log });
    const a = new Recorder();
    const c = await bus.consume('ret', 'g', a.handle);
    await bus.publish('ret', makeMessages('ret', 2, 1));
    await waitFor(() => a.handled.length === 2, 1000, 'first two handled');
    await c.stop();
    await bus.publish('ret', makeMessages('ret', 20, 1, 2));
    assert.equal(bus.lag()['g/ret'], 20);
    const b = new Recorder();
    await bus.consume('ret', 'g', b.handle);
    await waitFor(() => b.handled.length === 8, 1000, 'the 8 retained handled');
    assert.deepEqual(b.handled.map((m) => m.payload), makeMessages('ret', 8, 1, 14).map((m) => m.payload));
    assert.equal(log.warnings.length, 1);
    assert.equal(log.warnings[0].obj.skipped, 12);
    await bus.close();
  });

  test('fromBeginning false starts a new group at the end of the log', async () => {
    const bus = createEmbeddedBus();
    await bus.publish('fb', makeMessages('fb', 5, 1));
    const rec = new Recorder();
    await bus.consume('fb', 'late', rec.handle, { fromBeginning: false });
    assert.equal(bus.lag()['late/fb'], 0);
    await bus.publish('fb', makeMessages('fb', 2, 1, 5));
    await waitFor(() => rec.handled.length === 2, 1000, 'the two new messages');
    assert.deepEqual(rec.handled.map((m) => m.seq), [6, 7]);
    await bus.close();
  });

  test('rejections are logged with growing, capped delays', async () => {
    const log = recordingLog();
    const bus = createEmbeddedBus({ log, retry: { initialMs: 1, maxMs: 4 } });
    const rec = new Recorder((call) => {
      if (call <= 5) throw new Error(`fail ${call}`);
    });
    await bus.consume('bo', 'g', rec.handle);
    await bus.publish('bo', makeMessages('bo', 3, 1));
    await waitFor(() => rec.handled.length === 3, 2000, 'handled after 5 failures');
    assert.deepEqual(log.warnings.map((w) => w.obj.delayMs), [1, 2, 4, 4, 4]);
    assert.deepEqual(log.warnings.map((w) => w.obj.attempt), [1, 2, 3, 4, 5]);
    assert.equal(log.warnings[0].obj.group, 'g');
    await bus.close();
  });

  test('close fails waiting publishers, completes watches, and refuses new work', async () => {
    const bus = createEmbeddedBus({ capacity: 2 });
    await bus.consume('cl', 'g', () => new Promise<void>(() => {}));
    await bus.publish('cl', makeMessages('cl', 2, 1));
    let completed = false;
    bus.watch('cl').subscribe({ complete: () => (completed = true) });
    const waiting = bus.publish('cl', makeMessages('cl', 1, 1, 2, 2));
    const closing = bus.close();
    await assert.rejects(waiting, /bus closed before all messages were accepted/);
    assert.equal(completed, true);
    await assert.rejects(bus.publish('cl', []), /the bus is closed/);
    void closing;
  });
});
