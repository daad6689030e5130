// Random kernels, neon. The code is random-body.inl over lanes-neon.inl;
// everything here has internal linkage so no neon instruction can leak into
// code run on a CPU without it.
#if defined(__aarch64__) || defined(_M_ARM64)
#include <arm_neon.h>
#include <cstddef>
#include <cstdint>

#include "core/random/kernels.h"
#include "core/random/philox.h"

namespace gs::random {
namespace {
#include "kernels/simd/lanes-neon.inl"
#include "kernels/simd/pack.inl"
#include "kernels/simd/math.inl"
#include "kernels/simd/math-random.inl"
#include "kernels/random-body.inl"
}  // namespace

const RandomKernels* random_kernels_neon() {
  static const RandomKernels k = {"neon", W, fill_u32, fill_f32, transform};
  return &k;
}

}  // namespace gs::random
#endif
