/**
 * Learning-rate schedules (Keras semantics): a schedule maps the optimiser's
 * step count (0 for the first update) to a learning rate.
 */
import * as v from '../validate.js';

/** A learning-rate schedule. */
export interface Schedule {
  /** Learning rate at `step` (0-based count of updates done). */
  at(step: number): number;
  getConfig(): { class_name: string; config: Record<string, unknown> };
}

const pos = (name: string, x: unknown) => v.numberIn(name, x, 0, Number.MAX_VALUE, { minOpen: true });

/** Options of {@link exponentialDecay} and {@link inverseTimeDecay}. */
export interface DecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole periods of decaySteps (default false). */
  staircase?: boolean;
}

/** A decay schedule lr0·f(rate, p), p = step / decaySteps (floored with staircase). */
function decay(
  name: string,
  className: string,
  o: unknown,
  rateMin: { minOpen: boolean },
  f: (lr0: number, rate: number, p: number) => number,
): Schedule {
  const opts = v.options(`${name} options`, o, [
    'initialLearningRate',
    'decaySteps',
    'decayRate',
    'staircase',
  ]);
  const lr0 = pos('options.initialLearningRate', opts.initialLearningRate);
  const steps = pos('options.decaySteps', opts.decaySteps);
  const rate = v.numberIn('options.decayRate', opts.decayRate, 0, Number.MAX_VALUE, rateMin);
  const stair = v.boolean('options.staircase', opts.staircase);
  return {
    at: (step) => f(lr0, rate, stair ? Math.floor(step / steps) : step / steps),
    getConfig: () => ({
      class_name: className,
      config: { initial_learning_rate: lr0, decay_steps: steps, decay_rate: rate, staircase: stair },
    }),
  };
}

/** lr = initial · rate^(step / decaySteps) (staircase: integer exponent). */
export function exponentialDecay(o: DecayOptions): Schedule {
  return decay(
    'exponentialDecay',
    'ExponentialDecay',
    o,
    { minOpen: true },
    (lr0, rate, p) => lr0 * rate ** p,
  );
}

/** lr = initial / (1 + rate · step / decaySteps) (staircase: integer quotient). */
export function inverseTimeDecay(o: DecayOptions): Schedule {
  return decay(
    'inverseTimeDecay',
    'InverseTimeDecay',
    o,
    { minOpen: false },
    (lr0, rate, p) => lr0 / (1 + rate * p),
  );
}

/** boundaries [b0, b1, …] and values [v0, v1, …, vn]: v0 while step ≤ b0, v1 while step ≤ b1, … */
export function piecewiseConstant(o: { boundaries: number[]; values: number[] }): Schedule {
  const opts = v.options('piecewiseConstant options', o, ['boundaries', 'values']);
  const b = opts.boundaries;
  const vals = opts.values;
  if (!Array.isArray(b) || !Array.isArray(vals) || vals.length !== b.length + 1) {
    throw new RangeError('Expected options.values to have one more entry than options.boundaries');
  }
  b.forEach((x, i) => {
    v.finiteNumber(`options.boundaries[${i}]`, x);
    if (i > 0 && !(x > b[i - 1])) throw new RangeError('Expected options.boundaries to increase');
  });
  vals.forEach((x, i) => {
    v.finiteNumber(`options.values[${i}]`, x);
  });
  return {
    at: (step) => {
      let i = 0;
      while (i < b.length && step > b[i]) i++;
      return vals[i];
    },
    getConfig: () => ({
      class_name: 'PiecewiseConstantDecay',
      config: { boundaries: b.slice(), values: vals.slice() },
    }),
  };
}

/**
 * Polynomial ("power") decay, Keras' PolynomialDecay:
 * lr = (initial − end)·(1 − s/decaySteps)^power + end with s = min(step, decaySteps);
 * with `cycle`, the horizon grows to the next multiple of decaySteps instead
 * (decaySteps·⌈step/decaySteps⌉, at least decaySteps), so the rate jumps back up
 * and decays again. Defaults as Keras: endLearningRate 1e-4, power 1 (linear), no cycle.
 */
export function polynomialDecay(o: {
  initialLearningRate: number;
  decaySteps: number;
  endLearningRate?: number;
  power?: number;
  cycle?: boolean;
}): Schedule {
  const opts = v.options('polynomialDecay options', o, [
    'initialLearningRate',
    'decaySteps',
    'endLearningRate',
    'power',
    'cycle',
  ]);
  const lr0 = pos('options.initialLearningRate', opts.initialLearningRate);
  const steps = pos('options.decaySteps', opts.decaySteps);
  const end = v.numberIn('options.endLearningRate', opts.endLearningRate ?? 1e-4, 0, Number.MAX_VALUE);
  const power = pos('options.power', opts.power ?? 1);
  const cycle = v.boolean('options.cycle', opts.cycle);
  return {
    at: (step) => {
      let horizon = steps;
      let s = step;
      if (cycle) horizon = steps * Math.max(1, Math.ceil(step / steps));
      else s = Math.min(step, steps);
      return (lr0 - end) * (1 - s / horizon) ** power + end;
    },
    getConfig: () => ({
      class_name: 'PolynomialDecay',
      config: {
        initial_learning_rate: lr0,
        decay_steps: steps,
        end_learning_rate: end,
        power,
        cycle,
      },
    }),
  };
}

/** Cosine decay (Loshchilov & Hutter): lr = initial·((1 − α)·½(1 + cos(π·min(step, decaySteps)/decaySteps)) + α). */
export function cosineDecay(o: {
  initialLearningRate: number;
  decaySteps: number;
  alpha?: number;
}): Schedule {
  const opts = v.options('cosineDecay options', o, ['initialLearningRate', 'decaySteps', 'alpha']);
  const lr0 = pos('options.initialLearningRate', opts.initialLearningRate);
  const steps = pos('options.decaySteps', opts.decaySteps);
  const alpha = v.numberIn('options.alpha', opts.alpha ?? 0, 0, 1);
  return {
    at: (step) => {
      const p = Math.min(step, steps) / steps;
      return lr0 * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * p)) + alpha);
    },
    getConfig: () => ({
      class_name: 'CosineDecay',
      config: { initial_learning_rate: lr0, decay_steps: steps, alpha },
    }),
  };
}
