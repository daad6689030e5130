// Initializers: Keras formulas, PyTorch aliases, configs, bad input.
// Statistical tolerances: 5 standard errors of the statistic (see random.stats.test.ts):
//   variance of n draws: SE = σ² · sqrt((kurtosis − 1) / n), kurtosis = μ4/σ⁴ of the distribution
//   (uniform 1.8; normal 3; normal truncated at ±2σ: computed below).
import { describe, expect, it } from 'vitest';
import { init } from '../lib/index.js';
import { erf, hash, moments, phi } from './helpers.js';

const Z = 5;
const TRUNC_VAR = 1 - (4 * phi(2)) / erf(Math.SQRT2); // 0.773741
const TRUNC_KURT = (3 * TRUNC_VAR - (16 * phi(2)) / erf(Math.SQRT2)) / TRUNC_VAR ** 2;
const KURT = { uniform: 1.8, truncatedNormal: TRUNC_KURT, untruncatedNormal: 3 } as const;

function checkVariance(data: Float32Array, variance: number, dist: keyof typeof KURT) {
  const m = moments(data);
  const se = variance * Math.sqrt((KURT[dist] - 1) / data.length);
  expect(Math.abs(m.variance - variance) / se).toBeLessThan(Z);
  expect(Math.abs(m.mean) / Math.sqrt(variance / data.length)).toBeLessThan(Z);
}

describe('fans', () => {
  it('follows Keras for dense, conv and 1-D shapes', () => {
    expect(init.fans([784, 256])).toEqual({ fanIn: 784, fanOut: 256 });
    expect(init.fans([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
    expect(init.fans([5, 4, 8])).toEqual({ fanIn: 20, fanOut: 40 });
    expect(init.fans([10])).toEqual({ fanIn: 10, fanOut: 10 });
  });
  it('has no fan of 0: empty, zero-sized and non-integer shapes are rejected, by fans and by every initializer', () => {
    for (const bad of [[], [0, 3], [3, 0], [3, 3, 0, 4], [2.5, 3], [-1, 3]]) {
      expect(() => init.fans(bad)).toThrow(/for shape/);
      expect(() => init.heNormal({ seed: 1 }).sample(bad)).toThrow(/for shape/);
      expect(() => init.varianceScaling({ mode: 'fanOut', seed: 1 }).sample(bad)).toThrow(/for shape/);
    }
    expect(() => init.fans('3x3' as never)).toThrow(TypeError);
  });
});

describe('gain (PyTorch calculate_gain)', () => {
  it('matches the table', () => {
    expect(init.gain('linear')).toBe(1);
    expect(init.gain('conv2d')).toBe(1);
    expect(init.gain('sigmoid')).toBe(1);
    expect(init.gain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(init.gain('relu')).toBeCloseTo(Math.SQRT2, 15);
    expect(init.gain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(init.gain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(init.gain('selu')).toBe(0.75);
  });
  it('rejects unknown names and bad params', () => {
    expect(() => init.gain('swishy')).toThrow(RangeError);
    expect(() => init.gain('leakyRelu', Number.NaN)).toThrow(/for param/);
  });
});

describe('recommend', () => {
  it('gives the chapter table with a reason', () => {
    for (const a of ['linear', 'tanh', 'sigmoid', 'softmax', 'none'])
      expect(init.recommend(a).initializer).toBe('glorotUniform');
    for (const a of ['relu', 'leakyRelu', 'elu', 'gelu', 'swish', 'silu', 'mish', 'softplus']) {
      expect(init.recommend(a).initializer).toBe('heNormal');
    }
    const s = init.recommend('selu');
    expect(s.initializer).toBe('lecunNormal');
    expect(s.variance).toBe('1 / fan_in');
    expect(s.reason).toMatch(/SELU/);
    expect(s.create({ seed: 1 }).getConfig().class_name).toBe('LecunNormal');
  });
  it('rejects unknown activations', () => {
    expect(() => init.recommend('relu6')).toThrow(/for activation but received "relu6"/);
  });
});

describe('variance scaling family (Keras formulas)', () => {
  const shapes = [
    [300, 200],
    [3, 3, 16, 32],
  ];
  const cases = [
    ['glorotNormal', init.glorotNormal, 1, 'fanAvg', 'truncatedNormal'],
    ['glorotUniform', init.glorotUniform, 1, 'fanAvg', 'uniform'],
    ['heNormal', init.heNormal, 2, 'fanIn', 'truncatedNormal'],
    ['heUniform', init.heUniform, 2, 'fanIn', 'uniform'],
    ['lecunNormal', init.lecunNormal, 1, 'fanIn', 'truncatedNormal'],
    ['lecunUniform', init.lecunUniform, 1, 'fanIn', 'uniform'],
  ] as const;

  for (const [name, make, scale, mode, dist] of cases) {
    for (const shape of shapes) {
      it(`${name} on [${shape}] has actual variance ${scale}/${mode}`, () => {
        const { fanIn, fanOut } = init.fans(shape);
        const n = mode === 'fanIn' ? fanIn : (fanIn + fanOut) / 2;
        const variance = scale / n;
        const w = make({ seed: 42 }).sample(shape);
        expect(w.shape).toEqual(shape);
        checkVariance(w.data, variance, dist);
        let max = 0;
        for (const x of w.data) max = Math.max(max, Math.abs(x));
        if (dist === 'uniform') {
          const limit = Math.sqrt(3 * variance);
          expect(max).toBeLessThan(limit);
          expect(max).toBeGreaterThan(limit * 0.99);
        } else {
          const sigma = Math.sqrt(variance) / init.TRUNCATED_STD;
          expect(max).toBeLessThan(2 * sigma);
          expect(max).toBeGreaterThan(1.9 * sigma);
        }
      });
    }
  }

  it('varianceScaling takes fanOut and untruncatedNormal (tails beyond 2σ exist)', () => {
    const vs = init.varianceScaling({ scale: 3, mode: 'fanOut', distribution: 'untruncatedNormal', seed: 9 });
    const w = vs.sample([100, 400]);
    checkVariance(w.data, 3 / 400, 'untruncatedNormal');
    const sigma = Math.sqrt(3 / 400);
    expect(w.data.some((x) => Math.abs(x) > 2.5 * sigma)).toBe(true);
    expect(vs.variance([100, 400])).toBeCloseTo(3 / 400, 15);
  });

  it('TRUNCATED_STD is the std of N(0,1) cut at ±2', () => {
    expect(init.TRUNCATED_STD).toBeCloseTo(Math.sqrt(TRUNC_VAR), 12);
  });
});

describe('PyTorch aliases', () => {
  it('xavierUniform: limit gain·sqrt(6/(fi+fo))', () => {
    const w = init.xavierUniform({ gain: 2, seed: 3 }).sample([256, 128]);
    const limit = 2 * Math.sqrt(6 / (256 + 128));
    checkVariance(w.data, (limit * limit) / 3, 'uniform');
    expect(Math.max(...w.data.map(Math.abs))).toBeLessThan(limit);
  });
  it('xavierNormal: untruncated, std gain·sqrt(2/(fi+fo))', () => {
    const w = init.xavierNormal({ seed: 3 }).sample([256, 128]);
    checkVariance(w.data, 2 / 384, 'untruncatedNormal');
  });
  it('kaimingNormal: std gain/sqrt(fan) with leakyRelu(a) gain, untruncated', () => {
    const w = init.kaimingNormal({ a: 0.2, mode: 'fanOut', seed: 4 }).sample([200, 300]);
    const g = Math.sqrt(2 / (1 + 0.04));
    checkVariance(w.data, (g * g) / 300, 'untruncatedNormal');
  });
  it('kaimingUniform: bound gain·sqrt(3/fan), default relu gain (a = 0)', () => {
    const w = init.kaimingUniform({ seed: 4 }).sample([200, 300]);
    checkVariance(w.data, 2 / 200, 'uniform');
    const t = init.kaimingUniform({ nonlinearity: 'tanh', seed: 4 }).sample([200, 300]);
    checkVariance(t.data, (5 / 3) ** 2 / 200, 'uniform');
  });
});

describe('random initializers', () => {
  it('randomUniform keeps minval: 0 (defaults with ??, not ||)', () => {
    const w = init.randomUniform({ minval: 0, maxval: 1, seed: 1 }).sample([10000]);
    expect(Math.min(...w.data)).toBeGreaterThanOrEqual(0);
    const d = init.randomUniform({ seed: 1 }).sample([10000]);
    expect(Math.min(...d.data)).toBeGreaterThanOrEqual(-0.05);
    expect(Math.max(...d.data)).toBeLessThan(0.05);
  });
  it('randomNormal and truncatedNormal honour mean, stddev and seed', () => {
    const a = init.randomNormal({ mean: 1, stddev: 0.1, seed: 5 }).sample([100000]);
    checkVariance(
      a.data.map((x) => x - 1),
      0.01,
      'untruncatedNormal',
    );
    const t = init.truncatedNormal({ stddev: 0.2, seed: 5 }).sample([100000]);
    checkVariance(t.data, 0.04 * TRUNC_VAR, 'truncatedNormal');
    expect(hash(init.truncatedNormal({ stddev: 0.2, seed: 5 }).sample([100000]).data)).toBe(hash(t.data));
    expect(hash(init.truncatedNormal({ stddev: 0.2, seed: 6 }).sample([100000]).data)).not.toBe(hash(t.data));
  });
  it('an unseeded initializer draws its seed once: an instance repeats, two instances differ', () => {
    const g = init.glorotNormal();
    expect(hash(g.sample([50, 50]).data)).toBe(hash(g.sample([50, 50]).data));
    expect(hash(init.glorotNormal().sample([50, 50]).data)).not.toBe(hash(g.sample([50, 50]).data));
    expect(typeof g.getConfig().config.seed).toBe('number');
  });
  it('constant, zeros, ones', () => {
    expect(Array.from(init.constant({ value: 0.25 }).sample([3]).data)).toEqual([0.25, 0.25, 0.25]);
    expect(Array.from(init.zeros().sample([2, 2]).data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(init.ones().sample([2]).data)).toEqual([1, 1]);
  });
  it('fill writes into a given array', () => {
    const data = new Float32Array(12);
    expect(init.heUniform({ seed: 2 }).fill(data, [3, 4])).toBe(data);
    expect(hash(data)).toBe(hash(init.heUniform({ seed: 2 }).sample([3, 4]).data));
  });
});

describe('orthogonal and identity', () => {
  function gram(w: Float32Array, rows: number, cols: number, byRows: boolean): number {
    // max |G − I|, G = WᵀW (columns) or WWᵀ (rows)
    const k = byRows ? rows : cols;
    let worst = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        const len = byRows ? cols : rows;
        for (let t = 0; t < len; t++) {
          s += byRows ? w[i * cols + t] * w[j * cols + t] : w[t * cols + i] * w[t * cols + j];
        }
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    return worst;
  }
  it('has orthonormal columns (tall) or rows (wide), to float32 precision', () => {
    const tall = init.orthogonal({ seed: 1 }).sample([60, 25]);
    expect(gram(tall.data, 60, 25, false)).toBeLessThan(1e-5);
    const wide = init.orthogonal({ seed: 1 }).sample([25, 60]);
    expect(gram(wide.data, 25, 60, true)).toBeLessThan(1e-5);
    const conv = init.orthogonal({ seed: 2 }).sample([3, 3, 4, 8]); // flattened 36 × 8
    expect(gram(conv.data, 36, 8, false)).toBeLessThan(1e-5);
  });
  it('scales by gain and is deterministic per seed', () => {
    const a = init.orthogonal({ seed: 7 }).sample([20, 20]);
    const b = init.orthogonal({ seed: 7, gain: 2 }).sample([20, 20]);
    for (let i = 0; i < a.data.length; i++) expect(b.data[i]).toBeCloseTo(2 * a.data[i], 6);
    expect(hash(init.orthogonal({ seed: 7 }).sample([20, 20]).data)).toBe(hash(a.data));
  });
  it('has the sign correction: diag(R) of the Gaussian matrix is positive, so Q·R reproduces it', () => {
    // With R = Qᵀ A, the diagonal of R must be positive (Haar-distributed Q).
    const q = init.orthogonal({ seed: 11 }).sample([30, 10]).data;
    const a = init.randomNormal({ stddev: 1, seed: 11 }).sample([30, 10]).data;
    for (let j = 0; j < 10; j++) {
      let r = 0;
      for (let i = 0; i < 30; i++) r += q[i * 10 + j] * a[i * 10 + j];
      expect(r).toBeGreaterThan(0);
    }
  });
  it('identity puts gain on the diagonal, rectangular allowed', () => {
    expect(Array.from(init.identity({ gain: 3 }).sample([2, 3]).data)).toEqual([3, 0, 0, 0, 3, 0]);
    expect(() => init.identity().sample([2, 2, 2])).toThrow(RangeError);
    expect(() => init.orthogonal().sample([5])).toThrow(/rank >= 2/);
  });
});

describe('configs', () => {
  const all = [
    init.zeros(),
    init.ones(),
    init.constant({ value: 2 }),
    init.randomUniform({ minval: -1, maxval: 2, seed: 1 }),
    init.randomNormal({ mean: 1, stddev: 3, seed: 2 }),
    init.truncatedNormal({ stddev: 0.5, seed: 3 }),
    init.varianceScaling({ scale: 2, mode: 'fanAvg', distribution: 'uniform', seed: 4 }),
    init.glorotNormal({ seed: 5 }),
    init.glorotUniform({ seed: 6 }),
    init.heNormal({ seed: 7 }),
    init.heUniform({ seed: 8 }),
    init.lecunNormal({ seed: 9 }),
    init.lecunUniform({ seed: 10 }),
    init.orthogonal({ gain: 1.5, seed: 11 }),
    init.identity({ gain: 2 }),
  ];
  it.each(all.map((i) => [i.className, i]))('%s round-trips through getConfig/fromConfig', (_n, i) => {
    const c = JSON.parse(JSON.stringify(i.getConfig()));
    const back = init.fromConfig(c);
    expect(back.getConfig()).toEqual(c);
    expect(hash(back.sample([6, 5]).data)).toBe(hash(i.sample([6, 5]).data));
  });
  it('reads a Keras 3 layer config', () => {
    const keras = {
      module: 'keras.initializers',
      class_name: 'VarianceScaling',
      config: { scale: 2.0, mode: 'fan_in', distribution: 'truncated_normal', seed: 123 },
      registered_name: null,
    };
    const i = init.fromConfig(keras) as init.VarianceScaling;
    expect([i.scale, i.mode, i.distribution, i.seed]).toEqual([2, 'fanIn', 'truncatedNormal', 123n]);
    expect(i.getConfig()).toEqual({ class_name: 'VarianceScaling', config: keras.config });
    const g = init.fromConfig({ class_name: 'GlorotUniform', config: { seed: null } });
    expect(g.getConfig().class_name).toBe('GlorotUniform');
    expect(init.fromConfig({ className: 'HeNormal', config: { seed: 1 } }).getConfig()).toEqual({
      class_name: 'HeNormal',
      config: { seed: 1 },
    });
  });
  it('big seeds serialise as strings', () => {
    const i = init.heNormal({ seed: (1n << 63n) + 5n });
    expect(i.getConfig().config.seed).toBe(((1n << 63n) + 5n).toString());
    expect(hash(init.fromConfig(i.getConfig()).sample([4]).data)).toBe(hash(i.sample([4]).data));
  });
  it('toInitializer takes names in camelCase, Keras snake_case and class names', () => {
    for (const n of ['heNormal', 'he_normal', 'HeNormal'])
      expect(init.toInitializer('k', n, 1n).getConfig().class_name).toBe('HeNormal');
    expect(() => init.toInitializer('kernelInitializer', 'heNormall')).toThrow(
      /for kernelInitializer but received "heNormall"/,
    );
  });
});

describe('bad input', () => {
  const g = init.glorotUniform({ seed: 1 });
  it.each([
    [[], RangeError],
    [[-1, 3], RangeError],
    [[2.5, 3], RangeError],
    [[0, 3], RangeError],
    [[3, Number.NaN], RangeError],
    [['3', 3], TypeError],
    ['3x3', TypeError],
    [[2 ** 16, 2 ** 16], RangeError],
    [[1, 1, 1, 1, 1, 1, 1, 1, 1], RangeError],
  ])('shape %j → %s naming shape', (shape, cls) => {
    expect(() => g.sample(shape as never)).toThrow(cls);
    expect(() => g.sample(shape as never)).toThrow(/for shape but received/);
  });
  it('distribution parameters', () => {
    expect(() => init.randomNormal({ stddev: Number.NaN })).toThrow(/for options\.stddev/);
    expect(() => init.randomNormal({ stddev: -1 })).toThrow(RangeError);
    expect(() => init.randomUniform({ minval: 1, maxval: 1 })).toThrow(/low < .*high/);
    expect(() => init.randomUniform({ minval: 2, maxval: 1 })).toThrow(RangeError);
    expect(() => init.varianceScaling({ mode: 'fanMiddle' as never })).toThrow(
      /for options\.mode but received "fanMiddle"/,
    );
    expect(() => init.varianceScaling({ distribution: 'cauchy' as never })).toThrow(
      /for options\.distribution/,
    );
    expect(() => init.varianceScaling({ scale: 0 })).toThrow(/for options\.scale/);
    expect(() => init.varianceScaling({ scale: -1 })).toThrow(RangeError);
    expect(() => init.constant({ value: Number.POSITIVE_INFINITY })).toThrow(/for options\.value/);
    expect(() => init.heNormal({ sed: 1 } as never)).toThrow(/Unknown option 'sed'/);
  });
  it.each([[-1], [1.5], [2 ** 64], ['abc'], [Number.NaN], [-1n], [1n << 64n], [{}]])('seed %s', (seed) => {
    expect(() => init.heNormal({ seed: seed as never })).toThrow(/for options\.seed/);
  });
  it('fill with a wrong-length or wrong-type array writes nothing', () => {
    const data = new Float32Array(11).fill(7);
    expect(() => g.fill(data, [3, 4])).toThrow(/Float32Array of length 12 for data/);
    expect(Array.from(data).every((x) => x === 7)).toBe(true);
    expect(() => g.fill(new Float64Array(12) as never, [3, 4])).toThrow(TypeError);
  });
});
