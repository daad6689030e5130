import { defineConfig } from 'tsup';

// One build, two module formats: ESM (dist/*.js) and CommonJS (dist/*.cjs),
// each with its own declaration file. `shims` lets lib/native.ts use
// import.meta.url in the CommonJS build too, to find the compiled addon.
export default defineConfig([
  {
    entry: { index: 'lib/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    shims: true,
    clean: true,
    target: 'node20',
    sourcemap: true,
  },
  {
    entry: { cli: 'lib/cli.ts' },
    format: ['esm'],
    shims: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
