// Dense layer, forward and backward, on the GEMM and activation kernels.
//
//   forward:  Z = X·W + b (one FMA chain per element, then + b),  A = f(Z)
//             (f applied in the GEMM epilogue, tile by tile, while the tile is in L1)
//   backward: dZ = dA ⊙ f'(Z)  (softmax: the row-wise Jacobian-vector product)
//             dW = Xᵀ·dZ,  db = column sums of dZ (fixed order, see fixed_order_col_sums),
//             dX = dZ·Wᵀ (skipped when dX is null: the first layer needs no input gradient)
// Shapes: X [batch, in], W [in, out], b [out], Z/A/dA/dZ [batch, out], dX [batch, in].
// All results are bit-identical across ISAs and thread counts.
#pragma once
#include <cstddef>

#include "core/nn/activations.h"

namespace gs::nn {

struct DenseShape {
  size_t batch, in, out;
};

void dense_forward(const DenseShape& s, const float* x, const float* w, const float* b, Act act,
                   const ActParams& p, float* z, float* a);

// dz: scratch [batch, out] (may alias da). dx may be null.
void dense_backward(const DenseShape& s, const float* x, const float* w, const float* z, const float* a,
                    const float* da, Act act, const ActParams& p, float* dz, float* dw, float* db,
                    float* dx);

// dense_backward in two halves, for running a batch's rows in parallel slices:
// the row-local half on a block of rows (x, z, a, da, dz, dx all offset to the
// block's first row, s.batch its row count): dZ = dA ⊙ f'(Z), then dX = dZ·Wᵀ
// when dx; and the half that reduces over the whole batch, for the output
// columns [j0, j1): dW[:, j0:j1] = Xᵀ·dZ[:, j0:j1] and db[j0:j1] (db may be null).
// Each element is computed exactly as in dense_backward: same bits.
void dense_backward_rows(const DenseShape& s, const float* w, const float* z, const float* a, const float* da,
                         Act act, const ActParams& p, float* dz, float* dx);
void dense_weight_grads(const DenseShape& s, const float* x, const float* dz, size_t j0, size_t j1, float* dw,
                        float* db);

// db[j] = Σ_i dz[i][j] in a fixed order: 16 interleaved partials (row i into
// partial i % 16) combined by the tree p[r] += p[r + w], w = 8, 4, 2, 1 — the
// order the softmax row sums use too — whatever the ISA or thread count.
void fixed_order_col_sums(const float* x, size_t rows, size_t cols, float* out);
// The same on the columns [0, cols) of rows with stride ld.
void fixed_order_col_sums(const float* x, size_t rows, size_t ld, size_t cols, float* out);

// Softmax + cross-entropy: dZ = (P − Y) / batch for one-hot (or soft) targets Y.
void softmax_xent_backward(const float* p, const float* y, float* dz, size_t batch, size_t classes);

}  // namespace gs::nn
