// Activation kernels, avx512: act-body.inl over lanes-avx512.inl.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include <cstddef>
#include <cstdint>

#include "core/nn/activations.h"

namespace gs::nn {
namespace {
#include "kernels/simd/lanes-avx512.inl"
#include "kernels/simd/math.inl"
#include "kernels/simd/math-gelu.inl"
#include "kernels/act-body.inl"
}  // namespace

const ActKernels* act_kernels_avx512() {
  static const ActKernels k = {"avx512", forward, backward, softmax_rows, softmax_backward_rows};
  return &k;
}

}  // namespace gs::nn
#endif
