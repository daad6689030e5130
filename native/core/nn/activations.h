// Activations, forward and backward, elementwise (softmax row-wise).
//
// Numerical contract: every ISA computes the same operations in the same order
// (native/kernels/act-body.inl over simd/math.inl), so results are bit-identical
// across ISAs and thread counts. NaN in gives NaN out, forward and backward. A zero
// result has float64's sign: tanh, elu, selu, gelu, … keep −0; relu(−0) = +0 (0 for z ≤ 0).
// Accuracy against float64, in ulp of the float64 value times max(1, κ), κ = |z·f'(z)/f(z)|
// the condition number (no float32 evaluation does better than about κ·u; tests:
// test/activations.test.ts, over a sweep of [-20, 20] by 1e-4 and powers of ten to 1e38):
//   linear, relu: exact;  leakyRelu: 1 (one multiply);  sigmoid, tanh, elu, selu, softplus,
//   swish/silu: <= 4;  gelu (compensated erfc, 2.3 measured), geluTanh: <= 6;  mish <= 8;
//   softmax <= 4 ulp + the rounding of the fixed-order row sum (16 interleaved partial sums
//   combined by a fixed tree, independent of the ISA).
// Backward: dz = dy · f'(z), with f' from z and the forward output a; within float64 finite
// differences (2e-6 relative) on [-8, 8], and the limits of f' at ±Inf (never NaN for a
// non-NaN z).
#pragma once
#include <cstddef>

namespace gs::nn {

enum class Act : int {
  kLinear = 0,
  kSigmoid = 1,
  kTanh = 2,
  kRelu = 3,
  kLeakyRelu = 4,  // alpha: slope for z < 0
  kElu = 5,        // alpha
  kSelu = 6,
  kGelu = 7,       // exact: z·Φ(z)
  kGeluTanh = 8,   // tanh approximation
  kSwish = 9,      // beta: z·σ(βz); silu is beta = 1
  kSoftplus = 10,
  kMish = 11,
  kSoftmax = 12,   // row-wise over the last dimension
};
constexpr int kActCount = 13;

struct ActParams {
  float alpha = 0.0f;
  float beta = 1.0f;
};

struct ActKernels {
  const char* isa;
  // a = f(z), elementwise (not softmax)
  void (*forward)(Act act, const ActParams& p, const float* z, float* a, size_t n);
  // dz = dy · f'(z) (may alias dy), elementwise (not softmax)
  void (*backward)(Act act, const ActParams& p, const float* z, const float* a, const float* dy, float* dz,
                   size_t n);
  // row-wise softmax over `cols`, rows independent
  void (*softmax_rows)(const float* z, float* a, size_t rows, size_t cols);
  // dz = a ⊙ (dy − Σ_j dy_j a_j), row-wise
  void (*softmax_backward_rows)(const float* a, const float* dy, float* dz, size_t rows, size_t cols);
};

const ActKernels* act_kernels_scalar();
const ActKernels* act_kernels_avx2();
const ActKernels* act_kernels_avx512();
const ActKernels* act_kernels_neon();

// Threaded front: fixed blocks of elements (or rows), on the pool.
const ActKernels& act_kernels();
void activation_forward(Act act, const ActParams& p, const float* z, float* a, size_t rows, size_t cols);
void activation_backward(Act act, const ActParams& p, const float* z, const float* a, const float* dy,
                         float* dz, size_t rows, size_t cols);

}  // namespace gs::nn
