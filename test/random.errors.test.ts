// Bad input to the generator: clear TypeError/RangeError naming the argument,
// no crash, no state change (the position does not move on a failed call).
import { describe, expect, it } from 'vitest';
import { GradscopeError, philox4x32, rng } from '../lib/index.js';
import { native } from '../lib/native.js';

describe('rng()', () => {
  it.each([
    [-1, RangeError],
    [1.5, RangeError],
    [2 ** 53, RangeError],
    [Number.NaN, RangeError],
    [-1n, RangeError],
    [1n << 64n, RangeError],
    ['1', TypeError],
    [null, TypeError],
    [undefined, TypeError],
  ])('seed %s → %s', (seed, cls) => {
    expect(() => rng(seed as never)).toThrow(cls);
    expect(() => rng(seed as never)).toThrow(/for seed but received/);
  });
  it('accepts the full 64-bit seed range', () => {
    expect(rng((1n << 64n) - 1n).uint32(2).length).toBe(2);
    expect(rng(Number.MAX_SAFE_INTEGER).uint32(2).length).toBe(2);
  });
  it('rejects bad streams and unknown options', () => {
    expect(() => rng(1, { stream: -1 })).toThrow(/for options\.stream/);
    expect(() => rng(1, { steam: 1 } as never)).toThrow(/Unknown option 'steam'/);
    expect(() => rng(1, 5 as never)).toThrow(/an options object for rng options/);
  });
});

describe('fills', () => {
  it.each([
    [-1, RangeError],
    [1.5, RangeError],
    [2 ** 31, RangeError],
    ['10', TypeError],
    [Number.NaN, RangeError],
  ])('n = %s → %s naming n, position unchanged', (n, cls) => {
    const r = rng(1);
    expect(() => r.normal(n as never)).toThrow(cls);
    expect(() => r.uint32(n as never)).toThrow(/for n but received/);
    expect(r.position).toBe(0n);
  });

  it('bad distribution parameters → RangeError, output untouched, position unchanged', () => {
    const r = rng(1);
    const out = new Float32Array(8).fill(9);
    expect(() => r.normal(out, { std: -1 })).toThrow(/for normal options\.std/);
    expect(() => r.normal(out, { std: Number.NaN })).toThrow(RangeError);
    expect(() => r.normal(out, { mean: Number.POSITIVE_INFINITY })).toThrow(/for normal options\.mean/);
    expect(() => r.truncatedNormal(out, { mean: 1e39 })).toThrow(/float32 range/);
    expect(() => r.uniform(out, { low: 1, high: 1 })).toThrow(/low < uniform options\.high/);
    expect(() => r.uniform(out, { low: 2, high: -2 })).toThrow(RangeError);
    expect(() => r.uniform(out, { low: -3e38, high: 3e38 })).toThrow(/finite in float32/);
    expect(() => r.uniform(out, { min: 0 } as never)).toThrow(/Unknown option 'min'/);
    expect(Array.from(out).every((x) => x === 9)).toBe(true);
    expect(r.position).toBe(0n);
  });

  it('wrong output types → TypeError', () => {
    const r = rng(1);
    expect(() => r.normal(new Float64Array(4) as never)).toThrow(/or a Float32Array for n/);
    expect(() => r.uint32(new Int32Array(4) as never)).toThrow(/or a Uint32Array for n/);
    expect(() => r.normal([1, 2] as never)).toThrow(TypeError);
  });

  it('zero-length fills are fine and do not move the position', () => {
    const r = rng(1);
    expect(r.normal(0).length).toBe(0);
    expect(r.position).toBe(0n);
  });

  it('fills a subarray view at an offset without touching its neighbours', () => {
    const big = new Float32Array(100).fill(5);
    rng(3).normal(big.subarray(10, 20));
    expect(big[9]).toBe(5);
    expect(big[20]).toBe(5);
    expect(Array.from(big.subarray(10, 20))).toEqual(Array.from(rng(3).normal(10)));
  });
});

describe('philox4x32', () => {
  it('checks lengths and types', () => {
    expect(() => philox4x32(new Uint32Array(3), new Uint32Array(2))).toThrow(
      /Uint32Array of length 4 for counter/,
    );
    expect(() => philox4x32(new Uint32Array(4), new Uint32Array(3))).toThrow(/length 2 for key/);
    expect(() => philox4x32([0, 0, 0, 0] as never, new Uint32Array(2))).toThrow(TypeError);
  });
});

describe('the native layer re-checks what lib/ validates', () => {
  const b = native();
  it('throws GradscopeError (never crashes) on wrong types, lengths and values', () => {
    const cases: Array<() => unknown> = [
      () => b.randomFill(1, 0, 1, new Float64Array(4) as never, 1n, 0n, 0n),
      () => b.randomFill(1, 0, -1, new Float32Array(4), 1n, 0n, 0n),
      () => b.randomFill(0, 1, 1, new Float32Array(4), 1n, 0n, 0n),
      () => b.randomFill(7, 0, 1, new Float32Array(4), 1n, 0n, 0n),
      () => b.randomFill(1, Number.NaN, 1, new Float32Array(4), 1n, 0n, 0n),
      () => b.randomFill(1, 0, 1, new Float32Array(4), -1n, 0n, 0n),
      () => b.randomFill(1, 0, 1, new Float32Array(4), 1 as never, 0n, 0n),
      () => (b.randomFill as (...a: unknown[]) => void)(),
      () => b.randomFillU32(new Float32Array(4) as never, 1n, 0n, 0n),
      () => b.philox4x32(new Uint32Array(2), new Uint32Array(2)),
      () => b.randomTransform(1, 0, 1, new Uint32Array(4), new Float32Array(3)),
      () => b.setThreads(0),
      () => b.setIsa('mmx'),
    ];
    for (const c of cases) {
      let err: unknown;
      try {
        c();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GradscopeError);
      expect((err as GradscopeError).code).toBe('ERR_GRADSCOPE_INVALID_ARGUMENT');
    }
  });
  it('rejects a detached buffer', () => {
    const buf = new ArrayBuffer(16);
    const view = new Float32Array(buf);
    structuredClone(buf, { transfer: [buf] });
    expect(() => b.randomFill(1, 0, 1, view, 1n, 0n, 0n)).toThrow(GradscopeError);
  });
  it('the async binding checks its arguments before queuing any work', () => {
    const out = new Float32Array(4).fill(3);
    expect(() => b.randomFillAsync(1, 0, -1, out, 1n, 0n, 0n, true)).toThrow(GradscopeError);
    expect(Array.from(out)).toEqual([3, 3, 3, 3]);
  });
});
