/**
 * Ready-made training callbacks (Keras semantics).
 */
import type { Callbacks, Logs } from './fit.js';
import type { Sequential } from './model.js';
import * as v from './validate.js';

type Monitored = 'loss' | 'valLoss' | 'accuracy' | 'valAccuracy';
const MONITORED: readonly Monitored[] = ['loss', 'valLoss', 'accuracy', 'valAccuracy'];

function watcher(name: string, o: Record<string, unknown>) {
  const monitor = v.oneOf(`${name}.monitor`, o.monitor ?? 'valLoss', MONITORED);
  const minDelta = v.numberIn(`${name}.minDelta`, o.minDelta ?? 0, 0, Number.MAX_VALUE);
  const patience = v.integer(`${name}.patience`, o.patience ?? 0, 0, 1e9);
  const higherIsBetter = monitor === 'accuracy' || monitor === 'valAccuracy';
  let best = higherIsBetter ? -Infinity : Infinity;
  let wait = 0;
  // Returns true once the monitored value has gone `patience` epochs without improving (Keras: wait >= patience).
  return {
    monitor,
    stalled(logs: Logs): boolean {
      const value = logs[monitor];
      if (value === undefined)
        throw new RangeError(`${name}: logs have no ${monitor} (is there validation data?)`);
      const better = higherIsBetter ? value > best + minDelta : value < best - minDelta;
      if (better) {
        best = value;
        wait = 0;
        return false;
      }
      wait++;
      return wait >= patience;
    },
    reset() {
      wait = 0;
    },
  };
}

/**
 * Multiplies the learning rate by `factor` when `monitor` has not improved for
 * `patience` epochs (Keras ReduceLROnPlateau: factor 0.1, patience 10, minLr 0).
 */
export function reduceLROnPlateau(
  options: {
    monitor?: Monitored;
    factor?: number;
    patience?: number;
    minDelta?: number;
    minLr?: number;
  } = {},
): Callbacks {
  const o = v.options('reduceLROnPlateau options', options, [
    'monitor',
    'factor',
    'patience',
    'minDelta',
    'minLr',
  ]);
  const factor = v.numberIn('options.factor', o.factor ?? 0.1, 0, 1, { minOpen: true, maxOpen: true });
  const minLr = v.numberIn('options.minLr', o.minLr ?? 0, 0, Number.MAX_VALUE);
  const w = watcher('reduceLROnPlateau', { patience: 10, ...o });
  return {
    onEpochEnd(_epoch: number, logs: Logs, model: Sequential) {
      if (!w.stalled(logs)) return;
      // logs.lr already includes the current factor: lr / factor_now is the base rate.
      const base = logs.lr / model.learningRateFactor;
      const next = Math.max(logs.lr * factor, minLr);
      if (next < logs.lr && base > 0) model.learningRateFactor = next / base;
      w.reset();
    },
  };
}

/** Stops training when `monitor` has not improved for `patience` epochs (Keras EarlyStopping). */
export function earlyStopping(
  options: { monitor?: Monitored; patience?: number; minDelta?: number } = {},
): Callbacks {
  const o = v.options('earlyStopping options', options, ['monitor', 'patience', 'minDelta']);
  const w = watcher('earlyStopping', o);
  return {
    onEpochEnd(_epoch: number, logs: Logs) {
      return w.stalled(logs) ? false : undefined;
    },
  };
}
