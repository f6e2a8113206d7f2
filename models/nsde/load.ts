/**
 * Loading the committed neural SDE for live use: the tensor backend, the weights, the constant
 * tensors. The live `nsde` stage takes the result.
 */
import { initTensorBackend } from '../../src/tensor/backend.ts';
import { makeModel, type NsdeModel } from './simulate.ts';
import { DEFAULT_MODEL_DIR, loadWeights } from './weights.ts';

/** Initialises the tensor backend (VOLRISK_BACKEND or auto) and loads dir/weights.json (default: models/nsde). */
export async function loadNsdeModel(dir = DEFAULT_MODEL_DIR): Promise<NsdeModel> {
  const env = process.env.VOLRISK_BACKEND;
  await initTensorBackend(env === 'gpu' || env === 'node' || env === 'wasm' || env === 'cpu' ? env : 'auto');
  return makeModel(loadWeights(dir));
}
