#include "core/nn/dense.h"

#include <vector>

#include "core/gemm/gemm.h"
#include "core/threadpool.h"

namespace gs::nn {

namespace {
struct ActEpilogue {
  const ActKernels* k;
  Act act;
  ActParams p;
  const float* z;
  float* a;
  size_t ldc;
};

void act_tile(void* ctx, size_t i0, size_t j0, size_t m, size_t n) {
  const ActEpilogue& e = *static_cast<const ActEpilogue*>(ctx);
  for (size_t i = i0; i < i0 + m; ++i) {
    e.k->forward(e.act, e.p, e.z + i * e.ldc + j0, e.a + i * e.ldc + j0, n);
  }
}
}  // namespace

void dense_forward(const DenseShape& s, const float* x, const float* w, const float* b, Act act,
                   const ActParams& p, float* z, float* a) {
  const gemm::Matrix X{x, s.in, false}, Wm{w, s.out, false};
  // Fused into the GEMM's tile stores only when the activation is a few cheap
  // instructions. The transcendental ones (tanh, sigmoid, gelu, ...) are long
  // dependency chains: a tile row gives them 16 floats per call, too few for the
  // core to overlap consecutive vectors, while one pass over the contiguous
  // output (hot in L2 at training sizes) runs at their throughput instead.
  if (act != Act::kLinear && act != Act::kRelu && act != Act::kLeakyRelu) {
    gemm::gemm(s.batch, s.out, s.in, X, Wm, z, s.out, b);
    activation_forward(act, p, z, a, s.batch, s.out);
    return;
  }
  ActEpilogue e{&act_kernels(), act, p, z, a, s.out};
  const gemm::Epilogue ep{act_tile, &e};
  gemm::gemm(s.batch, s.out, s.in, X, Wm, z, s.out, b, &ep);
}

void fixed_order_col_sums(const float* x, size_t rows, size_t ld, size_t cols, float* out) {
  // part[r][j] holds the partial sum of rows i ≡ r (mod 16) of column j; the
  // inner loops run over contiguous columns and vectorise without reordering.
  ThreadPool& pool = ThreadPool::global();
  // Column blocks of up to kCols; a narrow layer's columns are split in two
  // (multiples of 16) so both threads take part. Each column's sum runs in the
  // same order whatever block holds it.
  constexpr size_t kCols = 256;
  const size_t half = ((cols + 1) / 2 + 15) / 16 * 16;
  const Blocks blocks{cols, half < kCols ? half : kCols};
  pool.parallel_for(blocks.count(), [&](size_t t) {
    const size_t j0 = blocks.begin(t), nj = blocks.end(t) - j0;
    float part[16][kCols];
    for (size_t r = 0; r < 16; ++r)
      for (size_t j = 0; j < nj; ++j) part[r][j] = 0.0f;
    for (size_t i = 0; i < rows; ++i) {
      const float* row = x + i * ld + j0;
      float* pr = part[i % 16];
      for (size_t j = 0; j < nj; ++j) pr[j] += row[j];
    }
    for (size_t w = 8; w >= 1; w /= 2)
      for (size_t r = 0; r < w; ++r)
        for (size_t j = 0; j < nj; ++j) part[r][j] += part[r + w][j];
    for (size_t j = 0; j < nj; ++j) out[j0 + j] = part[0][j];
  });
}

void fixed_order_col_sums(const float* x, size_t rows, size_t cols, float* out) {
  fixed_order_col_sums(x, rows, cols, cols, out);
}

void dense_backward_rows(const DenseShape& s, const float* w, const float* z, const float* a, const float* da,
                         Act act, const ActParams& p, float* dz, float* dx) {
  activation_backward(act, p, z, a, da, dz, s.batch, s.out);
  // dX = dZ·Wᵀ: [batch, out]·[out, in]
  if (dx != nullptr) {
    gemm::gemm(s.batch, s.in, s.out, gemm::Matrix{dz, s.out, false}, gemm::Matrix{w, s.out, true}, dx, s.in,
               nullptr);
  }
}

void dense_weight_grads(const DenseShape& s, const float* x, const float* dz, size_t j0, size_t j1, float* dw,
                        float* db) {
  // dW[:, j0:j1] = Xᵀ·dZ[:, j0:j1]: [in, batch]·[batch, j1-j0], read and written in place
  gemm::gemm(s.in, j1 - j0, s.batch, gemm::Matrix{x, s.in, true}, gemm::Matrix{dz + j0, s.out, false}, dw + j0,
             s.out, nullptr);
  if (db != nullptr) fixed_order_col_sums(dz + j0, s.batch, s.out, j1 - j0, db + j0);
}

void dense_backward(const DenseShape& s, const float* x, const float* w, const float* z, const float* a,
                    const float* da, Act act, const ActParams& p, float* dz, float* dw, float* db,
                    float* dx) {
  // The two halves on the whole batch; dW and dX are independent, so their order is free.
  dense_backward_rows(s, w, z, a, da, act, p, dz, dx);
  dense_weight_grads(s, x, dz, 0, s.out, dw, db);
}

void softmax_xent_backward(const float* p, const float* y, float* dz, size_t batch, size_t classes) {
  const float nb = static_cast<float>(batch);
  const size_t n = batch * classes;
  for (size_t i = 0; i < n; ++i) dz[i] = (p[i] - y[i]) / nb;
}

}  // namespace gs::nn
