// Async work and multiple Node environments: buffers are pinned while work runs,
// the JS thread stays free, and the addon works in several worker_threads at once.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rng } from '../lib/index.js';
import { packageRoot } from '../lib/internal.js';
import { hash } from './helpers.js';

const run = (code: string, args: string[] = []) =>
  execFileSync(process.execPath, [...args, '--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: packageRoot,
    encoding: 'utf8',
  });

describe('async fills', () => {
  it('keep the output alive through garbage collection and keep the event loop free', () => {
    const out = run(
      `
      import { rng } from './lib/index.ts';
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const pending = [];
      for (let i = 0; i < 8; i++) pending.push(rng(i).normalAsync(1 << 22));   // no reference kept but the promise
      for (let i = 0; i < 20; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 1)); }
      const arrays = await Promise.all(pending);
      clearInterval(timer);
      const ok = arrays.every((a, i) => a.length === 1 << 22 && a[123] === rng(i).normal(124)[123]);
      console.log(JSON.stringify({ ok, ticks }));
    `,
      ['--expose-gc'],
    );
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.ok).toBe(true);
    expect(r.ticks).toBeGreaterThan(0);
  });

  it('give the same values as the sync fills when many run at once', async () => {
    const jobs = Array.from({ length: 6 }, (_, i) =>
      rng(100 + i).truncatedNormalAsync(200_003, { std: 0.5 }),
    );
    const res = await Promise.all(jobs);
    res.forEach((a, i) => {
      expect(hash(a)).toBe(hash(rng(100 + i).truncatedNormal(200_003, { std: 0.5 })));
    });
  });
});

const built = existsSync(path.join(packageRoot, 'dist', 'index.cjs'));

describe("async fills into a caller's buffer", () => {
  it('write the same values, and reject cleanly when the buffer is transferred away meanwhile', async () => {
    const out = new Float32Array(1 << 20);
    await rng(9).normalAsync(out);
    expect(hash(out)).toBe(hash(rng(9).normal(1 << 20)));
    const buf = new ArrayBuffer(4 << 20);
    const view = new Float32Array(buf);
    const pending = rng(9).normalAsync(view);
    const moved = structuredClone(buf, { transfer: [buf] }); // detaches `view` while the fill runs
    await expect(pending).rejects.toThrow(/detached or resized while the fill ran/);
    expect(new Float32Array(moved).every((v) => v === 0)).toBe(true);
  });
});

describe('worker_threads', () => {
  it.skipIf(!built)('the addon loads and gives identical results in several workers at once', () => {
    const out = run(`
      import { Worker } from 'node:worker_threads';
      const code = \`
        const { parentPort } = require('node:worker_threads');
        Promise.resolve(require(process.cwd() + '/dist/index.cjs')).then(async (g) => {
          const a = g.rng(42).normal(100000);
          const m = g.ops.matmul({ shape: [64, 64], data: a.subarray(0, 4096) }, { shape: [64, 64], data: a.subarray(4096, 8192) });
          const b = await g.rng(43).uniformAsync(100000);
          let h = 0; for (const v of [...a.subarray(0, 1000), ...m.data, ...b.subarray(0, 1000)]) h = (h * 31 + Math.round(v * 1e6)) | 0;
          parentPort.postMessage(h);
        });
      \`;
      const results = await Promise.all(Array.from({ length: 4 }, () => new Promise((resolve, reject) => {
        const w = new Worker(code, { eval: true, execArgv: [] });
        w.once('message', resolve); w.once('error', reject);
      })));
      console.log(JSON.stringify(results));
      process.exit(0);
    `);
    const hashes = JSON.parse(out.trim().split('\n').pop()!);
    expect(hashes).toHaveLength(4);
    expect(new Set(hashes).size).toBe(1);
  });
});
