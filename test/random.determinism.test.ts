// Bit-identical sampling across ISAs, thread counts, splits of a fill into
// calls, and sync vs async, by hashing > 10^6 values of each distribution.
import { describe, expect, it } from 'vitest';
import { rng } from '../lib/index.js';
import { hash, ISAS, withIsa, withThreads } from './helpers.js';

const N = 1_000_003; // not a multiple of any vector width
const SEED = 0xfeedfacecafebeefn;

type Kind = 'uint32' | 'uniform' | 'normal' | 'truncatedNormal';
const KINDS: Kind[] = ['uint32', 'uniform', 'normal', 'truncatedNormal'];

function draw(kind: Kind, n: number, pos: bigint): Uint32Array | Float32Array {
  const r = rng(SEED, { stream: 11 }).seek(pos);
  if (kind === 'uint32') return r.uint32(n);
  if (kind === 'uniform') return r.uniform(n, { low: -3, high: 5 });
  if (kind === 'normal') return r.normal(n, { mean: 1, std: 2 });
  return r.truncatedNormal(n, { mean: -1, std: 0.5 });
}

describe.each(KINDS)('%s', (kind) => {
  const reference = withIsa('scalar', () => withThreads(1, () => hash(draw(kind, N, 3n))));

  it.each(ISAS)('is bit-identical on %s with 1, 2 and 4 threads', (isa) => {
    for (const threads of [1, 2, 4]) {
      expect(withIsa(isa, () => withThreads(threads, () => hash(draw(kind, N, 3n))))).toBe(reference);
    }
  });

  it('does not depend on how a fill is split into calls', () => {
    const r = rng(SEED, { stream: 11 }).seek(3n);
    const whole = kind === 'uint32' ? new Uint32Array(N) : new Float32Array(N);
    const cuts = [0, 1, 2, 7, 64, 65, 1000, 65_536 + 5, 300_001, N];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const part = whole.subarray(cuts[i], cuts[i + 1]);
      if (kind === 'uint32') r.uint32(part as Uint32Array);
      else if (kind === 'uniform') r.uniform(part as Float32Array, { low: -3, high: 5 });
      else if (kind === 'normal') r.normal(part as Float32Array, { mean: 1, std: 2 });
      else r.truncatedNormal(part as Float32Array, { mean: -1, std: 0.5 });
    }
    expect(r.position).toBe(3n + BigInt(N));
    expect(hash(whole)).toBe(reference);
  });
});

describe('async fills', () => {
  it('equal the sync fills and reserve positions in call order', async () => {
    const a = rng(SEED, { stream: 11 }).seek(3n);
    const [n1, n2] = await Promise.all([
      a.normalAsync(N, { mean: 1, std: 2 }),
      a.uniformAsync(1000, { low: -3, high: 5 }),
    ]);
    expect(hash(n1)).toBe(hash(draw('normal', N, 3n)));
    expect(hash(n2)).toBe(hash(draw('uniform', 1000, 3n + BigInt(N))));
    const t = await rng(SEED, { stream: 11 }).seek(3n).truncatedNormalAsync(N, { mean: -1, std: 0.5 });
    expect(hash(t)).toBe(hash(draw('truncatedNormal', N, 3n)));
    const g = rng(SEED, { stream: 11 }).seek(3n);
    const [w1, w2] = await Promise.all([g.uint32Async(N), g.uint32Async(new Uint32Array(777))]);
    expect(hash(w1)).toBe(hash(draw('uint32', N, 3n)));
    expect(hash(w2)).toBe(hash(draw('uint32', 777, 3n + BigInt(N))));
    expect(g.position).toBe(3n + BigInt(N) + 777n);
  });

  it('reject bad input with the same errors as the sync forms', async () => {
    await expect(rng(1).normalAsync(10, { std: -1 })).rejects.toThrow(RangeError);
    await expect(rng(1).uniformAsync(-1)).rejects.toThrow(/for n but received -1/);
    await expect(rng(1).uint32Async(1.5)).rejects.toThrow(/for n but received 1.5/);
    await expect(rng(1).uint32Async(new Float32Array(4) as never)).rejects.toThrow(TypeError);
  });
});

describe('streams and seeds', () => {
  it('different streams and seeds give different words; same ones give the same', () => {
    const a = rng(1).uint32(64);
    expect(hash(rng(1).uint32(64))).toBe(hash(a));
    expect(hash(rng(1, { stream: 1 }).uint32(64))).not.toBe(hash(a));
    expect(hash(rng(2).uint32(64))).not.toBe(hash(a));
    expect(hash(rng(1n << 40n).uint32(64))).not.toBe(hash(a));
  });

  it('clone and skip move along the same stream', () => {
    const r = rng(5);
    r.uint32(10);
    const c = r.clone();
    expect(c.position).toBe(10n);
    expect(Array.from(c.uint32(5))).toEqual(Array.from(r.uint32(5)));
    const s = rng(5).skip(15);
    expect(Array.from(s.uint32(3))).toEqual(Array.from(rng(5).uint32(18).subarray(15)));
  });
});
