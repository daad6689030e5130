// Random kernels, avx512. The code is random-body.inl over lanes-avx512.inl;
// everything here has internal linkage so no avx512 instruction can leak into
// code run on a CPU without it.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include <cstddef>
#include <cstdint>

#include "core/random/kernels.h"
#include "core/random/philox.h"

namespace gs::random {
namespace {
#include "kernels/simd/lanes-avx512.inl"
#include "kernels/simd/pack.inl"
#include "kernels/simd/math.inl"
#include "kernels/simd/math-random.inl"
#include "kernels/random-body.inl"
}  // namespace

const RandomKernels* random_kernels_avx512() {
  static const RandomKernels k = {"avx512", W, fill_u32, fill_f32, transform};
  return &k;
}

}  // namespace gs::random
#endif
