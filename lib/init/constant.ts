import * as v from '../validate.js';
import { Initializer } from './initializer.js';

/** Fills with one value. Keras `Constant`. */
export class Constant extends Initializer {
  readonly className: string = 'Constant';
  /** The value written (stored as float32). */
  readonly value: number;

  constructor(options: { value?: number } = {}) {
    super();
    const o = v.options('constant options', options, ['value']);
    this.value = v.finiteNumber('options.value', o.value ?? 0);
  }

  protected draw(data: Float32Array): void {
    data.fill(this.value);
  }

  protected configBody(): Record<string, unknown> {
    return { value: this.value };
  }
}

/** Fills with 0. Keras `Zeros`. */
export class Zeros extends Constant {
  override readonly className = 'Zeros';
  constructor() {
    super({ value: 0 });
  }
  protected override configBody(): Record<string, unknown> {
    return {};
  }
}

/** Fills with 1. Keras `Ones`. */
export class Ones extends Constant {
  override readonly className = 'Ones';
  constructor() {
    super({ value: 1 });
  }
  protected override configBody(): Record<string, unknown> {
    return {};
  }
}

/** All zeros (biases). */
export const zeros = (): Zeros => new Zeros();
/** All ones. */
export const ones = (): Ones => new Ones();
/** All `value`. @example `constant({ value: 0.1 })` */
export const constant = (options?: { value?: number }): Constant => new Constant(options);
