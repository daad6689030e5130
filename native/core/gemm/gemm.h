// Single-precision GEMM, row-major: C = op(A) · op(B) [+ bias], with op() an
// optional transpose, in the BLIS structure (pack A and B panels, cache
// blocking, register-tile micro-kernels per ISA; see native/kernels/gemm-*.cc).
//
// Numerical contract (tested bit for bit on every ISA and thread count):
//   C[i][j] = fl( z + bias[j] )  where  z = 0; for k = 0..K-1: z = fma(A(i,k), B(k,j), z)
// i.e. one FMA chain per element in increasing k, exactly what the naive scalar
// triple loop with std::fma computes. Cache blocking over k resumes the chain
// from the stored partial (C is loaded back into the accumulators), so the
// result does not depend on KC, tile sizes, ISA or how M and N are split over
// threads (K is never split). Error bound vs exact: |C - AB| <= K·u·Σ|A||B| + O(u²).
#pragma once
#include <cstddef>

namespace gs::gemm {

struct Matrix {
  const float* data;
  size_t ld;   // row stride (elements) of the stored matrix
  bool trans;  // use the transpose of the stored matrix
};

// Called once per finished tile of C (rows i0..i0+m, columns j0..j0+n), on the
// thread that computed it, while the tile is still in L1: the fused epilogue of
// a dense layer applies its activation here. Must only touch that tile's region.
struct Epilogue {
  void (*fn)(void* ctx, size_t i0, size_t j0, size_t m, size_t n);
  void* ctx;
};

// C (M × N, row stride ldc) = op(A) (M × K) · op(B) (K × N) [+ bias (N)].
// K = 0 gives C = bias (or 0). Runs on the thread pool.
void gemm(size_t M, size_t N, size_t K, Matrix A, Matrix B, float* C, size_t ldc,
          const float* bias, const Epilogue* epilogue = nullptr);

// FMA throughput of one core with the active ISA's vectors, in GFLOP/s: the
// best of repeated timed runs of its FmaLoop over about `seconds` in all. The
// denominator of the benchmarks' "% of peak".
double fma_peak_gflops(double seconds);

// The naive triple loop with std::fma: the oracle of the contract above.
void gemm_reference(size_t M, size_t N, size_t K, Matrix A, Matrix B, float* C, size_t ldc,
                    const float* bias);

}  // namespace gs::gemm
