// Activation kernels, avx2: act-body.inl over lanes-avx2.inl.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include <cstddef>
#include <cstdint>

#include "core/nn/activations.h"

namespace gs::nn {
namespace {
#include "kernels/simd/lanes-avx2.inl"
#include "kernels/simd/math.inl"
#include "kernels/simd/math-gelu.inl"
#include "kernels/act-body.inl"
}  // namespace

const ActKernels* act_kernels_avx2() {
  static const ActKernels k = {"avx2", forward, backward, softmax_rows, softmax_backward_rows};
  return &k;
}

}  // namespace gs::nn
#endif
