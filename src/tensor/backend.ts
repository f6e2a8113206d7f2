/**
 * The tensor backend, chosen at run time: @tensorflow/tfjs-node-gpu (CUDA), then
 * @tensorflow/tfjs-node (native CPU), then @tensorflow/tfjs-backend-wasm, then tfjs's plain-JS
 * CPU backend. The native packages download libtensorflow when installed, so the project does
 * not depend on them; a user who installs one gets it here without any change. Model code uses
 * tfjs ops only, so it runs unchanged on whichever backend this picks.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type BackendChoice = 'auto' | 'gpu' | 'node' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** What tfjs reports as its backend: tensorflow (gpu or node), wasm or cpu. */
  backend: string;
  /** The package that provided it. */
  package: string;
  /** Why earlier candidates were passed over (not installed, failed to load). */
  skipped: string[];
}

const require = createRequire(import.meta.url);

async function tryNative(pkg: string): Promise<boolean> {
  try {
    // The native bindings register the "tensorflow" backend on import.
    await import(pkg);
    return tf.findBackend('tensorflow') !== undefined && (await tf.setBackend('tensorflow'));
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // In Node the .wasm files are read from the package's dist folder with fs (not fetch).
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(dist + '/');
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

let chosen: Promise<BackendInfo> | undefined;

/**
 * Picks and initialises the backend once per process (`VOLRISK_BACKEND`: auto, or one of gpu,
 * node, wasm, cpu to insist on it; insisting on one that cannot load is an error naming it).
 */
export function initTensorBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  chosen ??= (async () => {
    const skipped: string[] = [];
    const candidates: Array<[BackendChoice, string, () => Promise<boolean>]> = [
      ['gpu', '@tensorflow/tfjs-node-gpu', () => tryNative('@tensorflow/tfjs-node-gpu')],
      ['node', '@tensorflow/tfjs-node', () => tryNative('@tensorflow/tfjs-node')],
      ['wasm', '@tensorflow/tfjs-backend-wasm', tryWasm],
      ['cpu', '@tensorflow/tfjs (cpu)', () => tf.setBackend('cpu')],
    ];
    for (const [name, pkg, load] of candidates) {
      if (choice !== 'auto' && choice !== name) continue;
      if (await load()) {
        await tf.ready();
        return { backend: tf.getBackend(), package: pkg, skipped };
      }
      skipped.push(`${pkg}: not installed or failed to load`);
    }
    throw new Error(`VOLRISK_BACKEND=${choice}: ${skipped.join('; ')}`);
  })();
  return chosen;
}

export { tf };

