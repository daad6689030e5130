/** A dense float32 tensor: row-major data, batch first. */
export interface Tensor {
  /** Dimensions, outermost first. */
  shape: number[];
  /** `shape` product elements, row-major. */
  data: Float32Array;
  /**
   * Row stride in elements of a 2-D strided view (default: `shape[1]`, contiguous
   * rows). Row i starts at `data[i * stride]`, and `data` holds at least
   * `(rows − 1) · stride + cols` elements. Made by `ops.view`; read by
   * `ops.matmul` (a, b and out). Every other op takes contiguous tensors and
   * rejects a view (`ops.contiguous` copies one).
   */
  stride?: number;
}
