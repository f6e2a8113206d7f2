/**
 * Evidence for the README's reading of "the shortfall on in-the-money paths": trains the same
 * small policy (Black-Scholes, 5 daily steps, 1,024 paths, 10 epochs, seed 7) with the objective
 * over all paths and over the paths ending in the money only, and prints how far each policy's
 * ratios are from the delta and its test-set shortfall statistics.
 * Run: node --import tsx models/deep-hedger/compare-scope.ts   (about 10 s of one core)
 */
import { SEED_LOSS } from './loss.ts';
import { trainDeepHedger } from './train.ts';

for (const scope of ['all', 'itm'] as const) {
  const { metrics } = await trainDeepHedger({
    dynamics: 'bs', seed: 7, outDir: null, setup: { steps: 5 },
    config: { trainPaths: 1024, valPaths: 512, testPaths: 1024, batch: 256, maxEpochs: 10, loss: { ...SEED_LOSS, scope } },
  });
  const t = metrics.test;
  const f = (x: number) => x.toFixed(3);
  process.stdout.write(
    `scope ${scope}: |ratio - delta| mean ${f(t.vsDelta.meanAbs)} max ${f(t.vsDelta.maxAbs)}; ` +
      `shortfall std ${f(t.methods.deep.std)} CVaR ${f(t.methods.deep.cvar)} (delta hedge: std ${f(t.methods.delta.std)} CVaR ${f(t.methods.delta.cvar)})\n`,
  );
}
