// Random kernels, scalar. The code is random-body.inl over lanes-scalar.inl;
// everything here has internal linkage so no scalar instruction can leak into
// code run on a CPU without it.

#include <cmath>
#include <cstring>
#include <cstddef>
#include <cstdint>

#include "core/random/kernels.h"
#include "core/random/philox.h"

namespace gs::random {
namespace {
#include "kernels/simd/lanes-scalar.inl"
#include "kernels/simd/pack.inl"
#include "kernels/simd/math.inl"
#include "kernels/simd/math-random.inl"
#include "kernels/random-body.inl"
}  // namespace

const RandomKernels* random_kernels_scalar() {
  static const RandomKernels k = {"scalar", W, fill_u32, fill_f32, transform};
  return &k;
}

}  // namespace gs::random

