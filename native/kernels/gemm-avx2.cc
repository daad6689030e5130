// GEMM micro-kernel, avx2: gemm-body.inl over lanes-avx2.inl.
// Tile and blocks: AVX2: 6x16 tile = 12 ymm accumulators + 2 B vectors + 1 broadcast of the 16 registers; B panel 256x16x4 B = 16 KiB in L1, A block 144x256x4 B = 144 KiB in L2 (a whole training batch of 128 fits one block).
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include <cstddef>
#include <array>
#include <cstdint>
#include <utility>

#include "core/gemm/kernels.h"

namespace gs::gemm {
namespace {
#include "kernels/simd/lanes-avx2.inl"
constexpr int MR = 6;
constexpr int NV = 2;
#include "kernels/gemm-body.inl"
}  // namespace

const GemmKernels* gemm_kernels_avx2() {
  static const GemmKernels k = {"avx2", MR, NR, NV, 144, 256, 4080, micro_kernel, micro_kernel_strided, fma_loop};
  return &k;
}

}  // namespace gs::gemm
#endif
