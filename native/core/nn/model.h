// A sequential stack of dense layers that owns its weights, gradients, optimiser
// state and workspaces, so that a whole training step (forward, loss, backward,
// clipping, update) is one call into the core.
//
// Numerical contract: every step is made of the dense, activation, loss and
// optimiser kernels, each bit-identical across ISAs and thread counts, run in a
// fixed order; so is the step, and so is a whole run from the same weights.
// Norms for clipping are float64 sums in a fixed order (sum_squares).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/nn/activations.h"
#include "core/nn/loss.h"
#include "core/nn/optim.h"

namespace gs::nn {

struct LayerDesc {
  size_t in = 0, out = 0;
  Act act = Act::kLinear;
  ActParams params;
  bool bias = true;
};

struct LossSpec {
  LossKind kind = LossKind::kMse;
  bool from_logits = false;
};

// Optimiser hyperparameters (Keras names); per-step scalars are derived from
// these, the step number and the learning rate by `step_scalars`.
struct OptimConfig {
  OptimKind kind = OptimKind::kSgd;
  double momentum = 0, rho = 0.9, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7;
  bool nesterov = false;
  double weight_decay = 0, l2 = 0, initial_accumulator = 0.1;
};

// Clipping, applied in this order when > 0 (0 = off): by value, per-tensor norm, global norm.
struct ClipConfig {
  double value = 0, norm = 0, global_norm = 0;
};

// The OptimStep for update number t (1-based) at learning rate lr. `u_product`
// carries Nadam's running product of momentum coefficients from step to step.
OptimStep step_scalars(const OptimConfig& c, int64_t t, double lr, double* u_product);

// Float32 buffer with a shared owner, so that JS views of it (external
// ArrayBuffers) keep the memory alive even if the model goes first.
using SharedFloats = std::shared_ptr<std::vector<float>>;

class Model {
 public:
  explicit Model(std::vector<LayerDesc> layers);  // weights zero; set them through weight()/bias()

  size_t depth() const { return layers_.size(); }
  const LayerDesc& layer(size_t l) const { return layers_[l]; }
  size_t in_units() const { return layers_.front().in; }
  size_t out_units() const { return layers_.back().out; }

  const SharedFloats& weight(size_t l) const { return w_[l]; }
  const SharedFloats& bias(size_t l) const { return b_[l]; }  // null without bias
  float* grad_w(size_t l) { return gw_[l].data(); }
  float* grad_b(size_t l) { return layers_[l].bias ? gb_[l].data() : nullptr; }
  const float* grad_w(size_t l) const { return gw_[l].data(); }
  const float* grad_b(size_t l) const { return layers_[l].bias ? gb_[l].data() : nullptr; }

  // Forward on `batch` contiguous rows of x [batch, in]; keeps z and a of every layer.
  void forward(const float* x, size_t batch);
  const float* z(size_t l) const { return ws_[l].z.data(); }
  const float* a(size_t l) const { return ws_[l].a.data(); }
  // ∂L/∂a of layer l from the last backward (for the output layer with a fused
  // loss: ∂L/∂z).
  const float* da(size_t l) const { return ws_[l].da.data(); }
  // ∂L/∂x of the first layer (only after backward with input_grad).
  const float* dx0() const { return dx0_.data(); }
  size_t batch() const { return batch_; }

  // Loss of the last forward against the targets; with `grads`, also the
  // backward pass into grad_w/grad_b (and ∂L/∂x when input_grad).
  double loss_and_grads(const float* x, const LossSpec& loss, const LossTargets& t, bool grads,
                        bool input_grad, double* correct);

  // Clips the gradients (returns the global norm before clipping when clipping by
  // it, else NaN) and applies
  // one optimiser update at learning rate lr; step number = ++iterations.
  // With `norms` (one per layer), also measures each kernel's update: ‖ΔW‖², ‖W‖²
  // and ‖∂L/∂W‖² before any clipping, fused into the update pass.
  double update(const OptimConfig& opt, const ClipConfig& clip, double lr, UpdateNorms* norms = nullptr);

  // Optimiser state: reset when the optimiser changes.
  void reset_optimizer(int64_t iterations, double u_product);
  int64_t iterations() const { return iterations_; }
  double u_product() const { return u_product_; }

 private:
  struct Workspace {
    std::vector<float> z, a, da, dz;
  };
  void ensure_batch(size_t batch);
  // Row slices of a batch for the forward and backward row passes: one per
  // thread, each at least kMinRowsPerPart rows (smaller slices lose more to
  // the GEMM's edge tiles than the saved regions give back)...
  static constexpr size_t kMinRowsPerPart = 16;
  // ... and only for models whose layers hold at most this many weights on
  // average (row_parts explains why).
  static constexpr size_t kRowSplitMaxMeanWeights = 65536;
  size_t row_parts(size_t batch) const;
  void forward_rows(const float* x, size_t r0, size_t rows);
  void weight_grads(const float* x);
  std::vector<float>& state(std::vector<std::vector<float>>& v, size_t l, size_t n, float init);

  std::vector<LayerDesc> layers_;
  std::vector<SharedFloats> w_, b_;
  std::vector<std::vector<float>> gw_, gb_;
  std::vector<Workspace> ws_;
  struct GradUnit {
    size_t layer, j0, j1, cost;
  };
  std::vector<float> dx0_;
  std::vector<GradUnit> grad_units_;  // weight_grads' work list, kept to reuse its memory
  size_t capacity_ = 0, batch_ = 0;
  // optimiser state per layer: s1/s2 of the kernel, s1/s2 of the bias
  std::vector<std::vector<float>> s1w_, s2w_, s1b_, s2b_;
  int64_t iterations_ = 0;
  double u_product_ = 1.0;
};

}  // namespace gs::nn
