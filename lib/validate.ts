/**
 * Argument validation, in one place so every message has one shape:
 * `Expected <what> for <name> but received <value>`.
 * @internal
 */

/** Short, safe rendering of any received value for an error message. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return 'a function';
    case 'boolean':
      return String(value);
  }
  if (Array.isArray(value))
    return value.length > 8 ? `an array of length ${value.length}` : `[${value.map(describe).join(', ')}]`;
  if (ArrayBuffer.isView(value)) {
    const ctor = (value as object).constructor?.name ?? 'TypedArray';
    return `a ${ctor} of length ${(value as unknown as { length?: number }).length ?? value.byteLength}`;
  }
  const ctor = (value as object).constructor?.name;
  return ctor && ctor !== 'Object' ? `a ${ctor}` : 'an object';
}

function msg(what: string, name: string, value: unknown): string {
  return `Expected ${what} for ${name} but received ${describe(value)}`;
}

export function typeError(what: string, name: string, value: unknown): TypeError {
  return new TypeError(msg(what, name, value));
}

export function rangeError(what: string, name: string, value: unknown): RangeError {
  return new RangeError(msg(what, name, value));
}

/** A finite number (TypeError for non-numbers, RangeError for NaN/±Infinity). */
export function finiteNumber(name: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError('a finite number', name, value);
  if (!Number.isFinite(value)) throw rangeError('a finite number', name, value);
  return value;
}

/** An integer in [min, max]. */
export function integer(name: string, value: unknown, min: number, max: number): number {
  const what = `an integer in [${min}, ${max}]`;
  if (typeof value !== 'number') throw typeError(what, name, value);
  if (!Number.isInteger(value) || value < min || value > max) throw rangeError(what, name, value);
  return value;
}

/** A number in a range; `open` excludes the bound on that side. */
export function numberIn(
  name: string,
  value: unknown,
  min: number,
  max: number,
  { minOpen = false, maxOpen = false } = {},
): number {
  const lo = minOpen ? '(' : '[';
  const hi = maxOpen ? ')' : ']';
  const what = `a number in ${lo}${min}, ${max}${hi}`;
  if (typeof value !== 'number') throw typeError(what, name, value);
  const ok =
    Number.isFinite(value) ||
    (value === Number.POSITIVE_INFINITY && max === Number.POSITIVE_INFINITY && !maxOpen);
  if (!ok || (minOpen ? value <= min : value < min) || (maxOpen ? value >= max : value > max)) {
    throw rangeError(what, name, value);
  }
  return value;
}

/** A boolean, or `fallback` when undefined. */
export function boolean(name: string, value: unknown, fallback = false): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw typeError('a boolean', name, value);
  return value;
}

export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  const what = `one of ${allowed.map((a) => `'${a}'`).join(', ')}`;
  if (typeof value !== 'string') throw typeError(what, name, value);
  if (!(allowed as readonly string[]).includes(value)) throw rangeError(what, name, value);
  return value as T;
}

/** A plain options object (or undefined → {}), whose keys are all known. */
export function options<K extends string>(
  name: string,
  value: unknown,
  known: readonly K[],
): Partial<Record<K, unknown>> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw typeError('an options object', name, value);
  }
  for (const key of Object.keys(value)) {
    if (!(known as readonly string[]).includes(key)) {
      throw new RangeError(
        `Unknown option '${key}' in ${name}; known options: ${known.length ? known.join(', ') : '(none)'}`,
      );
    }
  }
  return value as Partial<Record<K, unknown>>;
}

/** Largest number of elements in one tensor (2^31 - 1: addressable by a Float32Array on every platform). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** A shape: non-empty array of positive integers whose product is at most MAX_ELEMENTS. */
export function shape(name: string, value: unknown, { minRank = 1, maxRank = 8 } = {}): number[] {
  const what = `an array of ${minRank === maxRank ? minRank : `${minRank}..${maxRank}`} positive integers`;
  if (!Array.isArray(value)) throw typeError(what, name, value);
  if (value.length < minRank || value.length > maxRank) throw rangeError(what, name, value);
  let size = 1;
  for (const d of value) {
    if (typeof d !== 'number') throw typeError(what, name, value);
    if (!Number.isInteger(d) || d < 1) throw rangeError(what, name, value);
    size *= d;
  }
  if (size > MAX_ELEMENTS) {
    throw rangeError(`a shape with at most ${MAX_ELEMENTS} elements (got ${size})`, name, value);
  }
  return value.slice();
}

export function sizeOf(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** A non-negative safe integer count of elements. */
export function count(name: string, value: unknown): number {
  return integer(name, value, 0, MAX_ELEMENTS);
}

/**
 * Rejects a strided view (a `stride` other than the row length) where an op
 * reads rows as contiguous: it would read the wrong elements.
 */
export function rejectStrided(name: string, t: object, cols: number): void {
  const stride = (t as { stride?: unknown }).stride;
  if (stride !== undefined && stride !== cols) {
    throw rangeError(
      `a contiguous tensor (stride ${cols} or none; only ops.matmul reads strided views, ops.contiguous copies one)`,
      `${name}.stride`,
      stride,
    );
  }
}

/** A Float32Array, not detached, optionally of an exact length. */
export function float32Array(name: string, value: unknown, length?: number): Float32Array {
  if (!(value instanceof Float32Array)) throw typeError('a Float32Array', name, value);
  if (length !== undefined && value.length !== length) {
    throw rangeError(`a Float32Array of length ${length}`, name, value);
  }
  return value;
}

export function uint32Array(name: string, value: unknown, length?: number): Uint32Array {
  if (!(value instanceof Uint32Array)) throw typeError('a Uint32Array', name, value);
  if (length !== undefined && value.length !== length) {
    throw rangeError(`a Uint32Array of length ${length}`, name, value);
  }
  return value;
}

const U64_MAX = (1n << 64n) - 1n;

/** A seed: a non-negative safe integer or a bigint in [0, 2^64 - 1]. */
export function seed64(name: string, value: unknown): bigint {
  const what = 'a non-negative safe integer or a bigint in [0, 2^64 - 1]';
  if (typeof value === 'bigint') {
    if (value < 0n || value > U64_MAX) throw rangeError(what, name, value);
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw rangeError(what, name, value);
    return BigInt(value);
  }
  throw typeError(what, name, value);
}
