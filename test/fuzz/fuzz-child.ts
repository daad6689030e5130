// Property-based fuzzing of every public entry point and of the raw native
// binding beneath lib/. Runs in a child process (test/fuzz.test.ts) so that a
// crash fails the test instead of killing the runner.
//
// Contract checked on every call: it returns, or it throws a GradscopeError,
// TypeError or RangeError with a non-empty message; a failed call leaves model
// weights, optimiser state and generator positions exactly as they were.
// Prints one JSON line: { calls, failures: [...] }.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import * as gs from '../../lib/index.js';
import { loadNative } from '../../lib/internal.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100_000);
let calls = 0;
let succeeded = 0;
const failures: string[] = [];

const hash = (arrays: ArrayBufferView[]) => {
  const h = createHash('sha256');
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
};

function describe(v: unknown): string {
  try {
    if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as Float32Array).length ?? '?'})`;
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'symbol' || typeof v === 'function') return String(v);
    const s = JSON.stringify(v, (_k, x) =>
      typeof x === 'bigint' ? `${x}n` : ArrayBuffer.isView(x) ? `<${x.constructor.name}>` : x,
    );
    return (s ?? String(v)).slice(0, 120);
  } catch {
    return String(v).slice(0, 120);
  }
}

function acceptable(e: unknown): boolean {
  return (
    (e instanceof gs.GradscopeError || e instanceof TypeError || e instanceof RangeError) &&
    typeof (e as Error).message === 'string' &&
    (e as Error).message.length > 0
  );
}

/** Calls fn; checks the error contract and that `state()` is unchanged when it throws. */
async function check(name: string, args: unknown[], fn: () => unknown, state?: () => string) {
  calls++;
  const before = state?.();
  try {
    const r = fn();
    if (r && typeof (r as Promise<unknown>).then === 'function') await r;
    succeeded++;
  } catch (e) {
    if (!acceptable(e)) {
      failures.push(
        `${name}(${args.map(describe).join(', ')}) threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`,
      );
    }
    if (state && state() !== before)
      failures.push(`${name}(${args.map(describe).join(', ')}) failed but changed state`);
  }
}

// ---- value generators ----
const specialNumber = fc.constantFrom(
  0,
  -0,
  1,
  -1,
  0.5,
  2,
  3,
  7,
  16,
  64,
  2 ** 31,
  2 ** 32 + 1,
  2 ** 53,
  1e300,
  -1e300,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e-320,
  255,
);
const smallInt = fc.integer({ min: -2, max: 12 });
const detached = () => {
  const a = new Float32Array(4);
  structuredClone(a.buffer, { transfer: [a.buffer] }); // `a` now views a detached buffer
  return a;
};
const typedArray = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((n) => new Float32Array(n).map((_, i) => Math.sin(i))),
  fc.integer({ min: 0, max: 40 }).map((n) => new Float64Array(n)),
  fc.integer({ min: 0, max: 40 }).map((n) => new Int32Array(n).map((_, i) => i % 3)),
  fc.integer({ min: 0, max: 40 }).map((n) => new Uint32Array(n)),
  fc.integer({ min: 0, max: 16 }).map((n) => new Uint8Array(n)),
  fc.integer({ min: 0, max: 16 }).map((n) => new Float32Array(new SharedArrayBuffer(4 * n))),
  fc.integer({ min: 1, max: 16 }).map((n) => new Float32Array(new ArrayBuffer(4 * n + 8), 8, n)),
  fc.constant(null).map(() => new Float32Array([Number.NaN, Number.POSITIVE_INFINITY, -1, 1])),
  fc.constant(null).map(detached),
);
const shapeLike = fc.array(fc.oneof(smallInt, specialNumber), { minLength: 0, maxLength: 3 });
const tensorLike = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })).map(([r, c]) => ({
    shape: [r, c],
    data: new Float32Array(r * c).map((_, i) => Math.cos(i)),
  })),
  fc.record({ shape: shapeLike, data: typedArray }),
  fc.record({ shape: fc.anything(), data: fc.anything() }),
);
const weird = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('relu', 'softmax', 'heNormal', 'mse', 'crossEntropy', 'sigmoid', 'avx2', 'scalar'),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.constant(Symbol('x')),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(() => 1),
  fc.object({ maxDepth: 1 }),
  fc.boolean(),
  fc.array(fc.oneof(smallInt, fc.double()), { maxLength: 6 }),
);
const anyArg = fc.oneof(
  { weight: 3, arbitrary: specialNumber },
  { weight: 3, arbitrary: smallInt },
  { weight: 3, arbitrary: typedArray },
  { weight: 2, arbitrary: tensorLike },
  { weight: 3, arbitrary: weird },
);
const args = fc.array(anyArg, { minLength: 0, maxLength: 6 });
const optionsArg = fc.oneof(
  weird,
  fc.dictionary(
    fc.constantFrom(
      'seed',
      'stream',
      'mean',
      'std',
      'low',
      'high',
      'alpha',
      'beta',
      'lr',
      'loss',
      'epochs',
      'batchSize',
      'activation',
      'every',
      'bins',
      'tol',
      'bogus',
      'transposeA',
      'out',
      'gain',
      'scale',
      'mode',
      'distribution',
      'stddev',
      'verbose',
      'momentum',
      'clipNorm',
      'validationSplit',
      'shuffle',
      'saturation',
      'thresholds',
      'theory',
      'inputGradient',
    ),
    anyArg,
    { maxKeys: 3 },
  ),
);

// ---- targets ----
const model = () =>
  gs.sequential(
    [gs.dense(3, 4, { activation: 'tanh', seed: 1 }), gs.dense(4, 2, { activation: 'softmax', seed: 2 })],
    { seed: 3 },
  );
const m = model();
const mState = () => hash(m.getWeights());
const optimizer = gs.optim.adam();
const r = gs.rng(5);
const rState = () => String(r.position);

type Target = [name: string, call: (a: unknown[]) => unknown, state?: () => string];
const A = (a: unknown[], i: number) => a[i];
const targets: Target[] = [
  ['rng', (a) => gs.rng(A(a, 0) as never, A(a, 1) as never)],
  ['rng.uint32', (a) => r.uint32(A(a, 0) as never), rState],
  ['rng.uniform', (a) => r.uniform(A(a, 0) as never, A(a, 1) as never), rState],
  ['rng.normal', (a) => r.normal(A(a, 0) as never, A(a, 1) as never), rState],
  ['rng.truncatedNormal', (a) => r.truncatedNormal(A(a, 0) as never, A(a, 1) as never), rState],
  ['rng.normalAsync', (a) => r.normalAsync(A(a, 0) as never, A(a, 1) as never), rState],
  ['philox4x32', (a) => gs.philox4x32(A(a, 0) as never, A(a, 1) as never)],
  ['init.fromConfig', (a) => gs.init.fromConfig(A(a, 0) as never)],
  ['init.heNormal.sample', (a) => gs.init.heNormal(A(a, 0) as never).sample(A(a, 1) as never)],
  ['init.varianceScaling.sample', (a) => gs.init.varianceScaling(A(a, 0) as never).sample(A(a, 1) as never)],
  [
    'init.orthogonal.fill',
    (a) => gs.init.orthogonal(A(a, 0) as never).fill(A(a, 1) as never, A(a, 2) as never),
  ],
  ['init.gain', (a) => gs.init.gain(A(a, 0) as never, A(a, 1) as never)],
  ['init.recommend', (a) => gs.init.recommend(A(a, 0) as never)],
  ['ops.matmul', (a) => gs.ops.matmul(A(a, 0) as never, A(a, 1) as never, A(a, 2) as never)],
  ['ops.view', (a) => gs.ops.view(A(a, 0) as never, A(a, 1) as never)],
  ['ops.contiguous', (a) => gs.ops.contiguous(A(a, 0) as never)],
  ['ops.activation', (a) => gs.ops.activation(A(a, 0) as never, A(a, 1) as never)],
  [
    'ops.activationBackward',
    (a) => gs.ops.activationBackward(A(a, 0) as never, A(a, 1) as never, A(a, 2) as never, A(a, 3) as never),
  ],
  ['ops.dense', (a) => gs.ops.dense(A(a, 0) as never, A(a, 1) as never, A(a, 2) as never, A(a, 3) as never)],
  [
    'ops.denseBackward',
    (a) =>
      gs.ops.denseBackward(
        A(a, 0) as never,
        A(a, 1) as never,
        A(a, 2) as never,
        A(a, 3) as never,
        A(a, 4) as never,
      ),
  ],
  [
    'ops.softmaxCrossEntropyBackward',
    (a) => gs.ops.softmaxCrossEntropyBackward(A(a, 0) as never, A(a, 1) as never),
  ],
  [
    'optim.step',
    (a) => optimizer.step(A(a, 0) as never, A(a, 1) as never),
    () => String(optimizer.iterations),
  ],
  ['optim.sgd', (a) => gs.optim.sgd(A(a, 0) as never)],
  ['optim.clipByGlobalNorm', (a) => gs.optim.clipByGlobalNorm(A(a, 0) as never, A(a, 1) as never)],
  ['optim.exponentialDecay', (a) => gs.optim.exponentialDecay(A(a, 0) as never)],
  ['dense', (a) => gs.dense(A(a, 0) as never, A(a, 1) as never, A(a, 2) as never)],
  ['sequential', (a) => gs.sequential(A(a, 0) as never, A(a, 1) as never)],
  ['model.predict', (a) => m.predict(A(a, 0) as never, A(a, 1) as never), mState],
  ['model.evaluate', (a) => m.evaluate(A(a, 0) as never, A(a, 1) as never, A(a, 2) as never), mState],
  ['model.trainStep', (a) => m.trainStep(A(a, 0) as never, A(a, 1) as never, A(a, 2) as never), mState],
  ['model.gradients', (a) => m.gradients(A(a, 0) as never, A(a, 1) as never, A(a, 2) as never), mState],
  ['model.fit', (a) => m.fit(A(a, 0) as never, A(a, 1) as never, A(a, 2) as never), mState],
  ['model.setWeights', (a) => m.setWeights(A(a, 0) as never), mState],
  [
    'diagnose',
    (a) =>
      gs.diagnose(
        A(a, 0) === 0 ? m : (A(a, 0) as never),
        A(a, 1) as never,
        A(a, 2) as never,
        A(a, 3) as never,
      ),
    mState,
  ],
  ['lsuv', (a) => gs.lsuv(model(), A(a, 0) as never, A(a, 1) as never)],
  ['monitor', (a) => gs.monitor(A(a, 0) as never, A(a, 1) as never).detach()],
  ['theory.signalPropagation', (a) => gs.theory.signalPropagation(A(a, 0) as never)],
  ['datasets.mnist', (a) => gs.datasets.mnist(A(a, 0) as never)],
  ['loadModel', (a) => gs.loadModel(A(a, 0) as never)],
  [
    'loadModel(saved, mutated)',
    (a) =>
      gs.loadModel({ ...m.toJSON(), ...(typeof a[0] === 'object' && a[0] !== null ? (a[0] as object) : {}) }),
  ],
  ['setThreads', (a) => gs.setThreads(A(a, 0) as never)],
];
// FUZZ_SELFTEST: a target that breaks the contract, to prove the harness notices.
if (process.env.FUZZ_SELFTEST) {
  targets.push([
    'selftest',
    () => {
      throw new Error('plain error');
    },
  ]);
}

// Well-formed calls with one argument swapped for a strange one reach deeper.
const validX = new Float32Array([0.1, -0.2, 0.3, 0.5, 0.1, -0.9]);
const validY = new Int32Array([0, 1]);
const shaped: Target[] = [
  [
    'model.trainStep(mutated)',
    (a) =>
      m.trainStep(
        (a[0] ?? validX) as never,
        (a[1] ?? validY) as never,
        (a[2] as never) ?? { loss: 'sparseCategoricalCrossentropy', optimizer: gs.optim.sgd() },
      ),
    mState,
  ],
  [
    'model.fit(mutated)',
    (a) =>
      m.fit(
        (a[0] ?? validX) as never,
        (a[1] ?? validY) as never,
        (a[2] as never) ?? { loss: 'crossEntropy', verbose: 0, epochs: 1 },
      ),
    mState,
  ],
  [
    'ops.matmul(mutated)',
    (a) =>
      gs.ops.matmul(
        (a[0] as never) ?? { shape: [2, 3], data: validX },
        (a[1] as never) ?? { shape: [3, 2], data: validX },
        a[2] as never,
      ),
  ],
  [
    'ops.matmul(mutated strided views)',
    (a) =>
      gs.ops.matmul(
        (a[0] as never) ?? { shape: [2, 2], data: validX, stride: 3 },
        (a[1] as never) ?? { shape: [2, 2], data: validX.subarray(1), stride: 2 },
        (a[2] as never) ?? { out: { shape: [2, 2], data: new Float32Array(7), stride: a[3] ?? 3 } },
      ),
  ],
  [
    'rng.normal(mutated)',
    (a) => r.normal((a[0] as never) ?? 4, (a[1] as never) ?? { mean: 0, std: 1 }),
    rState,
  ],
];

// Raw binding: every function with arbitrary arguments. It re-checks what is unsafe.
const raw = loadNative() as unknown as Record<string, (...x: unknown[]) => unknown>;
const rawNames = Object.keys(raw).filter(
  (k) =>
    typeof raw[k] === 'function' &&
    !['setErrorClass', 'setThreads', 'setIsa', 'fmaPeak', 'NativeModel'].includes(k),
);
const rawModel = new (
  raw.NativeModel as unknown as new (
    s: Float64Array,
  ) => Record<string, (...x: unknown[]) => unknown>
)(new Float64Array([3, 4, 2, 0, 1, 1, 4, 2, 12, 0, 1, 1]));
rawModel.weights();
const rawModelMethods = [
  'trainStep',
  'computeGradients',
  'gradients',
  'predict',
  'evaluate',
  'fit',
  'diagnose',
  'resetOptimizer',
  'optimizerState',
  'weights',
];

async function main() {
  const per = Math.ceil(
    RUNS / (targets.length + shaped.length + rawNames.length + rawModelMethods.length + 2),
  );
  const opts = { numRuns: per, seed: 20261128 };
  for (const [name, call, state] of targets) {
    await fc.assert(
      fc.asyncProperty(args, async (a) => check(name, a, () => call(a), state)),
      opts,
    );
  }
  for (const [name, call, state] of shaped) {
    const mutated = fc.tuple(
      fc.oneof(fc.constant(undefined), anyArg),
      fc.oneof(fc.constant(undefined), anyArg),
      fc.oneof(fc.constant(undefined), optionsArg),
    );
    await fc.assert(
      fc.asyncProperty(mutated, async (a) => check(name, a, () => call(a), state)),
      opts,
    );
  }
  for (const name of rawNames) {
    await fc.assert(
      fc.asyncProperty(args, async (a) => check(`native.${name}`, a, () => raw[name](...a))),
      opts,
    );
  }
  for (const name of rawModelMethods) {
    await fc.assert(
      fc.asyncProperty(args, async (a) => check(`NativeModel.${name}`, a, () => rawModel[name](...a))),
      opts,
    );
  }
  await fc.assert(
    fc.asyncProperty(args, async (a) =>
      check(
        'new NativeModel',
        a,
        () => new (raw.NativeModel as unknown as new (...x: unknown[]) => unknown)(...a),
      ),
    ),
    opts,
  );
  await fc.assert(
    fc.asyncProperty(fc.array(fc.oneof(specialNumber, smallInt), { maxLength: 13 }), async (a) =>
      check(
        'new NativeModel(spec)',
        a,
        () => new (raw.NativeModel as unknown as new (s: Float64Array) => unknown)(Float64Array.from(a)),
      ),
    ),
    opts,
  );
  process.stdout.write(
    `${JSON.stringify({ calls, succeeded, failures: [...new Set(failures)].slice(0, 50), failureCount: failures.length })}\n`,
  );
}

main().catch((e) => {
  process.stdout.write(
    `${JSON.stringify({ calls, failures: [`fuzzer crashed: ${(e as Error).stack}`], failureCount: 1 })}\n`,
  );
  process.exitCode = 1;
});
