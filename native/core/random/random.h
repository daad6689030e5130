// Random sampling: the parallel, dispatching front of the random kernels.
// Fills are cut into fixed blocks of kFillBlock elements run on the thread
// pool; since every element is a pure function of its stream position, the
// output is the same for any thread count, ISA or split of a fill into calls.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/random/kernels.h"

namespace gs::random {

constexpr size_t kFillBlock = 1 << 16;

// Kernels of the active ISA.
const RandomKernels& kernels();

void fill_u32(uint64_t seed, uint64_t stream, uint64_t pos, uint32_t* out, size_t n);
// Throws gs::Error for parameters the kernels cannot honour (re-checked here
// although lib/ validates them): non-finite values, std < 0, low >= high.
void fill_f32(Dist dist, double a, double b, uint64_t seed, uint64_t stream, uint64_t pos,
              float* out, size_t n);
void transform(Dist dist, double a, double b, const uint32_t* in, float* out, size_t n);

DistParams make_params(Dist dist, double a, double b);

}  // namespace gs::random
