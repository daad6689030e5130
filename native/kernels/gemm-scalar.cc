// GEMM micro-kernel, scalar: gemm-body.inl over lanes-scalar.inl.
// Tile and blocks: scalar: a 4x4 tile of plain floats (the oracle; speed is secondary).

#include <cmath>
#include <cstring>
#include <cstddef>
#include <array>
#include <cstdint>
#include <utility>

#include "core/gemm/kernels.h"

namespace gs::gemm {
namespace {
#include "kernels/simd/lanes-scalar.inl"
constexpr int MR = 4;
constexpr int NV = 4;
#include "kernels/gemm-body.inl"
}  // namespace

const GemmKernels* gemm_kernels_scalar() {
  static const GemmKernels k = {"scalar", MR, NR, NV, 64, 256, 2048, micro_kernel, micro_kernel_strided, fma_loop};
  return &k;
}

}  // namespace gs::gemm

