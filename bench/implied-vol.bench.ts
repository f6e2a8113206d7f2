/**
 * Implied-vol inversion rate of the Let's Be Rational port against a plain Newton-Raphson on the
 * same fixed-seed quotes, with the accuracy of each; and batched Black-Scholes pricing against
 * the textbook formula.
 */
import { opsPerSecond, type Bench, type BenchRow } from './harness.ts';
import { bsGreeks, bsPrices } from '../src/quant/black-scholes.ts';
import { impliedVols, IV_OK } from '../src/quant/implied-vol.ts';
import { normCdf, normPdf } from '../src/quant/normal.ts';

const EPS = 2.220446049250313e-16;

/** Seeded 32-bit generator (mulberry32), uniform in [0, 1): the same quotes on every run. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Quotes {
  n: number;
  price: Float64Array; S: Float64Array; K: Float64Array; T: Float64Array;
  r: Float64Array; q: Float64Array; vol: Float64Array; isCall: Uint8Array;
}

/**
 * Out-of-the-money quotes: log-moneyness uniform in [-4, 4] standard deviations, T log-uniform
 * from one hour to 5 years, vol uniform in [5%, 150%]; kept only where the price is numerically
 * meaningful (its own rounding moves the vol by at most 1e-13), so "max rel err" measures the
 * inverter, not the input.
 */
function makeQuotes(n: number, seed: number): Quotes {
  const u = uniform(seed);
  const Q: Quotes = {
    n, price: new Float64Array(n), S: new Float64Array(n), K: new Float64Array(n), T: new Float64Array(n),
    r: new Float64Array(n), q: new Float64Array(n), vol: new Float64Array(n), isCall: new Uint8Array(n),
  };
  let i = 0;
  while (i < n) {
    const S = 100, r = 0.03, q = 0.01;
    const T = Math.exp(Math.log(1 / (365 * 24)) + u() * (Math.log(5) - Math.log(1 / (365 * 24))));
    const vol = 0.05 + 1.45 * u();
    const k = -4 + 8 * u();
    const K = S * Math.exp((r - q) * T + k * vol * Math.sqrt(T));
    const right = k > 0 ? 'C' : 'P';
    const g = bsGreeks(S, K, T, r, q, vol, right);
    if (!((EPS * g.price) / (vol * g.vega) <= 1e-13) || !(g.price > 1e-300)) continue;
    Q.S[i] = S; Q.K[i] = K; Q.T[i] = T; Q.r[i] = r; Q.q[i] = q; Q.vol[i] = vol;
    Q.isCall[i] = right === 'C' ? 1 : 0; Q.price[i] = g.price;
    i++;
  }
  return Q;
}

/** Textbook Black-Scholes-Merton price, the baseline's pricing function. */
function textbookPrice(S: number, K: number, T: number, r: number, q: number, v: number, call: boolean): number {
  const sd = v * Math.sqrt(T);
  const d1 = (Math.log(S / K) + (r - q) * T) / sd + 0.5 * sd;
  const d2 = d1 - sd;
  return call
    ? S * Math.exp(-q * T) * normCdf(d1) - K * Math.exp(-r * T) * normCdf(d2)
    : K * Math.exp(-r * T) * normCdf(-d2) - S * Math.exp(-q * T) * normCdf(-d1);
}

/** Plain Newton-Raphson from the Brenner-Subrahmanyam guess sqrt(2 pi / T) P / S; NaN when it fails. */
function newtonIv(P: number, S: number, K: number, T: number, r: number, q: number, call: boolean): number {
  let v = (Math.sqrt((2 * Math.PI) / T) * P) / S;
  for (let it = 0; it < 100; it++) {
    const sd = v * Math.sqrt(T);
    const d1 = (Math.log(S / K) + (r - q) * T) / sd + 0.5 * sd;
    const vega = S * Math.exp(-q * T) * normPdf(d1) * Math.sqrt(T);
    const dv = (textbookPrice(S, K, T, r, q, v, call) - P) / vega;
    if (!Number.isFinite(dv)) return NaN;
    v -= dv;
    if (!(v > 0)) return NaN;
    if (Math.abs(dv) < 1e-12) return v;
  }
  return NaN;
}

const bench: Bench = async ({ quick }) => {
  const n = quick ? 20_000 : 100_000;
  const ms = quick ? 300 : 1500;
  const Q = makeQuotes(n, 20240607);
  const out = { iv: new Float64Array(n), status: new Uint8Array(n) };

  const lbrRate = opsPerSecond(() => {
    impliedVols(Q.price, Q.S, Q.K, Q.T, Q.r, Q.q, Q.isCall, out);
    return n;
  }, ms);
  let lbrMax = 0;
  let lbrFail = 0;
  for (let i = 0; i < n; i++) {
    if (out.status[i] !== IV_OK) lbrFail++;
    else lbrMax = Math.max(lbrMax, Math.abs(out.iv[i] / Q.vol[i] - 1));
  }

  const nIv = new Float64Array(n);
  const newtonRate = opsPerSecond(() => {
    for (let i = 0; i < n; i++) nIv[i] = newtonIv(Q.price[i], Q.S[i], Q.K[i], Q.T[i], Q.r[i], Q.q[i], Q.isCall[i] !== 0);
    return n;
  }, ms);
  let newtonMax = 0;
  let newtonFail = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(nIv[i])) newtonFail++;
    else newtonMax = Math.max(newtonMax, Math.abs(nIv[i] / Q.vol[i] - 1));
  }

  const prices = new Float64Array(n);
  const bsRate = opsPerSecond(() => {
    bsPrices(Q.S, Q.K, Q.T, Q.r, Q.q, Q.vol, Q.isCall, prices);
    return n;
  }, ms);
  const tb = new Float64Array(n);
  const tbRate = opsPerSecond(() => {
    for (let i = 0; i < n; i++) tb[i] = textbookPrice(Q.S[i], Q.K[i], Q.T[i], Q.r[i], Q.q[i], Q.vol[i], Q.isCall[i] !== 0);
    return n;
  }, ms);
  let tbMax = 0;
  for (let i = 0; i < n; i++) tbMax = Math.max(tbMax, Math.abs(tb[i] / prices[i] - 1));

  const rows: BenchRow[] = [
    {
      name: `IV inversions/s, Let's Be Rational batched (${n.toLocaleString('en-US')} OTM quotes, fixed seed)`,
      unit: 'inversions/s',
      value: lbrRate,
      baseline: 'plain Newton-Raphson (Brenner-Subrahmanyam start, <= 100 iterations, tol 1e-12)',
      baselineValue: newtonRate,
      goal: '>= 2,000,000/s at rel err < 1e-12',
      note:
        `LBR max rel err in vol ${lbrMax.toExponential(2)}, ${lbrFail} failed; ` +
        `Newton max rel err ${newtonMax.toExponential(2)} over converged, ${((100 * newtonFail) / n).toFixed(2)}% not converged`,
    },
    {
      name: `Black-Scholes prices/s, batched (normalised Black, ${n.toLocaleString('en-US')} quotes)`,
      unit: 'prices/s',
      value: bsRate,
      baseline: 'textbook S e^-qT N(d1) - K e^-rT N(d2) loop',
      baselineValue: tbRate,
      note: `textbook max rel deviation ${tbMax.toExponential(2)} (cancellation in the wings)`,
    },
  ];
  return rows;
};

export default bench;
