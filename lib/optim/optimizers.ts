/**
 * Optimisers with Keras 3 semantics and defaults; each update is one fused native
 * pass per parameter tensor (see native/core/nn/optim.h for the exact formulas).
 *
 * ```ts
 * const opt = optim.adam({ lr: 1e-3 });
 * opt.step([layer.kernel, layer.bias], [g.dw.data, g.db]);   // updates the weights in place
 * ```
 */
import { native } from '../native.js';
import * as v from '../validate.js';
import { clipByGlobalNorm, clipByNorm, clipByValue } from './clip.js';
import type { Schedule } from './schedules.js';

/** Options every optimiser takes. */
export interface CommonOptions {
  /** Learning rate or schedule. */
  lr?: number | Schedule;
  /** Decoupled weight decay: w ← w − w·weightDecay·lr before the update (AdamW's default 0.004). */
  weightDecay?: number;
  /** Coupled L2 penalty λ (Keras' l2 regulariser): adds 2λw to the gradient. */
  l2?: number;
  /** Clip each gradient element into [−clipValue, clipValue]. */
  clipValue?: number;
  /** Rescale each gradient tensor to L2 norm ≤ clipNorm (per tensor). */
  clipNorm?: number;
  /** Rescale all gradients together to global L2 norm ≤ globalClipNorm. */
  globalClipNorm?: number;
}

const KIND = { sgd: 0, adagrad: 1, rmsprop: 2, adam: 3, nadam: 4 } as const;
type Kind = keyof typeof KIND;

interface State {
  s1: Float32Array | null;
  s2: Float32Array | null;
}

/**
 * An optimiser. `step(params, grads)` applies one update to each parameter
 * tensor in place (gradients are clipped in place when clipping is set); state
 * (momenta, accumulators) is kept per parameter array. Every argument is checked
 * before anything is written, so a failed call changes nothing.
 */
export class Optimizer {
  /** Keras class name. */
  readonly className: string;
  /** Number of updates applied so far. */
  iterations = 0;
  readonly #kind: Kind;
  readonly #lr: number | Schedule;
  readonly #h: Record<string, number>;
  readonly #state = new WeakMap<Float32Array, State>();
  #uProduct = 1; // Nadam's running product of momentum coefficients

  /** @internal use the factory functions */
  constructor(kind: Kind, className: string, lr: number | Schedule, h: Record<string, number>) {
    this.#kind = kind;
    this.className = className;
    this.#lr = lr;
    this.#h = h;
  }

  /** The learning rate the next step will use. */
  get learningRate(): number {
    return typeof this.#lr === 'number' ? this.#lr : this.#lr.at(this.iterations);
  }

  /** Applies one update. `params[i]` and `grads[i]` must have equal lengths. */
  step(params: Float32Array[], grads: Float32Array[]): void {
    if (!Array.isArray(params)) throw v.typeError('an array of Float32Arrays', 'params', params);
    if (!Array.isArray(grads) || grads.length !== params.length) {
      throw new RangeError(`Expected grads to be an array of ${params.length} Float32Arrays (one per param)`);
    }
    params.forEach((p, i) => {
      v.float32Array(`params[${i}]`, p);
      v.float32Array(`grads[${i}]`, grads[i], p.length);
    });
    if (new Set(params).size !== params.length) throw new RangeError('Expected params to be distinct arrays');
    const lr = this.learningRate;
    if (!Number.isFinite(lr) || lr < 0)
      throw v.rangeError('a finite learning rate >= 0', 'learning rate', lr);
    const h = this.#h;
    if (h.clipValue !== undefined) clipByValue(grads, h.clipValue);
    if (h.clipNorm !== undefined) clipByNorm(grads, h.clipNorm);
    if (h.globalClipNorm !== undefined) clipByGlobalNorm(grads, h.globalClipNorm);

    const t = this.iterations + 1;
    const hyper = new Float64Array(15);
    hyper[0] = lr;
    hyper[1] = h.momentum ?? 0;
    hyper[2] = h.nesterov ?? 0;
    hyper[3] = h.rho ?? 0;
    hyper[4] = h.beta1 ?? 0;
    hyper[5] = h.beta2 ?? 0;
    hyper[6] = h.epsilon ?? 0;
    hyper[7] = h.weightDecay ?? 0;
    hyper[8] = h.l2 ?? 0;
    let uProduct = this.#uProduct;
    if (this.#kind === 'adam') {
      hyper[9] = (lr * Math.sqrt(1 - h.beta2 ** t)) / (1 - h.beta1 ** t);
    } else if (this.#kind === 'nadam') {
      const u = (s: number) => h.beta1 * (1 - 0.5 * 0.96 ** s);
      uProduct *= u(t);
      hyper[10] = 1 - h.beta2 ** t;
      hyper[11] = u(t);
      hyper[12] = u(t + 1);
      hyper[13] = 1 - uProduct;
      hyper[14] = 1 - uProduct * u(t + 1);
    }
    const b = native();
    params.forEach((p, i) => {
      const s = this.#stateFor(p);
      b.optimUpdate(KIND[this.#kind], hyper, p, grads[i], s.s1, s.s2);
    });
    this.#uProduct = uProduct;
    this.iterations = t;
  }

  #stateFor(p: Float32Array): State {
    let s = this.#state.get(p);
    if (!s) {
      const k = this.#kind;
      const h = this.#h;
      const s1 = k === 'sgd' && !h.momentum ? null : new Float32Array(p.length);
      if (k === 'adagrad' && s1) s1.fill(h.initialAccumulatorValue);
      const s2 =
        k === 'adam' || k === 'nadam' || (k === 'rmsprop' && h.momentum) ? new Float32Array(p.length) : null;
      s = { s1, s2 };
      this.#state.set(p, s);
    }
    return s;
  }

  /** @internal the learning rate of update number `iteration` (0-based) */
  learningRateAt(iteration: number): number {
    const lr = typeof this.#lr === 'number' ? this.#lr : this.#lr.at(iteration);
    if (!Number.isFinite(lr) || lr < 0)
      throw v.rangeError('a finite learning rate >= 0', 'learning rate', lr);
    return lr;
  }

  /**
   * @internal the configuration a native model step needs:
   * [optimiser, momentum, nesterov, rho, beta1, beta2, epsilon, weightDecay, l2, initialAccumulator,
   *  clipValue, clipNorm, globalClipNorm] (clipping 0 = off)
   */
  nativeConfig(): number[] {
    const h = this.#h;
    return [
      KIND[this.#kind],
      h.momentum ?? 0,
      h.nesterov ?? 0,
      h.rho ?? 0.9,
      h.beta1 ?? 0.9,
      h.beta2 ?? 0.999,
      h.epsilon ?? 1e-7,
      h.weightDecay ?? 0,
      h.l2 ?? 0,
      h.initialAccumulatorValue ?? 0.1,
      h.clipValue ?? 0,
      h.clipNorm ?? 0,
      h.globalClipNorm ?? 0,
    ];
  }

  /** @internal Nadam's running product, for a native model that continues this optimiser's count */
  get uProduct(): number {
    return this.#uProduct;
  }

  /** @internal a native model applied updates for this optimiser */
  advance(iterations: number, uProduct: number): void {
    this.iterations = iterations;
    this.#uProduct = uProduct;
  }

  /** Keras-style config. */
  getConfig(): { class_name: string; config: Record<string, unknown> } {
    const lr = typeof this.#lr === 'number' ? this.#lr : this.#lr.getConfig();
    return { class_name: this.className, config: { learning_rate: lr, ...this.#h } };
  }
}

function common(name: string, o: unknown, extra: string[], defaults: { lr: number; weightDecay?: number }) {
  const opts = v.options(`${name} options`, o, [
    'lr',
    'weightDecay',
    'l2',
    'clipValue',
    'clipNorm',
    'globalClipNorm',
    ...extra,
  ]);
  const lrIn = opts.lr ?? defaults.lr;
  const lr =
    typeof lrIn === 'object' && lrIn !== null && typeof (lrIn as Schedule).at === 'function'
      ? (lrIn as Schedule)
      : v.numberIn('options.lr', lrIn, 0, Number.MAX_VALUE);
  const h: Record<string, number> = {};
  const wd = opts.weightDecay ?? defaults.weightDecay;
  if (wd !== undefined) h.weightDecay = v.numberIn('options.weightDecay', wd, 0, Number.MAX_VALUE);
  if (opts.l2 !== undefined) h.l2 = v.numberIn('options.l2', opts.l2, 0, Number.MAX_VALUE);
  if (opts.clipValue !== undefined)
    h.clipValue = v.numberIn('options.clipValue', opts.clipValue, 0, Number.MAX_VALUE);
  if (opts.clipNorm !== undefined)
    h.clipNorm = v.numberIn('options.clipNorm', opts.clipNorm, 0, Number.MAX_VALUE, { minOpen: true });
  if (opts.globalClipNorm !== undefined) {
    h.globalClipNorm = v.numberIn('options.globalClipNorm', opts.globalClipNorm, 0, Number.MAX_VALUE, {
      minOpen: true,
    });
  }
  return { opts, lr, h };
}

const unit = (name: string, x: unknown) => v.numberIn(name, x, 0, 1, { maxOpen: true });
const eps = (x: unknown) => v.numberIn('options.epsilon', x ?? 1e-7, 0, 1);

/** SGD (Keras defaults lr 0.01, momentum 0, nesterov false). */
export function sgd(o: CommonOptions & { momentum?: number; nesterov?: boolean } = {}): Optimizer {
  const { opts, lr, h } = common('sgd', o, ['momentum', 'nesterov'], { lr: 0.01 });
  h.momentum = unit('options.momentum', opts.momentum ?? 0);
  h.nesterov = v.boolean('options.nesterov', opts.nesterov) ? 1 : 0;
  return new Optimizer('sgd', 'SGD', lr, h);
}

/** Adagrad (Keras defaults lr 0.001, initialAccumulatorValue 0.1, epsilon 1e-7). */
export function adagrad(
  o: CommonOptions & { initialAccumulatorValue?: number; epsilon?: number } = {},
): Optimizer {
  const { opts, lr, h } = common('adagrad', o, ['initialAccumulatorValue', 'epsilon'], { lr: 0.001 });
  h.initialAccumulatorValue = v.numberIn(
    'options.initialAccumulatorValue',
    opts.initialAccumulatorValue ?? 0.1,
    0,
    Number.MAX_VALUE,
  );
  h.epsilon = eps(opts.epsilon);
  return new Optimizer('adagrad', 'Adagrad', lr, h);
}

/** RMSprop (Keras defaults lr 0.001, rho 0.9, momentum 0, epsilon 1e-7; not centered). */
export function rmsprop(
  o: CommonOptions & { rho?: number; momentum?: number; epsilon?: number } = {},
): Optimizer {
  const { opts, lr, h } = common('rmsprop', o, ['rho', 'momentum', 'epsilon'], { lr: 0.001 });
  h.rho = unit('options.rho', opts.rho ?? 0.9);
  h.momentum = unit('options.momentum', opts.momentum ?? 0);
  h.epsilon = eps(opts.epsilon);
  return new Optimizer('rmsprop', 'RMSprop', lr, h);
}

type AdamOptions = CommonOptions & { beta1?: number; beta2?: number; epsilon?: number };

function adamLike(kind: 'adam' | 'nadam', className: string, o: AdamOptions, wd?: number): Optimizer {
  const { opts, lr, h } = common(className.toLowerCase(), o, ['beta1', 'beta2', 'epsilon'], {
    lr: 0.001,
    weightDecay: wd,
  });
  h.beta1 = unit('options.beta1', opts.beta1 ?? 0.9);
  h.beta2 = unit('options.beta2', opts.beta2 ?? 0.999);
  h.epsilon = eps(opts.epsilon);
  return new Optimizer(kind, className, lr, h);
}

/** Adam (Kingma & Ba; Keras defaults lr 0.001, β1 0.9, β2 0.999, ε 1e-7). */
export const adam = (o: AdamOptions = {}): Optimizer => adamLike('adam', 'Adam', o);
/** AdamW: Adam with decoupled weight decay (Loshchilov & Hutter; Keras default weightDecay 0.004). */
export const adamw = (o: AdamOptions = {}): Optimizer => adamLike('adam', 'AdamW', o, 0.004);
/** Nadam: Adam with Nesterov momentum (Dozat; Keras' momentum schedule 0.96^t). */
export const nadam = (o: AdamOptions = {}): Optimizer => adamLike('nadam', 'Nadam', o);
