/**
 * The shapes of a diagnostics report: what `diagnose` measures per layer, the
 * verdict it draws, and what `monitor` records per step. Plain data (JSON-safe):
 * `report.toJSON()` is exactly these objects.
 */

/** Statistics of one tensor of activations (pre-activation z or activation a). */
export interface ActivationStats {
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Fraction of elements in the activation's saturated range (0 when it has none). */
  saturatedFraction: number;
  /** Fraction of elements exactly 0. */
  zeroFraction: number;
  /** Fraction of units (columns) that are 0 for every sample of the batch. */
  deadUnitFraction: number;
  /** NaN and ±Inf elements. */
  nonFinite: number;
  /** Histogram of the finite values: `counts[i]` values in [edges[i], edges[i+1]). */
  histogram: { edges: number[]; counts: number[] };
}

/** Statistics of one gradient (or weight) tensor. */
export interface GradientStats {
  /** L2 norm. */
  norm: number;
  std: number;
  /** max |g|. */
  maxAbs: number;
  nonFinite: number;
}

/** What `diagnose` reports for one dense layer (index 0 = closest to the input). */
export interface LayerReport {
  index: number;
  /** e.g. "dense 784→100 sigmoid". */
  name: string;
  /** The layer's activation function, e.g. 'sigmoid'. */
  activationName: string;
  inUnits: number;
  outUnits: number;
  /** z = x·W + b */
  preActivation: ActivationStats;
  /** a = f(z) */
  activation: ActivationStats;
  gradients: {
    /** ∂L/∂W */
    weight: GradientStats;
    /** ∂L/∂b (null without bias) */
    bias: GradientStats | null;
    /** ∂L/∂x, the gradient this layer sends to the one below. */
    input: GradientStats;
    /** ∂L/∂a, the gradient this layer receives. */
    output: GradientStats;
  };
  weights: { norm: number; std: number };
  /** Glorot's forward condition: Var(a) / Var(x). */
  forwardVarianceRatio: number;
  /** Glorot's backward condition: Var(∂L/∂x) / Var(∂L/∂a). */
  backwardVarianceRatio: number;
  /**
   * Mean-field prediction for this layer (absent when not computable, e.g. softmax):
   * the predicted variance of z and the predicted factor by which the squared
   * gradient norm grows passing down through this layer (χ at this layer's q).
   */
  theory?: { preActivationVariance: number; gradientGrowth: number };
}

/** Everything a report holds; `report.toJSON()` returns this. */
export interface ReportData {
  /** gradscope version and ISO time of the run. */
  version: string;
  createdAt: string;
  /** A title, e.g. "sigmoid + N(0,1), 10×100". */
  title: string;
  /** Batch size the pass used and the loss it measured. */
  batch: number;
  loss: number;
  lossName: string;
  layers: LayerReport[];
  verdict: Verdict;
  /** Measured per-layer decay (<1) or growth (>1) factor of ‖∂L/∂W‖ going down one layer (geometric mean). */
  gradientNormFactor: number;
  /** Present when the report comes from a monitor: the recorded training history. */
  history?: MonitorRecord[];
}

export type VerdictStatus = 'healthy' | 'vanishing' | 'exploding' | 'saturated' | 'dead' | 'nonFinite';

export interface Verdict {
  status: VerdictStatus;
  /** Index of the first layer where it goes wrong (null when healthy). */
  firstBadLayer: number | null;
  /** Measured facts behind the status, one sentence each. */
  evidence: string[];
  /** What to change, concretely. */
  advice: string[];
}

/** One row of a monitor's history: one recorded training step. */
export interface MonitorRecord {
  step: number;
  epoch: number;
  loss: number;
  /** Per layer, index 0 = closest to the input. */
  layers: {
    weightGradNorm: number;
    /** ‖ΔW‖ / ‖W‖ of this step's update. */
    updateRatio: number;
    saturatedFraction: number;
    deadUnitFraction: number;
    activationStd: number;
  }[];
}
