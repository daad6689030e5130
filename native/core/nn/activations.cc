#include "core/nn/activations.h"

#include "core/cpu.h"
#include "core/threadpool.h"

namespace gs::nn {

const ActKernels& act_kernels() {
  GS_ACTIVE_KERNELS(act)
}

namespace {
constexpr size_t kElementBlock = 1 << 14;

// Elementwise passes: about four blocks per pass, each 2048..kElementBlock
// elements (a multiple of 64), so a small layer's pass (a deep-narrow net's
// 64 × 100) is shared by two threads instead of running on one. Each element is
// computed alone (the vector body and the tail run the same operations), so
// where the blocks fall cannot change any result; they depend on n alone anyway.
Blocks element_blocks(size_t n) {
  const size_t quarter = ((n + 3) / 4 + 63) / 64 * 64;
  return Blocks{n, quarter < 2048 ? 2048 : quarter > kElementBlock ? kElementBlock : quarter};
}

// Softmax works on whole rows: blocks of rows holding about kElementBlock elements.
Blocks row_blocks(size_t rows, size_t cols) {
  return Blocks{rows, cols >= kElementBlock ? 1 : kElementBlock / (cols == 0 ? 1 : cols)};
}
}  // namespace

void activation_forward(Act act, const ActParams& p, const float* z, float* a, size_t rows, size_t cols) {
  const ActKernels& k = act_kernels();
  ThreadPool& pool = ThreadPool::global();
  if (act == Act::kSoftmax) {
    const Blocks b = row_blocks(rows, cols);
    pool.parallel_for(b.count(), [&](size_t t) {
      k.softmax_rows(z + b.begin(t) * cols, a + b.begin(t) * cols, b.end(t) - b.begin(t), cols);
    });
    return;
  }
  const Blocks b = element_blocks(rows * cols);
  pool.parallel_for(b.count(), [&](size_t t) { k.forward(act, p, z + b.begin(t), a + b.begin(t), b.end(t) - b.begin(t)); });
}

void activation_backward(Act act, const ActParams& p, const float* z, const float* a, const float* dy,
                         float* dz, size_t rows, size_t cols) {
  const ActKernels& k = act_kernels();
  ThreadPool& pool = ThreadPool::global();
  if (act == Act::kSoftmax) {
    const Blocks b = row_blocks(rows, cols);
    pool.parallel_for(b.count(), [&](size_t t) {
      const size_t o = b.begin(t) * cols;
      k.softmax_backward_rows(a + o, dy + o, dz + o, b.end(t) - b.begin(t), cols);
    });
    return;
  }
  const Blocks b = element_blocks(rows * cols);
  pool.parallel_for(b.count(), [&](size_t t) {
    const size_t o = b.begin(t);
    k.backward(act, p, z + o, a + o, dy + o, dz + o, b.end(t) - o);
  });
}

}  // namespace gs::nn
