// Philox4x32-10 against Random123's known-answer vectors, on every ISA this
// machine runs, both through the raw block function and through stream fills.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { philox4x32, rng } from '../lib/index.js';
import { packageRoot } from '../lib/internal.js';
import { ALL_ISAS, ISAS, withIsa } from './helpers.js';

interface Kat {
  counter: string[];
  key: string[];
  output: string[];
}
// A copy of Random123's kat_vectors lines for philox4x32_10 (see the file's `source`).
const kat: { vectors: Kat[] } = JSON.parse(
  readFileSync(path.join(packageRoot, 'test', 'fixtures', 'philox4x32_10_kat.json'), 'utf8'),
);
const words = (a: string[]) => Uint32Array.from(a.map((h) => Number.parseInt(h, 16)));

describe.each(ALL_ISAS)('Philox4x32-10 KAT on %s', (isa) => {
  const here = ISAS.includes(isa as never);
  it.skipIf(!here)(`reproduces all ${kat.vectors.length} vectors through the block function`, () => {
    withIsa(isa, () => {
      for (const v of kat.vectors)
        expect(Array.from(philox4x32(words(v.counter), words(v.key)))).toEqual(Array.from(words(v.output)));
    });
  });

  it.skipIf(!here)('stream fills equal the block function under the pinned layout', () => {
    withIsa(isa, () => {
      // Word positions are 64-bit, so stream fills reach blocks below 2^62 only.
      const reachable = kat.vectors.filter((v) => Number.parseInt(v.counter[1], 16) < 0x40000000);
      expect(reachable.length).toBeGreaterThan(3);
      for (const v of reachable) {
        const [c0, c1, c2, c3] = Array.from(words(v.counter)).map(BigInt);
        const [k0, k1] = Array.from(words(v.key)).map(BigInt);
        const seed = k0 | (k1 << 32n);
        const stream = c2 | (c3 << 32n);
        const block = c0 | (c1 << 32n);
        // words 4·block .. 4·block+3 of (seed, stream), read through an unaligned window too
        const g = rng(seed, { stream }).seek((block * 4n - 3n) & ((1n << 64n) - 1n));
        const got = g.uint32(11);
        expect(Array.from(got.subarray(3, 7))).toEqual(Array.from(words(v.output)));
      }
    });
  });
});

describe('pinned layout', () => {
  it('rng(seed).uint32(4) equals philox4x32([0,0,0,0], [seed_lo, seed_hi])', () => {
    const seed = 0x0123456789abcdefn;
    const a = rng(seed).uint32(4);
    const b = philox4x32(new Uint32Array(4), Uint32Array.of(Number(seed & 0xffffffffn), Number(seed >> 32n)));
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('word i is word i % 4 of block i / 4, streams go in c2/c3', () => {
    const r = rng(7, { stream: 5n | (9n << 32n) });
    const w = r.uint32(4 * 6);
    for (let blk = 0; blk < 6; blk++) {
      const expected = philox4x32(Uint32Array.of(blk, 0, 5, 9), Uint32Array.of(7, 0));
      expect(Array.from(w.subarray(4 * blk, 4 * blk + 4))).toEqual(Array.from(expected));
    }
    expect(r.position).toBe(24n);
  });

  it('the block counter carries into its high word', () => {
    const r = rng(1).seek(4n * 0xffffffffn);
    const w = r.uint32(8);
    expect(Array.from(w.subarray(0, 4))).toEqual(
      Array.from(philox4x32(Uint32Array.of(0xffffffff, 0, 0, 0), Uint32Array.of(1, 0))),
    );
    expect(Array.from(w.subarray(4, 8))).toEqual(
      Array.from(philox4x32(Uint32Array.of(0, 1, 0, 0), Uint32Array.of(1, 0))),
    );
  });

  it('the position wraps at 2^64', () => {
    const r = rng(3).seek((1n << 64n) - 2n);
    const w = r.uint32(4);
    expect(r.position).toBe(2n);
    // word 2^64 - 2 is in block 2^62 - 1
    const head = philox4x32(Uint32Array.of(0xffffffff, 0x3fffffff, 0, 0), Uint32Array.of(3, 0));
    const tail = philox4x32(new Uint32Array(4), Uint32Array.of(3, 0));
    expect(Array.from(w)).toEqual([head[2], head[3], tail[0], tail[1]]);
  });
});
