// A float64 reference of a sequential dense model and its losses, written
// plainly from the formulas, for gradient checks by finite differences.

export type RefAct = 'linear' | 'tanh' | 'sigmoid' | 'relu' | 'softmax';
export interface RefLayer {
  in: number;
  out: number;
  act: RefAct;
  w: Float64Array;
  b: Float64Array;
}
export type RefLoss = 'mse' | 'mae' | 'bce' | 'bceLogits' | 'cce' | 'cceLogits' | 'sparse' | 'sparseLogits';

function act(a: RefAct, z: number[]): number[] {
  switch (a) {
    case 'linear':
      return z;
    case 'tanh':
      return z.map(Math.tanh);
    case 'sigmoid':
      return z.map((t) => 1 / (1 + Math.exp(-t)));
    case 'relu':
      return z.map((t) => Math.max(t, 0));
    case 'softmax': {
      const m = Math.max(...z);
      const e = z.map((t) => Math.exp(t - m));
      const s = e.reduce((p, q) => p + q, 0);
      return e.map((t) => t / s);
    }
  }
}

/** Forward: returns per sample the last layer's (z, a). */
export function forward(
  layers: RefLayer[],
  x: ArrayLike<number>,
  batch: number,
): { z: number[]; a: number[] }[] {
  const out: { z: number[]; a: number[] }[] = [];
  for (let i = 0; i < batch; i++) {
    let h = Array.from({ length: layers[0].in }, (_, k) => x[i * layers[0].in + k]);
    let last = { z: h, a: h };
    for (const l of layers) {
      const z = new Array(l.out).fill(0).map((_, j) => {
        let s = l.b[j];
        for (let k = 0; k < l.in; k++) s += h[k] * l.w[k * l.out + j];
        return s;
      });
      const a = act(l.act, z);
      last = { z, a };
      h = a;
    }
    out.push(last);
  }
  return out;
}

const log1pexp = (t: number) => Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));

/** Mean loss (Keras reductions). y: [batch, cols] values, or labels for the sparse forms. */
export function loss(kind: RefLoss, outs: { z: number[]; a: number[] }[], y: ArrayLike<number>): number {
  const batch = outs.length;
  const cols = outs[0].a.length;
  let s = 0;
  outs.forEach(({ z, a }, i) => {
    for (let j = 0; j < cols; j++) {
      const yij = kind.startsWith('sparse') ? (y[i] === j ? 1 : 0) : y[i * cols + j];
      switch (kind) {
        case 'mse':
          s += (a[j] - yij) ** 2 / cols;
          break;
        case 'mae':
          s += Math.abs(a[j] - yij) / cols;
          break;
        case 'bce':
        case 'bceLogits':
          // both from the logits: −[y log σ(z) + (1−y) log(1−σ(z))]
          s += (yij * log1pexp(-z[j]) + (1 - yij) * log1pexp(z[j])) / cols;
          break;
        default: {
          const m = Math.max(...z);
          const lse = m + Math.log(z.reduce((p, t) => p + Math.exp(t - m), 0));
          s -= yij * (z[j] - lse);
        }
      }
    }
  });
  return s / batch;
}

/** Central finite differences of the loss w.r.t. every weight (h relative to 1). */
export function numericGradients(
  layers: RefLayer[],
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  batch: number,
  kind: RefLoss,
  h = 1e-6,
): { w: Float64Array; b: Float64Array }[] {
  const f = () => loss(kind, forward(layers, x, batch), y);
  return layers.map((l) => {
    const diff = (arr: Float64Array) => {
      const g = new Float64Array(arr.length);
      for (let k = 0; k < arr.length; k++) {
        const keep = arr[k];
        arr[k] = keep + h;
        const up = f();
        arr[k] = keep - h;
        const down = f();
        arr[k] = keep;
        g[k] = (up - down) / (2 * h);
      }
      return g;
    };
    return { w: diff(l.w), b: diff(l.b) };
  });
}
