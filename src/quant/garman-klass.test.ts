import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { garmanKlassSeries, garmanKlassVariance, parkinsonVariance } from './garman-klass.ts';
import { randomStream } from './mc-random.ts';
import { REAL_DATA_DIR, skipWithoutRealData } from '../ticks/real-data.ts';

/**
 * Days of a driftless Brownian log price with daily variance s2, observed on `steps` grid points;
 * the high and low are exact: the maximum (minimum) of the Brownian bridge between two grid
 * points a, b over dt is (a + b +- sqrt((b - a)^2 - 2 s2 dt ln U)) / 2. (Taking the maximum and
 * minimum of one sub-interval from independent uniforms ignores their dependence, which matters
 * only when the day's high and low fall in the same sub-interval.)
 */
function simulateDays(days: number, steps: number, s2: number, seed: number) {
  const rng = randomStream(seed);
  const dt = 1 / steps;
  const sd = Math.sqrt(s2 * dt);
  const out = { open: new Float64Array(days), high: new Float64Array(days), low: new Float64Array(days), close: new Float64Array(days) };
  for (let d = 0; d < days; d++) {
    let x = 0;
    let hi = 0;
    let lo = 0;
    for (let i = 0; i < steps; i++) {
      const y = x + sd * rng.normal();
      const dd = (y - x) ** 2;
      hi = Math.max(hi, 0.5 * (x + y + Math.sqrt(dd - 2 * s2 * dt * Math.log(rng.uniform()))));
      lo = Math.min(lo, 0.5 * (x + y - Math.sqrt(dd - 2 * s2 * dt * Math.log(rng.uniform()))));
      x = y;
    }
    out.open[d] = 100;
    out.high[d] = 100 * Math.exp(hi);
    out.low[d] = 100 * Math.exp(lo);
    out.close[d] = 100 * Math.exp(x);
  }
  return out;
}

function meanVar(xs: Float64Array): [number, number] {
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) ** 2;
  return [m, v / (xs.length - 1)];
}

describe('Garman-Klass and Parkinson variance', () => {
  const days = 40_000;
  const s2 = 1e-4;
  const bars = simulateDays(days, 64, s2, 5);
  const gk = garmanKlassSeries(bars);
  const pk = Float64Array.from(bars.high, (h, i) => parkinsonVariance(h, bars.low[i]));
  const cc = Float64Array.from(bars.close, (c, i) => Math.log(c / bars.open[i]) ** 2);

  test('both are unbiased for the daily variance of a Brownian log price (within 4 standard errors)', () => {
    for (const [name, xs] of [['Garman-Klass', gk], ['Parkinson', pk]] as const) {
      const [m, v] = meanVar(xs);
      const se = Math.sqrt(v / days);
      assert.ok(Math.abs(m - s2) < 4 * se, `${name}: mean ${m} vs ${s2} (se ${se})`);
    }
  });

  test('efficiency against the squared open-to-close return: 7.4 (Garman-Klass 1980) and 4.91 (Parkinson 1980)', () => {
    // Garman and Klass (1980) give efficiency 7.4 for their estimator sigma^2_5. Parkinson's
    // moments E ln(H/L)^2 = 4 ln2 s2 and E ln(H/L)^4 = 9 zeta(3) s2^2 give the variance
    // (9 zeta(3) / (16 ln2^2) - 1) s2^2, hence efficiency 2 / 0.4073 = 4.91. The estimates'
    // sampling error is about 4% at 40,000 days (seen over seeds); the tolerance is 12%.
    const vcc = meanVar(cc)[1];
    const effGk = vcc / meanVar(gk)[1];
    const effPk = vcc / meanVar(pk)[1];
    const zeta3 = 1.2020569031595942;
    const pkExact = 2 / ((9 * zeta3) / (16 * Math.LN2 ** 2) - 1);
    assert.ok(Math.abs(pkExact - 4.91) < 0.01);
    assert.ok(Math.abs(effGk / 7.4 - 1) < 0.12, `Garman-Klass efficiency ${effGk}`);
    assert.ok(Math.abs(effPk / pkExact - 1) < 0.12, `Parkinson efficiency ${effPk}`);
    assert.ok(effGk > effPk, 'Garman-Klass uses open and close too, so beats Parkinson');
  });

  test('the formula on one bar, by hand', () => {
    const v = garmanKlassVariance(100, 105, 95, 102);
    assert.ok(Math.abs(v - (0.5 * Math.log(105 / 95) ** 2 - (2 * Math.LN2 - 1) * Math.log(1.02) ** 2)) < 1e-17);
    assert.equal(garmanKlassVariance(100, 100, 100, 100), 0);
  });

  test('missing prices (NaN, 0: the SPX file before 1982-04-20) give NaN; Parkinson is the fallback', () => {
    assert.ok(Number.isNaN(garmanKlassVariance(0, 105, 95, 102)));
    assert.ok(Number.isNaN(garmanKlassVariance(NaN, 105, 95, 102)));
    assert.ok(Number.isNaN(garmanKlassVariance(100, 105, 95, -1)));
    assert.ok(Number.isNaN(parkinsonVariance(105, 0)));
    const s = garmanKlassSeries({ open: [0, 100, 100], high: [105, 105, NaN], low: [95, 95, 95], close: [102, 102, 102] }, { fallback: 'parkinson' });
    assert.equal(s[0], parkinsonVariance(105, 95));
    assert.equal(s[1], garmanKlassVariance(100, 105, 95, 102));
    assert.ok(Number.isNaN(s[2]));
    assert.ok(Number.isNaN(garmanKlassSeries({ open: [0], high: [105], low: [95], close: [102] })[0]));
  });

  test('inconsistent bars and ragged columns are refused, naming the bar', () => {
    assert.throws(() => garmanKlassVariance(100, 95, 105, 100), /high 95 is below low 105/);
    assert.throws(() => garmanKlassVariance(110, 105, 95, 100), /open 110 is outside/);
    assert.throws(() => garmanKlassSeries({ open: [100, 100], high: [105, 105], low: [95, 95], close: [100, 90] }), /bar 1: close 90 is outside/);
    assert.throws(() => garmanKlassSeries({ open: [100], high: [105, 1], low: [95], close: [100] }), /high has 2 values but close has 1/);
  });

  const spx = 'spx/spx-daily.csv';
  test('real S&P 500 daily bars: NaN exactly where Open is missing, and below close-to-close variance', { skip: skipWithoutRealData(spx) }, () => {
    const lines = readFileSync(resolve(REAL_DATA_DIR, spx), 'utf8').trim().split('\n').slice(1);
    const rows = lines.map((l) => l.split(','));
    const date = rows.map((r) => r[0]);
    const col = (j: number) => Float64Array.from(rows, (r) => Number(r[j]));
    const bars = { open: col(1), high: col(2), low: col(3), close: col(4) };
    const v = garmanKlassSeries(bars);
    const first = date.indexOf('1982-04-20');
    assert.ok(first > 0);
    for (let i = 0; i < date.length; i++) {
      if (date[i] < '1982-04-20') assert.ok(Number.isNaN(v[i]) || bars.open[i] > 0, `${date[i]} has Open = 0 and must be NaN`);
      else assert.ok(Number.isFinite(v[i]) && v[i] >= 0, `${date[i]}: ${v[i]}`);
    }
    // Garman-Klass sees the trading day only; close-to-close returns also carry the overnight gap
    // (and crash days), so on the same days its mean is lower, but of the same order.
    let gk = 0;
    let cc = 0;
    for (let i = first + 1; i < date.length; i++) {
      gk += v[i];
      cc += Math.log(bars.close[i] / bars.close[i - 1]) ** 2;
    }
    const ratio = gk / cc;
    assert.ok(ratio > 0.4 && ratio < 1, `mean GK / mean squared close-to-close return = ${ratio}`);
  });
});
