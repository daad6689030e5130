import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cpu,
  GradscopeError,
  getThreads,
  MAX_THREADS,
  measureFmaPeak,
  setThreads,
  version,
} from '../lib/index.js';
import { loadNative, packageRoot } from '../lib/internal.js';
import { ISAS, withIsa } from './helpers.js';

describe('cpu()', () => {
  it('reports the ISA in use, the available ones, threads and version', () => {
    const c = cpu();
    expect(c.available[0]).toBe('scalar');
    expect(c.available).toContain(c.isa);
    expect(c.threads).toBeGreaterThanOrEqual(1);
    expect(c.version).toBe(JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')).version);
    expect(version).toBe(c.version);
  });

  it('uses the best ISA unless GRADSCOPE_ISA says otherwise', () => {
    const c = cpu();
    const requested = process.env.GRADSCOPE_ISA;
    if (requested && c.available.includes(requested as never)) expect(c.isa).toBe(requested);
    else expect(c.isa).toBe(c.available[c.available.length - 1]);
    if (
      c.features.avx512f &&
      c.features.avx512bw &&
      c.features.avx512dq &&
      c.features.avx512vl &&
      c.features.osZmm
    ) {
      expect(c.available).toContain('avx512');
    }
    if (c.features.avx2 && c.features.fma && c.features.osYmm) expect(c.available).toContain('avx2');
  });
});

describe('GRADSCOPE_ISA / GRADSCOPE_THREADS in a fresh process', () => {
  const run = (env: Record<string, string>, code: string) =>
    execFileSync(process.execPath, ['--import', 'tsx', '-e', code], {
      cwd: packageRoot,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('GRADSCOPE_ISA=scalar selects the scalar kernels', () => {
    const out = run(
      { GRADSCOPE_ISA: 'scalar' },
      "import('./lib/index.ts').then(g => console.log(g.cpu().isa))",
    );
    expect(out.trim()).toBe('scalar');
  });

  it('an unknown or unsupported GRADSCOPE_ISA falls back with a warning, not a crash', () => {
    const out = run(
      { GRADSCOPE_ISA: 'sse9' },
      "process.on('warning', w => console.log('W:' + w.message)); import('./lib/index.ts').then(g => console.log('ISA:' + g.cpu().isa))",
    );
    expect(out).toMatch(/W:GRADSCOPE_ISA=sse9 is not one of/);
    expect(out).toMatch(/ISA:(avx2|avx512|neon|scalar)/);
  });

  it('GRADSCOPE_THREADS sets the pool size; a bad value warns and falls back', () => {
    expect(
      run(
        { GRADSCOPE_THREADS: '3' },
        "import('./lib/index.ts').then(g => console.log(g.getThreads()))",
      ).trim(),
    ).toBe('3');
    const out = run(
      { GRADSCOPE_THREADS: 'lots' },
      "process.on('warning', w => console.log('W:' + w.message)); import('./lib/index.ts').then(g => console.log('T:' + g.getThreads()))",
    );
    expect(out).toMatch(/W:GRADSCOPE_THREADS=lots is not an integer/);
    expect(out).toMatch(/T:\d+/);
  });
});

describe('setThreads / getThreads', () => {
  it('round-trips valid counts', () => {
    const before = getThreads();
    for (const n of [1, 2, 4, 7, MAX_THREADS]) {
      setThreads(n);
      expect(getThreads()).toBe(n);
    }
    setThreads(before);
  });

  it.each([
    [0, RangeError],
    [-1, RangeError],
    [1.5, RangeError],
    [Number.NaN, RangeError],
    [Number.POSITIVE_INFINITY, RangeError],
    [MAX_THREADS + 1, RangeError],
    [1e12, RangeError],
    ['2', TypeError],
    [undefined, TypeError],
    [null, TypeError],
    [2n, TypeError],
    [{}, TypeError],
  ])('rejects %s with %s naming the argument, and keeps the old count', (bad, cls) => {
    const before = getThreads();
    expect(() => setThreads(bad as never)).toThrow(cls);
    expect(() => setThreads(bad as never)).toThrow(/for threads but received/);
    expect(getThreads()).toBe(before);
  });
});

describe('loader', () => {
  it('names every path it tried and how to fix it', () => {
    let err: unknown;
    try {
      loadNative({ root: '/nonexistent/gradscope-root', envPath: '/nonexistent/custom/gradscope.node' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GradscopeError);
    const e = err as GradscopeError;
    expect(e.code).toBe('ERR_GRADSCOPE_NATIVE_LOAD');
    expect(e.message).toContain('/nonexistent/custom/gradscope.node: not found');
    expect(e.message).toContain(
      path.join('/nonexistent/gradscope-root', 'build', 'Release', 'gradscope.node'),
    );
    expect(e.message).toContain(path.join('/nonexistent/gradscope-root', 'build', 'Debug', 'gradscope.node'));
    expect(e.message).toMatch(/npm run build:native/);
    expect(e.message).toMatch(/C\+\+17 compiler/);
  });

  it('reports a file that exists but is not an addon', () => {
    const file = path.join(packageRoot, 'package.json');
    expect(() => loadNative({ root: '/nonexistent', envPath: file })).toThrow(/package\.json: /);
  });

  it('GRADSCOPE_NATIVE_PATH takes precedence', () => {
    const b = loadNative({ envPath: path.join(packageRoot, 'build', 'Release', 'gradscope.node') });
    expect(typeof b.cpuInfo).toBe('function');
  });
});

describe('the published entry points', () => {
  const built = (() => {
    try {
      readFileSync(path.join(packageRoot, 'dist', 'index.cjs'));
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!built)('require("gradscope") and import("gradscope") both work', () => {
    const cjs = execFileSync(process.execPath, ['-e', "console.log(require('gradscope').cpu().isa)"], {
      cwd: packageRoot,
      encoding: 'utf8',
    });
    const esm = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', "import { cpu } from 'gradscope'; console.log(cpu().isa)"],
      { cwd: packageRoot, encoding: 'utf8' },
    );
    expect(cjs.trim()).toBe(esm.trim());
    expect(cpu().available).toContain(cjs.trim());
  });

  it.skipIf(!built)('the CLI prints version, ISA, available ISAs and threads', () => {
    const out = execFileSync(process.execPath, [path.join(packageRoot, 'dist', 'cli.js'), 'info'], {
      encoding: 'utf8',
    });
    expect(out).toMatch(new RegExp(`gradscope ${version.replace(/\./g, '\\.')}`));
    expect(out).toMatch(/isa\s+(scalar|avx2|avx512|neon)/);
    expect(out).toMatch(/available\s+scalar/);
    expect(out).toMatch(/threads\s+\d+/);
  });
});

describe('measureFmaPeak()', () => {
  it('measures a positive, finite rate on every ISA (no speed threshold: tests never time)', () => {
    for (const isa of ISAS) {
      const g = withIsa(isa, () => measureFmaPeak(0.005));
      expect(Number.isFinite(g) && g > 0, `${isa}: ${g}`).toBe(true);
    }
  });

  it('rejects a bad measuring time', () => {
    expect(() => measureFmaPeak(0)).toThrow(/a number in \[0.001, 2\] for seconds/);
    expect(() => measureFmaPeak(3)).toThrow(RangeError);
    expect(() => measureFmaPeak(Number.NaN)).toThrow(RangeError);
    expect(() => measureFmaPeak('1' as never)).toThrow(TypeError);
    expect(() => loadNative().fmaPeak(5)).toThrow(/seconds must be in/);
  });
});
