// GEMM micro-kernel written once over the lane layer (see simd/README.md).
// Contract: native/core/gemm/kernels.h. Needs: lane layer; MR and NV (vectors
// per row, NR = NV·W) defined by the including file; optionally
// GS_GEMM_NARROW_TAIL, the namespace of a gemm-tiles.inl over half-width
// lanes with the same MR, which then runs the tiles of at most W/2 columns.

#include "kernels/gemm-tiles.inl"

// The tile for an edge of m_valid rows and n_valid columns (not the full MR×NR).
template <bool A_STRIDE>
inline TileFn<A_STRIDE> edge_tile(size_t m_valid, size_t n_valid) {
#ifdef GS_GEMM_NARROW_TAIL
  if (2 * n_valid <= static_cast<size_t>(W))
    return GS_GEMM_NARROW_TAIL::tiles<A_STRIDE>()[GS_GEMM_NARROW_TAIL::tile_index(m_valid, n_valid)];
#endif
  return tiles<A_STRIDE>()[tile_index(m_valid, n_valid)];
}

void micro_kernel(size_t kc, const float* a, const float* b, size_t ldb, float* c, size_t ldc,
                  size_t m_valid, size_t n_valid, bool accumulate, const float* bias) {
  if (m_valid == static_cast<size_t>(MR) && n_valid == static_cast<size_t>(NR)) {
    micro_tile<MR, NV, false>(kc, a, 0, 0, b, ldb, c, ldc, n_valid, accumulate, bias);
  } else {
    edge_tile<false>(m_valid, n_valid)(kc, a, 0, 0, b, ldb, c, ldc, n_valid, accumulate, bias);
  }
}

void micro_kernel_strided(size_t kc, const float* a, size_t rs_a, size_t cs_a, const float* b, size_t ldb,
                          float* c, size_t ldc, size_t m_valid, size_t n_valid, bool accumulate,
                          const float* bias) {
  if (m_valid == static_cast<size_t>(MR) && n_valid == static_cast<size_t>(NR)) {
    micro_tile<MR, NV, true>(kc, a, rs_a, cs_a, b, ldb, c, ldc, n_valid, accumulate, bias);
  } else {
    edge_tile<true>(m_valid, n_valid)(kc, a, rs_a, cs_a, b, ldb, c, ldc, n_valid, accumulate, bias);
  }
}

// FMA throughput probe (kernels.h, FmaLoop). 12 chains cover FMA latency × pipes
// (4 cycles × 2 pipes = 8 vectors on Zen 3 and Skylake); a core with more FMA
// pipes would need more chains, so read the result as a floor of the peak.
constexpr int kPeakChains = 12;
double fma_loop(size_t iters, float* sink) {
  F acc[kPeakChains];
  for (int r = 0; r < kPeakChains; ++r) acc[r] = f_set(1e-3f * static_cast<float>(r));
  // x·acc + y converges to y/(1 − x): finite, no denormals, every step a full FMA.
  const F x = f_set(0.999f), y = f_set(1e-4f);
  for (size_t i = 0; i < iters; ++i)
    for (int r = 0; r < kPeakChains; ++r) acc[r] = f_fma(acc[r], x, y);
  F s = acc[0];
  for (int r = 1; r < kPeakChains; ++r) s = f_add(s, acc[r]);
  alignas(64) float lanes[W];
  f_store(lanes, s);
  *sink = lanes[0];
  return static_cast<double>(iters) * kPeakChains * W * 2.0;
}
