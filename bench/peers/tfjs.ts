/** TensorFlow.js peers (wasm and cpu backends), loaded lazily so a missing package only skips its rows. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export type Tf = typeof import('@tensorflow/tfjs-core');

let tf: Tf | undefined;
let loadError: string | undefined;

/** tfjs-core with the cpu and wasm backends registered, or undefined with a reason. */
export function loadTf(): { tf?: Tf; reason?: string } {
  if (tf || loadError) return { tf, reason: loadError };
  try {
    tf = require('@tensorflow/tfjs-core') as Tf;
    require('@tensorflow/tfjs-backend-cpu');
    require('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    loadError = `TensorFlow.js not installed (${(e as Error).message.split('\n')[0]})`;
  }
  return { tf, reason: loadError };
}

/** Switches backend; returns a reason string when it cannot. */
export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  const { tf: t, reason } = loadTf();
  if (!t) throw new Error(reason);
  if (t.getBackend() !== name) {
    const ok = await t.setBackend(name);
    if (!ok) throw new Error(`TF.js backend ${name} failed to initialise`);
    await t.ready();
  }
}

export function loadTfLayers(): any {
  loadTf();
  return require('@tensorflow/tfjs-layers');
}
