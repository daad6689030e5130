/**
 * Saving and loading sequential models as JSON: the layers' Keras-like configs
 * and the weights as base64 of little-endian float32, so a file round-trips the
 * exact bits.
 *
 * ```ts
 * writeFileSync('model.json', JSON.stringify(model.toJSON()));
 * const again = loadModel(readFileSync('model.json', 'utf8'));
 * ```
 */
import { dense } from './layers/dense.js';
import { type Sequential, sequential } from './model.js';
import * as v from './validate.js';

/** The saved form of a model. */
export interface ModelJSON {
  format: 'gradscope-model';
  version: 1;
  name: string;
  seed: string;
  layers: {
    class_name: 'Dense';
    config: {
      units: number;
      input_dim: number;
      activation: unknown;
      use_bias: boolean;
      kernel_initializer: unknown;
      bias_initializer: unknown;
    };
  }[];
  /** Per layer: base64 of the float32 kernel [input_dim, units] (row-major) and bias. */
  weights: { kernel: string; bias: string | null }[];
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function encode(a: Float32Array): string {
  const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  if (littleEndian) return bytes.toString('base64');
  const copy = Buffer.from(bytes);
  copy.swap32();
  return copy.toString('base64');
}

function decode(name: string, s: unknown, length: number): Float32Array {
  if (typeof s !== 'string') throw v.typeError('a base64 string', name, s);
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length !== 4 * length)
    throw v.rangeError(`${length} float32 values (${4 * length} bytes)`, name, `${bytes.length} bytes`);
  if (!littleEndian) bytes.swap32();
  const out = new Float32Array(length);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** @internal the saved form of `model` */
export function modelToJSON(model: Sequential): ModelJSON {
  return {
    format: 'gradscope-model',
    version: 1,
    name: model.name,
    seed: model.seed.toString(),
    layers: model.layers.map((l) => l.getConfig() as ModelJSON['layers'][number]),
    weights: model.layers.map((l) => ({ kernel: encode(l.kernel), bias: l.bias ? encode(l.bias) : null })),
  };
}

/**
 * A model from its saved form (an object or its JSON text). Checks everything
 * before building: a TypeError / RangeError names what is wrong.
 */
export function loadModel(json: ModelJSON | string): Sequential {
  let o: unknown = json;
  if (typeof json === 'string') {
    try {
      o = JSON.parse(json);
    } catch (e) {
      throw new TypeError(`Expected JSON text for model but it does not parse: ${(e as Error).message}`);
    }
  }
  if (typeof o !== 'object' || o === null) throw v.typeError('a saved model object', 'model', o);
  const m = o as Partial<ModelJSON>;
  if (m.format !== 'gradscope-model' || m.version !== 1)
    throw v.rangeError(
      "format 'gradscope-model', version 1",
      'model.format/version',
      `${m.format} ${m.version}`,
    );
  if (!Array.isArray(m.layers) || m.layers.length === 0)
    throw v.typeError('a non-empty array', 'model.layers', m.layers);
  if (!Array.isArray(m.weights) || m.weights.length !== m.layers.length)
    throw v.typeError(`an array of ${m.layers.length} weight entries`, 'model.weights', m.weights);
  const specs = m.layers.map((l, i) => {
    if (typeof l !== 'object' || l === null || l.class_name !== 'Dense')
      throw v.rangeError("a { class_name: 'Dense', config } layer", `model.layers[${i}]`, l);
    const c = l.config ?? ({} as ModelJSON['layers'][number]['config']);
    const inUnits = v.integer(`model.layers[${i}].config.input_dim`, c.input_dim, 1, v.MAX_ELEMENTS);
    const units = v.integer(`model.layers[${i}].config.units`, c.units, 1, v.MAX_ELEMENTS);
    if (inUnits * units > v.MAX_ELEMENTS)
      throw v.rangeError(`at most ${v.MAX_ELEMENTS} weights`, `model.layers[${i}]`, inUnits * units);
    const useBias = v.boolean(`model.layers[${i}].config.use_bias`, c.use_bias, true);
    const w = m.weights?.[i];
    if (typeof w !== 'object' || w === null) throw v.typeError('{ kernel, bias }', `model.weights[${i}]`, w);
    const kernel = decode(`model.weights[${i}].kernel`, w.kernel, inUnits * units);
    const bias = useBias ? decode(`model.weights[${i}].bias`, w.bias, units) : null;
    return {
      inUnits,
      units,
      useBias,
      activation: c.activation,
      kernelInit: c.kernel_initializer,
      kernel,
      bias,
    };
  });
  const layers = specs.map((s, i) =>
    dense(s.inUnits, s.units, {
      activation: s.activation as never,
      useBias: s.useBias,
      // the saved initializer is kept for summary() and getConfig(); its draw is overwritten below
      kernelInitializer: (s.kernelInit ?? 'zeros') as never,
      seed: i + 1,
    }),
  );
  const seed = typeof m.seed === 'string' && /^\d{1,20}$/.test(m.seed) ? BigInt(m.seed) : undefined;
  const model = sequential(layers, {
    seed: seed !== undefined && seed < 2n ** 64n ? seed : undefined,
    name: String(m.name ?? 'sequential'),
  });
  model.setWeights(specs.flatMap((s) => (s.bias ? [s.kernel, s.bias] : [s.kernel])));
  return model;
}
