/**
 * `model.fit`: validation of the options, the learning-rate table, the event
 * dispatcher the native training loop calls back into, the history and the
 * progress bar. The loop itself is native (core/nn/train.cc) and runs off the
 * JS thread; every batch and epoch event it sends waits for the callbacks here
 * to return (or their promises to settle), so a callback that stops training
 * stops it at a well-defined batch.
 * @internal
 */
import { withCallSite } from './async.js';
import { type MatrixLike, matrix, sliceRows, type TargetsLike, targets } from './data.js';
import { GradscopeError } from './errors.js';
import { hasAccuracy, type LossSpec } from './losses.js';
import type { Sequential } from './model.js';
import type { NativeFitEvent, NativeFitReply } from './native.js';
import type { Optimizer } from './optim/optimizers.js';
import { ProgressBar, seconds } from './progress.js';
import * as v from './validate.js';

/** Numbers reported to callbacks after a batch or an epoch. */
export interface Logs {
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Learning rate of the last step. */
  lr: number;
}

/** Training callbacks (Keras-like). Return `false` (or a promise of it), or set `model.stopTraining`, to stop. */
export interface Callbacks {
  onTrainBegin?(model: Sequential): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs, model: Sequential): unknown;
  onEpochEnd?(epoch: number, logs: Logs, model: Sequential): unknown;
  onTrainEnd?(history: History, model: Sequential): void | Promise<void>;
}

/** Where a NaN or ±Inf first showed up. */
export interface NonFiniteEvent {
  epoch: number;
  batch: number;
  step: number;
  /** First layer (0 = next to the input) with a non-finite tensor, or -1 when only the loss is. */
  layer: number;
  tensor: string;
}

/** Options of `model.fit`. */
export interface FitOptions {
  /** Loss name or `{ name, fromLogits }` (required the first time). */
  loss?: LossSpec;
  /** Optimiser (default: the last one used with this model, else Adam). */
  optimizer?: Optimizer;
  epochs?: number;
  batchSize?: number;
  /** Shuffle the samples every epoch (seeded: the model's seed unless `seed` is given). Default true. */
  shuffle?: boolean;
  seed?: number | bigint;
  /** Held-out data evaluated after every epoch. */
  validationData?: [MatrixLike, TargetsLike];
  /** Fraction of (x, y) held out for validation: the last rows, taken before shuffling (as Keras). */
  validationSplit?: number;
  /** Clip every gradient element into [−clipValue, clipValue]. */
  clipValue?: number;
  /** Rescale each gradient tensor to L2 norm ≤ clipNorm. */
  clipNorm?: number;
  /** Rescale all gradients together to global L2 norm ≤ globalClipNorm. */
  globalClipNorm?: number;
  callbacks?: Callbacks | Callbacks[];
  /** 0 silent, 1 progress bar + epoch lines when stderr is a terminal (default), 2 epoch lines always. */
  verbose?: 0 | 1 | 2;
  /** What to do when the loss becomes NaN/±Inf: 'stop' (reject with ERR_GRADSCOPE_NON_FINITE, default) or 'continue'. */
  onNonFinite?: 'stop' | 'continue';
}

/** What `fit` resolves with: per-epoch numbers. */
export interface History {
  epoch: number[];
  loss: number[];
  accuracy?: number[];
  valLoss?: number[];
  valAccuracy?: number[];
  lr: number[];
  /** Number of optimiser steps taken. */
  steps: number;
  /** Whether a callback (or model.stopTraining) stopped the run early. */
  stopped: boolean;
  /** The first NaN/±Inf met, if any. */
  nonFinite?: NonFiniteEvent;
}

const FIT_OPTIONS = [
  'loss',
  'optimizer',
  'epochs',
  'batchSize',
  'shuffle',
  'seed',
  'validationData',
  'validationSplit',
  'clipValue',
  'clipNorm',
  'globalClipNorm',
  'callbacks',
  'verbose',
  'onNonFinite',
] as const;

function callbackList(value: unknown): Callbacks[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const names = ['onTrainBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'];
  list.forEach((c, i) => {
    if (typeof c !== 'object' || c === null)
      throw v.typeError('an object of callback functions', `options.callbacks[${i}]`, c);
    for (const [k, f] of Object.entries(c)) {
      if (!names.includes(k))
        throw v.rangeError(`one of ${names.join(', ')}`, `options.callbacks[${i}] key`, k);
      if (typeof f !== 'function') throw v.typeError('a function', `options.callbacks[${i}].${k}`, f);
    }
  });
  return list as Callbacks[];
}

const clipOption = (name: string, x: unknown, open: boolean) =>
  x === undefined ? undefined : v.numberIn(`options.${name}`, x, 0, Number.MAX_VALUE, { minOpen: open });

export async function runFit(
  model: Sequential,
  x: MatrixLike,
  y: TargetsLike,
  options: FitOptions,
): Promise<History> {
  const site = new Error('fit');
  model.checkIdle('fit');
  const o = v.options('fit options', options, [...FIT_OPTIONS]);
  const epochs = v.integer('options.epochs', o.epochs ?? 1, 0, 1e9);
  const batchSize = v.integer('options.batchSize', o.batchSize ?? 32, 1, v.MAX_ELEMENTS);
  const shuffle = v.boolean('options.shuffle', o.shuffle, true);
  const seed = o.seed === undefined ? model.seed : v.seed64('options.seed', o.seed);
  const verbose = o.verbose === undefined ? 1 : v.integer('options.verbose', o.verbose, 0, 2);
  const onNonFinite = v.oneOf('options.onNonFinite', o.onNonFinite ?? 'stop', ['stop', 'continue'] as const);
  const clip = {
    clipValue: clipOption('clipValue', o.clipValue, false),
    clipNorm: clipOption('clipNorm', o.clipNorm, true),
    globalClipNorm: clipOption('globalClipNorm', o.globalClipNorm, true),
  };
  const callbacks = callbackList(o.callbacks);
  const { m, t, loss } = model.inputs(x, y, o.loss);
  const opt = model.resolveOptimizer(o.optimizer);

  // Validation data: given, or the last rows (before shuffling).
  let train = { x: m.data, t, n: m.rows };
  let val: { x: Float32Array; t: Float32Array | Int32Array; n: number } | null = null;
  if (o.validationData !== undefined && o.validationSplit !== undefined)
    throw new TypeError('Expected validationData or validationSplit, not both');
  if (o.validationData !== undefined) {
    if (!Array.isArray(o.validationData) || o.validationData.length !== 2)
      throw v.typeError('[xVal, yVal]', 'options.validationData', o.validationData);
    const vm = matrix('options.validationData[0]', o.validationData[0], model.inputUnits);
    const vt = targets('options.validationData[1]', o.validationData[1], loss, vm.rows, model.outputUnits);
    val = { x: vm.data, t: vt, n: vm.rows };
  } else if (o.validationSplit !== undefined) {
    const split = v.numberIn('options.validationSplit', o.validationSplit, 0, 1, { maxOpen: true });
    const nv = Math.floor(m.rows * split);
    if (nv > 0) {
      const nt = m.rows - nv;
      if (nt < 1) throw v.rangeError('a split that leaves training data', 'options.validationSplit', split);
      const tc = t instanceof Int32Array ? 1 : model.outputUnits;
      val = { x: sliceRows(m.data, model.inputUnits, nt, m.rows), t: sliceRows(t, tc, nt, m.rows), n: nv };
      train = { x: sliceRows(m.data, model.inputUnits, 0, nt), t: sliceRows(t, tc, 0, nt), n: nt };
    }
  }

  const batches = Math.ceil(train.n / batchSize);
  const steps = epochs * batches;
  if (steps > 2 ** 28) throw v.rangeError('at most 2^28 steps per fit', 'epochs × batches', steps);
  const lr = new Float64Array(steps);
  for (let k = 0; k < steps; k++) lr[k] = opt.learningRateAt(opt.iterations + k);
  const config = model.stepConfig(loss, opt, clip);

  const history: History = { epoch: [], loss: [], lr: [], steps: 0, stopped: false };
  const acc = hasAccuracy(loss);
  if (acc) history.accuracy = [];
  if (val) {
    history.valLoss = [];
    if (acc) history.valAccuracy = [];
  }
  const hooks = [...model.hooks];
  const monitorEvery = hooks.length > 0 ? Math.min(...hooks.map((h) => h.every)) : 0;
  const saturation = hooks.length > 0 ? hooks[0].saturation : 0.01;
  const wantBatches = callbacks.some((c) => c.onBatchEnd);
  const bar = new ProgressBar(process.stderr, verbose === 1 && process.stderr.isTTY === true);
  const lines = verbose === 2 || bar.enabled;
  const started = Date.now();
  let epochStarted = started;
  let lastLr = lr[0] ?? opt.learningRateAt(opt.iterations);
  let stepsDone = 0;
  const firstStep = opt.iterations; // monitors number steps by the optimiser's count

  const reply = (stop: boolean): NativeFitReply => ({
    stop: stop || model.stopTraining,
    lrFactor: model.learningRateFactor,
  });
  const stepLr = (step: number) => (lr[step] ?? lastLr) * model.learningRateFactor;

  const dispatch = async (ev: NativeFitEvent): Promise<NativeFitReply> => {
    if (ev.type === 'progress') {
      bar.update(`epoch ${ev.epoch + 1}/${epochs}`, ev.batch + 1, batches, `loss ${ev.loss.toFixed(4)}`);
      return reply(false);
    }
    if (ev.type === 'flush') return reply(false);
    if (ev.type === 'nonFinite') {
      if (history.nonFinite) return reply(false); // the first one is the one that matters
      history.nonFinite = {
        epoch: ev.epoch,
        batch: ev.batch,
        step: ev.step,
        layer: ev.layer,
        tensor: ev.tensor,
      };
      if (onNonFinite === 'continue')
        process.emitWarning(
          `gradscope: non-finite loss at epoch ${ev.epoch}, batch ${ev.batch}` +
            (ev.layer >= 0 ? ` (first in layer ${ev.layer}'s ${ev.tensor})` : ''),
          { code: 'GRADSCOPE_NON_FINITE' },
        );
      return reply(false);
    }
    let stop = false;
    if (ev.type === 'batch') {
      stepsDone = ev.step + 1;
      lastLr = stepLr(ev.step);
      if (ev.monitor)
        for (const h of hooks)
          if (ev.step % h.every === 0)
            h.record(firstStep + ev.step, ev.epoch + model.epochsRun, ev.loss, ev.monitor);
      const logs: Logs = { loss: ev.loss, lr: lastLr };
      if (acc && ev.count > 0) logs.accuracy = ev.correct / ev.count;
      for (const c of callbacks)
        if (c.onBatchEnd && (await c.onBatchEnd(ev.batch, logs, model)) === false) stop = true;
      bar.update(`epoch ${ev.epoch + 1}/${epochs}`, ev.batch + 1, batches, `loss ${ev.loss.toFixed(4)}`);
      return reply(stop);
    }
    // epoch end
    lastLr = stepLr(Math.min(steps, (ev.epoch + 1) * batches) - 1);
    history.epoch.push(ev.epoch + model.epochsRun);
    history.loss.push(ev.loss);
    history.lr.push(lastLr);
    if (acc) history.accuracy?.push(ev.accuracy);
    if (ev.valLoss !== undefined) history.valLoss?.push(ev.valLoss);
    if (acc && ev.valAccuracy !== undefined) history.valAccuracy?.push(ev.valAccuracy);
    const logs: Logs = { loss: ev.loss, lr: lastLr };
    if (acc) logs.accuracy = ev.accuracy;
    if (ev.valLoss !== undefined) logs.valLoss = ev.valLoss;
    if (acc && ev.valAccuracy !== undefined) logs.valAccuracy = ev.valAccuracy;
    if (lines) {
      bar.clear();
      const now = Date.now();
      const parts = [
        `epoch ${String(ev.epoch + 1).padStart(String(epochs).length)}/${epochs}`,
        `loss ${ev.loss.toFixed(4)}`,
      ];
      if (logs.accuracy !== undefined) parts.push(`acc ${(100 * logs.accuracy).toFixed(2)}%`);
      if (logs.valLoss !== undefined) parts.push(`val_loss ${logs.valLoss.toFixed(4)}`);
      if (logs.valAccuracy !== undefined) parts.push(`val_acc ${(100 * logs.valAccuracy).toFixed(2)}%`);
      parts.push(seconds(now - epochStarted));
      epochStarted = now;
      process.stderr.write(`${parts.join('  ')}\n`);
    }
    for (const c of callbacks)
      if (c.onEpochEnd && (await c.onEpochEnd(ev.epoch, logs, model)) === false) stop = true;
    return reply(stop);
  };

  for (const c of callbacks) await c.onTrainBegin?.(model);
  model.checkIdle('fit');
  model.bindOptimizer(opt);
  model.stopTraining = false;
  const run = new Float64Array([
    epochs,
    batchSize,
    shuffle ? 1 : 0,
    model.epochsRun,
    onNonFinite === 'stop' ? 1 : 0,
    monitorEvery,
    saturation,
    wantBatches ? 1 : 0,
    bar.enabled ? 1 : 0,
  ]);
  model.setBusy('fit');
  // process.exit() while fit runs: stop the native loop so the exit is not held up by it
  const onExit = () => model.handle.cancel();
  process.once('exit', onExit);
  let result: Awaited<ReturnType<typeof model.handle.fit>>;
  try {
    result = await withCallSite(
      model.handle.fit(
        train.x,
        train.t,
        train.n,
        val?.x ?? null,
        val?.t ?? null,
        val?.n ?? 0,
        config,
        run,
        seed,
        lr,
        dispatch,
      ),
      site,
    );
  } finally {
    process.off('exit', onExit);
    model.setBusy(null);
    model.syncOptimizer();
    bar.clear();
  }
  model.epochsRun += result.epochs;
  history.steps = result.steps || stepsDone;
  history.stopped = result.stopped;
  if (result.nonFinite && onNonFinite === 'stop') {
    const nf = history.nonFinite;
    const where = nf
      ? `epoch ${nf.epoch}, batch ${nf.batch} (step ${nf.step})` +
        (nf.layer >= 0 ? `, first in layer ${nf.layer} (${nf.tensor})` : ', in the loss')
      : 'an unknown step';
    const err = new GradscopeError(
      `fit stopped: the loss became NaN or infinite at ${where}. The weights are those from before that step. ` +
        'Try a lower learning rate, gradient clipping (clipNorm / globalClipNorm), or diagnose(model, x, y).',
      'ERR_GRADSCOPE_NON_FINITE',
    );
    Object.assign(err, { history, nonFinite: nf });
    throw err;
  }
  for (const c of callbacks) await c.onTrainEnd?.(history, model);
  return history;
}
