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
#include "kernels/simd/lanes-avx512.inl"
constexpr int MR = 14;
constexpr int NV = 2;
#include "kernels/gemm-body.inl"
}  // namespace

const GemmKernels* gemm_kernels_avx512() {
  static const GemmKernels k = {"avx512", MR, NR, NV, 140, 256, 4096, micro_kernel, micro_kernel_strided, fma_loop};
  return &k;
}

}  // namespace gs::gemm
#endif
