// GEMM micro-kernel, neon: gemm-body.inl over lanes-neon.inl.
// Tile and blocks: NEON: 8x12 tile = 24 q accumulators + 3 B vectors + 1 broadcast of the 32 registers.
#if defined(__aarch64__) || defined(_M_ARM64)
#include <arm_neon.h>
#include <cstddef>
#include <array>
#include <cstdint>
#include <utility>

#include "core/gemm/kernels.h"

namespace gs::gemm {
namespace {
#include "kernels/simd/lanes-neon.inl"
constexpr int MR = 8;
constexpr int NV = 3;
#include "kernels/gemm-body.inl"
}  // namespace

const GemmKernels* gemm_kernels_neon() {
  static const GemmKernels k = {"neon", MR, NR, NV, 96, 256, 4080, micro_kernel, micro_kernel_strided, fma_loop};
  return &k;
}

}  // namespace gs::gemm
#endif
