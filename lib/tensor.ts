/** A dense float32 tensor: row-major data, batch first. */
export interface Tensor {
  /** Dimensions, outermost first. */
  shape: number[];
  /** `shape` product elements, row-major. */
  data: Float32Array;
}
