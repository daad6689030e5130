// Activation kernels, scalar: act-body.inl over lanes-scalar.inl.

#include <cmath>
#include <cstring>
#include <cstddef>
#include <cstdint>

#include "core/nn/activations.h"

namespace gs::nn {
namespace {
#include "kernels/simd/lanes-scalar.inl"
#include "kernels/simd/math.inl"
#include "kernels/simd/math-gelu.inl"
#include "kernels/act-body.inl"
}  // namespace

const ActKernels* act_kernels_scalar() {
  static const ActKernels k = {"scalar", forward, backward, softmax_rows, softmax_backward_rows};
  return &k;
}

}  // namespace gs::nn

