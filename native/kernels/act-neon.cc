// Activation kernels, neon: act-body.inl over lanes-neon.inl.
#if defined(__aarch64__) || defined(_M_ARM64)
#include <arm_neon.h>
#include <cstddef>
#include <cstdint>

#include "core/nn/activations.h"

namespace gs::nn {
namespace {
#include "kernels/simd/lanes-neon.inl"
#include "kernels/simd/math.inl"
#include "kernels/simd/math-gelu.inl"
#include "kernels/act-body.inl"
}  // namespace

const ActKernels* act_kernels_neon() {
  static const ActKernels k = {"neon", forward, backward, softmax_rows, softmax_backward_rows};
  return &k;
}

}  // namespace gs::nn
#endif
