/**
 * The dense (fully connected) layer: a = f(x·W + b).
 */
import { type Activation, type ActivationSpec, activationSpec, resolveActivation } from '../activations.js';
import { GradscopeError } from '../errors.js';
import { toInitializer } from '../init/config.js';
import type { Initializer } from '../init/initializer.js';
import { recommend } from '../init/recommend.js';
import { type DenseGradients, type DenseOutput, denseBackward, dense as denseOp } from '../ops.js';
import { entropySeed } from '../random.js';
import type { Tensor } from '../tensor.js';
import * as v from '../validate.js';

/** Options of {@link dense}. */
export interface DenseOptions {
  /** Activation name or `{ name, alpha?, beta? }` (default 'linear'). */
  activation?: ActivationSpec;
  /**
   * Kernel initializer: an initializer, its name ('heNormal', Keras' 'he_normal') or config.
   * Default: the one matched to the activation by `init.recommend` (Glorot for
   * linear/tanh/sigmoid/softmax, He for the ReLU family, LeCun for SELU).
   */
  kernelInitializer?: Initializer | string | object;
  /** Bias initializer (default zeros). */
  biasInitializer?: Initializer | string | object;
  /** Whether the layer has a bias (default true). */
  useBias?: boolean;
  /** Seed for initializers given by name (default: drawn once from OS entropy). */
  seed?: number | bigint;
}

/** A dense layer with its own weights (Float32Arrays you can read and write at any time). */
export class Dense {
  readonly inUnits: number;
  readonly outUnits: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer | null;
  #kernel: Float32Array;
  #bias: Float32Array | null;
  #owner: object | null = null;
  #last: { x: Tensor; out: DenseOutput } | null = null;

  constructor(inUnits: number, outUnits: number, options: DenseOptions = {}) {
    this.inUnits = v.integer('inUnits', inUnits, 1, v.MAX_ELEMENTS);
    this.outUnits = v.integer('outUnits', outUnits, 1, v.MAX_ELEMENTS);
    if (inUnits * outUnits > v.MAX_ELEMENTS)
      throw v.rangeError(`inUnits·outUnits ≤ ${v.MAX_ELEMENTS}`, 'inUnits, outUnits', [inUnits, outUnits]);
    const o = v.options('dense options', options, [
      'activation',
      'kernelInitializer',
      'biasInitializer',
      'useBias',
      'seed',
    ]);
    this.activation = resolveActivation('options.activation', o.activation ?? 'linear');
    this.useBias = v.boolean('options.useBias', o.useBias, true);
    const seed = o.seed === undefined ? entropySeed() & ((1n << 53n) - 1n) : v.seed64('options.seed', o.seed);
    this.kernelInitializer =
      o.kernelInitializer === undefined
        ? recommend(this.activation.name).create({ seed })
        : toInitializer('options.kernelInitializer', o.kernelInitializer, seed);
    this.biasInitializer = this.useBias
      ? toInitializer('options.biasInitializer', o.biasInitializer ?? 'zeros', seed + 1n)
      : null;
    this.#kernel = this.kernelInitializer.sample([this.inUnits, this.outUnits]).data;
    this.#bias = this.biasInitializer ? this.biasInitializer.sample([this.outUnits]).data : null;
  }

  /** W, [inUnits, outUnits] row-major. Inside a model: a view of the memory training updates. */
  get kernel(): Float32Array {
    return this.#kernel;
  }

  /** b, [outUnits] (null without bias). */
  get bias(): Float32Array | null {
    return this.#bias;
  }

  /** The model this layer belongs to (null when standalone). */
  get model(): object | null {
    return this.#owner;
  }

  /**
   * @internal Moves the weights into a model's memory: copies the current values
   * into the model's views and uses those from now on. A layer joins one model.
   */
  attach(owner: object, kernel: Float32Array, bias: Float32Array | null): void {
    if (this.#owner)
      throw new RangeError('Expected a layer that is not yet part of a model (each layer joins one model)');
    kernel.set(this.#kernel);
    if (bias && this.#bias) bias.set(this.#bias);
    this.#kernel = kernel;
    this.#bias = bias;
    this.#owner = owner;
  }

  /** Forward pass on x [batch, inUnits] → a [batch, outUnits]; keeps what backward needs. */
  forward(x: Tensor): Tensor {
    const out = denseOp(
      x,
      { shape: [this.inUnits, this.outUnits], data: this.kernel },
      this.bias,
      activationSpec(this.activation),
    );
    this.#last = { x, out };
    return out.a;
  }

  /** Pre-activation z of the last forward pass (null before any). */
  get lastPreActivation(): Tensor | null {
    return this.#last?.out.z ?? null;
  }

  /**
   * Backward pass of the last forward: from da = ∂L/∂a, the gradients of the kernel, the
   * bias and (unless `inputGradient: false`) the input.
   */
  backward(da: Tensor, options?: { inputGradient?: boolean }): DenseGradients {
    if (!this.#last)
      throw new GradscopeError('Dense.backward needs a forward pass first', 'ERR_GRADSCOPE_INVALID_STATE');
    const { x, out } = this.#last;
    return denseBackward(
      x,
      { shape: [this.inUnits, this.outUnits], data: this.kernel },
      out,
      da,
      activationSpec(this.activation),
      options,
    );
  }

  /** Number of trainable parameters. */
  get paramCount(): number {
    return this.kernel.length + (this.bias?.length ?? 0);
  }

  /** Keras-like layer config. */
  getConfig(): Record<string, unknown> {
    return {
      class_name: 'Dense',
      config: {
        units: this.outUnits,
        input_dim: this.inUnits,
        activation: activationSpec(this.activation),
        use_bias: this.useBias,
        kernel_initializer: this.kernelInitializer.getConfig(),
        bias_initializer: this.biasInitializer?.getConfig() ?? null,
      },
    };
  }
}

/**
 * A dense layer `a = f(x·W + b)` with W [inUnits, outUnits].
 * @example
 * ```ts
 * const l = dense(784, 256, { activation: 'relu' });            // heNormal kernel (recommended for relu)
 * const m = dense(256, 10, { activation: 'softmax', kernelInitializer: 'glorotUniform', seed: 1 });
 * ```
 */
export function dense(inUnits: number, outUnits: number, options?: DenseOptions): Dense {
  return new Dense(inUnits, outUnits, options);
}
