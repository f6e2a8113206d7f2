import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hnFilter } from '../../src/quant/hn-params.ts';
import { randomStream } from '../../src/quant/mc-random.ts';
import { loadDailySeries } from './data.ts';
import { createVarianceFilter } from './filter.ts';
import { splitIndex } from './splits.ts';
import { viRun } from './vi-gru-cell.ts';
import { loadHnGru } from './weights.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultDataDir } from './data.ts';

const weights = loadHnGru();
const absent = !existsSync(resolve(defaultDataDir(), 'spx/spx-daily.csv'));

function syntheticBars(n: number, seed: number) {
  const rng = randomStream(seed);
  let c = 4000;
  return Array.from({ length: n }, (_, i) => {
    const prev = c;
    c *= Math.exp(0.012 * rng.normal());
    const open = prev * Math.exp(0.002 * rng.normal());
    const high = Math.max(open, c) * (1 + 0.004 * rng.uniform());
    const low = Math.min(open, c) * (1 - 0.004 * rng.uniform());
    return { date: `2024-01-01T${String(i).padStart(6, '0')}`, close: c, open, high, low };
  });
}

test('live filter steps equal the training recursion (viRun) and the quant core HN filter, bit for bit', () => {
  const bars = syntheticBars(300, 3);
  const f = createVarianceFilter(weights, { from: 'start' });
  const states = bars.map((b) => f.step(b));
  const y = new Float64Array(300);
  const rv = new Float64Array(300);
  let prev = weights.init.close;
  states.forEach((s, i) => {
    y[i] = 100 * Math.log(bars[i].close / prev);
    rv[i] = 1e4 * s.realized!;
    prev = bars[i].close;
    assert.equal(s.realizedSource, 'gk+overnight');
  });
  const st = { ...weights.init.gru };
  const w = Float64Array.from(weights.gru.w);
  const nll = new Float64Array(300);
  for (let t = 0; t < 300; t++) {
    viRun(w, st, y, rv, t, t + 1, nll);
    assert.equal(states[t].gruState.eta, st.eta, `eta after day ${t}`);
    assert.equal(states[t].gruState.h, st.h);
    assert.ok(Math.abs(states[t].nll!.gru - (nll[t] - Math.log(100))) < 1e-12);
  }
  const h = hnFilter(weights.hn, states.map((s) => s.logReturn!), weights.init.hnH);
  states.forEach((s, t) => assert.equal(s.hn, h[t + 1]));
});

test('preview does not advance; from the end, the first bar only sets the previous close', () => {
  const f = createVarianceFilter(weights);
  const [b1, b2] = syntheticBars(2, 4);
  const first = f.step(b1, 14);
  assert.equal(first.updated, false);
  assert.equal(first.hn, weights.end.hnH);
  assert.ok(first.vrp !== null && Math.abs(first.vixVariance! - 0.14 ** 2 / 252) < 1e-18);
  const p = f.preview(b2, 15);
  const s = f.step(b2, 15);
  assert.deepEqual(p, s);
  assert.equal(s.updated, true);
  assert.ok(s.forecasts.gru.vol1d > 0 && s.forecasts.hn.vol21d > 0 && s.forecasts.garch.vol21d > 0);
  const iv = f.hnImpliedAtmVol30d();
  assert.ok(iv > 0.03 && iv < 1, `HN implied vol ${iv}`);
});

test('the filter refuses bad bars by name', () => {
  const f = createVarianceFilter(weights);
  assert.throws(() => f.step({ date: '2030-01-02', close: -1 }), /bar.close/);
  f.step({ date: '2030-01-02', close: 10 });
  assert.throws(() => f.step({ date: '2030-01-01', close: 10 }), /must come after/);
  assert.throws(() => f.step({ date: '2030-01-03', close: 10, rv: -1 }), /bar.rv/);
});

test('on the real training days the filter reproduces the training recursion exactly', { skip: absent ? 'no ../shared/data' : false }, () => {
  const data = loadDailySeries();
  const sp = splitIndex(data, weights.splits);
  const w = Float64Array.from(weights.gru.w);
  const st = { ...weights.init.gru };
  const y = data.ret.map((r) => 100 * r);
  const rv = data.rv.map((v) => 1e4 * v);
  const f = createVarianceFilter(weights, { from: 'start' });
  for (let t = sp.train[0]; t < sp.train[1]; t++) {
    viRun(w, st, y, rv, t, t + 1);
    const s = f.step({ date: data.dates[t], close: data.close[t], rv: data.rv[t] });
    if (s.gruState.eta !== st.eta) assert.fail(`day ${data.dates[t]}: filter eta ${s.gruState.eta} vs training ${st.eta}`);
  }
});
