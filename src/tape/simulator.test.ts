import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Tick } from '../ticks/schema.ts';
import { hestonPrices } from '../quant/heston.ts';
import { batesVix, hestonVix } from '../quant/vix.ts';
import { createSimulator, SimulatorRun } from './simulator.ts';
import { loadSimulatorParams } from './simulator-params.ts';
import { SpxPath, TRADING_SECONDS_PER_YEAR } from './simulator-path.ts';
import { randomStreams } from '../quant/mc-random.ts';
import { tickSize } from './simulator-options.ts';

const checker = TypeCompiler.Compile(Tick);
const MICROS_PER_YEAR = 365 * 86_400e6;

// Independent of the simulator's own calendar code: ICU's America/New_York.
const nyParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  weekday: 'short',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
function newYork(us: number): { date: string; weekday: string; seconds: number } {
  const p = Object.fromEntries(nyParts.formatToParts(new Date(Math.floor(us / 1000))).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, weekday: p.weekday, seconds: Number(p.hour) * 3600 + Number(p.minute) * 60 + Number(p.second) };
}

describe('market simulator', () => {
  test('the same seed gives the same tape; another seed another', () => {
    const cfg = { seed: 7, maxTicks: 20000, model: 'bates' as const };
    const a = JSON.stringify([...createSimulator(cfg)]);
    const sim = createSimulator(cfg);
    assert.equal(JSON.stringify([...sim]), a);
    assert.equal(JSON.stringify([...sim]), a, 'a second iteration of the same iterable starts over');
    assert.notEqual(JSON.stringify([...createSimulator({ ...cfg, seed: 8 })]), a);
  });

  test('every tick is valid, in order, inside market hours, with sane quotes (over a weekend and a DST change)', () => {
    // Friday 2024-03-08 14:00 to Tuesday 2024-03-12 10:00; US clocks moved on Sunday 2024-03-10.
    const sim = createSimulator({ seed: 3, start: '2024-03-08T14:00', end: '2024-03-12T10:00', ticksPerSecond: 5, stepSeconds: 5 });
    let lastTs = -Infinity;
    let n = 0;
    const days = new Set<string>();
    const kinds = new Map<string, number>();
    for (const t of sim) {
      n++;
      if (!checker.Check(t)) assert.fail(`tick ${n} fails the schema: ${JSON.stringify(t)} ${JSON.stringify([...checker.Errors(t)][0])}`);
      assert.equal(t.sseq, n);
      assert.equal(t.src, 'sim');
      assert.ok(Number.isInteger(t.ts) && t.ts >= lastTs, `time went back at ${n}`);
      lastTs = t.ts;
      const ny = newYork(t.ts);
      assert.ok(!['Sat', 'Sun'].includes(ny.weekday), `weekend tick ${ny.date}`);
      assert.ok(ny.seconds >= 9.5 * 3600 && ny.seconds < 16 * 3600, `tick outside hours: ${ny.date} ${ny.seconds}`);
      days.add(ny.date);
      kinds.set(t.kind, (kinds.get(t.kind) ?? 0) + 1);
      if (t.kind === 'option' || t.kind === 'future') {
        assert.ok(t.bid! >= 0 && t.ask! > t.bid!, `bad quote ${JSON.stringify(t)}`);
        assert.ok(t.expiry >= ny.date, `expired contract quoted ${JSON.stringify(t)}`);
      }
      if (t.kind === 'option') {
        for (const x of [t.bid, t.ask]) {
          const tk = x < 3 ? 0.05 : 0.1;
          assert.ok(Math.abs(x / tk - Math.round(x / tk)) < 1e-6, `off-tick price ${x}`);
        }
      }
      if (t.kind === 'index') assert.ok(t.price > 0);
    }
    assert.deepEqual([...days], ['2024-03-08', '2024-03-11', '2024-03-12']);
    assert.ok(kinds.get('option')! > 0.8 * n, 'options are most of the volume');
    assert.ok(kinds.get('future')! > 0 && kinds.get('index')! > 0);
  });

  test('VIX prints are the model VIX of the simulated variance', () => {
    for (const model of ['heston', 'bates'] as const) {
      const run = new SimulatorRun({ seed: 11, maxTicks: 40000, model, stepSeconds: 0.2 });
      const q = run.model.q;
      let seen = 0;
      for (let r = run.next(); !r.done; r = run.next()) {
        const t = r.value;
        if (t.kind !== 'index' || t.symbol !== 'VIX') continue;
        const ref = model === 'heston' ? hestonVix(run.path.v, q) : batesVix(run.path.v, q);
        assert.ok(Math.abs(t.price - ref) <= 0.005 + 1e-9, `${model}: VIX ${t.price} vs ${ref}`);
        seen++;
      }
      assert.ok(seen > 10);
    }
  });

  test('option mids sit within bid/ask around the Heston/Bates price', () => {
    const run = new SimulatorRun({ seed: 5, maxTicks: 30000, model: 'bates', repriceEverySteps: 1, repriceMove: 0, repriceVarMove: 0 });
    const { rate, dividendYield } = run.params;
    let checked = 0;
    for (let r = run.next(); !r.done; r = run.next()) {
      const t = r.value;
      if (t.kind !== 'option') continue;
      const e = run.listed.find((x) => x.expiry === t.expiry && x.root === t.root)!;
      const T = Math.max(5 / (365 * 24 * 60), (e.expiryMicros - run.clock.stepStart) / MICROS_PER_YEAR);
      const p = hestonPrices({ ...run.model.q, v0: run.path.v }, run.path.S, T, rate, dividendYield, [t.strike], t.right === 'C')[0];
      assert.ok(t.bid <= p + 1e-6 && p <= t.ask + 1e-6, `price ${p} outside ${t.bid}/${t.ask} ${JSON.stringify(t)}`);
      // bid = p - h rounded down, ask = p + h rounded up: the mid is within half a tick of p.
      const mid = (t.bid + t.ask) / 2;
      if (t.bid > 0) assert.ok(mid - p > -tickSize(t.bid) / 2 - 1e-6 && mid - p < tickSize(t.ask) / 2 + 1e-6, `mid far from ${p}: ${JSON.stringify(t)}`);
      checked++;
    }
    assert.ok(checked > 25000);
  });

  test('simulated SPX returns have the variance the path carries, near thetaP', () => {
    const params = loadSimulatorParams();
    for (const [name, seed] of [['heston', 1], ['bates', 2]] as const) {
      const m = params[name];
      const stepsPerDay = 78; // 5-minute steps
      const [a, b] = randomStreams(seed, 2);
      const path = new SpxPath(m, 4000, params.rate, params.dividendYield, (6.5 * 3600) / stepsPerDay / TRADING_SECONDS_PER_YEAR, a, b);
      let sumR2 = 0;
      let sumV = 0;
      const days = 2520;
      for (let d = 0; d < days; d++) {
        const s0 = path.S;
        for (let k = 0; k < stepsPerDay; k++) {
          sumV += path.v / stepsPerDay / 252;
          path.step();
        }
        sumR2 += Math.log(path.S / s0) ** 2;
      }
      const jumpVar = (m.q.lambda * (m.q.muJ ** 2 + m.q.sigmaJ ** 2)) / 252;
      const realized = (sumR2 / days) * 252;
      const carried = (sumV / days) * 252 + jumpVar * 252;
      // Quadratic variation: realized variance over ten years within 15% of the integrated variance.
      assert.ok(Math.abs(realized / carried - 1) < 0.15, `${name}: realized ${realized} vs integrated ${carried}`);
      const vol = Math.sqrt(realized);
      assert.ok(vol > 0.5 * Math.sqrt(m.p.theta) && vol < 1.6 * Math.sqrt(m.p.theta + m.q.lambda * (m.q.muJ ** 2 + m.q.sigmaJ ** 2)), `${name}: annual vol ${vol}`);
    }
  });

  test('bad configuration is named', () => {
    assert.throws(() => createSimulator({ seed: 1, model: 'sabr' as 'heston' }), /model must be/);
    assert.throws(() => createSimulator({ seed: 1, ticksPerSecond: 0 }), /ticksPerSecond must be a positive/);
    assert.throws(() => createSimulator({ seed: 1, start: '2024-13-01' }), /date/);
    assert.throws(() => createSimulator({ seed: 1.5 }), /seed must be an integer/);
  });
});
