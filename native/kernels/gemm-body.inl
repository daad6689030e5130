// GEMM micro-kernel written once over the lane layer (see simd/README.md).
// Contract: native/core/gemm/kernels.h. Needs: lane layer; MR and NV (vectors
// per row, NR = NV·W) defined by the including file.

constexpr int NR = NV * W;

// One ROWS × NR tile (ROWS ≤ MR). A_STRIDE: false reads a packed A micro-panel
// (a[k*MR + r], the panel is always MR wide); true reads A in place,
// a[r*rs_a + k*cs_a]. ROWS is the number of rows computed: the dispatcher below
// passes the exact row count of an edge tile, so a 4-row remainder of a 14-row
// tiling costs 4 rows of FMAs, not 14 (M = 32 on AVX-512 is 14 + 14 + 4).
// Every element is the same FMA chain whatever ROWS is: same bits.
template <int ROWS, bool A_STRIDE>
inline void micro_tile(size_t kc, const float* a, size_t rs_a, size_t cs_a, const float* b, size_t ldb,
                       float* c, size_t ldc, size_t n_valid, bool accumulate, const float* bias) {
  F acc[ROWS][NV];
  const bool full = n_valid == static_cast<size_t>(NR);
  alignas(64) float tmp[ROWS * NR];
  if (accumulate) {
    if (full) {
      for (int r = 0; r < ROWS; ++r)
        for (int v = 0; v < NV; ++v) acc[r][v] = f_load(c + r * ldc + v * W);
    } else {
      for (int r = 0; r < ROWS; ++r)
        for (int j = 0; j < NR; ++j) tmp[r * NR + j] = static_cast<size_t>(j) < n_valid ? c[r * ldc + j] : 0.0f;
      for (int r = 0; r < ROWS; ++r)
        for (int v = 0; v < NV; ++v) acc[r][v] = f_load(tmp + r * NR + v * W);
    }
  } else {
    for (int r = 0; r < ROWS; ++r)
      for (int v = 0; v < NV; ++v) acc[r][v] = f_set(0.0f);
  }
  const size_t a_step = A_STRIDE ? cs_a : static_cast<size_t>(MR);
  for (size_t k = 0; k < kc; ++k) {
    F bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = f_load(b + v * W);
    for (int r = 0; r < ROWS; ++r) {
      const F av = f_set(a[A_STRIDE ? static_cast<size_t>(r) * rs_a : static_cast<size_t>(r)]);
      for (int v = 0; v < NV; ++v) acc[r][v] = f_fma(av, bv[v], acc[r][v]);
    }
    a += a_step;
    b += ldb;
  }
  if (bias != nullptr) {
    for (int v = 0; v < NV; ++v) {
      const F bb = f_load(bias + v * W);
      for (int r = 0; r < ROWS; ++r) acc[r][v] = f_add(acc[r][v], bb);
    }
  }
  if (full) {
    for (int r = 0; r < ROWS; ++r)
      for (int v = 0; v < NV; ++v) f_store(c + r * ldc + v * W, acc[r][v]);
  } else {
    for (int r = 0; r < ROWS; ++r)
      for (int v = 0; v < NV; ++v) f_store(tmp + r * NR + v * W, acc[r][v]);
    for (int r = 0; r < ROWS; ++r)
      for (size_t j = 0; j < n_valid; ++j) c[r * ldc + j] = tmp[r * NR + j];
  }
}

// Tables of micro_tile<1..MR>, indexed by rows − 1.
template <bool A_STRIDE>
using TileFn = void (*)(size_t, const float*, size_t, size_t, const float*, size_t, float*, size_t, size_t, bool,
                        const float*);
template <bool A_STRIDE, int... I>
constexpr auto tile_table(std::integer_sequence<int, I...>) {
  return std::array<TileFn<A_STRIDE>, sizeof...(I)>{&micro_tile<I + 1, A_STRIDE>...};
}
constexpr auto kPackedTiles = tile_table<false>(std::make_integer_sequence<int, MR>{});
constexpr auto kStridedTiles = tile_table<true>(std::make_integer_sequence<int, MR>{});

void micro_kernel(size_t kc, const float* a, const float* b, size_t ldb, float* c, size_t ldc,
                  size_t m_valid, size_t n_valid, bool accumulate, const float* bias) {
  if (m_valid == static_cast<size_t>(MR)) {
    micro_tile<MR, false>(kc, a, 0, 0, b, ldb, c, ldc, n_valid, accumulate, bias);
  } else {
    kPackedTiles[m_valid - 1](kc, a, 0, 0, b, ldb, c, ldc, n_valid, accumulate, bias);
  }
}

void micro_kernel_strided(size_t kc, const float* a, size_t rs_a, size_t cs_a, const float* b, size_t ldb,
                          float* c, size_t ldc, size_t m_valid, size_t n_valid, bool accumulate,
                          const float* bias) {
  if (m_valid == static_cast<size_t>(MR)) {
    micro_tile<MR, true>(kc, a, rs_a, cs_a, b, ldb, c, ldc, n_valid, accumulate, bias);
  } else {
    kStridedTiles[m_valid - 1](kc, a, rs_a, cs_a, b, ldb, c, ldc, n_valid, accumulate, bias);
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
