/**
 * Sequential models of dense layers. The weights, gradients, optimiser state and
 * workspaces live in the native core; a training step (forward, loss, backward,
 * clipping, update) is one native call, and `fit` runs whole epochs off the JS
 * thread.
 *
 * ```ts
 * const model = sequential([
 *   dense(784, 256, { activation: 'relu', seed: 1 }),
 *   dense(256, 10, { activation: 'softmax', seed: 2 }),
 * ], { seed: 7 });
 * const history = await model.fit(x, labels, { epochs: 5, batchSize: 128,
 *   loss: 'sparseCategoricalCrossentropy', optimizer: optim.adam({ lr: 1e-3 }) });
 * ```
 */
import { looksSparse, type MatrixLike, matrix, type TargetsLike, targets } from './data.js';
import { GradscopeError } from './errors.js';
import { type FitOptions, type History, runFit } from './fit.js';
import { Dense } from './layers/dense.js';
import { concreteLoss, hasAccuracy, type Loss, type LossSpec, resolveLoss } from './losses.js';
import { type NativeModelHandle, native } from './native.js';
import { adam, type Optimizer } from './optim/optimizers.js';
import { entropySeed } from './random.js';
import { type ModelJSON, modelToJSON } from './serialize.js';
import type { Tensor } from './tensor.js';
import * as v from './validate.js';

/** Options of {@link sequential}. */
export interface SequentialOptions {
  /** Seed of the training runs' shuffling (default: drawn once from OS entropy). */
  seed?: number | bigint;
  /** A name shown by `summary()`. */
  name?: string;
}

/** Options of the single-pass methods. */
export interface StepOptions {
  /** Loss name or `{ name, fromLogits }` (default: the last one used with this model). */
  loss?: LossSpec;
  /** Optimiser (default: the last one used with this model, else Adam with Keras defaults). */
  optimizer?: Optimizer;
}

/** @internal something recording per-step statistics during fit (see diagnostics/monitor). */
export interface FitHook {
  every: number;
  saturation: number;
  record(step: number, epoch: number, loss: number, stats: Float64Array): void;
}

/** A stack of dense layers trained as one. */
export class Sequential {
  readonly layers: readonly Dense[];
  readonly name: string;
  readonly seed: bigint;
  /** Set to true (e.g. from a callback) to stop `fit` after the current batch. */
  stopTraining = false;
  /** Multiplies every learning rate of `fit` (reduceLROnPlateau lowers it). */
  learningRateFactor = 1;
  readonly #native: NativeModelHandle;
  #optimizer: Optimizer | null = null;
  #loss: Loss | null = null;
  #busy: string | null = null;
  #epochsRun = 0;
  readonly #hooks = new Set<FitHook>();

  constructor(layers: Dense[], options: SequentialOptions = {}) {
    if (!Array.isArray(layers) || layers.length === 0)
      throw v.typeError('a non-empty array of dense layers', 'layers', layers);
    layers.forEach((l, i) => {
      if (!(l instanceof Dense)) throw v.typeError('a Dense layer (from dense())', `layers[${i}]`, l);
      if (i > 0 && l.inUnits !== layers[i - 1].outUnits)
        throw v.rangeError(
          `inUnits ${layers[i - 1].outUnits} (the outUnits of layers[${i - 1}])`,
          `layers[${i}].inUnits`,
          l.inUnits,
        );
      if (l.activation.name === 'softmax' && i !== layers.length - 1)
        throw v.rangeError('softmax on the output layer only', `layers[${i}].activation`, 'softmax');
      if (l.model) throw v.rangeError('a layer that is not part of another model', `layers[${i}]`, l);
    });
    if (new Set(layers).size !== layers.length)
      throw new RangeError('Expected layers to be distinct objects');
    const o = v.options('sequential options', options, ['seed', 'name']);
    this.seed = o.seed === undefined ? entropySeed() & ((1n << 53n) - 1n) : v.seed64('options.seed', o.seed);
    this.name = o.name === undefined ? 'sequential' : String(o.name);
    const spec = new Float64Array(layers.length * 6);
    layers.forEach((l, i) => {
      spec.set(
        [l.inUnits, l.outUnits, l.activation.code, l.activation.alpha, l.activation.beta, l.useBias ? 1 : 0],
        i * 6,
      );
    });
    this.#native = new (native().NativeModel)(spec);
    const views = this.#native.weights();
    layers.forEach((l, i) => {
      l.attach(this, views[i][0], views[i][1]);
    });
    this.layers = Object.freeze([...layers]);
  }

  /** Width of the input. */
  get inputUnits(): number {
    return this.layers[0].inUnits;
  }

  /** Width of the output. */
  get outputUnits(): number {
    return this.layers[this.layers.length - 1].outUnits;
  }

  /** Total number of trainable parameters. */
  get paramCount(): number {
    return this.layers.reduce((s, l) => s + l.paramCount, 0);
  }

  /** A table of the layers: shapes, parameter counts, activations and initializers. */
  summary(): string {
    const rows = this.layers.map((l, i) => [
      `${i}`,
      `dense ${l.inUnits}→${l.outUnits}`,
      `[batch, ${l.outUnits}]`,
      `${l.paramCount}`,
      l.activation.name,
      l.kernelInitializer.className,
    ]);
    const head = ['#', 'layer', 'output shape', 'params', 'activation', 'kernel init'];
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
    const fmt = (r: string[]) =>
      r.map((x, c) => (c === 3 ? x.padStart(widths[c]) : x.padEnd(widths[c]))).join('  ');
    const rule = '─'.repeat(fmt(head).length);
    return [
      `Model "${this.name}"`,
      rule,
      fmt(head),
      rule,
      ...rows.map(fmt),
      rule,
      `Total params: ${this.paramCount.toLocaleString('en-US')}`,
    ].join('\n');
  }

  /** The weights, [kernel0, bias0, kernel1, …] (bias omitted when a layer has none): live views, not copies. */
  getWeights(): Float32Array[] {
    return this.layers.flatMap((l) => (l.bias ? [l.kernel, l.bias] : [l.kernel]));
  }

  /** Copies new values into the weights (same order and lengths as getWeights). Checks all before writing. */
  setWeights(weights: Float32Array[]): void {
    this.#checkIdle('setWeights');
    const current = this.getWeights();
    if (!Array.isArray(weights) || weights.length !== current.length)
      throw v.typeError(
        `an array of ${current.length} Float32Arrays (as getWeights returns)`,
        'weights',
        weights,
      );
    weights.forEach((w, i) => {
      v.float32Array(`weights[${i}]`, w, current[i].length);
    });
    weights.forEach((w, i) => {
      current[i].set(w);
    });
  }

  /** The model's output for x [rows, inputUnits] (computed `batchSize` rows at a time). */
  predict(x: MatrixLike, options: { batchSize?: number } = {}): Tensor {
    this.#checkIdle('predict');
    const o = v.options('predict options', options, ['batchSize']);
    const bs = v.integer('options.batchSize', o.batchSize ?? 256, 1, v.MAX_ELEMENTS);
    const m = matrix('x', x, this.inputUnits);
    const out = new Float32Array(m.rows * this.outputUnits);
    this.#native.predict(m.data, m.rows, out, bs);
    return { shape: [m.rows, this.outputUnits], data: out };
  }

  /** Mean loss (and accuracy, for the cross-entropies) over a dataset, without updating anything. */
  evaluate(
    x: MatrixLike,
    y: TargetsLike,
    options: { loss?: LossSpec; batchSize?: number } = {},
  ): { loss: number; accuracy?: number } {
    this.#checkIdle('evaluate');
    const o = v.options('evaluate options', options, ['loss', 'batchSize']);
    const bs = v.integer('options.batchSize', o.batchSize ?? 256, 1, v.MAX_ELEMENTS);
    const { m, t, loss } = this.#inputs(x, y, o.loss);
    const r = this.#native.evaluate(m.data, t, m.rows, this.stepConfig(loss, this.#optimizer ?? adam()), bs);
    return hasAccuracy(loss) ? { loss: r[0], accuracy: r[1] } : { loss: r[0] };
  }

  /**
   * One training step on one batch: forward, loss, backward, clipping and the
   * optimiser's update, in one native call. Returns the batch's loss (before the update).
   */
  trainStep(x: MatrixLike, y: TargetsLike, options: StepOptions = {}): { loss: number; accuracy?: number } {
    this.#checkIdle('trainStep');
    const o = v.options('trainStep options', options, ['loss', 'optimizer']);
    const { m, t, loss } = this.#inputs(x, y, o.loss);
    const opt = this.#resolveOptimizer(o.optimizer);
    const lr = opt.learningRateAt(opt.iterations);
    this.#bindOptimizer(opt);
    const r = this.#native.trainStep(m.data, t, m.rows, this.stepConfig(loss, opt), lr);
    this.#syncOptimizer();
    this.#loss = loss;
    const count = loss.name === 'binaryCrossentropy' ? m.rows * this.outputUnits : m.rows;
    return hasAccuracy(loss) ? { loss: r[0], accuracy: r[1] / count } : { loss: r[0] };
  }

  /**
   * The loss and its gradient w.r.t. every weight for one batch (no update):
   * `layers[i].kernel` / `.bias` are fresh Float32Arrays.
   */
  gradients(
    x: MatrixLike,
    y: TargetsLike,
    options: { loss?: LossSpec } = {},
  ): { loss: number; layers: { kernel: Float32Array; bias: Float32Array | null }[] } {
    this.#checkIdle('gradients');
    const o = v.options('gradients options', options, ['loss']);
    const { m, t, loss } = this.#inputs(x, y, o.loss);
    const value = this.#native.computeGradients(
      m.data,
      t,
      m.rows,
      this.stepConfig(loss, this.#optimizer ?? adam()),
      false,
    );
    const g = this.#native.gradients();
    return { loss: value, layers: g.map(([kernel, bias]) => ({ kernel, bias })) };
  }

  /**
   * Trains for `epochs` over (x, y) in shuffled mini-batches, off the JS thread.
   * Resolves with the history. See {@link FitOptions}.
   */
  fit(x: MatrixLike, y: TargetsLike, options: FitOptions): Promise<History> {
    return runFit(this, x, y, options);
  }

  /** The model saved as plain JSON (configs + weights, exact bits); `loadModel` reads it back. */
  toJSON(): ModelJSON {
    return modelToJSON(this);
  }

  /** Keras-like config (layers with their activations and initializers). */
  getConfig(): Record<string, unknown> {
    return {
      class_name: 'Sequential',
      config: { name: this.name, layers: this.layers.map((l) => l.getConfig()) },
    };
  }

  // ---- internal plumbing shared with fit, diagnose and monitor ----

  /** @internal */
  get handle(): NativeModelHandle {
    return this.#native;
  }

  /** @internal */
  get hooks(): Set<FitHook> {
    return this.#hooks;
  }

  /** @internal epochs run so far by fit (the next run's first shuffle stream) */
  get epochsRun(): number {
    return this.#epochsRun;
  }

  /** @internal */
  set epochsRun(n: number) {
    this.#epochsRun = n;
  }

  /** @internal throws a clear error while fit or diagnose runs */
  checkIdle(what: string): void {
    this.#checkIdle(what);
  }

  /** @internal marks the model busy (null: idle again) */
  setBusy(what: string | null): void {
    this.#busy = what;
  }

  /** @internal validated inputs, targets and loss for this model */
  inputs(x: unknown, y: unknown, lossSpec: unknown) {
    return this.#inputs(x, y, lossSpec);
  }

  /** @internal the optimiser to use: the given one, else the last one, else Adam */
  resolveOptimizer(o: unknown): Optimizer {
    return this.#resolveOptimizer(o);
  }

  /** @internal makes the native optimiser state belong to `opt` */
  bindOptimizer(opt: Optimizer): void {
    this.#bindOptimizer(opt);
  }

  /** @internal copies the native step count back into the optimiser */
  syncOptimizer(): void {
    this.#syncOptimizer();
  }

  /** @internal the 15-number step configuration of the native model */
  stepConfig(
    loss: Loss,
    opt: Optimizer,
    clip?: { clipValue?: number; clipNorm?: number; globalClipNorm?: number },
  ): Float64Array {
    const c = new Float64Array(15);
    c[0] = loss.code;
    c[1] = loss.fromLogits ? 1 : 0;
    c.set(opt.nativeConfig(), 2);
    if (clip?.clipValue !== undefined) c[12] = clip.clipValue;
    if (clip?.clipNorm !== undefined) c[13] = clip.clipNorm;
    if (clip?.globalClipNorm !== undefined) c[14] = clip.globalClipNorm;
    return c;
  }

  #checkIdle(what: string): void {
    if (this.#busy !== null)
      throw new GradscopeError(
        `${what}: the model is busy (${this.#busy} is running); await it first`,
        'ERR_GRADSCOPE_BUSY',
      );
  }

  #inputs(x: unknown, y: unknown, lossSpec: unknown) {
    const m = matrix('x', x, this.inputUnits);
    let loss: Loss;
    if (lossSpec === undefined) {
      if (!this.#loss)
        throw v.typeError('a loss (none was used with this model yet)', 'options.loss', lossSpec);
      loss = this.#loss;
    } else {
      loss = resolveLoss('options.loss', lossSpec);
    }
    loss = concreteLoss(loss, looksSparse(y, this.outputUnits));
    checkLossFits(loss, this.layers[this.layers.length - 1]);
    const t = targets('y', y, loss, m.rows, this.outputUnits);
    this.#loss = loss;
    return { m, t, loss };
  }

  #resolveOptimizer(o: unknown): Optimizer {
    if (o === undefined) return this.#optimizer ?? adam();
    if (typeof o !== 'object' || o === null || typeof (o as Optimizer).nativeConfig !== 'function')
      throw v.typeError('an optimizer (optim.adam(), optim.sgd(), …)', 'options.optimizer', o);
    return o as Optimizer;
  }

  #bindOptimizer(opt: Optimizer): void {
    if (opt !== this.#optimizer) {
      this.#native.resetOptimizer(opt.iterations, opt.uProduct);
      this.#optimizer = opt;
    }
  }

  #syncOptimizer(): void {
    const s = this.#native.optimizerState();
    this.#optimizer?.advance(s[0], s[1]);
  }
}

/** Throws a RangeError when a loss cannot work with the model's output layer. */
function checkLossFits(loss: Loss, out: Dense): void {
  const act = out.activation.name;
  const need =
    loss.name === 'binaryCrossentropy'
      ? loss.fromLogits
        ? 'linear'
        : 'sigmoid'
      : loss.name === 'categoricalCrossentropy' || loss.name === 'sparseCategoricalCrossentropy'
        ? loss.fromLogits
          ? 'linear'
          : 'softmax'
        : null;
  if (loss.name.startsWith('mean') && loss.fromLogits)
    throw new RangeError(`Expected fromLogits only with a cross-entropy loss, not ${loss.name}`);
  if (need && act !== need)
    throw new RangeError(
      `Expected a ${need} output layer for ${loss.name}${loss.fromLogits ? ' with fromLogits' : ''} but the last layer is ${act}` +
        (need === 'linear'
          ? ''
          : ` (or use { name: '${loss.name}', fromLogits: true } with a linear output layer)`),
    );
}

/**
 * A sequential model of dense layers (each layer's `inUnits` must equal the
 * previous layer's `outUnits`). The layers' weights move into the model's
 * native memory; `layer.kernel` stays a live view of them.
 */
export function sequential(layers: Dense[], options?: SequentialOptions): Sequential {
  return new Sequential(layers, options);
}
