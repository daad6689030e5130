// GEMM micro-kernel written once over the lane layer (see simd/README.md).
// Contract: native/core/gemm/kernels.h. Needs: lane layer; MR and NV (vectors
// per row, NR = NV·W) defined by the including file.

constexpr int NR = NV * W;

void micro_kernel(size_t kc, const float* a, const float* b, size_t ldb, float* c, size_t ldc,
                  size_t m_valid, size_t n_valid, bool accumulate, const float* bias) {
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
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 4
#elif defined(__clang__)
#pragma unroll 4
#endif
  for (size_t k = 0; k < kc; ++k) {
    F bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = f_load(b + v * W);
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(a + 32 * MR);  // the A micro-panel streams from L2
#endif
    for (int r = 0; r < MR; ++r) {
      const F av = f_set(a[r]);
      for (int v = 0; v < NV; ++v) acc[r][v] = f_fma(av, bv[v], acc[r][v]);
    }
    a += MR;
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
