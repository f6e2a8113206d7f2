/**
 * Parsing speed: NDJSON parse + validate against a bare JSON.parse loop over the same lines,
 * and CBOE chain rows against a bare split-by-comma loop over the same rows. Inputs are
 * generated from a fixed seed, so every run measures the same work.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { from, map } from 'rxjs';
import { parseCboeChain } from '../src/ticks/parse-cboe-chain.ts';
import { parseNdjson } from '../src/ticks/parse-ndjson.ts';
import { zonedToEpochMicros } from '../src/ticks/time.ts';
import { isAccepted, TickValidator, validateTicks } from '../src/ticks/validate.ts';
import { opsPerSecond, type Bench } from './harness.ts';

function ndjsonLines(n: number, seed: number): string[] {
  const rng = xoroshiro128plus(seed);
  const u = () => uniformFloat64(rng);
  const t0 = zonedToEpochMicros('2024-01-05', '09:30');
  const lines: string[] = [];
  let spx = 4700;
  for (let i = 0; i < n; i++) {
    const ts = t0 + i * 1000;
    const r = u();
    spx *= 1 + (u() - 0.5) * 1e-4;
    if (r < 0.3) lines.push(JSON.stringify({ kind: 'index', symbol: r < 0.2 ? 'SPX' : 'VIX', price: r < 0.2 ? spx : 13 + u(), ts, sseq: i + 1, src: 'bench' }));
    else if (r < 0.4) {
      const bid = 13 + u() * 5;
      lines.push(JSON.stringify({ kind: 'future', root: 'VX', month: '2024-02', expiry: '2024-02-14', bid, ask: bid + 0.05, bidSize: 10, askSize: 12, ts, sseq: i + 1, src: 'bench' }));
    } else {
      const strike = 4000 + 5 * Math.floor(u() * 300);
      const mid = Math.max(0.1, Math.abs(spx - strike) * 0.5 + 20 * u());
      lines.push(
        JSON.stringify({
          kind: 'option', root: u() < 0.5 ? 'SPX' : 'SPXW', underlying: 'SPX', expiry: '2024-01-19', strike, right: u() < 0.5 ? 'C' : 'P',
          bid: mid * 0.98, ask: mid * 1.02, bidSize: 10, askSize: 20, ts, sseq: i + 1, src: 'bench',
        }),
      );
    }
  }
  return lines;
}

function chainText(rows: number, seed: number): { text: string; lines: string[] } {
  const rng = xoroshiro128plus(seed);
  const u = () => uniformFloat64(rng);
  const header =
    'Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest';
  const lines = ['', 'S&P 500 INDEX,Last: 4697.2402,Change:  8.5602', '"Date: January 7, 2024 at 10:52 AM EST",Bid: 4645.23,Ask: 4753.8999,Size: 1*1,Volume: 0', header];
  for (let i = 0; i < rows; i++) {
    const k = 1200 + 5 * (i % 1000);
    const ks = String(k * 1000).padStart(8, '0');
    const c = (Math.max(0.05, 4697 - k) + u() * 10).toFixed(2);
    const p = (Math.max(0.05, k - 4697) + u() * 10).toFixed(2);
    lines.push(
      `Fri Jan 19 2024,SPXW240119C${ks},${c},0,${c},${(Number(c) + 0.5).toFixed(2)},3,0.15,0.5,0.001,100,${k}.00,SPXW240119P${ks},${p},0,${p},${(Number(p) + 0.5).toFixed(2)},2,0.16,-0.5,0.001,90`,
    );
  }
  return { text: lines.join('\n'), lines };
}

const bench: Bench = async ({ quick }) => {
  const ms = quick ? 300 : 1500;
  const lines = ndjsonLines(quick ? 50_000 : 200_000, 42);
  let sink = 0;
  const bare = opsPerSecond(() => {
    for (const l of lines) sink += (JSON.parse(l) as { ts: number }).ts > 0 ? 1 : 0;
    return lines.length;
  }, ms);
  const parseValidate = opsPerSecond(() => {
    const v = new TickValidator();
    for (const o of parseNdjson(lines, { src: 'bench' })) if (isAccepted(v.check(o))) sink++;
    return lines.length;
  }, ms);
  const viaRx = opsPerSecond(() => {
    from(parseNdjson(lines, { src: 'bench' }))
      .pipe(validateTicks(), map((x) => (isAccepted(x) ? 1 : 0)))
      .subscribe((x) => (sink += x));
    return lines.length;
  }, ms);
  // Every generated tick is valid: a bench that rejected them would measure the wrong path.
  const v = new TickValidator();
  const accepted = [...parseNdjson(lines)].filter((o) => isAccepted(v.check(o))).length;
  if (accepted !== lines.length) throw new Error(`parse bench: only ${accepted} of ${lines.length} generated ticks are valid`);

  const chain = chainText(quick ? 5_000 : 20_000, 7);
  const rows = chain.lines.length - 4;
  const bareSplit = opsPerSecond(() => {
    for (const l of chain.text.split('\n')) sink += l.split(',').length;
    return rows;
  }, ms);
  const chainParse = opsPerSecond(() => {
    for (const o of parseCboeChain(chain.text, { src: 'bench' })) sink += o.line;
    return rows;
  }, ms);
  const chainValidate = opsPerSecond(() => {
    const cv = new TickValidator();
    for (const o of parseCboeChain(chain.text, { src: 'bench' })) if (isAccepted(cv.check(o))) sink++;
    return rows;
  }, ms);
  if (sink === -1) console.log(sink);
  const n = `${lines.length.toLocaleString('en-US')} seeded ticks (60% options, 30% index, 10% futures)`;
  return [
    { name: 'NDJSON parse + validate (TickValidator)', unit: 'ticks/s', value: parseValidate, baseline: 'bare JSON.parse loop', baselineValue: bare, goal: '>= 200000', note: n },
    { name: 'NDJSON parse + validateTicks (RxJS operator)', unit: 'ticks/s', value: viaRx, baseline: 'bare JSON.parse loop', baselineValue: bare, note: n },
    { name: 'CBOE chain parse', unit: 'rows/s', value: chainParse, baseline: "bare split('\\n') + split(',')", baselineValue: bareSplit, note: `${rows.toLocaleString('en-US')} rows, 2 options each` },
    { name: 'CBOE chain parse + validate', unit: 'rows/s', value: chainValidate, baseline: "bare split('\\n') + split(',')", baselineValue: bareSplit, note: `${rows.toLocaleString('en-US')} rows, 2 options each` },
  ];
};

export default bench;
