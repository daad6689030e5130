/**
 * Errors raised by gradscope.
 *
 * Argument problems found in JavaScript are plain `TypeError` / `RangeError`
 * (message: `Expected <what> for <name> but received <value>`). Failures in the
 * native core are `GradscopeError`s with a stable `code`.
 */

/** Codes carried by {@link GradscopeError}. */
export type GradscopeErrorCode =
  | 'ERR_GRADSCOPE_INVALID_ARGUMENT'
  | 'ERR_GRADSCOPE_OUT_OF_MEMORY'
  | 'ERR_GRADSCOPE_BUSY'
  | 'ERR_GRADSCOPE_INTERNAL'
  | 'ERR_GRADSCOPE_NATIVE_LOAD'
  /** a call in the wrong order, e.g. Dense.backward before any forward */
  | 'ERR_GRADSCOPE_INVALID_STATE'
  /** a training callback threw or rejected (the message says which and why) */
  | 'ERR_GRADSCOPE_CALLBACK'
  /** training met a NaN or ±Inf (see `error.nonFinite` for where) */
  | 'ERR_GRADSCOPE_NON_FINITE';

/** An error raised by the native core (or by loading it), with a machine-readable `code`. */
export class GradscopeError extends Error {
  /** Stable identifier of the failure, e.g. `ERR_GRADSCOPE_OUT_OF_MEMORY`. */
  code: GradscopeErrorCode;

  constructor(message: string, code: GradscopeErrorCode = 'ERR_GRADSCOPE_INTERNAL') {
    super(message);
    this.name = 'GradscopeError';
    this.code = code;
  }
}
