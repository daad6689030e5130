// GEMM micro-kernel written once over the lane layer (see simd/README.md).
// Contract: native/core/gemm/kernels.h. Needs: lane layer; MR and NV (vectors
// per row, NR = NV·W) defined by the including file.

constexpr int NR = NV * W;

// A_STRIDE: false reads a packed A micro-panel (a[k*MR + r]); true reads A in place,
// a[r*rs_a + k*cs_a] (rows past m_valid read row m_valid-1 instead, so nothing
// outside A is touched; their results are never stored).
template <bool A_STRIDE>
inline void micro_tile(size_t kc, const float* a, size_t rs_a, size_t cs_a, const float* b, size_t ldb,
                       float* c, size_t ldc, size_t m_valid, size_t n_valid, bool accumulate,
                       const float* bias) {
  F acc[MR][NV];
  const bool full = m_valid == static_cast<size_t>(MR) && n_valid == static_cast<size_t>(NR);
  alignas(64) float tmp[MR * NR];
  if (accumulate) {
    if (full) {
      for (int r = 0; r < MR; ++r)
        for (int v = 0; v < NV; ++v) acc[r][v] = f_load(c + r * ldc + v * W);
    } else {
      for (int r = 0; r < MR; ++r)
        for (int j = 0; j < NR; ++j)
          tmp[r * NR + j] = (static_cast<size_t>(r) < m_valid && static_cast<size_t>(j) < n_valid)
                                ? c[r * ldc + j]
                                : 0.0f;
      for (int r = 0; r < MR; ++r)
        for (int v = 0; v < NV; ++v) acc[r][v] = f_load(tmp + r * NR + v * W);
    }
  } else {
    for (int r = 0; r < MR; ++r)
      for (int v = 0; v < NV; ++v) acc[r][v] = f_set(0.0f);
  }
  size_t row_off[MR];
  for (int r = 0; r < MR; ++r) {
    const size_t rr = static_cast<size_t>(r) < m_valid ? static_cast<size_t>(r) : m_valid - 1;
    row_off[r] = A_STRIDE ? rr * rs_a : static_cast<size_t>(r);
  }
  const size_t a_step = A_STRIDE ? cs_a : static_cast<size_t>(MR);
  for (size_t k = 0; k < kc; ++k) {
    F bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = f_load(b + v * W);
    for (int r = 0; r < MR; ++r) {
      const F av = f_set(a[A_STRIDE ? row_off[r] : static_cast<size_t>(r)]);
      for (int v = 0; v < NV; ++v) acc[r][v] = f_fma(av, bv[v], acc[r][v]);
    }
    a += a_step;
    b += ldb;
  }
  if (bias != nullptr) {
    for (int v = 0; v < NV; ++v) {
      const F bb = f_load(bias + v * W);
      for (int r = 0; r < MR; ++r) acc[r][v] = f_add(acc[r][v], bb);
    }
  }
  if (full) {
    for (int r = 0; r < MR; ++r)
      for (int v = 0; v < NV; ++v) f_store(c + r * ldc + v * W, acc[r][v]);
  } else {
    for (int r = 0; r < MR; ++r)
      for (int v = 0; v < NV; ++v) f_store(tmp + r * NR + v * W, acc[r][v]);
    for (size_t r = 0; r < m_valid; ++r)
      for (size_t j = 0; j < n_valid; ++j) c[r * ldc + j] = tmp[r * NR + j];
  }
}

void micro_kernel(size_t kc, const float* a, const float* b, size_t ldb, float* c, size_t ldc,
                  size_t m_valid, size_t n_valid, bool accumulate, const float* bias) {
  micro_tile<false>(kc, a, 0, 0, b, ldb, c, ldc, m_valid, n_valid, accumulate, bias);
}

void micro_kernel_strided(size_t kc, const float* a, size_t rs_a, size_t cs_a, const float* b, size_t ldb,
                          float* c, size_t ldc, size_t m_valid, size_t n_valid, bool accumulate,
                          const float* bias) {
  micro_tile<true>(kc, a, rs_a, cs_a, b, ldb, c, ldc, m_valid, n_valid, accumulate, bias);
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
