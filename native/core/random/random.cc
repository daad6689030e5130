#include "core/random/random.h"

#include <cmath>
#include <limits>

#include "core/cpu.h"
#include "core/error.h"
#include "core/threadpool.h"

namespace gs::random {

const RandomKernels& kernels() {
  GS_ACTIVE_KERNELS(random)
}

DistParams make_params(Dist dist, double a, double b) {
  const float fa = static_cast<float>(a), fb = static_cast<float>(b);
  if (!std::isfinite(fa) || !std::isfinite(fb)) {
    throw Error(ErrorCode::kInvalidArgument, "distribution parameters must be finite in float32");
  }
  DistParams p{};
  if (dist == Dist::kUniform) {
    if (!(fa < fb)) throw Error(ErrorCode::kInvalidArgument, "uniform needs low < high in float32");
    const float range = fb - fa;
    if (!std::isfinite(range)) {
      throw Error(ErrorCode::kInvalidArgument, "uniform range high - low overflows float32");
    }
    p.a = fa;
    p.b = range;
    p.c = std::nextafter(fb, -std::numeric_limits<float>::infinity());
  } else {
    if (!(fb >= 0)) throw Error(ErrorCode::kInvalidArgument, "std must be >= 0");
    p.a = fa;
    p.b = fb;
    p.c = 0;
  }
  return p;
}

void fill_u32(uint64_t seed, uint64_t stream, uint64_t pos, uint32_t* out, size_t n) {
  const RandomKernels& k = kernels();
  const Blocks blocks{n, kFillBlock};
  ThreadPool::global().parallel_for(blocks.count(), [&](size_t t) {
    const size_t b = blocks.begin(t);
    k.fill_u32(seed, stream, pos + b, out + b, blocks.end(t) - b);
  });
}

void fill_f32(Dist dist, double a, double b, uint64_t seed, uint64_t stream, uint64_t pos,
              float* out, size_t n) {
  const DistParams p = make_params(dist, a, b);
  const RandomKernels& k = kernels();
  const Blocks blocks{n, kFillBlock};
  ThreadPool::global().parallel_for(blocks.count(), [&](size_t t) {
    const size_t s = blocks.begin(t);
    k.fill_f32(dist, p, seed, stream, pos + s, out + s, blocks.end(t) - s);
  });
}

void transform(Dist dist, double a, double b, const uint32_t* in, float* out, size_t n) {
  const DistParams p = make_params(dist, a, b);
  kernels().transform(dist, p, in, out, n);
}

}  // namespace gs::random
