/**
 * `monitor(model, { every })`: records per-layer statistics during `fit` — the
 * weight-gradient norm, the update ratio ‖ΔW‖/‖W‖ (healthy around 1e-3), the
 * saturated and dead fractions and the activation std — measured natively on
 * every `every`-th step, as a history and as a stream of records.
 *
 * ```ts
 * const mon = monitor(model, { every: 10, onRecord: (r) => console.log(r.step, r.layers[0].updateRatio) });
 * await model.fit(x, y, { epochs: 3, loss: 'crossEntropy' });
 * mon.history;                         // MonitorRecord[]
 * (await mon.report(x, y)).toHTML();   // diagnose + the curves over steps
 * ```
 */
import type { MatrixLike, TargetsLike } from '../data.js';
import type { FitHook, Sequential } from '../model.js';
import * as v from '../validate.js';
import { checkModel, type DiagnoseOptions, diagnose } from './diagnose.js';
import type { Report } from './report.js';
import type { MonitorRecord } from './types.js';

/** Per layer, the native monitor statistics (core/stats: MonitorStat). */
const PER_LAYER = 5;

export interface MonitorOptions {
  /** Record every k-th step (default 1). */
  every?: number;
  /** Saturation margin (default 0.01, as diagnose). */
  saturation?: number;
  /** Called with each record as it is made (on the JS thread, while fit runs). */
  onRecord?: (record: MonitorRecord) => void;
}

export class Monitor implements FitHook {
  readonly every: number;
  readonly saturation: number;
  /** Every record so far, in step order. */
  readonly history: MonitorRecord[] = [];
  readonly #model: Sequential;
  readonly #listeners = new Set<(r: MonitorRecord) => void>();

  constructor(model: Sequential, options: MonitorOptions = {}) {
    this.#model = checkModel(model);
    const o = v.options('monitor options', options, ['every', 'saturation', 'onRecord']);
    this.every = v.integer('options.every', o.every ?? 1, 1, 2 ** 31);
    this.saturation = v.numberIn('options.saturation', o.saturation ?? 0.01, 0, 0.5, { maxOpen: true });
    if (o.onRecord !== undefined) {
      if (typeof o.onRecord !== 'function') throw v.typeError('a function', 'options.onRecord', o.onRecord);
      this.#listeners.add(o.onRecord as (r: MonitorRecord) => void);
    }
    model.checkIdle('monitor');
    model.hooks.add(this);
  }

  /** Adds a listener for new records; returns a function that removes it. */
  onRecord(listener: (r: MonitorRecord) => void): () => void {
    if (typeof listener !== 'function') throw v.typeError('a function', 'listener', listener);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** @internal called by fit with the native statistics of a recorded step */
  record(step: number, epoch: number, loss: number, stats: Float64Array): void {
    const layers = this.#model.layers.map((_, i) => {
      const o = i * PER_LAYER;
      return {
        weightGradNorm: stats[o],
        updateRatio: stats[o + 1],
        saturatedFraction: stats[o + 2],
        deadUnitFraction: stats[o + 3],
        activationStd: stats[o + 4],
      };
    });
    const r: MonitorRecord = { step, epoch, loss, layers };
    this.history.push(r);
    for (const l of this.#listeners) l(r);
  }

  /** Stops recording (the history stays). */
  detach(): void {
    this.#model.hooks.delete(this);
  }

  /** A diagnose report of (x, y) now, with this monitor's history attached. */
  async report(x: MatrixLike, y: TargetsLike, options?: DiagnoseOptions): Promise<Report> {
    const r = await diagnose(this.#model, x, y, options);
    r.history = [...this.history];
    return r;
  }
}

/** Attaches a monitor to a model's training runs. */
export function monitor(model: Sequential, options?: MonitorOptions): Monitor {
  return new Monitor(model, options);
}
