// Losses: the value (mean over the batch, Keras' "sum over batch size" reduction)
// and the gradient the backward pass starts from.
//
// Keras semantics. N = batch·cols for the elementwise losses, batch for the
// categorical ones:
//   mse:   L = Σ (a − y)² / N                       ∂L/∂a = 2(a − y)/N
//   mae:   L = Σ |a − y| / N                        ∂L/∂a = sign(a − y)/N (0 where equal)
//   bce:   L = Σ [max(z,0) − z·y + log1p(e^−|z|)] / N   on the logits z: either the output
//          layer is sigmoid (Keras 3 does the same rewrite for a sigmoid output) or the
//          loss was asked for `fromLogits` on a linear output;  ∂L/∂z = (σ(z) − y)/N
//   cce:   L = −Σ y·log softmax(z) / batch, log-softmax in float64 from the logits z
//          (softmax output layer, or `fromLogits` on a linear output);  ∂L/∂z = (p − y)/batch
//   sparse cce: as cce with y the one-hot of an integer label.
// Fused gradients are formed in float32 as (p − y)/N (p from the output layer, or
// rounded from float64 for fromLogits), the bits ops.softmaxCrossEntropyBackward gives.
// With the fused forms the loss hands back ∂L/∂z and the output layer's activation
// backward is skipped. The loss value is summed in float64 in element order (one
// thread), so it is the same bits on every ISA and thread count.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/nn/activations.h"

namespace gs::nn {

enum class LossKind : int { kMse = 0, kMae = 1, kBce = 2, kCce = 3, kSparseCce = 4 };

// Whether (loss, output activation, fromLogits) is a combination the model
// supports; `why` receives the reason when not. Checked before training starts.
bool loss_supported(LossKind kind, bool from_logits, Act out_act, const char** why);

// True when the loss hands back ∂L/∂z (fused with the output activation).
bool loss_is_fused(LossKind kind);

struct LossTargets {
  const float* y = nullptr;         // [batch, cols] (all but sparse)
  const int32_t* labels = nullptr;  // [batch] (sparse), each in [0, cols)
};

// Loss value (mean) for outputs z (pre-activation) / a (activation) of shape
// [batch, cols]. When `grad` is not null it receives ∂L/∂z (fused losses) or
// ∂L/∂a (mse, mae). `correct`, when not null, receives the number of correct
// predictions (argmax for cce/sparse, a ≥ 0.5 vs y ≥ 0.5 per element for bce;
// mse/mae: 0).
double loss_forward_backward(LossKind kind, bool from_logits, Act out_act, const float* z, const float* a,
                             const LossTargets& t, size_t batch, size_t cols, float* grad, double* correct);

}  // namespace gs::nn
