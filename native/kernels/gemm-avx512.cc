// GEMM micro-kernel, avx512: gemm-body.inl over lanes-avx512.inl.
// Tile and blocks: AVX-512: 14x32 tile = 28 zmm accumulators + 2 B vectors + 1 broadcast of the 32 registers; B panel 256x32x4 B = 32 KiB in L1 (48 KiB), A block 140x256x4 B = 140 KiB in L2 (a whole training batch of 128 fits one block).
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include <cstddef>
#include <array>
#include <cstdint>
#include <utility>

#include "core/gemm/kernels.h"

namespace gs::gemm {
namespace {
constexpr int kTileRows = 14;
// Tails of at most 8 columns (the last 4 of a 100-wide layer) run on 256-bit
// vectors: one zmm FMA per row would compute 16 lanes for them, and where
// 512-bit FMAs are split over two 256-bit pipes (Zen 4) a ymm FMA issues at
// twice the rate. Each element is the same FMA chain either way: same bits.
namespace narrow {
#include "kernels/simd/lanes-avx2.inl"
constexpr int MR = kTileRows;
constexpr int NV = 1;
#include "kernels/gemm-tiles.inl"
}  // namespace narrow
#include "kernels/simd/lanes-avx512.inl"
constexpr int MR = kTileRows;
constexpr int NV = 2;
#define GS_GEMM_NARROW_TAIL narrow
#include "kernels/gemm-body.inl"
#undef GS_GEMM_NARROW_TAIL
}  // namespace

const GemmKernels* gemm_kernels_avx512() {
  static const GemmKernels k = {"avx512", MR, NR, NV, 140, 256, 4096, micro_kernel, micro_kernel_strided, fma_loop};
  return &k;
}

}  // namespace gs::gemm
#endif
