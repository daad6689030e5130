/**
 * Loader of the compiled addon. It tries, in order, `GRADSCOPE_NATIVE_PATH`,
 * `build/Release/gradscope.node` and `build/Debug/gradscope.node` under the
 * package root, and when none loads throws one GradscopeError that lists every
 * path tried, why each failed, and how to build the addon.
 * @internal
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GradscopeError } from './errors.js';

/** (distribution code, a, b, out, seed, stream, position) */
type FillArgs = [
  dist: number,
  a: number,
  b: number,
  out: Float32Array,
  seed: bigint,
  stream: bigint,
  position: bigint,
];

/** The raw binding (see native/addon/). Every function re-checks its arguments. */
export interface NativeBinding {
  setErrorClass(ctor: typeof GradscopeError): void;
  cpuInfo(): {
    isa: string;
    best: string;
    available: string[];
    threads: number;
    features: Record<string, boolean>;
    warnings: string;
  };
  setThreads(n: number): void;
  getThreads(): number;
  setIsa(name: string): boolean;
  fmaPeak(seconds: number): number;
  philox4x32(counter: Uint32Array, key: Uint32Array): Uint32Array;
  randomFillU32(out: Uint32Array, seed: bigint, stream: bigint, position: bigint): void;
  randomFill(...args: FillArgs): void;
  randomFillAsync(...args: [...FillArgs, staged: boolean]): Promise<void>;
  randomFillU32Async(
    out: Uint32Array,
    seed: bigint,
    stream: bigint,
    position: bigint,
    staged: boolean,
  ): Promise<void>;
  randomTransform(dist: number, a: number, b: number, words: Uint32Array, out: Float32Array): void;
  matmul(
    a: Float32Array,
    aRows: number,
    aCols: number,
    transA: boolean,
    b: Float32Array,
    bRows: number,
    bCols: number,
    transB: boolean,
    out: Float32Array,
    bias: Float32Array | null,
    lda?: number,
    ldb?: number,
    ldc?: number,
  ): void;
  matmulReference: NativeBinding['matmul'];
  activationForward(
    act: number,
    alpha: number,
    beta: number,
    z: Float32Array,
    a: Float32Array,
    rows: number,
    cols: number,
  ): void;
  activationBackward(
    act: number,
    alpha: number,
    beta: number,
    z: Float32Array,
    a: Float32Array,
    dy: Float32Array,
    dz: Float32Array,
    rows: number,
    cols: number,
  ): void;
  denseForward(
    x: Float32Array,
    w: Float32Array,
    b: Float32Array | null,
    act: number,
    alpha: number,
    beta: number,
    batch: number,
    inUnits: number,
    outUnits: number,
    z: Float32Array,
    a: Float32Array,
  ): void;
  denseBackward(
    x: Float32Array,
    w: Float32Array,
    z: Float32Array,
    a: Float32Array,
    da: Float32Array,
    act: number,
    alpha: number,
    beta: number,
    batch: number,
    inUnits: number,
    outUnits: number,
    dz: Float32Array,
    dw: Float32Array,
    db: Float32Array | null,
    dx: Float32Array | null,
  ): void;
  softmaxXentBackward(
    p: Float32Array,
    y: Float32Array,
    dz: Float32Array,
    batch: number,
    classes: number,
  ): void;
  optimUpdate(
    kind: number,
    hyper: Float64Array,
    w: Float32Array,
    g: Float32Array,
    s1: Float32Array | null,
    s2: Float32Array | null,
  ): void;
  sumSquares(x: Float32Array): number;
  scaleInPlace(x: Float32Array, scale: number): void;
  clipInPlace(x: Float32Array, clip: number): void;
  NativeModel: new (spec: Float64Array) => NativeModelHandle;
}

/** Targets of a model call: one-hot / regression values, or integer labels for sparse losses. */
export type NativeTargets = Float32Array | Int32Array;

/** A model in the native core (native/addon/model.cc). config: see lib/model.ts `stepConfig`. */
export interface NativeModelHandle {
  weights(): [Float32Array, Float32Array | null][];
  trainStep(x: Float32Array, t: NativeTargets, batch: number, config: Float64Array, lr: number): Float64Array;
  computeGradients(
    x: Float32Array,
    t: NativeTargets,
    batch: number,
    config: Float64Array,
    inputGrad: boolean,
  ): number;
  gradients(): [Float32Array, Float32Array | null][];
  predict(x: Float32Array, n: number, out: Float32Array, chunk: number): void;
  evaluate(
    x: Float32Array,
    t: NativeTargets,
    n: number,
    config: Float64Array,
    batchSize: number,
  ): Float64Array;
  fit(
    x: Float32Array,
    t: NativeTargets,
    n: number,
    valX: Float32Array | null,
    valT: NativeTargets | null,
    valN: number,
    config: Float64Array,
    run: Float64Array,
    seed: bigint,
    lr: Float64Array,
    dispatch: (event: NativeFitEvent) => NativeFitReply | Promise<NativeFitReply>,
  ): Promise<{ steps: number; epochs: number; stopped: boolean; nonFinite: boolean }>;
  diagnose(
    x: Float32Array,
    t: NativeTargets,
    batch: number,
    config: Float64Array,
    bins: number,
    saturation: number,
  ): Promise<{ loss: number; stats: Float64Array }>;
  requestStop(): void;
  cancel(): void;
  resetOptimizer(iterations: number, uProduct: number): void;
  optimizerState(): Float64Array;
  busy(): boolean;
}

/** An event of a native fit. */
interface NativeBatchEvent {
  epoch: number;
  batch: number;
  step: number;
  loss: number;
  correct: number;
  count: number;
  monitor?: Float64Array;
}

export type NativeFitEvent =
  | (NativeBatchEvent & { type: 'batch' })
  | (NativeBatchEvent & { type: 'progress' })
  | { type: 'epoch'; epoch: number; loss: number; accuracy: number; valLoss?: number; valAccuracy?: number }
  | { type: 'nonFinite'; epoch: number; batch: number; step: number; layer: number; tensor: string }
  | { type: 'flush' };

export interface NativeFitReply {
  stop: boolean;
  lrFactor: number;
}

/** Root of the package: lib/ (sources) and dist/ (build) both sit one level below it. */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface LoadOptions {
  root?: string;
  envPath?: string | undefined;
}

/** Loads the addon or throws a GradscopeError explaining what was tried. */
export function loadNative({
  root = packageRoot,
  envPath = process.env.GRADSCOPE_NATIVE_PATH,
}: LoadOptions = {}): NativeBinding {
  const candidates: string[] = [];
  if (envPath) candidates.push(path.resolve(envPath));
  candidates.push(path.join(root, 'build', 'Release', 'gradscope.node'));
  candidates.push(path.join(root, 'build', 'Debug', 'gradscope.node'));
  const req = createRequire(path.join(root, 'package.json'));
  const failures: string[] = [];
  for (const file of candidates) {
    if (!existsSync(file)) {
      failures.push(`  ${file}: not found`);
      continue;
    }
    try {
      const binding = req(file) as NativeBinding;
      binding.setErrorClass(GradscopeError);
      return binding;
    } catch (e) {
      failures.push(`  ${file}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new GradscopeError(
    [
      'gradscope could not load its native addon. Tried:',
      ...failures,
      'To fix it, build the addon in the package folder:',
      '  npm run build:native        (cmake-js, falling back to node-gyp)',
      '  npm run build:native:gyp    (node-gyp only: needs python3, make and a C++17 compiler)',
      'It needs a C++17 compiler (g++ >= 9, clang >= 10 or MSVC 2019); cmake >= 3.19 is optional.',
      'Or set GRADSCOPE_NATIVE_PATH to a compiled gradscope.node.',
    ].join('\n'),
    'ERR_GRADSCOPE_NATIVE_LOAD',
  );
}

let cached: NativeBinding | undefined;

/** The loaded binding (loaded on first use; load warnings are emitted once). */
export function native(): NativeBinding {
  if (cached === undefined) {
    const b = loadNative();
    const warnings = b.cpuInfo().warnings;
    if (warnings) for (const w of warnings.split('\n')) process.emitWarning(w, { code: 'GRADSCOPE_ENV' });
    cached = b;
  }
  return cached;
}
