// GEMM register tiles written once over the lane layer (see simd/README.md):
// micro_tile<ROWS, COLV, A_STRIDE> and the tables of every edge tile. Needs:
// lane layer; MR and NV (vectors per row, NR = NV·W) defined by the including
// file. gemm-body.inl builds the ISA's kernels from them; an ISA may also
// include this file a second time, in a namespace of its own over a narrower
// lane layer, for its tails (gemm-avx512.cc).

constexpr int NR = NV * W;

// One ROWS × (COLV·W) tile, ROWS ≤ MR and COLV ≤ NV. A_STRIDE: false reads a
// packed A micro-panel (a[k*MR + r], the panel is always MR wide); true reads A
// in place, a[r*rs_a + k*cs_a]. B is read at b[k*ldb + j] for j < COLV·W: a
// packed panel (ldb = NR) or B in place. The dispatcher below passes the exact
// row count of an edge tile and the fewest vectors that cover its columns, so a
// 4-row remainder of a 14-row tiling costs 4 rows of FMAs, not 14 (M = 32 on
// AVX-512 is 14 + 14 + 4), and the last 4 columns of a 100-wide layer cost one
// vector per row, not two (100 = 3·32 + 4 on AVX-512). Every element is the same
// FMA chain whatever the tile: same bits.
// Every loop over rows, vectors and columns is unrolled whole, so the
// accumulators are registers from the first instruction to the last: left to
// itself GCC keeps acc[][] in a stack array that it loads before the k loop and
// stores after it (on AVX-512, 112 extra 64-byte moves per 14×32 tile; measured:
// 100×64×100 85 → 95 GFLOP/s, 128×784×512 +2%, with unrolling).
#ifndef GS_UNROLL
#if defined(__clang__) || defined(__GNUC__)
#define GS_UNROLL _Pragma("GCC unroll 32")
#else
#define GS_UNROLL
#endif
#endif
template <int ROWS, int COLV, bool A_STRIDE>
inline void micro_tile(size_t kc, const float* a, size_t rs_a, size_t cs_a, const float* b, size_t ldb,
                       float* c, size_t ldc, size_t n_valid, bool accumulate, const float* bias) {
  constexpr int COLS = COLV * W;
  F acc[ROWS][COLV];
  const bool full = n_valid == static_cast<size_t>(COLS);
  alignas(64) float tmp[ROWS * COLS];
  if (accumulate) {
    if (full) {
      GS_UNROLL
      for (int r = 0; r < ROWS; ++r)
        GS_UNROLL
        for (int v = 0; v < COLV; ++v) acc[r][v] = f_load(c + r * ldc + v * W);
    } else {
      GS_UNROLL
      for (int r = 0; r < ROWS; ++r)
        for (int j = 0; j < COLS; ++j) tmp[r * COLS + j] = static_cast<size_t>(j) < n_valid ? c[r * ldc + j] : 0.0f;
      GS_UNROLL
      for (int r = 0; r < ROWS; ++r)
        GS_UNROLL
        for (int v = 0; v < COLV; ++v) acc[r][v] = f_load(tmp + r * COLS + v * W);
    }
  } else {
    GS_UNROLL
    for (int r = 0; r < ROWS; ++r)
      GS_UNROLL
      for (int v = 0; v < COLV; ++v) acc[r][v] = f_set(0.0f);
  }
  const size_t a_step = A_STRIDE ? cs_a : static_cast<size_t>(MR);
  for (size_t k = 0; k < kc; ++k) {
    F bv[COLV];
    GS_UNROLL
    for (int v = 0; v < COLV; ++v) bv[v] = f_load(b + v * W);
    GS_UNROLL
    for (int r = 0; r < ROWS; ++r) {
      const F av = f_set(a[A_STRIDE ? static_cast<size_t>(r) * rs_a : static_cast<size_t>(r)]);
      GS_UNROLL
      for (int v = 0; v < COLV; ++v) acc[r][v] = f_fma(av, bv[v], acc[r][v]);
    }
    a += a_step;
    b += ldb;
  }
  if (bias != nullptr) {
    GS_UNROLL
    for (int v = 0; v < COLV; ++v) {
      const F bb = f_load(bias + v * W);
      GS_UNROLL
      for (int r = 0; r < ROWS; ++r) acc[r][v] = f_add(acc[r][v], bb);
    }
  }
  if (full) {
    GS_UNROLL
    for (int r = 0; r < ROWS; ++r)
      GS_UNROLL
      for (int v = 0; v < COLV; ++v) f_store(c + r * ldc + v * W, acc[r][v]);
  } else {
    GS_UNROLL
    for (int r = 0; r < ROWS; ++r)
      GS_UNROLL
      for (int v = 0; v < COLV; ++v) f_store(tmp + r * COLS + v * W, acc[r][v]);
    GS_UNROLL
    for (int r = 0; r < ROWS; ++r)
      for (size_t j = 0; j < n_valid; ++j) c[r * ldc + j] = tmp[r * COLS + j];
  }
}

// Tables of micro_tile<1..MR, 1..NV>, indexed by (rows − 1)·NV + vectors − 1.
template <bool A_STRIDE>
using TileFn = void (*)(size_t, const float*, size_t, size_t, const float*, size_t, float*, size_t, size_t, bool,
                        const float*);
template <bool A_STRIDE, int... I>
constexpr auto tile_table(std::integer_sequence<int, I...>) {
  return std::array<TileFn<A_STRIDE>, sizeof...(I)>{&micro_tile<I / NV + 1, I % NV + 1, A_STRIDE>...};
}
constexpr auto kPackedTiles = tile_table<false>(std::make_integer_sequence<int, MR * NV>{});
constexpr auto kStridedTiles = tile_table<true>(std::make_integer_sequence<int, MR * NV>{});

template <bool A_STRIDE>
constexpr const auto& tiles() {
  if constexpr (A_STRIDE) {
    return kStridedTiles;
  } else {
    return kPackedTiles;
  }
}

inline size_t tile_index(size_t m_valid, size_t n_valid) {
  return (m_valid - 1) * NV + (n_valid + W - 1) / W - 1;
}

