/**
 * Completion on real chains: each chain file is read and fitted by the surface pipeline
 * (readChainFile + fitBook) for its per-quote mid vols at k = ln(K/F) and T; a seeded 30% of the
 * quotes is hidden, the rest fitted by the VAE completion, by kernel regression and by grid
 * interpolation, and the IV RMSE and MAE of each on the hidden quotes are measured.
 * Quotes are those the SVI slices were fitted to (out of the money, with a mid vol), kept where
 * the VAE's training grid reaches: T in [3 days, 2.5 years], k / (0.2 sqrt T) in [-4, 2.5].
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomStream } from '../../src/quant/mc-random.ts';
import { fitGridInterp } from '../../src/quant/surface-grid-interp.ts';
import { fitKernel } from '../../src/quant/surface-kernel.ts';
import { fitBook } from '../../src/surface/chain-fit.ts';
import { readChainFile } from '../../src/surface/chain-files.ts';
import { completeSurface, type CompleteOptions } from './complete.ts';
import type { VaeWeights } from './network.ts';

/** Error of one method on the hidden quotes. */
export interface HiddenError {
  rmse: number;
  mae: number;
}

/** One chain's comparison. */
export interface ChainComparison {
  file: string;
  quotes: number;
  hidden: number;
  expiries: number;
  vae: HiddenError;
  kernel: HiddenError;
  grid: HiddenError;
  vaeFitRmse: number;
}

/** Per-quote points of a chain file: k, T, mid vol. */
export async function chainPoints(path: string): Promise<{ k: number[]; T: number[]; iv: number[]; expiries: number }> {
  const { book, underlying, ts } = await readChainFile(path);
  const fit = fitBook(book, underlying, ts, {});
  const k: number[] = [], T: number[] = [], iv: number[] = [];
  let expiries = 0;
  for (const e of fit.expiries) {
    if (!(e.T >= 3 / 365 && e.T <= 2.5)) continue;
    let used = 0;
    const q = e.quotes;
    for (let i = 0; i < q.k.length; i++) {
      const v = q.midIv[i];
      const z = q.k[i] / (0.2 * Math.sqrt(e.T));
      if (!q.fit[i] || v === null || !(v > 0) || z < -4 || z > 2.5) continue;
      k.push(q.k[i]); T.push(e.T); iv.push(v); used++;
    }
    if (used > 0) expiries++;
  }
  return { k, T, iv, expiries };
}

function errors(pred: ArrayLike<number>, truth: readonly number[]): HiddenError {
  let se = 0, ae = 0;
  for (let i = 0; i < truth.length; i++) { se += (pred[i] - truth[i]) ** 2; ae += Math.abs(pred[i] - truth[i]); }
  return { rmse: Math.sqrt(se / truth.length), mae: ae / truth.length };
}

/** Compares the three completions on one chain file, hiding a seeded share of its quotes. */
export async function compareChain(w: VaeWeights, path: string, seed: number, hideShare = 0.3, opts: CompleteOptions = {}): Promise<ChainComparison> {
  const p = await chainPoints(path);
  const rng = randomStream(seed, 17);
  const known = { k: [] as number[], T: [] as number[], iv: [] as number[] };
  const hid = { k: [] as number[], T: [] as number[], iv: [] as number[] };
  for (let i = 0; i < p.iv.length; i++) {
    const d = rng.uniform() < hideShare ? hid : known;
    d.k.push(p.k[i]); d.T.push(p.T[i]); d.iv.push(p.iv[i]);
  }
  if (known.iv.length < 3 || hid.iv.length === 0) throw new Error(`${path}: too few usable quotes (${p.iv.length}) to compare completions`);
  const c = completeSurface(w, known, { seed, ...opts });
  return {
    file: path, quotes: p.iv.length, hidden: hid.iv.length, expiries: p.expiries,
    vae: errors(c.predict(hid.k, hid.T), hid.iv),
    kernel: errors(fitKernel(known).predict(hid.k, hid.T), hid.iv),
    grid: errors(fitGridInterp(known).predict(hid.k, hid.T), hid.iv),
    vaeFitRmse: c.fitRmse,
  };
}

/** Every chain file (*.csv) under the SPX options folder, sorted. */
export function chainFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p); else if (name.endsWith('.csv')) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Mean over chains of each method's RMSE and MAE, and the number of chains where the VAE beats each other method in RMSE. */
export function summarizeComparisons(rows: readonly ChainComparison[]): Record<'vae' | 'kernel' | 'grid', HiddenError> & { vaeBeatsKernel: number; vaeBeatsGrid: number; chains: number } {
  const mean = (m: 'vae' | 'kernel' | 'grid'): HiddenError => ({
    rmse: rows.reduce((a, r) => a + r[m].rmse, 0) / rows.length, mae: rows.reduce((a, r) => a + r[m].mae, 0) / rows.length,
  });
  return {
    vae: mean('vae'), kernel: mean('kernel'), grid: mean('grid'), chains: rows.length,
    vaeBeatsKernel: rows.filter((r) => r.vae.rmse < r.kernel.rmse).length, vaeBeatsGrid: rows.filter((r) => r.vae.rmse < r.grid.rmse).length,
  };
}
