/**
 * The surface stage on the market simulator's own tape: the Heston parameters it calibrates live
 * (SVI slices -> grid targets -> surrogate Levenberg-Marquardt) must come back close to the
 * risk-neutral parameters the simulator priced its options with (data/simulator-params.json).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, toArray } from 'rxjs';
import type { Message } from '../src/bus/message.ts';
import type { Tick } from '../src/ticks/schema.ts';
import { createSimulator } from '../src/tape/simulator.ts';
import { loadSimulatorParams } from '../src/tape/simulator-params.ts';
import { loadSurrogate } from '../models/surrogate/index.ts';
import { surface } from './surface.ts';

const surrogate = await loadSurrogate();
after(() => surrogate.dispose());

test('live calibration recovers the simulator’s risk-neutral Heston parameters', { timeout: 120_000 }, async () => {
  const ticks: Message<Tick>[] = [];
  let seq = 0;
  // Two minutes of market time at 1,000 ticks/s: every expiry gets quoted several times over.
  for (const t of createSimulator({ seed: 7, ticksPerSecond: 1000, maxTicks: 120_000, indexEverySteps: 1 }))
    ticks.push({ topic: 'ticks.raw', key: 'k', seq: ++seq, ts: t.ts, run: 't', payload: t });
  const out = await lastValueFrom(from(ticks).pipe(surface({ ssviSeconds: 60, fit: { heston: { surrogate } } }), toArray()));
  const last = out.at(-1)!.payload;
  assert.ok(last.heston, `a calibration (${last.hestonError ?? ''})`);
  const q = loadSimulatorParams().heston.q;
  const got = last.heston.params;
  // Tolerances: the quotes carry bid-ask noise and tick rounding, the SVI slices and the
  // surrogate add about 1e-3 in IV each, and kappa trades off against theta.
  assert.ok(Math.abs(got.rho - q.rho) < 0.08, `rho ${got.rho} vs ${q.rho}`);
  assert.ok(Math.abs(got.sigma / q.sigma - 1) < 0.2, `sigma ${got.sigma} vs ${q.sigma}`);
  assert.ok(Math.abs(got.theta / q.theta - 1) < 0.2, `theta ${got.theta} vs ${q.theta}`);
  assert.ok(Math.abs(Math.sqrt(got.v0) / Math.sqrt(q.v0) - 1) < 0.15, `v0 ${got.v0} vs ${q.v0} (the path moves v from its start)`);
  assert.ok(last.heston.rmseExact < 0.005, `exact re-pricing RMSE ${last.heston.rmseExact}`);
});
